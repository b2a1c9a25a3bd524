// A remote server answers one tool call with 150 MB: as one JSON body, or as one SSE line with no
// newline. The answer is read up to its cap (httpReads.ts), the socket is closed, and the call
// fails at once with an error that names the server and the cap; the host neither stalls nor
// grows, the server's connection stays up, and a well-behaved server beside it keeps answering.
import assert from 'node:assert/strict';
import { survived, watchHost } from './harness';
import { waitFor } from '../connection/helpers';
import { calmServer, hostWith, outcomeText, remoteServer, startHostile } from './remote';

describe('attack: oversized remote answers', function () {
  this.timeout(60_000);
  const stops: (() => Promise<void> | void)[] = [];
  afterEach(async () => { for (const s of stops.splice(0).reverse()) await s(); });

  for (const { mode, attack } of [{ mode: 'json', attack: 'oversized JSON response' }, { mode: 'sse', attack: 'SSE line without newline' }]) {
    it(`${attack}: the call fails at the cap, the host stays small and responsive`, async () => {
      const hostile = await startHostile('flood', [mode]);
      stops.push(() => hostile.stop());
      const host = await hostWith([remoteServer('flood', 'http', hostile.url, { requestTimeoutMs: 30_000 }), calmServer()]);
      stops.push(host.stop);
      assert.equal(host.manager.state('flood')?.kind, 'running', JSON.stringify(host.manager.state('flood')));
      // Both paths warm, so what is measured is the attack, not a first call.
      assert.equal((await host.router.call('calm_echo', { text: 'warm' }, { origin: 'cli' })).kind, 'ok');
      assert.equal((await host.router.call('flood_hello', {}, { origin: 'cli' })).kind, 'ok');

      const w = watchHost();
      const started = Date.now();
      const flood = host.router.call('flood_flood', {}, { origin: 'cli' });
      const calm = await host.router.call('calm_echo', { text: 'still here' }, { origin: 'cli' });
      const out = await flood;
      const elapsed = Date.now() - started;
      const figures = w.stop();

      assert.equal(calm.kind, 'ok', outcomeText(calm));
      assert.equal(out.kind, 'failed', outcomeText(out));
      assert.match(outcomeText(out), /flood_flood failed: (MCP error -32000: )?an answer from http:\/\/127\.0\.0\.1:\d+ was larger than 16 MB; stopped reading it/);
      assert.ok(elapsed < 15_000, `the call failed after ${elapsed} ms, not at once`);
      assert.equal(host.manager.state('flood')?.kind, 'running', 'the connection itself stays up');
      assert.equal((await host.router.call('calm_echo', { text: 'after' }, { origin: 'cli' })).kind, 'ok');
      survived({ attack, outcome: 'the answer was read up to 16 MB, the socket closed, and the call failed at once with the cap named', figures, bounds: { rssGrowthMb: 64 } });
    });
  }

  for (const tool of ['trickle', 'silent']) {
    it(`a call that times out is no longer awaited or read (${tool === 'silent' ? 'no answer at all' : 'an answer trickling in'})`, async () => {
      const hostile = await startHostile('flood', ['sse']);
      stops.push(() => hostile.stop());
      const host = await hostWith([remoteServer('flood', 'http', hostile.url, { requestTimeoutMs: 1000 })]);
      stops.push(host.stop);
      const out = await host.router.call(`flood_${tool}`, {}, { origin: 'cli' });
      assert.equal(out.kind, 'failed', outcomeText(out));
      assert.match(outcomeText(out), /timed out/i);
      const hungUp = await waitFor(() => new RegExp(`${tool}: the client hung up after (\\d+) ms`).exec(hostile.stderr()) ?? undefined, 5000, 'the client to hang up');
      assert.ok(Number(hungUp[1]) < 3000, `the request stayed open ${hungUp[1]} ms after a 1 s time-out`);
    });
  }
});
