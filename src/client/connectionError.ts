/** Raised for failures the user must act on (auth, bad URL, an untrusted certificate), with the server named by the caller. */
export class ConnectionError extends Error {
  constructor(message: string, readonly httpStatus?: number) {
    super(message);
  }
}
