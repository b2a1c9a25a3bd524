// Switchboard's own HTTP client transports (src/client/httpTransport.ts for Streamable HTTP,
// sseTransport.ts for legacy SSE) against real servers on 127.0.0.1: the SDK-built fixtures (the
// Streamable one in its SSE and JSON modes), server-everything from npm in both modes, and small
// hand-written servers for what well-behaved servers never do (a stream cut short, redirects, an
// endpoint on another origin).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import type { DesiredServer } from '../../src/client/manager';
import { startHttpFixture, type HttpFixture } from '../fixtures/spawn';
import { assertProgressSteps, testManager, waitFor, resultTexts } from './helpers';

const remote = (name: string, url: string, type: 'http' | 'sse' = 'http', headers: Record<string, string> = {}): DesiredServer =>
  ({ name, sourceKind: 'user', config: { type, url, headers, startupTimeoutMs: 20_000 } });

/** A minimal MCP server by hand: JSON answers, one `echo` tool; `cut` answers tools/call with an SSE stream that ends at once. */
function handWritten(routes: (req: IncomingMessage, res: ServerResponse, port: number) => boolean, mode: 'json' | 'cut' = 'json'): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    const port = (server.address() as net.AddressInfo).port;
    if (routes(req, res, port)) return;
    if (req.method === 'GET') return void res.writeHead(405).end();
    if (req.method === 'DELETE') return void res.writeHead(200).end();
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString('utf8'); });
    req.on('end', () => {
      const msg = JSON.parse(body) as { id?: number; method: string; params?: { arguments?: { text?: string } } };
      if (msg.id === undefined) return void res.writeHead(202).end();
      if (msg.method === 'tools/call' && mode === 'cut') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        return void res.end();
      }
      const result = msg.method === 'initialize'
        ? { protocolVersion: '2025-06-18', capabilities: { tools: {} }, serverInfo: { name: 'hand', version: '1' } }
        : msg.method === 'tools/list'
          ? { tools: [{ name: 'echo', inputSchema: { type: 'object', properties: { text: { type: 'string' } } } }] }
          : { content: [{ type: 'text', text: msg.params?.arguments?.text ?? '' }] };
      res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': 'hand-session' }).end(JSON.stringify({ jsonrpc: '2.0', id: msg.id, result }));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as net.AddressInfo).port })));
}


describe('HTTP client transports (real servers on 127.0.0.1)', function () {
  this.timeout(40_000);
  const stops: (() => Promise<void> | void)[] = [];
  afterEach(async () => { for (const s of stops.splice(0).reverse()) await s(); });
  const manager = () => { const { manager: m } = testManager(); stops.push(async () => { await m.stopAll(1000); m.dispose(); }); return m; };
  const fixture = async (env: Record<string, string> = {}): Promise<HttpFixture> => {
    const fx = await startHttpFixture('http', [], { env: { ...process.env, ...env } });
    stops.push(() => fx.stop());
    return fx;
  };

  it('reads answers and progress from SSE streams, and answers from JSON bodies', async () => {
    for (const env of [{}, { FIXTURE_JSON_RESPONSE: '1' }] as Record<string, string>[]) {
      const fx = await fixture(env);
      const m = manager();
      await m.reconcile([remote('web', fx.url)]);
      assert.equal(m.state('web')?.kind, 'running', JSON.stringify(m.state('web')));
      const client = m.connection('web')!.client!;
      assert.deepEqual(resultTexts(await client.callTool({ name: 'echo', arguments: { text: 'over http' } })), ['over http']);
      const calls = await Promise.all([1, 2, 3, 4].map((i) => client.callTool({ name: 'add', arguments: { a: i, b: 10 } })));
      assert.deepEqual(calls.map((r) => resultTexts(r)[0]), ['11', '12', '13', '14'], 'concurrent calls each get their own answer');
      if (!('FIXTURE_JSON_RESPONSE' in env)) {
        const seen: number[] = [];
        await client.callTool({ name: 'progress', arguments: { steps: 3 } }, undefined, { onprogress: (p) => seen.push(p.progress) });
        assertProgressSteps(seen, 3);
      }
      await m.stopAll(1000);
    }
  });

  it('hears list_changed on the GET stream and follows the new catalogue', async () => {
    const fx = await fixture({ FIXTURE_LIST_CHANGED: '1' });
    const m = manager();
    await m.reconcile([remote('web', fx.url)]);
    await m.connection('web')!.client!.callTool({ name: 'add_tool', arguments: { name: 'late' } });
    await waitFor(() => m.catalog('web')?.tools.some((t) => t.name === 'late'), 10_000, 'the added tool to be listed');
  });

  it('ends its session with a DELETE when stopped', async () => {
    const fx = await fixture();
    const m = manager();
    await m.reconcile([remote('web', fx.url)]);
    const id = m.connection('web')!.client!.transport!.sessionId;
    assert.ok(id, 'a session id from the server');
    await m.stopAll(1000);
    await waitFor(() => fx.stderr().includes(`session ${id} closed`), 5000, 'the fixture to close the session');
  });

  it('fails a call whose SSE stream ends without an answer at once, instead of waiting for the timeout', async () => {
    const { server, port } = await handWritten(() => false, 'cut');
    stops.push(() => new Promise<void>((r) => server.close(() => r())));
    const m = manager();
    await m.reconcile([{ ...remote('cut', `http://127.0.0.1:${port}/mcp`), config: { type: 'http', url: `http://127.0.0.1:${port}/mcp`, headers: {}, requestTimeoutMs: 600_000 } }]);
    assert.equal(m.state('cut')?.kind, 'running', JSON.stringify(m.state('cut')));
    await assert.rejects(m.connection('cut')!.client!.callTool({ name: 'echo', arguments: { text: 'x' } }), /ended its answer without a result/);
    server.closeAllConnections();
  });

  it('resumes a POST stream the server cut, with a GET from its Last-Event-ID after the server\'s retry', async () => {
    const fx = await fixture({ FIXTURE_RESUMABLE: '1' });
    const m = manager();
    await m.reconcile([remote('web', fx.url)]);
    const client = m.connection('web')!.client!;
    const started = Date.now();
    const result = await client.callTool({ name: 'interrupted', arguments: { ms: 400 } });
    assert.deepEqual(resultTexts(result), ['answered 400 ms after the cut']);
    assert.ok(Date.now() - started >= 400, 'the answer came after the cut');
    assert.match(fx.stderr(), /GET stream, Last-Event-ID (?!none)\S+/, 'the resuming GET names the last event it saw');
    // Calls keep working on the same session afterwards.
    assert.deepEqual(resultTexts(await client.callTool({ name: 'echo', arguments: { text: 'after' } })), ['after']);
  });

  it('follows a redirect within the origin, and refuses one to another origin', async () => {
    const { server, port } = await handWritten((req, res, own) => {
      const location = req.url === '/old' ? '/mcp' : req.url === '/away' ? `http://localhost:${own}/mcp` : undefined;
      if (location) res.writeHead(307, { location }).end();
      return location !== undefined;
    });
    stops.push(() => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }));
    const m = manager();
    await m.reconcile([remote('moved', `http://127.0.0.1:${port}/old`), remote('away', `http://127.0.0.1:${port}/away`)]);
    assert.equal(m.state('moved')?.kind, 'running', JSON.stringify(m.state('moved')));
    assert.deepEqual(resultTexts(await m.connection('moved')!.client!.callTool({ name: 'echo', arguments: { text: 'moved' } })), ['moved']);
    const away = m.state('away')!;
    assert.equal(away.kind, 'error', JSON.stringify(away));
    assert.match((away as { message: string }).message, /redirected to http:\/\/localhost:\d+\/mcp/);
  });

  for (const [mode, urlPath, type] of [['streamableHttp', '/mcp', 'http'], ['sse', '/sse', 'sse']] as const) {
    it(`runs server-everything from npm over ${type === 'http' ? 'Streamable HTTP' : 'legacy SSE'}`, async () => {
      const port = await new Promise<number>((resolve) => {
        const probe = net.createServer().listen(0, '127.0.0.1', () => { const p = (probe.address() as net.AddressInfo).port; probe.close(() => resolve(p)); });
      });
      // server-everything listens on every interface; the preload binds it to 127.0.0.1.
      const child = spawn(process.execPath, ['--require', path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'loopback.cjs'),
        require.resolve('@modelcontextprotocol/server-everything/dist/index.js'), mode], { stdio: 'ignore', env: { ...process.env, PORT: String(port) } });
      stops.push(() => new Promise<void>((r) => { if (child.exitCode !== null) return r(); child.once('exit', () => r()); child.kill('SIGKILL'); }));
      await waitFor(() => new Promise<boolean>((r) => { const s = net.connect(port, '127.0.0.1').once('connect', () => { s.destroy(); r(true); }).once('error', () => r(false)); }), 20_000, 'server-everything to listen');
      const m = manager();
      await m.reconcile([remote('everything', `http://127.0.0.1:${port}${urlPath}`, type)]);
      assert.equal(m.state('everything')?.kind, 'running', JSON.stringify(m.state('everything')));
      assert.equal(m.connection('everything')!.transportKind, type);
      assert.ok(m.catalog('everything')!.tools.some((t) => t.name === 'echo'));
      assert.ok(m.catalog('everything')!.resources.length > 0 && m.catalog('everything')!.prompts.length > 0);
      const r = await m.connection('everything')!.client!.callTool({ name: 'echo', arguments: { message: 'hi there' } });
      assert.match(resultTexts(r)[0], /hi there/);
    });
  }

  it('legacy SSE: answers and progress on the stream, headers on every request, a 401 named', async () => {
    const fx = await startHttpFixture('sse', ['--token', 'sse-secret']);
    stops.push(() => fx.stop());
    const m = manager();
    await m.reconcile([remote('keyed', fx.url, 'sse', { Authorization: 'Bearer sse-secret' }), remote('locked', fx.url, 'sse')]);
    assert.equal(m.state('keyed')?.kind, 'running', JSON.stringify(m.state('keyed')));
    const client = m.connection('keyed')!.client!;
    const calls = await Promise.all([1, 2, 3].map((i) => client.callTool({ name: 'add', arguments: { a: i, b: 1 } })));
    assert.deepEqual(calls.map((r) => resultTexts(r)[0]), ['2', '3', '4']);
    const seen: number[] = [];
    await client.callTool({ name: 'progress', arguments: { steps: 3 } }, undefined, { onprogress: (p) => seen.push(p.progress) });
    assertProgressSteps(seen, 3);
    const locked = m.state('locked')!;
    assert.equal(locked.kind, 'error');
    assert.match((locked as { message: string }).message, /requires authorization \(HTTP 401\)/);
  });

  it('legacy SSE: a stream that ends closes the connection, and an endpoint on another origin is refused', async () => {
    const fx = await startHttpFixture('sse');
    const m = manager();
    await m.reconcile([remote('legacy', fx.url, 'sse')]);
    assert.equal(m.state('legacy')?.kind, 'running');
    await fx.stop();
    await waitFor(() => m.state('legacy')?.kind !== 'running', 10_000, 'the connection to notice the stream ended');

    const elsewhere = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`event: endpoint\ndata: http://localhost:${(elsewhere.address() as net.AddressInfo).port}/messages?sessionId=x\n\n`);
    });
    await new Promise<void>((r) => elsewhere.listen(0, '127.0.0.1', () => r()));
    stops.push(() => new Promise<void>((r) => { elsewhere.closeAllConnections(); elsewhere.close(() => r()); }));
    await m.reconcile([remote('moved', `http://127.0.0.1:${(elsewhere.address() as net.AddressInfo).port}/sse`, 'sse')]);
    const moved = m.state('moved')!;
    assert.equal(moved.kind, 'error', JSON.stringify(moved));
    assert.match((moved as { message: string }).message, /endpoint on another origin/);
  });
});
