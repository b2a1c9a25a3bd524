/**
 * The authorization redirect's landing place: a one-shot HTTP listener on 127.0.0.1 (RFC 8252's
 * loopback redirect for native apps). It is only up while a sign-in waits for its code, accepts
 * only `GET /callback` with the state this flow sent, and answers the browser with a short page.
 *
 * The port is kept between sign-ins where possible (the caller remembers it), because a
 * dynamically registered client's redirect URI names it and some servers match it exactly.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

const PAGE = (title: string, text: string) =>
  `<!doctype html><meta charset="utf-8"><title>${title}</title><body style="font-family:sans-serif;margin:3em"><h2>${title}</h2><p>${text}</p></body>`;

export interface RedirectResult { code: string }

export class LoopbackRedirect {
  private _server?: http.Server;
  private _waiting?: { state: string; resolve(r: RedirectResult): void; reject(e: Error): void };

  /** Listens on `port` if given and free, else any free port; returns the redirect URI. */
  async start(port = 0): Promise<string> {
    if (!this._server) {
      const server = http.createServer((req, res) => this._handle(req, res));
      this._server = server;
      await listen(server, port).catch(() => listen(server, 0));
    }
    return this.redirectUri!;
  }

  get redirectUri(): string | undefined {
    const address = this._server?.address() as AddressInfo | null | undefined;
    return address ? `http://127.0.0.1:${address.port}/callback` : undefined;
  }

  get port(): number | undefined {
    return (this._server?.address() as AddressInfo | null | undefined)?.port;
  }

  /** The code for `state`, once the browser comes back; rejects on the server's error or after `timeoutMs`. */
  waitForCode(state: string, timeoutMs: number): Promise<RedirectResult> {
    this._waiting?.reject(new Error('a newer sign-in replaced this one'));
    return new Promise<RedirectResult>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer from the sign-in page within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
      this._waiting = {
        state,
        resolve: (r) => { clearTimeout(timer); resolve(r); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      };
    });
  }

  close(): void {
    this._waiting?.reject(new Error('the sign-in was cancelled'));
    this._waiting = undefined;
    this._server?.close();
    this._server?.closeAllConnections();
    this._server = undefined;
  }

  private _handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const send = (status: number, title: string, text: string): void =>
      void res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(PAGE(title, text));
    if (req.method !== 'GET' || url.pathname !== '/callback') return send(404, 'Not found', 'This address only receives sign-in redirects.');
    const waiting = this._waiting;
    // The state ties the redirect to the request we made; anything else may be a forged redirect.
    if (!waiting || url.searchParams.get('state') !== waiting.state) return send(400, 'Unexpected sign-in', 'This sign-in was not started here, or has expired.');
    this._waiting = undefined;
    const error = url.searchParams.get('error');
    const code = url.searchParams.get('code');
    if (error || !code) {
      const description = url.searchParams.get('error_description');
      send(400, 'Sign-in failed', 'The authorization server did not grant access. You can close this tab.');
      return waiting.reject(new Error(`the authorization server answered ${error ?? 'without a code'}${description ? `: ${description}` : ''}`));
    }
    send(200, 'Signed in', 'MCP Switchboard received the authorization. You can close this tab.');
    waiting.resolve({ code });
  }
}

function listen(server: http.Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => { server.off('listening', onListening); reject(e); };
    const onListening = () => { server.off('error', onError); resolve(); };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, '127.0.0.1');
  });
}
