// `npm run bench`, the cached catalog in a real extension host, the next window of the workspace
// cachedWindow1.test.ts ran its servers in: when the servers tree first has tools to show, are
// they the cached ones, and how long after activate() began. Figures go as JSON to
// SWITCHBOARD_BENCH_OUT; nothing is asserted about time.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { api, waitFor } from '../helpers';
import { CACHED_SERVERS, CACHED_TOOLS_EACH } from './cachedServers';

describe('bench: cached catalog, next window', function () {
  this.timeout(300_000);

  it('the tree has the cached tools before any server is up', async () => {
    const a = await api();
    const firstToolsMs = await waitFor(() => a.timing.firstToolsMs, 'the tree\'s first tools', 60_000);
    // Then the configuration applied: the cache, checked with its key, has every server's catalog.
    await a.ready;
    const cachedTools = a.manager.names().reduce((n, s) => n + (a.manager.cachedCatalog(s)?.tools.length ?? 0), 0);
    assert.equal(a.timing.firstToolsCached, true, `the first tools the tree had (${firstToolsMs.toFixed(1)} ms) were cached ones; ${cachedTools} cached tools now`);
    assert.equal(cachedTools, CACHED_SERVERS * CACHED_TOOLS_EACH);
    const out = process.env.SWITCHBOARD_BENCH_OUT;
    if (out) fs.writeFileSync(out, JSON.stringify({ firstToolsMs, firstToolsCached: a.timing.firstToolsCached, activateMs: a.timing.activateMs, cachedTools }, null, 2));
  });
});
