// The gateway against real fixture server processes and a real SDK client over real HTTP on
// 127.0.0.1: the served catalog, calls through the router (the fixtures' own stderr proves what
// reached them), progress, cancellation, resources and prompts routed to their server,
// list-changed only on real changes, and the HTTP gate (token, Host, Origin, path, body size).
import assert from 'node:assert/strict';
import { request, type IncomingHttpHeaders } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  LATEST_PROTOCOL_VERSION, McpError, PromptListChangedNotificationSchema, ResourceListChangedNotificationSchema,
  ToolListChangedNotificationSchema, type CallToolResult,
} from '@modelcontextprotocol/sdk/types.js';
import type { DesiredServer } from '../../src/client/manager';
import { Gateway } from '../../src/gateway/gateway';
import { managerBackend } from '../../src/router/backend';
import { ToolRouter } from '../../src/router/router';
import type { CallRecord } from '../../src/router/types';
import { assertProgressSteps, fixtureServer, testManager, waitFor } from './helpers';

interface Raw { status: number; headers: IncomingHttpHeaders; body: string }

/**
 * One HTTP request to the gateway's port on 127.0.0.1, whatever Host header it claims. Without a
 * body only the headers are sent (a declared body that never comes is answered from them alone).
 */
function raw(port: number, opts: { method?: string; path?: string; headers?: Record<string, string | number>; body?: string } = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1', port, method: opts.method ?? 'POST', path: opts.path ?? '/mcp', agent: false,
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

const initialize = JSON.stringify({
  jsonrpc: '2.0', id: 1, method: 'initialize',
  params: { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
});
const texts = (r: unknown) => ((r as CallToolResult).content as { type: string; text?: string }[]).map((c) => c.text);
const resourceTexts = (r: { contents: object[] }) => r.contents.map((c) => ('text' in c ? c.text : undefined));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('gateway (real fixture processes, real HTTP on 127.0.0.1)', function () {
  this.timeout(30_000);
  const { manager, logs } = testManager();
  const records: CallRecord[] = [];
  const router = new ToolRouter(managerBackend(manager), {
    authorize: async (c) => (c.name === 'alpha_env' ? { allowed: false, by: 'user', reason: 'the user declined' } : { allowed: true, by: 'host' }),
  });
  router.onDidCall((r) => records.push(r));
  const gatewayLog: string[] = [];
  const at = (level: string) => (m: string) => { gatewayLog.push(`${level} ${m}`); };
  let readOnlyHints = false;
  const gateway = new Gateway({
    backend: managerBackend(manager), router, version: '9.9.9', readOnlyHints: () => readOnlyHints,
    log: { trace: at('trace'), info: at('info'), warn: at('warn'), error: at('error') },
  });
  const desired: DesiredServer[] = [
    fixtureServer('alpha', 'echo', { env: { FIXTURE_MEDIA: '1' } }),
    fixtureServer('beta', 'echo', { env: { FIXTURE_DESTRUCTIVE: '1' } }),
    fixtureServer('lc', 'list-changed'),
  ];
  const notified: string[] = [];
  const toolChanges: string[] = [];
  gateway.onDidChangeTools(() => toolChanges.push(gateway.version));
  const clients: Client[] = [];
  let client: Client;
  const calls = (server: string, tool: string) => logs.get(server)!.stderrLines.filter((l) => l.includes(` call ${tool} `));

  async function connect(): Promise<Client> {
    const c = new Client({ name: 'gateway-test', version: '0.0.0' });
    await c.connect(new StreamableHTTPClientTransport(new URL(gateway.url), { requestInit: { headers: gateway.headers } }));
    clients.push(c);
    return c;
  }

  before(async () => {
    await manager.reconcile(desired);
    for (const s of ['alpha', 'beta', 'lc']) assert.equal(manager.state(s)?.kind, 'running', s);
    await gateway.start();
    client = await connect();
    for (const [schema, name] of [[ToolListChangedNotificationSchema, 'tools'], [ResourceListChangedNotificationSchema, 'resources'], [PromptListChangedNotificationSchema, 'prompts']] as const) {
      client.setNotificationHandler(schema, async () => { notified.push(name); });
    }
    await sleep(200); // lets the client open its GET stream, which carries list_changed
  });
  after(async () => {
    for (const c of clients) await c.close().catch(() => undefined);
    gateway.dispose();
    router.dispose();
    await manager.stopAll(500);
    manager.dispose();
    assert.ok(!gatewayLog.some((l) => l.includes(gateway.token)), 'the token never reaches the log');
  });
  beforeEach(() => { records.length = 0; });

  it('listens on 127.0.0.1 only, on a free port, and reports itself', () => {
    assert.equal(gateway.address?.address, '127.0.0.1');
    assert.equal(gateway.address?.port, gateway.port);
    assert.equal(gateway.url, `http://127.0.0.1:${gateway.port}/mcp`);
    assert.match(gateway.token, /^[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(client.getServerVersion(), { name: 'mcp-switchboard-gateway', title: 'MCP Switchboard', version: '9.9.9' });
    const caps = client.getServerCapabilities()!;
    for (const k of ['tools', 'resources', 'prompts'] as const) assert.deepEqual(caps[k], { listChanged: true });
  });

  it('serves every server\'s tools, namespaced, with their own schemas and annotations', async () => {
    const { tools } = await client.listTools();
    const byName = new Map(tools.map((t) => [t.name, t]));
    for (const n of ['alpha_echo', 'alpha_add', 'alpha_media', 'beta_echo', 'beta_erase', 'lc_add_tool']) assert.ok(byName.has(n), n);
    assert.deepEqual(tools.map((t) => t.name), manager.tools().map((t) => t.name));
    const own = manager.catalog('alpha')!.tools.find((t) => t.name === 'add')!;
    const add = byName.get('alpha_add')!;
    assert.deepEqual(add.inputSchema, own.inputSchema);
    assert.deepEqual(add.outputSchema, own.outputSchema);
    assert.equal(add.description, 'Adds two numbers.');
    assert.equal(add.title, 'add (alpha)', 'the display title names the server');
    assert.deepEqual(add._meta, { 'switchboard/server': 'alpha', 'switchboard/tool': 'add' });
    assert.deepEqual(byName.get('beta_erase')!.annotations, { destructiveHint: true });
  });

  it('passes readOnlyHint on only while read-only tools are allowed unasked, keeping it in _meta otherwise', async () => {
    // VS Code shows no card for a read-only tool: the server's claim must not stand in for the user's yes.
    const peek = async () => (await client.listTools()).tools.find((t) => t.name === 'beta_peek')!;
    const hidden = await peek();
    assert.deepEqual(hidden.annotations, { openWorldHint: false });
    assert.equal(hidden._meta?.['switchboard/readOnlyHint'], true);
    readOnlyHints = true;
    const before = notified.length;
    gateway.refresh();
    await waitFor(() => notified.slice(before).includes('tools'), 5000, 'tools list_changed after the setting changed');
    assert.deepEqual((await peek()).annotations, { readOnlyHint: true, openWorldHint: false });
    readOnlyHints = false;
    const again = notified.length;
    gateway.refresh();
    await waitFor(() => notified.slice(again).includes('tools'), 5000, 'tools list_changed once more');
    assert.deepEqual((await peek()).annotations, { openWorldHint: false });
  });

  it('sends a call to the right server and passes its result through unchanged', async () => {
    assert.deepEqual(texts(await client.callTool({ name: 'beta_echo', arguments: { text: 'to beta' } })), ['to beta']);
    await waitFor(() => calls('beta', 'echo').some((l) => l.includes('"to beta"')), 5000, 'the call in beta\'s log');
    assert.ok(!calls('alpha', 'echo').some((l) => l.includes('"to beta"')), 'alpha never saw it');
    assert.equal(records[0].origin, 'gateway');
    assert.equal(records[0].server, 'beta');
    const sum = await client.callTool({ name: 'alpha_add', arguments: { a: 2, b: 3 } });
    assert.deepEqual(sum.structuredContent, { sum: 5 });
    const direct = await manager.connection('alpha')!.client!.callTool({ name: 'media' });
    const media = await client.callTool({ name: 'alpha_media' });
    assert.deepEqual(media.content, direct.content, 'images, audio and resources arrive as the server sent them');
    const failed = await client.callTool({ name: 'alpha_fail', arguments: { message: 'bad day' } });
    assert.equal(failed.isError, true);
    assert.deepEqual(texts(failed), ['bad day']);
  });

  it('answers invalid arguments and unknown tools with isError, and the server never sees them', async () => {
    const before = calls('alpha', 'add').length;
    const bad = await client.callTool({ name: 'alpha_add', arguments: { a: 1, b: 'two' } });
    assert.equal(bad.isError, true);
    assert.match(texts(bad)[0]!, /argument "b" must be number/);
    const unknown = await client.callTool({ name: 'alpha_ecoh', arguments: {} });
    assert.equal(unknown.isError, true);
    assert.match(texts(unknown)[0]!, /No tool named "alpha_ecoh"/);
    await sleep(200);
    assert.equal(calls('alpha', 'add').length, before);
  });

  it('a denied call comes back as isError with the reason and never reaches the server', async () => {
    const out = await client.callTool({ name: 'alpha_env', arguments: { names: ['HOME'] } });
    assert.equal(out.isError, true);
    assert.match(texts(out)[0]!, /alpha_env was not run: the user declined/);
    await sleep(200);
    assert.equal(calls('alpha', 'env').length, 0);
    assert.equal(records[0].outcome, 'denied');
  });

  it('forwards progress notifications to the client', async () => {
    const seen: number[] = [];
    const out = await client.callTool({ name: 'alpha_progress', arguments: { steps: 3 } }, undefined, { onprogress: (p) => seen.push(p.progress) });
    assert.deepEqual(texts(out), ['done 3 steps']);
    assertProgressSteps(seen, 3);
  });

  it('a client that cancels its request cancels the call on the server', async () => {
    const ac = new AbortController();
    const pending = client.callTool({ name: 'alpha_slow', arguments: { ms: 20_000 } }, undefined, { signal: ac.signal });
    await waitFor(() => calls('alpha', 'slow').length > 0, 5000, 'the slow call to reach alpha');
    ac.abort();
    await assert.rejects(pending);
    await waitFor(() => logs.get('alpha')!.stderrLines.some((l) => l.includes('cancelled slow')), 5000, 'alpha to hear the cancellation');
    await waitFor(() => records.find((r) => r.name === 'alpha_slow'), 5000, 'the router to finish the call');
    assert.equal(records.find((r) => r.name === 'alpha_slow')!.outcome, 'cancelled');
  });

  it('serves resources and templates once per URI, and reads each from the server that lists it', async () => {
    const { resources } = await client.listResources();
    const hello = resources.filter((r) => r.uri === 'fixture://hello');
    assert.equal(hello.length, 1, 'a URI listed by three servers is served once');
    assert.equal(hello[0]._meta?.['switchboard/server'], 'alpha', 'by the first server in name order');
    const { resourceTemplates } = await client.listResourceTemplates();
    assert.deepEqual(resourceTemplates.map((t) => t.uriTemplate), ['fixture://item/{id}']);
    assert.deepEqual((await client.readResource({ uri: 'fixture://hello' })).contents, [{ uri: 'fixture://hello', mimeType: 'text/plain', text: 'Hello from the fixture' }]);
    assert.deepEqual(resourceTexts(await client.readResource({ uri: 'fixture://item/7' })), ['item 7']);
    await assert.rejects(client.readResource({ uri: 'nope://x' }), (e: unknown) => e instanceof McpError && e.code === -32002);
  });

  it('a resource only one server has is listed (list_changed, resources only) and read from it', async () => {
    notified.length = 0;
    const version = gateway.version;
    await client.callTool({ name: 'lc_touch_resources' });
    await waitFor(() => notified.includes('resources'), 5000, 'resources/list_changed');
    const { resources } = await client.listResources();
    assert.equal(resources.find((r) => r.uri === 'fixture://added/0')?._meta?.['switchboard/server'], 'lc');
    assert.deepEqual(resourceTexts(await client.readResource({ uri: 'fixture://added/0' })), ['fixture://added/0']);
    await sleep(200);
    assert.deepEqual(notified, ['resources'], 'the tool list did not change, so no tools/list_changed');
    assert.equal(gateway.version, version);
  });

  it('serves prompts as <server>_<prompt> and renders each on its own server', async () => {
    const { prompts } = await client.listPrompts();
    for (const n of ['alpha_greet', 'beta_greet', 'lc_greet']) assert.ok(prompts.some((p) => p.name === n), n);
    const greet = await client.getPrompt({ name: 'beta_greet', arguments: { name: 'Ada' } });
    assert.deepEqual(greet.messages[0].content, { type: 'text', text: 'Hello, Ada!' });
    notified.length = 0;
    await client.callTool({ name: 'lc_touch_prompts' });
    await waitFor(() => notified.includes('prompts'), 5000, 'prompts/list_changed');
    assert.deepEqual((await client.getPrompt({ name: 'lc_added0' })).messages[0].content, { type: 'text', text: 'added0' });
    await assert.rejects(client.getPrompt({ name: 'alpha_nope' }), /No prompt named "alpha_nope"/);
  });

  it('a new tool on a backend reaches the client: list_changed, then the tool in the next list', async () => {
    notified.length = 0;
    const version = gateway.version;
    await client.callTool({ name: 'lc_add_tool', arguments: { name: 'fresh' } });
    await waitFor(() => notified.includes('tools'), 5000, 'tools/list_changed');
    assert.ok((await client.listTools()).tools.some((t) => t.name === 'lc_fresh'));
    assert.notEqual(gateway.version, version);
    assert.equal(toolChanges.at(-1), gateway.version);
    assert.deepEqual(texts(await client.callTool({ name: 'lc_fresh' })), ['fresh']);
  });

  it('tells clients only about lists that changed: a failing server changes nothing', async () => {
    notified.length = 0;
    const version = gateway.version;
    desired.push(fixtureServer('dies', 'exit-at-start'));
    await manager.reconcile(desired);
    assert.equal(manager.state('dies')?.kind, 'error');
    await sleep(300);
    assert.deepEqual(notified, []);
    assert.equal(gateway.version, version);
  });

  it('a server added by a reconcile brings its tools and prompts, while its duplicate resources change nothing', async () => {
    notified.length = 0;
    desired.push(fixtureServer('gamma', 'echo'));
    await manager.reconcile(desired);
    await waitFor(() => notified.includes('tools') && notified.includes('prompts'), 5000, 'tools and prompts list_changed');
    assert.ok((await client.listTools()).tools.some((t) => t.name === 'gamma_echo'));
    assert.ok((await client.listPrompts()).prompts.some((p) => p.name === 'gamma_greet'));
    await sleep(200);
    assert.ok(!notified.includes('resources'), 'gamma\'s resources are all served by alpha already');
  });

  it('closes a session on DELETE and answers an unknown session with 404', async () => {
    const c = await connect();
    const count = gateway.sessionCount;
    const sid = (c.transport as StreamableHTTPClientTransport).sessionId!;
    await (c.transport as StreamableHTTPClientTransport).terminateSession();
    assert.equal(gateway.sessionCount, count - 1);
    const stale = await raw(gateway.port, { headers: { ...gateway.headers, host: `127.0.0.1:${gateway.port}`, 'mcp-session-id': sid }, body: '{"jsonrpc":"2.0","id":2,"method":"ping"}' });
    assert.equal(stale.status, 404);
    assert.equal(JSON.parse(stale.body).error.code, -32001);
  });

  describe('the HTTP gate', () => {
    const host = () => `127.0.0.1:${gateway.port}`;
    const auth = () => gateway.headers;

    it('refuses a request without the token, or with a wrong one, with 401 and WWW-Authenticate', async () => {
      for (const authorization of [undefined, 'Bearer wrong', `Bearer ${gateway.token.slice(0, -1)}x`, `Basic ${gateway.token}`]) {
        const r = await raw(gateway.port, { headers: { host: host(), ...(authorization ? { authorization } : {}) }, body: initialize });
        assert.equal(r.status, 401, String(authorization));
        assert.equal(r.headers['www-authenticate'], 'Bearer');
        assert.equal(JSON.parse(r.body).jsonrpc, '2.0');
      }
    });

    it('refuses a foreign Origin and a foreign Host with 403, even with the token', async () => {
      const origin = await raw(gateway.port, { headers: { ...auth(), host: host(), origin: 'http://evil.example' }, body: initialize });
      assert.equal(origin.status, 403);
      assert.match(JSON.parse(origin.body).error.message, /Origin/);
      const rebinding = await raw(gateway.port, { headers: { ...auth(), host: `evil.example:${gateway.port}` }, body: initialize });
      assert.equal(rebinding.status, 403);
      assert.match(JSON.parse(rebinding.body).error.message, /Host/);
    });

    it('lets in its own origins, on localhost too', async () => {
      const r = await raw(gateway.port, { headers: { ...auth(), host: `localhost:${gateway.port}`, origin: `http://localhost:${gateway.port}` }, body: initialize });
      assert.equal(r.status, 200, r.body);
      const sid = r.headers['mcp-session-id'] as string;
      assert.ok(sid);
      const closed = await raw(gateway.port, { method: 'DELETE', headers: { ...auth(), host: host(), 'mcp-session-id': sid } });
      assert.equal(closed.status, 200);
    });

    it('serves /mcp only, and refuses a body over the limit with 413', async () => {
      assert.equal((await raw(gateway.port, { path: '/other', headers: { ...auth(), host: host() }, body: initialize })).status, 404);
      assert.equal((await raw(gateway.port, { method: 'PUT', headers: { ...auth(), host: host() }, body: '{}' })).status, 405);
      assert.equal((await raw(gateway.port, { headers: { ...auth(), host: host() }, body: '{not json' })).status, 400);
      const big = await raw(gateway.port, { headers: { ...auth(), host: host(), 'content-length': 5 * 1024 * 1024 } });
      assert.equal(big.status, 413);
    });
  });

  it('a small body limit cuts a streamed body off; dispose cancels in-flight calls and closes the port', async () => {
    const g = new Gateway({ backend: managerBackend(manager), router, version: '1', maxBodyBytes: 1024 });
    await g.start();
    try {
      const headers = { ...g.headers, host: `127.0.0.1:${g.port}`, 'transfer-encoding': 'chunked' };
      assert.equal((await raw(g.port, { headers, body: JSON.stringify({ pad: 'x'.repeat(4000) }) })).status, 413);
      const c = new Client({ name: 'gateway-test', version: '0.0.0' });
      await c.connect(new StreamableHTTPClientTransport(new URL(g.url), { requestInit: { headers: g.headers } }));
      const ac = new AbortController();
      const pending = c.callTool({ name: 'beta_slow', arguments: { ms: 20_000 } }, undefined, { signal: ac.signal }).catch(() => undefined);
      await waitFor(() => calls('beta', 'slow').length > 0, 5000, 'the slow call to reach beta');
      assert.equal(g.sessionCount, 1);
      g.dispose();
      assert.equal(g.sessionCount, 0);
      await waitFor(() => records.find((r) => r.name === 'beta_slow'), 5000, 'the router to finish the call');
      assert.equal(records.find((r) => r.name === 'beta_slow')!.outcome, 'cancelled');
      await waitFor(() => logs.get('beta')!.stderrLines.some((l) => l.includes('cancelled slow')), 5000, 'beta to hear the cancellation');
      ac.abort();
      await pending;
      await c.close().catch(() => undefined);
      await assert.rejects(raw(g.port, { headers: { ...g.headers, host: `127.0.0.1:${g.port}` }, body: initialize }), /ECONNREFUSED/);
    } finally {
      g.dispose();
    }
  });
});
