/**
 * What both of our HTTP transports (httpTransport.ts, sseTransport.ts) need from `node:http`: one
 * keep-alive agent per connection, every open request tracked so `destroy()` ends them all, and
 * OAuth on every request (the bearer header, and a sign-in on a 401 or a 403 `insufficient_scope`,
 * then the same request again). Reading the answers, within limits, is httpReads.ts.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { HttpAuth } from './auth/types';

/** A 401 then a 403 step-up is the most one request should take; more means the server will not be satisfied. */
const MAX_AUTH_RETRIES = 2;

export class HttpRequests {
  private readonly _agent: http.Agent;
  private readonly _open = new Set<http.ClientRequest>();
  private _destroyed = false;

  /** `ca`: the certificates an https:// server's chain may end in (tls.ts), when not Node's defaults; the OAuth flow trusts them too. */
  constructor(secure: boolean, private readonly _auth?: HttpAuth, private readonly _ca?: string[]) {
    this._agent = secure ? new https.Agent({ keepAlive: true, ca: _ca }) : new http.Agent({ keepAlive: true });
  }

  /** One request, authorized when the server uses OAuth; a challenge the session can meet sends it again. */
  async request(url: URL, method: string, headers: Record<string, string>, body?: string, timeoutMs?: number, signal?: AbortSignal): Promise<http.IncomingMessage> {
    for (let attempt = 0; ; attempt++) {
      const res = await this._requestOnce(url, method, this._auth ? { ...headers, ...await this._auth.headers(method, url) } : headers, body, timeoutMs, signal);
      const status = res.statusCode ?? 0;
      if (!this._auth || (status !== 401 && status !== 403) || attempt >= MAX_AUTH_RETRIES) return res;
      const www = res.headers['www-authenticate'];
      const nonce = res.headers['dpop-nonce'];
      let again: boolean;
      try {
        again = await this._auth.challenge(status, {
          wwwAuthenticate: typeof www === 'string' ? www : undefined, dpopNonce: typeof nonce === 'string' ? nonce : undefined,
        }, { ca: this._ca });
      } catch (e) {
        res.resume();
        throw e;
      }
      if (!again) return res;
      res.resume();
    }
  }

  /**
   * A kept-alive socket the server closed just as we reused it fails with ECONNRESET before the
   * server saw anything; that request is sent once more on a fresh socket.
   */
  private async _requestOnce(
    url: URL, method: string, headers: Record<string, string>, body?: string, timeoutMs?: number, signal?: AbortSignal,
  ): Promise<http.IncomingMessage> {
    try {
      return await this._send(url, method, headers, body, timeoutMs, signal);
    } catch (e) {
      if ((e as { reusedSocket?: boolean }).reusedSocket && (e as NodeJS.ErrnoException).code === 'ECONNRESET' && !this._destroyed) {
        return this._send(url, method, headers, body, timeoutMs, signal);
      }
      throw e;
    }
  }

  /** Ends every open request and the agent's sockets. */
  destroy(): void {
    this._destroyed = true;
    for (const req of this._open) req.destroy();
    this._open.clear();
    this._agent.destroy();
  }

  /** `signal` ends the request, before its answer or while it is read. */
  private _send(url: URL, method: string, headers: Record<string, string>, body: string | undefined, timeoutMs?: number, signal?: AbortSignal): Promise<http.IncomingMessage> {
    if (this._destroyed) return Promise.reject(new Error('the connection is closed'));
    const lib = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = lib.request(url, { method, headers, agent: this._agent, timeout: timeoutMs, signal }, (res) => {
        res.once('close', () => this._open.delete(req));
        resolve(res);
      });
      this._open.add(req);
      req.once('timeout', () => req.destroy(new Error(`no answer from ${url.origin} within ${timeoutMs} ms`)));
      req.once('error', (e) => {
        this._open.delete(req);
        reject(Object.assign(e, { reusedSocket: req.reusedSocket }));
      });
      req.end(body);
    });
  }
}

/** `text/event-stream` from `text/event-stream; charset=utf-8`. */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0].trim().toLowerCase();
}
