// Start on first use against real fixture processes: a first run fills the catalog cache, a later
// manager (a new window) with `onFirstUse` lists the server from it without spawning anything, and
// the first call, through the router or the gateway, starts it. The fixtures' log file proves
// when a process really started.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { CatalogCache, type CacheStorage } from '../../src/client/catalogCache';
import type { DesiredServer, McpClientManager } from '../../src/client/manager';
import { emptyCatalog, type ResolvedServer } from '../../src/client/types';
import { Gateway } from '../../src/gateway/gateway';
import { managerBackend } from '../../src/router/backend';
import { ToolRouter } from '../../src/router/router';
import { fixtureServer, testManager, waitFor } from './helpers';

const allow = async () => ({ allowed: true as const, by: 'policy' as const });

describe('start on first use (real fixture processes)', function () {
  this.timeout(30_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-first-use-'));
  const logFile = path.join(dir, 'fixtures.log');
  /** How many fixture processes have started so far, from their own log lines. */
  const starts = () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n').filter((l) => / pid=\d+ started$/.test(l)).length : 0);
  const echo = fixtureServer('lazy', 'echo', { env: { FIXTURE_LOG_FILE: logFile } });
  const resolved = (d: DesiredServer): ResolvedServer => ({ name: d.name, sourceKind: d.sourceKind, config: d.config! });
  const storage: CacheStorage & { value?: unknown } = { get: () => storage.value, set: (v) => { storage.value = JSON.parse(JSON.stringify(v)); } };
  const opened: { manager: McpClientManager; router: ToolRouter; cache: CatalogCache }[] = [];

  /** A manager as a new window gets it: its own cache over the shared storage. */
  async function open() {
    const cache = new CatalogCache(storage, { writeDelayMs: 60_000 });
    await cache.open('test-key');
    const { manager } = testManager(undefined, undefined, { catalogCache: cache });
    const router = new ToolRouter(managerBackend(manager), { authorize: allow });
    opened.push({ manager, router, cache });
    return { manager, router, cache };
  }

  before(async () => {
    const first = await open();
    await first.manager.reconcile([echo]);
    assert.equal(first.manager.state('lazy')?.kind, 'running');
    await first.manager.stopAll(500);
    await first.cache.flush();
    assert.equal(starts(), 1);
    // Stopping empties the live catalog; the cache keeps the last listed one.
    assert.ok(first.cache.get(resolved(echo))?.tools.some((t) => t.name === 'echo'), 'the stop did not cache an empty catalog');
  });
  after(async () => {
    for (const o of opened) { o.router.dispose(); await o.manager.stopAll(500); o.manager.dispose(); }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lists a cached server without spawning it; the first call starts it and succeeds', async () => {
    const { manager, router, cache } = await open();
    await manager.reconcile([echo], { autoStart: 'onFirstUse' });
    assert.deepEqual(manager.state('lazy'), { kind: 'stopped', reason: 'onFirstUse' });
    assert.equal(manager.connection('lazy')?.pid, undefined);
    assert.equal(starts(), 1, 'no process spawned at reconcile');
    assert.ok(manager.tools().some((t) => t.name === 'lazy_echo'), 'the cached tools resolve');
    assert.equal(manager.catalog('lazy')?.tools.length, 0, 'the live catalog is not pretended');

    const out = await router.call('lazy_echo', { text: 'first use' }, { origin: 'chat' });
    assert.equal(out.kind, 'ok', JSON.stringify(out));
    assert.equal(manager.state('lazy')?.kind, 'running');
    assert.equal(starts(), 2);
    assert.ok(cache.get(resolved(echo)), 'the live catalog is cached again');
  });

  it('starts a server without a cached catalog at once, even with onFirstUse', async () => {
    const { manager } = await open();
    const fresh = fixtureServer('fresh', 'echo', { env: { FIXTURE_LOG_FILE: logFile } });
    const before = starts();
    await manager.reconcile([fresh], { autoStart: 'onFirstUse' });
    assert.equal(manager.state('fresh')?.kind, 'running');
    assert.equal(starts(), before + 1);
  });

  it('a server that fails to start on first use gives an error naming it, with its stderr', async () => {
    const { manager, router, cache } = await open();
    const dies = fixtureServer('dies', 'exit-at-start');
    // Its catalog as an earlier run (before the API key went missing) would have cached it.
    cache.set(resolved(dies), { ...emptyCatalog(), tools: [{ name: 'echo', inputSchema: { type: 'object' } }] });
    await manager.reconcile([dies], { autoStart: 'onFirstUse' });
    assert.equal(manager.state('dies')?.kind, 'stopped');
    const out = await router.call('dies_echo', {}, { origin: 'gateway' });
    assert.equal(out.kind, 'serverNotRunning');
    const message = (out as { message: string }).message;
    assert.match(message, /MCP server "dies" is not running \(error: .*exit/);
    assert.match(message, /giving up/, 'the tail of its stderr');
    assert.equal(manager.state('dies')?.kind, 'error');
  });

  it('a server that hangs on first use fails within its start timeout, never a hang', async () => {
    const { manager, router, cache } = await open();
    const hang = fixtureServer('stuck', 'hang', { startupTimeoutMs: 1000, env: { FIXTURE_HANG_ON_SIGTERM: 'exit' } });
    cache.set(resolved(hang), { ...emptyCatalog(), tools: [{ name: 'wait', inputSchema: { type: 'object' } }] });
    await manager.reconcile([hang], { autoStart: 'onFirstUse' });
    const out = await router.call('stuck_wait', {}, { origin: 'chat' });
    assert.equal(out.kind, 'serverNotRunning');
    assert.match((out as { message: string }).message, /"stuck" is not running \(error: did not finish starting within 1s/);
  });

  it('the gateway serves a not-started server\'s cached tools, and a call through it starts the server', async () => {
    const { manager, router } = await open();
    await manager.reconcile([echo], { autoStart: 'onFirstUse' });
    const before = starts();
    const gateway = new Gateway({ backend: managerBackend(manager), router, version: '0.0.0' });
    const client = new Client({ name: 'first-use-test', version: '0.0.0' });
    try {
      await gateway.start();
      await client.connect(new StreamableHTTPClientTransport(new URL(gateway.urlFor('lazy')), { requestInit: { headers: gateway.headers } }));
      const { tools } = await client.listTools();
      assert.ok(tools.some((t) => t.name === 'lazy_echo'), tools.map((t) => t.name).join(', '));
      const { resources } = await client.listResources();
      assert.ok(resources.some((r) => r.uri === 'fixture://hello'), 'cached resources are served too');
      assert.equal(starts(), before, 'listing started nothing');
      const result = await client.callTool({ name: 'lazy_echo', arguments: { text: 'via gateway' } }) as CallToolResult;
      assert.deepEqual(result.content, [{ type: 'text', text: 'via gateway' }]);
      assert.equal(manager.state('lazy')?.kind, 'running');
      assert.equal(starts(), before + 1);
    } finally {
      await client.close();
      gateway.dispose();
    }
  });

  it('reading a cached resource through the gateway starts its server', async () => {
    const { manager, router } = await open();
    await manager.reconcile([echo], { autoStart: 'onFirstUse' });
    const gateway = new Gateway({ backend: managerBackend(manager), router, version: '0.0.0' });
    const client = new Client({ name: 'first-use-test', version: '0.0.0' });
    try {
      await gateway.start();
      await client.connect(new StreamableHTTPClientTransport(new URL(gateway.urlFor('lazy')), { requestInit: { headers: gateway.headers } }));
      const read = await client.readResource({ uri: 'fixture://hello' });
      assert.ok(read.contents.length > 0);
      await waitFor(() => manager.state('lazy')?.kind === 'running', 5000, 'lazy running');
    } finally {
      await client.close();
      gateway.dispose();
    }
  });
});
