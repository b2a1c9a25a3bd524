/** Raw HTTP to the gateway, for what an SDK client would never send (or would send for us). */
import { request, type IncomingHttpHeaders } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import type { McpClientManager } from '../../src/client/manager';

export interface Raw { status: number; headers: IncomingHttpHeaders; body: string }

/**
 * One HTTP request to the gateway's port on 127.0.0.1, whatever Host header it claims. Without a
 * body only the headers are sent (a declared body that never comes is answered from them alone).
 */
export function raw(port: number, opts: { method?: string; path?: string; headers?: Record<string, string | number>; body?: string } = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1', port, method: opts.method ?? 'POST', path: opts.path ?? '/mcp/alpha', agent: false,
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...opts.headers },
    }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => { body += c.toString('utf8'); });
      res.on('end', () => { resolve({ status: res.statusCode!, headers: res.headers, body }); req.destroy(); });
    });
    req.on('error', reject);
    if (opts.body !== undefined) req.end(opts.body);
    else if (opts.headers?.['content-length'] !== undefined) req.flushHeaders();
    else req.end();
  });
}

export const initialize = JSON.stringify({
  jsonrpc: '2.0', id: 1, method: 'initialize',
  params: { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
});

/** What these helpers need of a gateway, so this file does not depend on its class. */
export interface GatewayAddress { port: number; headers: Record<string, string>; urlFor(server: string): string }

/** An SDK client on the server's endpoint, connected as VS Code connects; it is added to `clients`. */
export async function endpointClient(g: GatewayAddress, server: string, clients: Client[]): Promise<Client> {
  const c = new Client({ name: 'gateway-test', version: '0.0.0' });
  await c.connect(new StreamableHTTPClientTransport(new URL(g.urlFor(server)), { requestInit: { headers: g.headers } }));
  clients.push(c);
  return c;
}

/** Ends what a gateway test started: its clients, gateways and router, then the servers. */
export async function endGatewayTest(parts: { clients: Client[]; gateways: { dispose(): void }[]; router: { dispose(): void }; manager: McpClientManager }): Promise<void> {
  for (const c of parts.clients) await c.close().catch(() => undefined);
  for (const g of parts.gateways) g.dispose();
  parts.router.dispose();
  await parts.manager.stopAll(500);
  parts.manager.dispose();
}

/** Opens a session on the server's endpoint with a bare initialize, and never closes it. Returns its id. */
export async function openSession(g: GatewayAddress, server: string): Promise<string> {
  const r = await raw(g.port, { path: `/mcp/${encodeURIComponent(server)}`, headers: { ...g.headers, host: `127.0.0.1:${g.port}` }, body: initialize });
  if (r.status !== 200) throw new Error(`initialize on ${server} answered ${r.status}: ${r.body}`);
  return r.headers['mcp-session-id'] as string;
}

/** A ping in the session; 200 while it lives, 404 once it is gone. */
export function ping(g: GatewayAddress, server: string, session: string): Promise<Raw> {
  return raw(g.port, {
    path: `/mcp/${encodeURIComponent(server)}`,
    headers: { ...g.headers, host: `127.0.0.1:${g.port}`, 'mcp-session-id': session },
    body: '{"jsonrpc":"2.0","id":2,"method":"ping"}',
  });
}
