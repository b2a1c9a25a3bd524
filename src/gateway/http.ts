/**
 * The gateway's HTTP gate: everything a request must pass before the SDK transport sees it
 * (Host, Origin, bearer token, path, body size), and JSON-RPC style refusals. Plain functions over
 * `node:http` objects, so the Gateway class only decides what to do with a request that got in.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Under this path each server has its own endpoint, `/mcp/<server name, URI-encoded>`. */
export const MCP_PATH = '/mcp';

/** The path of one server's endpoint. */
export const serverPath = (server: string): string => `${MCP_PATH}/${encodeURIComponent(server)}`;

/** The server a path names (`/mcp/<name>`), or `undefined` when it names none. */
export function pathServer(path: string): string | undefined {
  const prefix = `${MCP_PATH}/`;
  if (!path.startsWith(prefix) || path.length === prefix.length || path.indexOf('/', prefix.length) >= 0) return undefined;
  try {
    return decodeURIComponent(path.slice(prefix.length));
  } catch {
    return undefined;
  }
}

/** The SDK transport's own default; a larger JSON-RPC message from a local client is a bug or an attack. */
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

/** Why a request was refused, as an HTTP status plus a JSON-RPC error. */
export interface Refusal {
  status: number;
  code: number;
  message: string;
  headers?: Record<string, string>;
}

/** A fresh 256-bit bearer token, URL-safe so it needs no quoting in a header or a URL. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Checks Host, Origin and the bearer token, in that order: the DNS-rebinding checks come first so
 * a page in a browser learns nothing about the token from the answer it gets.
 */
export function checkAccess(req: IncomingMessage, port: number, token: Buffer): Refusal | undefined {
  const host = req.headers.host?.toLowerCase();
  if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
    return { status: 403, code: -32000, message: 'Forbidden: unexpected Host header' };
  }
  // Node's fetch in the extension host sends no Origin; a browser always does, and only a page
  // served from this very listener could be trusted, which none is.
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://127.0.0.1:${port}` && origin !== `http://localhost:${port}`) {
    return { status: 403, code: -32000, message: 'Forbidden: unexpected Origin' };
  }
  if (!hasToken(req.headers.authorization, token)) {
    return { status: 401, code: -32000, message: 'Unauthorized: a valid bearer token is required', headers: { 'WWW-Authenticate': 'Bearer' } };
  }
  return undefined;
}

function hasToken(header: string | undefined, token: Buffer): boolean {
  const m = header ? /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header) : null;
  if (!m) return false;
  const presented = Buffer.from(m[1], 'utf8');
  // The length is public (every token has 43 characters); only the content must not leak through timing.
  return presented.length === token.length && timingSafeEqual(presented, token);
}

/** The request's path, without its query. */
export function requestPath(req: IncomingMessage): string {
  try {
    return new URL(req.url ?? '/', 'http://gateway.invalid').pathname;
  } catch {
    return '';
  }
}

/**
 * Reads a POST body up to `limit` bytes and parses it as JSON. A declared Content-Length over the
 * limit is refused before a byte is read; a streamed body is cut off as soon as it passes it.
 */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<{ body: unknown } | { refusal: Refusal }> {
  const tooLarge: Refusal = { status: 413, code: -32000, message: `Payload too large: the limit is ${limit} bytes` };
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return { refusal: tooLarge };
  // Events rather than `for await`: leaving that loop early destroys the socket, and with it the 413.
  const text = await new Promise<string | Refusal>((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) { chunks.push(chunk); return; }
      req.off('data', onData);
      req.off('end', onEnd);
      req.resume(); // discard the rest; the 413 closes the connection
      resolve(tooLarge);
    };
    const onEnd = () => resolve(Buffer.concat(chunks).toString('utf8'));
    req.on('data', onData);
    req.on('end', onEnd);
    // A client gone mid-body is nobody's error; once 'end' came, the promise has settled and this is a no-op.
    const aborted = () => resolve({ status: 400, code: -32000, message: 'The request was aborted' });
    req.once('error', aborted);
    req.once('close', aborted);
  });
  if (typeof text !== 'string') return { refusal: text };
  try {
    return { body: JSON.parse(text) };
  } catch {
    return { refusal: { status: 400, code: -32700, message: 'Parse error: the body is not valid JSON' } };
  }
}

/**
 * Answers with the refusal as a JSON-RPC error body. The connection is closed afterwards when the
 * request body may not have been read, so a client still sending cannot keep the socket busy.
 */
export function refuse(res: ServerResponse, refusal: Refusal, { close = false } = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const body = JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: refusal.code, message: refusal.message } });
  res.writeHead(refusal.status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
    ...(close ? { Connection: 'close' } : {}),
    ...refusal.headers,
  });
  res.end(body);
}
