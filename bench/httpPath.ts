/**
 * Call path, Streamable HTTP and legacy SSE: the same echo calls as the stdio rows, through
 * Switchboard's manager and router against a bare SDK `Client` on the SDK's own transport, each
 * contender with its own server process; the floor is a plain `fetch` ↔ `node:http` JSON round
 * trip. Every server binds 127.0.0.1 (server-everything through the loopback preload).
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { spawn, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';
import { switchboard, type Contender } from './callPath';

const REPO = path.resolve(__dirname, '..', '..');
const EVERYTHING = path.join(REPO, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');

export type HttpKind = 'http' | 'sse';

/** An HTTP server process to call: how to start it, where its endpoint is, its echo tool. */
export interface HttpEchoServer {
  label: string;
  kind: HttpKind;
  tool: string;
  arg: string;
  /** Starts one server process; resolves with its endpoint URL once it accepts connections. */
  start(): Promise<RunningServer>;
}

/** A started server process: its endpoint, its process id, and how to stop it. */
export interface RunningServer { url: string; pid?: number; stop(): Promise<void> }

/** A free port on 127.0.0.1 (for servers that take theirs from the environment). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

function stopper(child: ChildProcess): () => Promise<void> {
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
}

/** Resolves once `port` accepts a TCP connection (server-everything prints nothing on stdout). */
async function untilListening(port: number, child: ChildProcess, label: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${label} exited with ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1').once('connect', () => { s.destroy(); resolve(true); }).once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${label} did not listen on ${port}`);
}

/** One of our bench servers (they print `LISTENING <port>`). */
function benchServer(script: string, args: string[], urlPath: string): () => Promise<RunningServer> {
  return () => new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO, 'out', 'bench', 'servers', script), ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString('utf8');
      const m = /LISTENING (\d+)/.exec(out);
      if (m) resolve({ url: `http://127.0.0.1:${m[1]}${urlPath}`, pid: child.pid, stop: stopper(child) });
    });
  });
}

function everything(kind: HttpKind): () => Promise<RunningServer> {
  return async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['--require', path.join(REPO, 'test', 'fixtures', 'loopback.cjs'), EVERYTHING, kind === 'http' ? 'streamableHttp' : 'sse'],
      { stdio: ['ignore', 'ignore', 'ignore'], env: { ...process.env, PORT: String(port) } });
    await untilListening(port, child, 'server-everything');
    return { url: `http://127.0.0.1:${port}${kind === 'http' ? '/mcp' : '/sse'}`, pid: child.pid, stop: stopper(child) };
  };
}

export const HTTP_SERVERS: HttpEchoServer[] = [
  { label: 'Streamable HTTP, echo fixture', kind: 'http', tool: 'echo', arg: 'text', start: benchServer('echo-http.js', ['http'], '/mcp') },
  { label: 'Streamable HTTP, server-everything', kind: 'http', tool: 'echo', arg: 'message', start: everything('http') },
  { label: 'legacy SSE, echo fixture', kind: 'sse', tool: 'echo', arg: 'text', start: benchServer('echo-http.js', ['sse'], '/sse') },
  { label: 'legacy SSE, server-everything', kind: 'sse', tool: 'echo', arg: 'message', start: everything('sse') },
];

/** A contender that owns a fresh server process: started before it, stopped after it. */
function withServer(server: HttpEchoServer, make: (url: string) => Contender): Contender {
  let inner: Contender | undefined;
  let running: RunningServer | undefined;
  return {
    async start() {
      running = await server.start();
      inner = make(running.url);
      await inner.start();
    },
    call: (text) => inner!.call(text),
    serverPid: () => running?.pid,
    async stop() {
      await inner?.stop();
      await running?.stop();
    },
  };
}

/** Switchboard: the manager connecting the remote server from its config, then the router. */
export function switchboardHttp(server: HttpEchoServer): Contender {
  return withServer(server, (url) => switchboard(server, { type: server.kind, url, headers: {} }));
}

/** The bare SDK client on the SDK's own transport for the kind. */
export function rawSdkHttp(server: HttpEchoServer): Contender {
  return withServer(server, (url) => {
    const client = new Client({ name: 'bench', version: '0' });
    return {
      async start() {
        const u = new URL(url);
        await client.connect(server.kind === 'http' ? new StreamableHTTPClientTransport(u) : new SSEClientTransport(u));
      },
      async call(text) {
        const r = await client.callTool({ name: server.tool, arguments: { [server.arg]: text } });
        if (r.isError) throw new Error('tool error');
      },
      stop: () => client.close(),
    };
  });
}

/** The floor: one JSON-RPC request per `fetch` POST (keep-alive), a JSON body back. */
export function floorHttp(): Contender {
  let server: RunningServer | undefined;
  let next = 0;
  const post = async (method: string, params: unknown) => {
    const res = await fetch(server!.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: ++next, method, params }) });
    await res.json();
  };
  return {
    async start() {
      server = await benchServer('echo-http-raw.js', [], '/')();
      await post('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'floor', version: '0' } });
    },
    call: (text) => post('tools/call', { name: 'echo', arguments: { text } }),
    serverPid: () => server?.pid,
    stop: async () => { await server?.stop(); },
  };
}
