// The gateway against real fixture server processes and real SDK clients over real HTTP on
// 127.0.0.1: one endpoint per server serving that server alone (a call on one endpoint cannot
// reach another server's tool), calls through the router (the fixtures' own stderr proves what
// reached them), progress, cancellation, resources and prompts, list-changed only on real
// changes and only to the server's own clients, definition versions that follow the tools
// whatever stale sessions are open, sessions that expire, and the HTTP gate (token, Host, Origin,
// path, body size) on every endpoint.
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  McpError, PromptListChangedNotificationSchema, ResourceListChangedNotificationSchema,
  ToolListChangedNotificationSchema, type CallToolResult,
} from '@modelcontextprotocol/sdk/types.js';
import type { DesiredServer } from '../../src/client/manager';
import { Gateway } from '../../src/gateway/gateway';
import { managerBackend } from '../../src/router/backend';
import { ToolRouter } from '../../src/router/router';
import type { CallRecord } from '../../src/router/types';
import { endGatewayTest, endpointClient, initialize, raw } from './gatewayHttp';
import { assertProgressSteps, fixtureServer, testManager, waitFor } from './helpers';

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
  /** The list_changed notifications each server's client received, by kind. */
  const notified: Record<string, string[]> = { alpha: [], beta: [], lc: [] };
  let definitionChanges = 0;
  gateway.onDidChangeDefinitions(() => { definitionChanges++; });
  const version = (server: string) => gateway.definitions().find((d) => d.server === server)?.version;
  const clients: Client[] = [];
  /** One SDK client per server, each on that server's endpoint. */
  const on: Record<string, Client> = {};
  const calls = (server: string, tool: string) => logs.get(server)!.stderrLines.filter((l) => l.includes(` call ${tool} `));

  const connect = (server: string) => endpointClient(gateway, server, clients);

  before(async () => {
    await manager.reconcile(desired);
    for (const s of ['alpha', 'beta', 'lc']) assert.equal(manager.state(s)?.kind, 'running', s);
    await gateway.start();
    for (const server of ['alpha', 'beta', 'lc']) {
      const c = on[server] = await connect(server);
      for (const [schema, name] of [[ToolListChangedNotificationSchema, 'tools'], [ResourceListChangedNotificationSchema, 'resources'], [PromptListChangedNotificationSchema, 'prompts']] as const) {
        c.setNotificationHandler(schema, async () => { notified[server].push(name); });
      }
    }
    // Lets the clients open their GET streams, which carry list_changed.
    await waitFor(() => ['alpha', 'beta', 'lc'].every((s) => gateway.listening(s)), 5000, 'every client listening');
  });
  after(async () => {
    await endGatewayTest({ clients, gateways: [gateway], router, manager });
    assert.ok(!gatewayLog.some((l) => l.includes(gateway.token)), 'the token never reaches the log');
  });
  beforeEach(() => {
    records.length = 0;
    for (const list of Object.values(notified)) list.length = 0;
  });

  it('listens on 127.0.0.1 only, on a free port, with one endpoint per server', () => {
    assert.equal(gateway.address?.address, '127.0.0.1');
    assert.equal(gateway.address?.port, gateway.port);
    assert.deepEqual(gateway.definitions().map((d) => [d.server, d.url]), ['alpha', 'beta', 'lc'].map((s) => [s, `http://127.0.0.1:${gateway.port}/mcp/${s}`]));
    assert.equal(gateway.urlFor('a b/c'), `http://127.0.0.1:${gateway.port}/mcp/a%20b%2Fc`);
    assert.match(gateway.token, /^[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(on.alpha.getServerVersion(), { name: 'mcp-switchboard-gateway', title: 'alpha', version: '9.9.9' });
    const caps = on.alpha.getServerCapabilities()!;
    for (const k of ['tools', 'resources', 'prompts'] as const) assert.deepEqual(caps[k], { listChanged: true });
  });

  it('serves each server\'s tools on its own endpoint only, namespaced, with their own schemas', async () => {
    for (const server of ['alpha', 'beta', 'lc']) {
      const { tools } = await on[server].listTools();
      assert.deepEqual(tools.map((t) => t.name), manager.tools().filter((t) => t.server === server).map((t) => t.name), server);
    }
    const byName = new Map((await on.alpha.listTools()).tools.map((t) => [t.name, t]));
    for (const n of ['alpha_echo', 'alpha_add', 'alpha_media']) assert.ok(byName.has(n), n);
    assert.ok(!byName.has('beta_echo'), 'beta\'s tools are not on alpha\'s endpoint');
    const own = manager.catalog('alpha')!.tools.find((t) => t.name === 'add')!;
    const add = byName.get('alpha_add')!;
    assert.deepEqual(add.inputSchema, own.inputSchema);
    assert.deepEqual(add.outputSchema, own.outputSchema);
    assert.equal(add.description, 'Adds two numbers.');
    assert.equal(add.title, 'add (alpha)', 'the display title names the server');
    assert.deepEqual(add.annotations, { destructiveHint: false });
    assert.deepEqual(add._meta, { 'switchboard/server': 'alpha', 'switchboard/tool': 'add' });
  });

  it('has VS Code show no card for a tool that may be destructive: Switchboard\'s dialog asks for it', async () => {
    // VS Code settles its card for a whole server at once; for these tools our own prompt, naming
    // the tool, must be the one, so VS Code is told (by the one hint it reads) to show none.
    const tools = new Map((await on.beta.listTools()).tools.map((t) => [t.name, t]));
    assert.deepEqual(tools.get('beta_erase')!.annotations, { destructiveHint: true, readOnlyHint: true });
    assert.equal(tools.get('beta_erase')!._meta?.['switchboard/asksItself'], true);
    assert.equal(tools.get('beta_erase')!._meta?.['switchboard/readOnlyHint'], false);
    assert.equal(tools.get('beta_slow')!.annotations?.readOnlyHint, true, 'an unannotated tool may be destructive (the MCP default)');
    assert.equal(tools.get('beta_echo')!.annotations?.readOnlyHint, undefined, 'a tool that says it is not destructive keeps VS Code\'s card');
  });

  it('passes readOnlyHint on only while read-only tools are allowed unasked, keeping it in _meta otherwise', async () => {
    // VS Code shows no card for a read-only tool: the server's claim must not stand in for the user's yes.
    const peek = async () => (await on.beta.listTools()).tools.find((t) => t.name === 'beta_peek')!;
    const hidden = await peek();
    assert.deepEqual(hidden.annotations, { openWorldHint: false });
    assert.equal(hidden._meta?.['switchboard/readOnlyHint'], true);
    readOnlyHints = true;
    gateway.refresh();
    await waitFor(() => notified.beta.includes('tools'), 5000, 'tools list_changed after the setting changed');
    assert.deepEqual((await peek()).annotations, { readOnlyHint: true, openWorldHint: false });
    readOnlyHints = false;
    const again = notified.beta.length;
    gateway.refresh();
    await waitFor(() => notified.beta.slice(again).includes('tools'), 5000, 'tools list_changed once more');
    assert.deepEqual((await peek()).annotations, { openWorldHint: false });
  });

  it('sends a call to its server and passes its result through unchanged', async () => {
    assert.deepEqual(texts(await on.beta.callTool({ name: 'beta_echo', arguments: { text: 'to beta' } })), ['to beta']);
    await waitFor(() => calls('beta', 'echo').some((l) => l.includes('"to beta"')), 5000, 'the call in beta\'s log');
    assert.ok(!calls('alpha', 'echo').some((l) => l.includes('"to beta"')), 'alpha never saw it');
    assert.equal(records[0].origin, 'gateway');
    assert.equal(records[0].server, 'beta');
    const sum = await on.alpha.callTool({ name: 'alpha_add', arguments: { a: 2, b: 3 } });
    assert.deepEqual(sum.structuredContent, { sum: 5 });
    const direct = await manager.connection('alpha')!.client!.callTool({ name: 'media' });
    const media = await on.alpha.callTool({ name: 'alpha_media' });
    assert.deepEqual(media.content, direct.content, 'images, audio and resources arrive as the server sent them');
    const failed = await on.alpha.callTool({ name: 'alpha_fail', arguments: { message: 'bad day' } });
    assert.equal(failed.isError, true);
    assert.deepEqual(texts(failed), ['bad day']);
  });

  it('a call on one server\'s endpoint cannot reach another server\'s tool', async () => {
    const before = calls('beta', 'erase').length;
    const out = await on.alpha.callTool({ name: 'beta_erase', arguments: {} });
    assert.equal(out.isError, true);
    assert.match(texts(out)[0]!, /No tool named "beta_erase" on MCP server "alpha"/);
    await sleep(200);
    assert.equal(calls('beta', 'erase').length, before, 'beta never saw it');
    assert.deepEqual(records, [], 'the router was never asked');
  });

  it('answers invalid arguments and unknown tools with isError, and the server never sees them', async () => {
    const before = calls('alpha', 'add').length;
    const bad = await on.alpha.callTool({ name: 'alpha_add', arguments: { a: 1, b: 'two' } });
    assert.equal(bad.isError, true);
    assert.match(texts(bad)[0]!, /argument "b" must be number/);
    const unknown = await on.alpha.callTool({ name: 'alpha_ecoh', arguments: {} });
    assert.equal(unknown.isError, true);
    assert.match(texts(unknown)[0]!, /No tool named "alpha_ecoh"/);
    await sleep(200);
    assert.equal(calls('alpha', 'add').length, before);
  });

  it('a denied call comes back as isError with the reason and never reaches the server', async () => {
    const out = await on.alpha.callTool({ name: 'alpha_env', arguments: { names: ['HOME'] } });
    assert.equal(out.isError, true);
    assert.match(texts(out)[0]!, /alpha_env was not run: the user declined/);
    await sleep(200);
    assert.equal(calls('alpha', 'env').length, 0);
    assert.equal(records[0].outcome, 'denied');
  });

  it('forwards progress notifications to the client', async () => {
    const seen: number[] = [];
    const out = await on.alpha.callTool({ name: 'alpha_progress', arguments: { steps: 3 } }, undefined, { onprogress: (p) => seen.push(p.progress) });
    assert.deepEqual(texts(out), ['done 3 steps']);
    assertProgressSteps(seen, 3);
  });

  it('a client that cancels its request cancels the call on the server', async () => {
    const ac = new AbortController();
    const pending = on.alpha.callTool({ name: 'alpha_slow', arguments: { ms: 20_000 } }, undefined, { signal: ac.signal });
    await waitFor(() => calls('alpha', 'slow').length > 0, 5000, 'the slow call to reach alpha');
    ac.abort();
    await assert.rejects(pending);
    await waitFor(() => logs.get('alpha')!.stderrLines.some((l) => l.includes('cancelled slow')), 5000, 'alpha to hear the cancellation');
    await waitFor(() => records.find((r) => r.name === 'alpha_slow'), 5000, 'the router to finish the call');
    assert.equal(records.find((r) => r.name === 'alpha_slow')!.outcome, 'cancelled');
  });

  it('serves each server\'s resources and templates on its endpoint, and reads them from it', async () => {
    const { resources } = await on.beta.listResources();
    const hello = resources.filter((r) => r.uri === 'fixture://hello');
    assert.equal(hello.length, 1);
    assert.equal(hello[0]._meta?.['switchboard/server'], 'beta');
    const { resourceTemplates } = await on.beta.listResourceTemplates();
    assert.deepEqual(resourceTemplates.map((t) => t.uriTemplate), ['fixture://item/{id}']);
    assert.deepEqual((await on.beta.readResource({ uri: 'fixture://hello' })).contents, [{ uri: 'fixture://hello', mimeType: 'text/plain', text: 'Hello from the fixture' }]);
    assert.deepEqual(resourceTexts(await on.beta.readResource({ uri: 'fixture://item/7' })), ['item 7']);
    await assert.rejects(on.beta.readResource({ uri: 'nope://x' }), (e: unknown) => e instanceof McpError && e.code === -32002);
  });

  it('a resource only one server has is listed on its endpoint alone (list_changed to its clients only)', async () => {
    const before = definitionChanges;
    await on.lc.callTool({ name: 'lc_touch_resources' });
    await waitFor(() => notified.lc.includes('resources'), 5000, 'resources/list_changed');
    const { resources } = await on.lc.listResources();
    assert.equal(resources.find((r) => r.uri === 'fixture://added/0')?._meta?.['switchboard/server'], 'lc');
    assert.deepEqual(resourceTexts(await on.lc.readResource({ uri: 'fixture://added/0' })), ['fixture://added/0']);
    await assert.rejects(on.alpha.readResource({ uri: 'fixture://added/0' }), (e: unknown) => e instanceof McpError && e.code === -32002);
    await sleep(200);
    assert.deepEqual(notified, { alpha: [], beta: [], lc: ['resources'] }, 'the tool lists did not change, and alpha and beta were told nothing');
    assert.equal(definitionChanges, before);
  });

  it('serves prompts as <server>_<prompt> on their server\'s endpoint and renders them there', async () => {
    assert.deepEqual((await on.alpha.listPrompts()).prompts.map((p) => p.name), ['alpha_greet']);
    const greet = await on.beta.getPrompt({ name: 'beta_greet', arguments: { name: 'Ada' } });
    assert.deepEqual(greet.messages[0].content, { type: 'text', text: 'Hello, Ada!' });
    await assert.rejects(on.alpha.getPrompt({ name: 'beta_greet', arguments: { name: 'Ada' } }), /No prompt named "beta_greet" on MCP server "alpha"/);
    await on.lc.callTool({ name: 'lc_touch_prompts' });
    await waitFor(() => notified.lc.includes('prompts'), 5000, 'prompts/list_changed');
    assert.deepEqual((await on.lc.getPrompt({ name: 'lc_added0' })).messages[0].content, { type: 'text', text: 'added0' });
  });

  it('a new tool reaches the listening client with list_changed; its definition stays as it is', async () => {
    const before = { version: version('lc'), changes: definitionChanges };
    await on.lc.callTool({ name: 'lc_add_tool', arguments: { name: 'fresh' } });
    await waitFor(() => notified.lc.includes('tools'), 5000, 'tools/list_changed');
    assert.ok((await on.lc.listTools()).tools.some((t) => t.name === 'lc_fresh'));
    assert.deepEqual(texts(await on.lc.callTool({ name: 'lc_fresh' })), ['fresh']);
    // VS Code drops a live connection whose definition changed, so a listening client is enough.
    assert.equal(version('lc'), before.version);
    assert.equal(definitionChanges, before.changes);
    assert.deepEqual(notified.alpha, []);
  });

  it('a server that comes or goes changes the definitions, and ends its sessions', async () => {
    const before = definitionChanges;
    desired.push(fixtureServer('dies', 'exit-at-start'), fixtureServer('gamma', 'echo'));
    await manager.reconcile(desired);
    assert.equal(manager.state('dies')?.kind, 'error');
    await waitFor(() => definitionChanges > before, 5000, 'the definitions to change');
    assert.deepEqual(gateway.definitions().map((d) => d.server).sort(), ['alpha', 'beta', 'dies', 'gamma', 'lc']);
    const gamma = await connect('gamma');
    assert.ok((await gamma.listTools()).tools.some((t) => t.name === 'gamma_echo'));
    assert.deepEqual((await gamma.listPrompts()).prompts.map((p) => p.name), ['gamma_greet']);
    const sessions = gateway.sessionCount;
    desired.splice(desired.findIndex((d) => d.name === 'gamma'), 1);
    const changes = definitionChanges;
    await manager.reconcile(desired);
    await waitFor(() => definitionChanges > changes, 5000, 'the definitions to change again');
    assert.ok(!gateway.definitions().some((d) => d.server === 'gamma'));
    assert.equal(gateway.sessionCount, sessions - 1, 'gamma\'s session was closed');
    const gone = await raw(gateway.port, { path: '/mcp/gamma', headers: { ...gateway.headers, host: `127.0.0.1:${gateway.port}` }, body: initialize });
    assert.equal(gone.status, 404);
    assert.match(JSON.parse(gone.body).error.message, /no MCP server named "gamma"/);
    assert.deepEqual(notified.alpha, [], 'alpha\'s client was told nothing');
  });

  it('closes a session on DELETE and answers an unknown session, or one of another endpoint, with 404', async () => {
    const c = await connect('alpha');
    const count = gateway.sessionCount;
    const transport = c.transport as StreamableHTTPClientTransport;
    const sid = transport.sessionId!;
    const headers = { ...gateway.headers, host: `127.0.0.1:${gateway.port}`, 'mcp-session-id': sid };
    const elsewhere = await raw(gateway.port, { path: '/mcp/beta', headers, body: '{"jsonrpc":"2.0","id":2,"method":"tools/list"}' });
    assert.equal(elsewhere.status, 404, 'alpha\'s session is no session on beta\'s endpoint');
    await transport.terminateSession();
    assert.equal(gateway.sessionCount, count - 1);
    const stale = await raw(gateway.port, { headers, body: '{"jsonrpc":"2.0","id":2,"method":"ping"}' });
    assert.equal(stale.status, 404);
    assert.equal(JSON.parse(stale.body).error.code, -32001);
  });

  describe('the HTTP gate', () => {
    const host = () => `127.0.0.1:${gateway.port}`;
    const auth = () => gateway.headers;

    it('refuses a request without the token, or with a wrong one, on every endpoint, with 401 and WWW-Authenticate', async () => {
      for (const path of ['/mcp/alpha', '/mcp/beta', '/mcp/lc', '/mcp', '/mcp/nope']) {
        for (const authorization of [undefined, 'Bearer wrong', `Bearer ${gateway.token.slice(0, -1)}x`, `Basic ${gateway.token}`]) {
          const r = await raw(gateway.port, { path, headers: { host: host(), ...(authorization ? { authorization } : {}) }, body: initialize });
          assert.equal(r.status, 401, `${path} ${String(authorization)}`);
          assert.equal(r.headers['www-authenticate'], 'Bearer');
          assert.equal(JSON.parse(r.body).jsonrpc, '2.0');
        }
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

    it('serves /mcp/<server> only, and refuses a body over the limit with 413', async () => {
      for (const path of ['/other', '/mcp', '/mcp/', '/mcp/alpha/x', '/mcp/nope', '/mcp/%E0%A4%A']) {
        const r = await raw(gateway.port, { path, headers: { ...auth(), host: host() }, body: initialize });
        assert.equal(r.status, 404, path);
      }
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
      await c.connect(new StreamableHTTPClientTransport(new URL(g.urlFor('beta')), { requestInit: { headers: g.headers } }));
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
