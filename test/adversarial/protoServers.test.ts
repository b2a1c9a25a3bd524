/**
 * Attack: a config whose servers are named `__proto__`, `constructor`, `toString` and
 * `hasOwnProperty`, each a hostile server whose tools, schema properties and results use the
 * same names and try `__proto__` / `constructor.prototype` pollution. Every name must work like
 * any other, through parsing, the manager, the router, the policy and its stores (saved and
 * reloaded), and nothing may reach Object.prototype.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildDesiredServers } from '../../src/client/desired';
import { parseConfigText } from '../../src/config/parse';
import { JsonFileStore } from '../../src/policy/fileStore';
import { decide } from '../../src/policy/policy';
import { waitForState } from '../connection/helpers';
import { fixtureCommand } from '../fixtures/spawn';
import { hostilePath, survived } from './harness';
import { guardedManager, outcomeText, policyKit, underWatch } from './policyKit';

const NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];
const TOOLS = [...NAMES, 'leak'];
const prototypeNames = () => Object.getOwnPropertyNames(Object.prototype).sort().join();

describe('attack: server named __proto__', function () {
  this.timeout(60_000);
  const manager = guardedManager();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-proto-'));
  after(async () => { await manager.stopAll(); manager.dispose(); rmSync(dir, { recursive: true, force: true }); });

  it('servers, tools and results named like Object.prototype members work like any other and pollute nothing', async () => {
    const before = prototypeNames();
    const originalToString = Object.prototype.toString;
    const entry = (args: string[]) => JSON.stringify({ command: process.execPath, args });
    const good = fixtureCommand('echo');
    const text = `{"servers": {${NAMES.map((n) => `"${n}": ${entry([hostilePath('namesake'), n])}`).join(', ')}, "good": ${entry(good.args)}}}`;
    const parsed = parseConfigText(text, { kind: 'workspace', file: path.join(dir, '.vscode', 'switchboard.json'), workspaceFolder: dir });
    assert.deepEqual(parsed.errors, []);
    const { servers } = await buildDesiredServers([parsed], { trusted: true, resolve: async (d) => ({ config: d.config }) });
    assert.deepEqual(servers.map((s) => s.name), [...NAMES, 'good']);
    // Started before the watch: a process spawn blocks the thread for its fork and exec whatever
    // the server is called (on a loaded machine, for a large part of the budget), which is not
    // this attack's doing. The manager keeps them apart by name all the same.
    await manager.reconcile(servers);
    await Promise.all([...NAMES, 'good'].map((n) => waitForState(manager, n, 'running')));
    assert.equal(outcomeText(await policyKit(manager).router.call('good_echo', { text: 'warm' }, { origin: 'gateway' })), 'warm');
    const figures = await underWatch(async () => {

      const file = path.join(dir, 'permissions.json');
      const kit = policyKit(manager, { storage: await JsonFileStore.open(file) });
      const served = manager.tools().filter((t) => NAMES.includes(t.server));
      assert.equal(served.length, NAMES.length * TOOLS.length);
      assert.equal(new Set(served.map((t) => t.name)).size, served.length, 'every served name is unique');

      // VS Code's card lets each tool run once: host pins are recorded under the same names.
      for (const t of served) assert.equal((await kit.router.call(t.name, {}, { origin: 'gateway' })).kind, 'ok');
      await kit.hostPins.flush();
      // Each server allowed as a whole once (one prompt each), then every tool runs unasked.
      kit.answer = 'allowServerAlways';
      for (const t of served) {
        const outcome = await kit.router.call(t.name, { text: 'hi', __proto__: 'x', constructor: 'y' }, { origin: 'chat' });
        assert.equal(outcome.kind, 'ok', `${t.name}: ${outcomeText(outcome)}`);
        assert.deepEqual((JSON.parse(outcomeText(outcome)) as { argv: string[] }).argv, [t.server], `${t.name} reached its own server`);
      }
      assert.equal(kit.asked.length, NAMES.length);

      // Saved and read back: the same names still find their rules and pins.
      const reloaded = policyKit(manager, { storage: await JsonFileStore.open(file) });
      for (const t of served) {
        const d = decide({ server: t.server, identity: manager.identity(t.server), tool: t.tool, rules: reloaded.store.rulesFor(t.server), settings: { autoAllowReadOnly: false } });
        assert.equal(d.kind, 'allow', `${t.name} after reload`);
        assert.equal(reloaded.hostPins.check({ name: t.server, identity: manager.identity(t.server)! }, t.tool).kind, 'same', `${t.name} pin after reload`);
      }
      assert.equal(outcomeText(await kit.router.call('good_echo', { text: 'still here' }, { origin: 'gateway' })), 'still here');
    });
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(prototypeNames(), before, 'Object.prototype has the same members');
    assert.equal(Object.prototype.toString, originalToString);
    survived({
      attack: 'server named __proto__',
      outcome: 'Servers, tools and schema properties named __proto__, constructor, toString and hasOwnProperty ran, were allowed, saved and reloaded like any other; Object.prototype was untouched.',
      figures, bounds: { rssGrowthMb: 30 },
    });
  });
});
