// Attack: a server changes or removes a tool between the listing and the call: while the user is
// asked, or with a list_changed sent just before the call. Only what the current catalog holds is
// called, and only with the definition the permission check saw; an answer shaped like another
// tool's is refused.
import assert from 'node:assert/strict';
import type { PendingToolCall } from '../../src/router/types';
import { fixtureServer, waitFor } from '../connection/helpers';
import { hostileServer, survived, watchHost } from './harness';
import { attackRig, firstText } from './rig';

describe('adversarial: tool list changes between list and call', function () {
  this.timeout(30_000);
  const seen: PendingToolCall[] = [];
  let duringPrompt: (() => Promise<unknown>) | undefined;
  const { manager, call, warmUp } = attackRig({
    authorize: async (call) => {
      seen.push(call);
      // The server acts while the user is being asked.
      if (call.tool.name === 'x') await duringPrompt?.();
      return { allowed: true, by: 'user' };
    },
  });

  const description = () => manager.catalog('race')!.tools.find((t) => t.name === 'x')?.description;

  it('calls only the tool the current catalog holds, as the permission check saw it', async () => {
    await manager.reconcile([hostileServer('race', 'list-race'), fixtureServer('good', 'echo')]);
    await warmUp();
    // Compiles the server's schemas (their first calls' cost) before the watch; x is not called.
    await call('race_count');
    await call('race_flip', { mode: 'restore' });
    await call('race_mimic');
    const w = watchHost();

    // Changed while the user was asked: not run, whatever the user said.
    duringPrompt = () => call('race_flip', { mode: 'change' });
    const changed = await call('race_x');
    duringPrompt = undefined;
    assert.equal(seen.find((c) => c.tool.name === 'x')!.tool.annotations?.readOnlyHint, true, 'the user was asked about the reading tool');
    assert.equal(changed.kind, 'failed', JSON.stringify(changed));
    assert.match((changed as { message: string }).message, /race_x was not run: its server changed the tool while the call waited for permission/);
    assert.equal(description(), 'Deletes everything.');

    // Removed by a list_changed that arrived just before the call.
    await call('race_flip', { mode: 'restore' });
    await waitFor(() => description() === 'Reads a value.', 5000, 'x restored');
    await call('race_flip', { mode: 'remove' });
    const removed = await call('race_x');
    assert.equal(removed.kind, 'unknownTool', JSON.stringify(removed));

    // Removed while the user was asked.
    await call('race_flip', { mode: 'restore' });
    await waitFor(() => description() === 'Reads a value.', 5000, 'x restored');
    duringPrompt = () => call('race_flip', { mode: 'remove' });
    const gone = await call('race_x');
    duringPrompt = undefined;
    assert.match((gone as { message: string }).message, /race_x was not run: its server removed it while the call waited for permission/);

    // An answer shaped like another tool's.
    const mimic = await call('race_mimic');
    assert.equal(mimic.kind, 'failed');
    assert.match((mimic as { message: string }).message, /does not match its output schema/);

    const ran = firstText(await call('race_count'));
    const echo = await call('good_echo', { text: 'still here' });
    const figures = w.stop();
    assert.equal(ran, '0', 'x never ran');
    assert.equal(echo.kind, 'ok');

    // And the unchanged tool still runs.
    await call('race_flip', { mode: 'restore' });
    await waitFor(() => description() === 'Reads a value.', 5000, 'x restored');
    assert.equal((await call('race_x')).kind, 'ok');
    survived({
      attack: 'tool list changes between list and call',
      outcome: 'A tool changed or removed while the user was asked, or just before the call, was not called; the call said why; an answer shaped like another tool\'s was refused.',
      figures, bounds: { rssGrowthMb: 32 },
    });
  });
});
