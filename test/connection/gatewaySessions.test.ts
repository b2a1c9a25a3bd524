// The gateway's sessions against a real fixture process over real HTTP on 127.0.0.1: clients that
// never send DELETE cannot lock others out (the least recently used session makes room), a session
// nobody uses expires while one whose client listens stays, and a server's definition version
// follows its tools whatever stale sessions are open. Timeouts are the gateway's own options.
import assert from 'node:assert/strict';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { IServerRegistry } from '../../src/client/types';
import { Gateway, type GatewayOptions } from '../../src/gateway/gateway';
import { managerBackend } from '../../src/router/backend';
import { ToolRouter } from '../../src/router/router';
import { endGatewayTest, endpointClient, openSession, ping } from './gatewayHttp';
import { fixtureServer, testManager, waitFor } from './helpers';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('gateway sessions (a real fixture process, real HTTP on 127.0.0.1)', function () {
  this.timeout(30_000);
  const { manager } = testManager();
  const router = new ToolRouter(managerBackend(manager), { authorize: async () => ({ allowed: true, by: 'host' }) });
  const gateways: Gateway[] = [];
  const clients: Client[] = [];

  async function gatewayWith(opts: Partial<GatewayOptions>): Promise<Gateway> {
    const g = new Gateway({ backend: managerBackend(manager), router, version: '1', ...opts });
    gateways.push(g);
    await g.start();
    return g;
  }

  async function listeningClient(g: Gateway, server: string): Promise<Client> {
    const c = await endpointClient(g, server, clients);
    await waitFor(() => g.listening(server), 5000, 'the client to open its GET stream');
    return c;
  }

  before(async () => {
    await manager.reconcile([fixtureServer('lc', 'list-changed'), fixtureServer('other', 'echo')]);
    assert.equal(manager.state('lc')?.kind, 'running');
  });
  after(() => endGatewayTest({ clients, gateways, router, manager }));

  it('65 and more sessions never closed: each new one opens, the least recently used making room', async () => {
    const g = await gatewayWith({ sessionIdleMs: 60_000 });
    const ids: string[] = [];
    for (let i = 0; i < 64; i++) ids.push(await openSession(g, 'lc'));
    assert.equal(g.sessionCount, 64);
    // Used now: the least recently used is the second one.
    assert.equal((await ping(g, 'lc', ids[0])).status, 200);
    for (let i = 0; i < 3; i++) ids.push(await openSession(g, 'lc'));
    assert.equal(g.sessionCount, 64);
    for (const id of ids.slice(1, 4)) assert.equal((await ping(g, 'lc', id)).status, 404, 'made room');
    assert.equal((await ping(g, 'lc', ids[0])).status, 200, 'the recently used one lives');
    assert.equal((await ping(g, 'lc', ids[66])).status, 200);
  });

  it('by default makes room for a session per server when there are more than 32 servers', async () => {
    // VS Code keeps a session per server it started: the cap must not make them evict each other.
    const names = Array.from({ length: 40 }, (_, i) => `s${i}`);
    const none = () => undefined;
    const registry: IServerRegistry = {
      onDidChangeState: manager.onDidChangeState, onDidChangeCatalog: manager.onDidChangeCatalog, onDidChangeServers: manager.onDidChangeServers,
      names: () => names, tools: () => [], state: none, catalog: none, definition: none, cachedCatalog: none, usableCatalog: none,
    };
    const g = await gatewayWith({ backend: { ...managerBackend(manager), registry } });
    const ids: string[] = [];
    for (const name of names) ids.push(await openSession(g, name), await openSession(g, name));
    assert.equal(g.sessionCount, 80);
    assert.equal((await ping(g, 's0', ids[0])).status, 200);
    await openSession(g, 's1');
    assert.equal(g.sessionCount, 80);
    assert.equal((await ping(g, 's0', ids[1])).status, 404, 'the 81st made room');
  });

  it('a full table ends an idle session before one whose client is listening', async () => {
    const g = await gatewayWith({ sessionIdleMs: 60_000, maxSessions: 3 });
    const client = await listeningClient(g, 'lc');
    const a = await openSession(g, 'other');
    const b = await openSession(g, 'other');
    await openSession(g, 'other');
    assert.equal(g.sessionCount, 3);
    assert.equal((await ping(g, 'other', a)).status, 404);
    assert.equal((await ping(g, 'other', b)).status, 200);
    assert.ok((await client.listTools()).tools.length > 0, 'the listening client, the oldest, kept its session');
  });

  it('a session nobody uses expires; one whose client listens stays however quiet', async () => {
    const g = await gatewayWith({ sessionIdleMs: 300 });
    const idle = await openSession(g, 'lc');
    const client = await listeningClient(g, 'lc');
    await waitFor(() => g.sessionCount === 1, 5000, 'the idle session to expire');
    assert.equal((await ping(g, 'lc', idle)).status, 404);
    await sleep(700);
    assert.equal(g.sessionCount, 1);
    assert.ok((await client.listTools()).tools.some((t) => t.name === 'lc_add_tool'));
  });

  it('a server\'s definition version follows its tools while only stale sessions are open, and holds while a client listens', async () => {
    const g = await gatewayWith({ sessionIdleMs: 60_000 });
    let changes = 0;
    g.onDidChangeDefinitions(() => { changes++; });
    const version = (server = 'lc') => g.definitions().find((d) => d.server === server)!.version;
    await openSession(g, 'lc');
    await openSession(g, 'lc');
    const before = version();
    const other = version('other');
    const lc = manager.connection('lc')!.client!;
    await lc.callTool({ name: 'add_tool', arguments: { name: 'late' } });
    await waitFor(() => changes > 0, 5000, 'the definitions to change');
    assert.notEqual(version(), before, 'the stale sessions hold nothing back');
    assert.equal(version('other'), other, 'another server\'s version stays');

    await listeningClient(g, 'lc');
    const listened = version();
    const seen = changes;
    await lc.callTool({ name: 'add_tool', arguments: { name: 'later' } });
    await waitFor(() => manager.tools().some((t) => t.name === 'lc_later'), 5000, 'lc_later listed');
    await sleep(300);
    assert.equal(version(), listened, 'a listening client hears list_changed; a new version would cut it');
    assert.equal(changes, seen);
  });
});
