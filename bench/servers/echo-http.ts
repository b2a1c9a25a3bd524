// The HTTP echo server of the call-path benchmark: the SDK's McpServer with one tool behind
// node:http, as Streamable HTTP (`/mcp`, stateful sessions) or legacy SSE (`GET /sse` +
// `POST /messages`), per argv[2]. Binds 127.0.0.1 on a free port and prints `LISTENING <port>`.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

const mode = process.argv[2] === 'sse' ? 'sse' : 'http';

function echoServer(): McpServer {
  const server = new McpServer({ name: 'bench-echo-http', version: '1.0.0' });
  server.registerTool('echo', { description: 'Returns its text.', inputSchema: { text: z.string() } },
    ({ text }) => ({ content: [{ type: 'text', text }] }));
  return server;
}

const streams = new Map<string, StreamableHTTPServerTransport>();
const sse = new Map<string, SSEServerTransport>();

async function body(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (mode === 'http' && url.pathname === '/mcp') {
    const id = req.headers['mcp-session-id'];
    let transport = typeof id === 'string' ? streams.get(id) : undefined;
    if (!transport) {
      const created = new StreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID(), onsessioninitialized: (sid) => { streams.set(sid, created); } });
      await echoServer().connect(created);
      transport = created;
    }
    return transport.handleRequest(req, res, req.method === 'POST' ? await body(req) : undefined);
  }
  if (mode === 'sse' && req.method === 'GET' && url.pathname === '/sse') {
    const transport = new SSEServerTransport('/messages', res);
    sse.set(transport.sessionId, transport);
    res.on('close', () => sse.delete(transport.sessionId));
    return echoServer().connect(transport);
  }
  if (mode === 'sse' && req.method === 'POST' && url.pathname === '/messages') {
    const transport = sse.get(url.searchParams.get('sessionId') ?? '');
    if (transport) return transport.handlePostMessage(req, res, await body(req));
  }
  res.writeHead(404).end();
}

const server = createServer((req, res) => { handle(req, res).catch(() => { if (!res.headersSent) res.writeHead(500); res.end(); }); });
server.listen(0, '127.0.0.1', () => console.log(`LISTENING ${(server.address() as AddressInfo).port}`));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
