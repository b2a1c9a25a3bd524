/**
 * OAuth for remote servers, the parts every host shares. The flow itself (discovery, registration,
 * PKCE, token exchange, refresh) is the SDK's `auth()`; what is ours is where credentials live,
 * how the user's browser is reached, and when the transports ask for a sign-in.
 */
/** Per-server OAuth settings from the configuration (`"oauth": { … }` on a remote server). */
export interface OAuthSettings {
  /** A client registered with the authorization server beforehand; without it the client registers itself. */
  clientId?: string;
  /** Its secret, if confidential (resolved from `${input:…}`, so it lives in SecretStorage, never in a file). */
  clientSecret?: string;
  /** Scopes to ask for when neither the server's challenge nor its metadata names any. */
  scopes?: string[];
  /** An https URL of this client's metadata document, used as client id where the server supports that (CIMD). */
  clientMetadataUrl?: string;
  /**
   * `client_credentials` for machine-to-machine servers: no browser, the client's own credentials.
   * `cross_app`: enterprise-managed access (SEP-990): an ID token from the organisation's identity
   * provider is exchanged there for an identity assertion (RFC 8693), which the server's
   * authorization server takes as a JWT bearer grant (RFC 7523); no browser either.
   */
  grant?: 'authorization_code' | 'client_credentials' | 'cross_app';
  /** For `cross_app`: the identity provider's token endpoint, this client's id there, and the user's ID token. */
  idp?: { tokenEndpoint: string; clientId?: string; idToken: string };
  /** A PEM private key for `private_key_jwt` client authentication (client credentials). */
  privateKeyPem?: string;
  /** Its JWS algorithm, e.g. ES256 or RS256. */
  signingAlgorithm?: string;
  /** Bind tokens to a key pair of this client's (DPoP, RFC 9449): every request then proves it holds the key. */
  dpop?: boolean;
}

/** Where tokens and registrations are kept: VS Code's SecretStorage has exactly this shape. */
export interface SecretStore {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
}

export class MemorySecretStore implements SecretStore {
  private readonly _map = new Map<string, string>();
  async get(key: string): Promise<string | undefined> { return this._map.get(key); }
  async store(key: string, value: string): Promise<void> { this._map.set(key, value); }
  async delete(key: string): Promise<void> { this._map.delete(key); }
}

/**
 * Takes the user to the authorization page. The editor opens the browser; the conformance client
 * plays a browser that approves. Throws `SignInRequiredError` when nobody should be sent there
 * now (a server starting by itself must not pop a browser: the tree offers "Sign In" instead).
 */
export interface AuthorizationAgent {
  open(authorizationUrl: URL, server: string): Promise<void>;
}

/** The server needs a sign-in the user has not started; the connection reports it, with a button. */
export class SignInRequiredError extends Error {
  readonly signInRequired = true;
  constructor(readonly server: string) {
    super(`the server "${server}" requires you to sign in`);
  }
}

export const isSignInRequired = (e: unknown): e is SignInRequiredError =>
  typeof e === 'object' && e !== null && (e as { signInRequired?: unknown }).signInRequired === true;

/** What a 401 or 403 said about authorization. */
export interface AuthChallenge {
  wwwAuthenticate?: string;
  /** RFC 9449: the nonce a DPoP server wants in the next proof. */
  dpopNonce?: string;
}

/** What the HTTP layer asks of an OAuth session for each request (see HttpRequests). */
export interface HttpAuth {
  /** Headers that authorize a request to `url` (`authorization`, and `dpop` for DPoP), empty before any sign-in. */
  headers(method: string, url: URL): Promise<Record<string, string>>;
  /**
   * A 401, or a 403 with `insufficient_scope`: gets new tokens when it can and says whether
   * the request should be sent again. Throws when the user must act (SignInRequiredError).
   * The OAuth flow's requests trust what the server's connection trusts (`trust.ca`).
   */
  challenge(status: number, challenge: AuthChallenge, trust: ConnectionTrust): Promise<boolean>;
}

/** What a server's connection trusts: for https://, the certificates its chain may end in (tls.ts), when not Node's defaults. */
export interface ConnectionTrust {
  ca?: string[];
}
