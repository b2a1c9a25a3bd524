// Attack (or plain crash): a server completes the handshake, then exits while its lists are being
// fetched. It must show as failed at once, with its exit code and last stderr lines, not as a
// running server with no tools until the health ping notices.
import assert from 'node:assert/strict';
import { fixtureServer, waitFor } from '../connection/helpers';
import { hostileServer, survived, watchHost } from './harness';
import { attackRig } from './rig';

describe('adversarial: dies while listing', function () {
  this.timeout(30_000);
  const { manager, logs, call, warmUp } = attackRig();

  it('shows a server that exits during tools/list or prompts/list as failed at once, with its stderr', async () => {
    await manager.reconcile([fixtureServer('good', 'echo')]);
    await warmUp();
    const started = Date.now();
    const reconciled = manager.reconcile([
      fixtureServer('good', 'echo'),
      hostileServer('tools', 'dies-while-listing', ['tools/list']),
      hostileServer('prompts', 'dies-while-listing', ['prompts/list']),
    ]);
    // Watched from the moment both processes exist: spawning is every start's cost (a fork of
    // this process), not this attack's, and is measured with the starts themselves.
    await waitFor(() => manager.connection('tools')?.pid && manager.connection('prompts')?.pid, 10_000, 'both processes');
    const w = watchHost();
    await reconciled;
    const tookMs = Date.now() - started;
    const echo = await call('good_echo', { text: 'still here' });
    const figures = w.stop();

    for (const server of ['tools', 'prompts']) {
      const state = manager.state(server)!;
      assert.equal(state.kind, 'error', `${server}: ${JSON.stringify(state)}`);
      assert.match((state as { message: string }).message, /^the server process exited with code 3 while listing what it offers$/);
      assert.deepEqual((state as { stderrTail: string[] }).stderrTail.slice(-1), ['hostile dies-while-listing: out of memory, giving up']);
      const errors = logs.get(server)!.lines.filter((l) => l.startsWith('error') || l.startsWith('warn'));
      assert.deepEqual(errors, ['error failed to start: the server process exited with code 3 while listing what it offers']);
    }
    assert.ok(tookMs < 10_000, `the start ended in ${tookMs} ms, not at the next health ping`);
    assert.equal(echo.kind, 'ok');
    survived({
      attack: 'dies while listing',
      outcome: 'The server showed as failed at once, with its exit code and last stderr line; the other server kept answering.',
      figures, bounds: { rssGrowthMb: 32 },
    });
  });
});
