import assert from 'node:assert/strict';
import { CatalogCache, type CacheStorage } from '../../src/client/catalogCache';
import { emptyCatalog, type ResolvedServer, type ServerCatalog } from '../../src/client/types';

/** The storage the editor backs with workspaceState, as a plain value. */
function memory(initial?: unknown): CacheStorage & { value: unknown; writes: number } {
  const s = {
    value: initial, writes: 0,
    get: () => s.value,
    set: (v: unknown) => { s.value = JSON.parse(JSON.stringify(v)); s.writes++; },
  };
  return s;
}

const server = (name: string, env: Record<string, string> = {}): ResolvedServer =>
  ({ name, sourceKind: 'workspace', config: { type: 'stdio', command: 'node', args: ['server.js'], env } });

const catalog = (...tools: string[]): ServerCatalog => ({
  ...emptyCatalog(),
  serverInfo: { name: 'fixture', version: '1.0.0' },
  tools: tools.map((name) => ({ name, description: `the ${name} tool`, inputSchema: { type: 'object' } })),
});

/** A cache over `storage`, opened with its key, that only writes on `flush()`. */
async function open(storage: CacheStorage, maxEntryBytes?: number, hashKey = 'test-key'): Promise<CatalogCache> {
  const cache = new CatalogCache(storage, { writeDelayMs: 3_600_000, maxEntryBytes });
  await cache.open(hashKey);
  return cache;
}

describe('client/catalogCache', () => {
  it('gives the catalog back to the same configuration, in a later window too', async () => {
    const storage = memory();
    const first = await open(storage);
    first.set(server('echo'), catalog('echo', 'add'));
    assert.deepEqual(first.get(server('echo'))?.tools.map((t) => t.name), ['echo', 'add'], 'before the write, too');
    await first.flush();
    const later = await open(storage);
    assert.deepEqual(later.get(server('echo'))?.tools.map((t) => t.name), ['echo', 'add']);
    assert.equal(later.get(server('echo'))?.serverInfo?.name, 'fixture');
  });

  it('has no entry for a changed configuration, or for another source', async () => {
    const storage = memory();
    const cache = await open(storage);
    cache.set(server('echo', { MODE: 'a' }), catalog('echo'));
    await cache.flush();
    const later = await open(storage);
    assert.equal(later.get(server('echo', { MODE: 'b' })), undefined);
    assert.equal(later.get({ ...server('echo', { MODE: 'a' }), sourceKind: 'user' }), undefined);
    assert.ok(later.get(server('echo', { MODE: 'a' })));
  });

  it('is inert until opened with its secret key, and keys made with another secret do not match', async () => {
    const storage = memory();
    const keyless = new CatalogCache(storage, { writeDelayMs: 3_600_000 }); // never opened
    keyless.set(server('echo'), catalog('echo'));
    assert.equal(keyless.get(server('echo')), undefined);
    await keyless.flush();
    const cache = await open(storage);
    cache.set(server('echo', { API_KEY: 'hunter2' }), catalog('echo'));
    await cache.flush();
    assert.ok(!JSON.stringify(storage.value).includes('hunter2'));
    const unopened = new CatalogCache(storage, { writeDelayMs: 3_600_000 });
    assert.equal(unopened.get(server('echo', { API_KEY: 'hunter2' })), undefined, 'nothing is read before open()');
    const other = await open(storage, undefined, 'another-key');
    assert.equal(other.get(server('echo', { API_KEY: 'hunter2' })), undefined);
    await other.open('test-key');
    assert.ok(other.get(server('echo', { API_KEY: 'hunter2' })), 'the right key finds it');
  });

  it('skips a server whose entry is above the size cap, and drops its older entry', async () => {
    const storage = memory();
    const cache = await open(storage, 4096);
    cache.set(server('small'), catalog('a'));
    cache.set(server('big'), catalog('b'));
    await cache.flush();
    const huge = catalog(...Array.from({ length: 200 }, (_, i) => `tool_${i}`));
    cache.set(server('big'), huge);
    await cache.flush();
    const later = await open(storage, 4096);
    assert.equal(later.get(server('big')), undefined, 'no stale, smaller catalog either');
    assert.ok(later.get(server('small')));
    assert.ok(JSON.stringify(storage.value).length < 4096 * 2);
  });

  it('drops servers that are no longer configured', async () => {
    const storage = memory();
    const cache = await open(storage);
    for (const n of ['keep', 'gone', 'pending']) cache.set(server(n), catalog(n));
    await cache.flush();
    cache.set(server('pending'), catalog('pending2'));
    cache.retain(['keep']);
    await cache.flush();
    const later = await open(storage);
    assert.ok(later.get(server('keep')));
    assert.equal(later.get(server('gone')), undefined);
    assert.equal(later.get(server('pending')), undefined);
    assert.deepEqual(Object.keys((storage.value as { servers: object }).servers), ['keep']);
  });

  it('ignores a corrupt stored value, and a corrupt entry beside good ones', async () => {
    for (const bad of ['nonsense', 42, null, [], { format: 99, servers: {} }, { format: 1, servers: 'x' }]) {
      assert.equal((await open(memory(bad))).get(server('echo')), undefined, JSON.stringify(bad));
    }
    const storage = memory();
    const cache = await open(storage);
    cache.set(server('good'), catalog('ok'));
    cache.set(server('bad'), catalog('broken'));
    await cache.flush();
    const stored = storage.value as { servers: Record<string, { catalog: { tools: unknown } }> };
    stored.servers.bad.catalog.tools = [{ name: 7 }];
    const later = await open(storage);
    assert.equal(later.get(server('bad')), undefined);
    assert.ok(later.get(server('good')));
  });

  it('gives the last window\'s catalogs by name before it is opened, for the tree\'s first paint, skipping what the tree could not show', async () => {
    const storage = memory();
    const first = await open(storage);
    first.set(server('echo'), catalog('echo', 'add'));
    first.set(server('broken'), catalog('x'));
    first.set(server('other', { KEY: 'changed since' }), catalog('y'));
    await first.flush();
    const stored = storage.value as { servers: Record<string, { catalog: { tools: unknown; prompts: unknown } }> };
    stored.servers.broken.catalog.prompts = [{ name: 'p', arguments: 'not a list' }];
    // Synchronously, with no key yet: the keyed lookup has nothing, the last-known view has what was stored.
    const next = new CatalogCache(storage);
    assert.equal(next.get(server('echo')), undefined);
    const known = next.lastKnown();
    assert.deepEqual([...known.keys()].sort(), ['echo', 'other']);
    assert.deepEqual(known.get('echo')?.tools.map((t) => t.name), ['echo', 'add']);
    for (const bad of ['nonsense', null, { format: 99, servers: {} }, { format: 1, servers: { a: { catalog: { tools: [{ name: 1 }] } } } }]) {
      assert.equal(new CatalogCache(memory(bad)).lastKnown().size, 0, JSON.stringify(bad));
    }
  });

  it('stores the catalog only: no env, header or argument value, whatever the objects carry', async () => {
    const storage = memory();
    const cache = await open(storage);
    const secretive: ResolvedServer = {
      name: 'remote', sourceKind: 'user',
      config: { type: 'http', url: 'https://example.com/mcp?key=url-secret-1', headers: { Authorization: 'Bearer header-secret-2' } },
    };
    cache.set(secretive, { ...catalog('t'), env: { TOKEN: 'extra-secret-3' } } as ServerCatalog);
    cache.set(server('local', { API_KEY: 'env-secret-4' }), catalog('u'));
    await cache.flush();
    const text = JSON.stringify(storage.value);
    for (const secret of ['url-secret-1', 'header-secret-2', 'extra-secret-3', 'env-secret-4', 'server.js', 'Authorization']) {
      assert.ok(!text.includes(secret), `${secret} is not stored`);
    }
    const entry = (storage.value as { servers: Record<string, Record<string, unknown>> }).servers.remote;
    assert.deepEqual(Object.keys(entry).sort(), ['catalog', 'key']);
    assert.match(String(entry.key), /^[0-9a-f]{64}$/);
  });

  it('gathers a burst of changes into one write', async () => {
    const storage = memory();
    const cache = await open(storage);
    for (let i = 0; i < 20; i++) cache.set(server('busy'), catalog(`t${i}`));
    await cache.flush();
    await cache.flush();
    assert.equal(storage.writes, 1);
    assert.deepEqual((await open(storage)).get(server('busy'))?.tools.map((t) => t.name), ['t19']);
  });
});
