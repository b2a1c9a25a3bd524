// `npm run bench`, the cached catalog in a real extension host, first window (bench/footprint.ts
// runs the two windows one after the other in one editor state, --run-dir): 10 servers run once,
// and their catalogs are written to the workspace's cache. cachedWindow2.test.ts is the next window.
import { api, waitFor, writeConfig } from '../helpers';
import { CACHED_SERVERS, cachedServersConfig } from './cachedServers';

describe('bench: cached catalog, first window', function () {
  this.timeout(300_000);

  it('runs the servers once and caches their catalogs', async () => {
    const a = await api();
    // Left in place: the next window opens this workspace with the same servers.
    await writeConfig(cachedServersConfig());
    await waitFor(() => a.manager.names().length === CACHED_SERVERS && a.manager.names().every((s) => a.manager.state(s)?.kind === 'running'),
      `${CACHED_SERVERS} servers running`, 180_000);
    await a.catalogCache.flush();
  });
});
