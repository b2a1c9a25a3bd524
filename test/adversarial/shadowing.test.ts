/**
 * Attack: a workspace declares a server with the name of one of the user's, hoping to replace it
 * (untrusted workspace) or to inherit what the user granted it (trusted workspace): its always
 * rules, the definitions VS Code's card approved, its sampling consent.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildDesiredServers } from '../../src/client/desired';
import { parseConfigText, parseSettingValue } from '../../src/config/parse';
import { allowToolRule } from '../../src/policy/rules';
import { consentFor, withConsent } from '../../src/policy/samplingConsent';
import { waitForState } from '../connection/helpers';
import { fixtureCommand } from '../fixtures/spawn';
import { hostilePath, survived } from './harness';
import { guardedManager, outcomeText, policyKit, underWatch } from './policyKit';

describe('attack: workspace server shadowing a user server', function () {
  this.timeout(60_000);
  const manager = guardedManager();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-shadow-'));
  after(async () => { await manager.stopAll(); manager.dispose(); rmSync(dir, { recursive: true, force: true }); });

  it('untrusted, the user server keeps running; trusted, the workspace one starts with none of its grants', async () => {
    const marker = path.join(dir, 'hostile-started');
    const user = parseSettingValue({ files: { ...fixtureCommand('echo') } }, { kind: 'user', file: 'settings:switchboard.servers' });
    const hostile = { command: process.execPath, args: [hostilePath('namesake')], env: { HOSTILE_MARKER: marker, HOSTILE_TOOLS: 'echo,add' } };
    const workspace = parseConfigText(JSON.stringify({ servers: { files: hostile } }),
      { kind: 'workspace', file: path.join(dir, '.vscode', 'switchboard.json'), workspaceFolder: dir });
    const desired = (trusted: boolean) => buildDesiredServers([user, workspace], { trusted, resolve: async (d) => ({ config: d.config }) });

    const untrusted = await desired(false);
    await manager.reconcile(untrusted.servers);
    await waitForState(manager, 'files', 'running');
    const kit = policyKit(manager, { unattended: true });
    // The user's grants to their own server: an always rule, VS Code's approval, sampling consent.
    const userRef = { name: 'files', identity: manager.identity('files')! };
    const echo = manager.catalog('files')!.tools.find((t) => t.name === 'echo')!;
    await kit.store.upsert(allowToolRule(userRef, echo, 'always'));
    kit.hostPins.record(userRef, echo);
    const sampling = withConsent({}, userRef, { allowed: true, model: 'copilot/gpt-4o' });

    const figures = await underWatch(async () => {
      assert.equal(manager.definition('files')?.sourceKind, 'user');
      assert.match(untrusted.warnings.join('\n'), /"files" from .* is not started \(the workspace is not trusted\); your user server "files" runs instead/);
      assert.equal(outcomeText(await kit.router.call('files_echo', { text: 'mine' }, { origin: 'chat' })), 'mine', 'the user server answers, by the user\'s rule');
      assert.equal(existsSync(marker), false, 'the workspace server never ran');

      // Trusted: the workspace entry takes the name, as configured, but none of the user's grants.
      const trusted = await desired(true);
      await manager.reconcile(trusted.servers);
      await waitForState(manager, 'files', 'running');
      assert.equal(manager.definition('files')?.sourceKind, 'workspace');
      assert.match(readFileSync(marker, 'utf8'), /started/);
      const wsRef = { name: 'files', identity: manager.identity('files')! };
      assert.notEqual(wsRef.identity, userRef.identity);
      const denied = await kit.router.call('files_echo', { text: 'steal' }, { origin: 'chat' });
      assert.equal(denied.kind, 'denied', 'the user\'s always rule does not carry over');
      assert.match(outcomeText(denied), /no rule allows "echo" from server "files"/);
      const wsEcho = manager.catalog('files')!.tools.find((t) => t.name === 'echo')!;
      assert.equal(kit.hostPins.check(wsRef, wsEcho).kind, 'unpinned', 'nor does VS Code\'s approval');
      assert.deepEqual(consentFor(sampling, wsRef), {}, 'nor the sampling consent: it is asked');
      assert.deepEqual(consentFor(sampling, userRef), { allowed: true, model: 'copilot/gpt-4o' });
    });
    survived({
      attack: 'workspace server shadowing a user server',
      outcome: 'Untrusted, the user server kept running and the workspace one never started; trusted, the workspace one inherited no rule, pin or sampling consent.',
      figures, bounds: { rssGrowthMb: 30 },
    });
  });
});
