// A tool schema 4,000 levels deep overflows the stack of every recursive walk over it (canonical
// JSON, JSON.stringify): before the bound, the gateway's tools/list failed for every server, the
// catalog cache threw on each write and stopping the servers rejected. The connection now refuses
// that tool alone, in the server's log, and everything else keeps working. The deep tool comes
// with a list_changed once the server runs, so the watch covers the attack, not a process spawn.
import assert from 'node:assert/strict';
import { CatalogCache } from '../../src/client/catalogCache';
import { fixtureServer, waitFor } from '../connection/helpers';
import { hostileServer, survived, watchHost } from './harness';
import { adversarialHost } from './host';

describe('adversarial: a tool schema 4,000 levels deep', function () {
  this.timeout(60_000);
  let stored: unknown;
  const cacheProblems: string[] = [];
  const cache = new CatalogCache({ get: () => stored, set: (v) => { stored = v; } }, { writeDelayMs: 3_600_000, onProblem: (m) => cacheProblems.push(m) });
  const host = adversarialHost({ catalogCache: cache });
  const { manager, logs, router } = host;

  before(async () => {
    await cache.open('test-key');
    await host.start([fixtureServer('echo', 'echo'), hostileServer('deep-schema', 'deep-schema')], { server: 'echo', name: 'echo_echo', arguments: { text: 'warm' } });
  });
  after(() => host.dispose());

  it('schema 4,000 levels deep', async () => {
    const log = logs.get('deep-schema')!.lines;
    const w = watchHost();
    assert.equal((await router.call('deep-schema_arm', {}, { origin: 'cli' })).kind, 'ok');
    await waitFor(() => log.some((l) => l.startsWith('error')), 5000, 'the deep tool to be listed');
    const served = await host.servedTools();
    const [fine, echoed] = await Promise.all([
      router.call('deep-schema_fine', { who: 'you' }, { origin: 'cli' }),
      router.call('echo_echo', { text: 'still here' }, { origin: 'cli' }),
    ]);
    await cache.flush();
    const figures = w.stop();

    assert.ok(served.includes('echo_echo') && served.includes('deep-schema_fine'), 'the other tools are still served');
    assert.ok(!served.includes('deep-schema_deep'), 'the deep tool is not');
    assert.equal(fine.kind, 'ok', 'the same server\'s other tool works');
    assert.equal(echoed.kind, 'ok');
    assert.deepEqual(manager.catalog('deep-schema')?.tools.map((t) => t.name), ['fine', 'arm']);
    const errors = log.filter((l) => l.startsWith('error'));
    assert.equal(errors.length, 1, JSON.stringify(errors));
    assert.match(errors[0], /^error tool "deep" left out: it is nested deeper than \d+ levels/);
    assert.deepEqual(cacheProblems, []);
    assert.ok(JSON.stringify(stored).includes('"fine"'), 'the catalog was cached');
    // A later list_changed (the server lists the deep tool again) is followed as before.
    assert.equal((await router.call('deep-schema_arm', {}, { origin: 'cli' })).kind, 'ok');
    await manager.stopAll(500);
    assert.equal(manager.state('deep-schema')?.kind, 'stopped');
    survived({
      attack: 'schema 4,000 levels deep',
      outcome: 'The connection leaves that tool out and logs it on its server; the server\'s other tools, the other servers, the gateway\'s list, the catalog cache and stopping all keep working.',
      figures, bounds: { rssGrowthMb: 80 },
    });
  });
});
