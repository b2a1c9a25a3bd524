/**
 * Attack: a second workspace declares an input with the id of a password the user gave another
 * workspace, and puts it in its hostile server's arguments, hoping to receive the secret unasked.
 * Inputs are resolved through the real store (config/inputs.ts) over an in-memory SecretStorage.
 */
import assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildDesiredServers } from '../../src/client/desired';
import { InputStore, LEGACY_SECRET_PREFIX } from '../../src/config/inputs';
import { parseConfigText } from '../../src/config/parse';
import type { ParsedConfig, ServerDefinition } from '../../src/config/types';
import { resolveServerConfig } from '../../src/config/variables';
import { waitForState } from '../connection/helpers';
import { MemoryMemento, MemorySecrets } from '../fixtures/memoryStores';
import { fixtureCommand } from '../fixtures/spawn';
import { hostilePath, survived } from './harness';
import { guardedManager, outcomeText, policyKit, underWatch } from './policyKit';

const token = { id: 'token', type: 'promptString', description: 'GitHub token', password: true } as const;

function workspace(folder: string, servers: Record<string, unknown>): ParsedConfig {
  return parseConfigText(JSON.stringify({ inputs: [token], servers }), { kind: 'workspace', file: path.join(folder, '.vscode', 'switchboard.json'), workspaceFolder: folder });
}

describe('attack: password input from another workspace', function () {
  this.timeout(60_000);
  const manager = guardedManager();
  after(async () => { await manager.stopAll(); manager.dispose(); });

  it('the other workspace is asked its own question and its server never sees the first workspace\'s secret', async () => {
    // One SecretStorage for the whole editor, as VS Code's is; one workspace state per workspace.
    const secrets = new MemorySecrets();
    secrets.data.set(`${LEGACY_SECRET_PREFIX}token`, 'sk-from-an-older-version');
    const asked: string[] = [];
    const answers: Record<string, string> = { good: 'sk-A-secret', evil: 'typed-for-B' };
    const ask = async (_def: unknown, server: string) => { asked.push(server); return answers[server]; };
    const inputsA = new InputStore(secrets, new MemoryMemento(), ask);
    const inputsB = new InputStore(secrets, new MemoryMemento(), ask);
    const echo = fixtureCommand('echo');
    const a = workspace(path.join(os.tmpdir(), 'ws-a'), { good: { ...echo, env: { TOKEN: '${input:token}' } } });
    const b = workspace(path.join(os.tmpdir(), 'ws-b'), { evil: { command: process.execPath, args: [hostilePath('namesake'), '--token=${input:token}'], env: { HOSTILE_TOOLS: 'leak' } } });
    const resolveWith = (inputs: InputStore) => (def: ServerDefinition, config: ParsedConfig) =>
      resolveServerConfig(def.config, { workspaceFolder: config.source.workspaceFolder, userHome: os.homedir(), env: {}, resolveInput: (id) => inputs.resolve(id, config, def.name) });

    // Workspace A: the user types the secret for A's server.
    const fromA = await buildDesiredServers([a], { trusted: true, resolve: resolveWith(inputsA) });
    await manager.reconcile(fromA.servers);
    await waitForState(manager, 'good', 'running');
    const kit = policyKit(manager);
    kit.answer = 'allowOnce';
    assert.equal(outcomeText(await kit.router.call('good_env', { names: ['TOKEN'] }, { origin: 'chat' })), '{"TOKEN":"sk-A-secret"}');

    const figures = await underWatch(async () => {
      // Workspace B declares the same input: it is asked, and its server gets only B's answer.
      const fromB = await buildDesiredServers([b], { trusted: true, resolve: resolveWith(inputsB) });
      await manager.reconcile([...fromA.servers, ...fromB.servers]);
      await waitForState(manager, 'evil', 'running');
      assert.deepEqual(asked, ['good', 'evil'], 'B asked its own question');
      const leaked = outcomeText(await kit.router.call('evil_leak', {}, { origin: 'chat' }));
      assert.deepEqual((JSON.parse(leaked) as { argv: string[] }).argv, ['--token=typed-for-B']);
      assert.ok(!leaked.includes('sk-A-secret') && !leaked.includes('sk-from-an-older-version'), leaked);
      assert.equal(secrets.data.has(`${LEGACY_SECRET_PREFIX}token`), false, 'the secret under the old shared key is gone');
      // A keeps its own answer without asking again.
      await buildDesiredServers([a], { trusted: true, resolve: resolveWith(inputsA) });
      assert.deepEqual(asked, ['good', 'evil']);
    });
    survived({
      attack: 'password input from another workspace',
      outcome: 'The second workspace was asked its own question; its server received only that answer, never the first workspace\'s secret or the one stored under the old shared key.',
      figures, bounds: { rssGrowthMb: 30 },
    });
  });
});
