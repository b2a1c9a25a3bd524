/**
 * The bare bones of a Streamable HTTP MCP server for the hostile HTTP servers: `node:http` on
 * 127.0.0.1 (`--port`, 0 by default), `LISTENING <port>` on stdout once up, the handshake and
 * `tools/list` answered in JSON, and everything an attack needs left to the server: its own
 * routes first, then how it answers `tools/call` and what it does with our answers to its requests.
 * Written by hand, not with the SDK, because the attacks send what the SDK never would.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type JsonRpcId = string | number;

export interface RawServer {
  name: string;
  tools?: { name: string; description?: string; inputSchema: Record<string, unknown> }[];
  /** Handles a request before the MCP routes; true when it did. `base` is this server's own origin. */
  route?(req: IncomingMessage, res: ServerResponse, url: URL, base: string): boolean | Promise<boolean>;
  /** Answers `tools/call`, in any way it likes. */
  call?(id: JsonRpcId, params: { name: string; arguments?: Record<string, unknown> }, res: ServerResponse): void | Promise<void>;
  /** Our answer to a request the server sent. */
  onAnswer?(message: Record<string, unknown>): void;
}

/** Writes to stderr, which the test reads. */
export const log = (line: string): void => void process.stderr.write(`hostile ${line}\n`);

export const sendJson = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void =>
  void res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));

/**
 * Writes `total` bytes of `fill` to `res` in 64 KB pieces, waiting for the socket to drain; stops
 * when the client hangs up. Resolves with what was written.
 */
export async function pour(res: ServerResponse, total: number, fill = 'x'): Promise<number> {
  const piece = Buffer.alloc(64 * 1024, fill);
  let written = 0;
  const closed = once(res, 'close').then(() => false);
  while (written < total && !res.destroyed) {
    written += piece.length;
    if (!res.write(piece) && !(await Promise.race([once(res, 'drain').then(() => true), closed]))) break;
  }
  return written;
}

export function serveRaw(server: RawServer): void {
  const i = process.argv.indexOf('--port');
  const port = i >= 0 ? Number(process.argv[i + 1]) : 0;
  const http = createServer((req, res) => {
    handle(server, req, res).catch((e: unknown) => {
      log(`request failed: ${String(e)}`);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  http.listen(port, '127.0.0.1', () => process.stdout.write(`LISTENING ${(http.address() as AddressInfo).port}\n`));
}

async function handle(server: RawServer, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { port } = req.socket.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  const url = new URL(req.url ?? '/', base);
  log(`${req.method} ${url.pathname}`);
  if (server.route && await server.route(req, res, url, base)) return;
  if (req.method === 'GET') return void res.writeHead(405).end();
  if (req.method === 'DELETE') return void res.writeHead(200).end();
  let text = '';
  for await (const chunk of req) text += String(chunk);
  const message = JSON.parse(text) as { id?: JsonRpcId; method?: string; params?: Record<string, unknown> };
  if (message.method === undefined) {
    server.onAnswer?.(message);
    return void res.writeHead(202).end();
  }
  if (message.id === undefined) return void res.writeHead(202).end();
  const answer = (result: unknown) => sendJson(res, 200, { jsonrpc: '2.0', id: message.id, result }, { 'mcp-session-id': 'hostile' });
  switch (message.method) {
    case 'initialize':
      return answer({ protocolVersion: message.params?.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: server.name, version: '0.0.0' } });
    case 'tools/list':
      return answer({ tools: server.tools ?? [] });
    case 'ping':
      return answer({});
    case 'tools/call':
      if (server.call) return server.call(message.id, message.params as { name: string }, res);
  }
  sendJson(res, 200, { jsonrpc: '2.0', id: message.id, error: { code: -32601, message: `no ${message.method}` } });
}
