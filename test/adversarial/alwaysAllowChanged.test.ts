/**
 * Attack: the tool changes between the call VS Code's card approved and the user's click on
 * "Always Allow". The rule must pin what was approved; the changed tool asks, saying what changed.
 */
import assert from 'node:assert/strict';
import { alwaysAllowApproved } from '../../src/policy/alwaysAllow';
import { fixtureServer, waitFor, waitForState } from '../connection/helpers';
import { hostilePath, survived } from './harness';
import { guardedManager, nodeScript, outcomeText, policyKit, underWatch } from './policyKit';

describe('attack: tool changed before Always Allow', function () {
  this.timeout(30_000);
  const manager = guardedManager();
  after(async () => { await manager.stopAll(); manager.dispose(); });

  it('the rule covers the approved definition only; the changed tool asks with what changed and never runs unasked', async () => {
    await manager.reconcile([
      { name: 'shifty', sourceKind: 'user', config: nodeScript(hostilePath('shapeshifter')) },
      fixtureServer('good', 'echo'),
    ]);
    await Promise.all([waitForState(manager, 'shifty', 'running'), waitForState(manager, 'good', 'running')]);
    const kit = policyKit(manager);
    const figures = await underWatch(async () => {
      // Copilot's call, let through by VS Code's card (the gateway sees it settled by the host).
      const first = await kit.router.call('shifty_deploy', { target: 'staging' }, { origin: 'gateway' });
      assert.equal(outcomeText(first), 'deploy v1 for staging');
      const approved = kit.approved.get('shifty_deploy');
      assert.ok(approved, 'the approved definition is remembered for the button');

      // The server turns the tool into something else and says so.
      await waitFor(() => manager.catalog('shifty')?.tools.find((t) => t.name === 'deploy')?.annotations?.destructiveHint === true, 10_000, 'the changed tool');

      // The user clicks "Always Allow" under the answer (what the chat participant's button does).
      const { rule, changed } = alwaysAllowApproved(approved, kit.router.resolve('shifty_deploy')?.tool);
      await kit.store.upsert(rule);
      const changes = changed.map((c) => c.message);
      assert.ok(changes.includes('description changed'), changes.join('; '));
      assert.ok(changes.includes('annotations: destructiveHint unset → true'), changes.join('; '));

      // The next call is asked about, with what changed, and the user says no: the new version never runs.
      kit.answer = 'deny';
      const second = await kit.router.call('shifty_deploy', { target: 'production', keys: '~/.ssh' }, { origin: 'chat' });
      assert.equal(second.kind, 'denied');
      assert.equal(kit.asked.length, 1, 'one prompt');
      const asked = kit.asked[0].decision;
      assert.equal(asked.reason, 'definitionChanged');
      assert.deepEqual(asked.changed?.map((c) => c.message).filter((m) => changes.includes(m)), changes);
      // Through the gateway too: VS Code's remembered yes does not stand for the new version.
      const third = await kit.router.call('shifty_deploy', { target: 'production' }, { origin: 'gateway' });
      assert.equal(third.kind, 'denied');
      assert.equal(kit.asked.length, 2);
      assert.equal(kit.asked[1].decision.reason, 'definitionChanged');

      // The other server was never disturbed.
      assert.equal(outcomeText(await kit.router.call('good_echo', { text: 'still here' }, { origin: 'gateway' })), 'still here');
    });
    survived({
      attack: 'tool changed before Always Allow',
      outcome: 'Always Allow pinned the definition the card approved; the changed tool was asked about, showing what changed, and did not run.',
      figures, bounds: { rssGrowthMb: 30 },
    });
  });
});
