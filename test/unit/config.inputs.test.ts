import assert from 'node:assert/strict';
import { ANSWERS_KEY, inputKey, InputStore, LEGACY_SECRET_PREFIX } from '../../src/config/inputs';
import type { ConfigSource, InputDefinition } from '../../src/config/types';
import { MemoryMemento, MemorySecrets } from '../fixtures/memoryStores';

const wsA: ConfigSource = { kind: 'workspace', file: '/a/.vscode/switchboard.json', workspaceFolder: '/a' };
const wsB: ConfigSource = { kind: 'workspace', file: '/b/.vscode/switchboard.json', workspaceFolder: '/b' };
const user: ConfigSource = { kind: 'user', file: 'settings:switchboard.servers' };
const token: InputDefinition = { id: 'token', type: 'promptString', description: 'API token', password: true };

function store(secrets = new MemorySecrets(), state = new MemoryMemento()) {
  const asked: string[] = [];
  let n = 0;
  const inputs = new InputStore(secrets, state, async (def, server) => { asked.push(`${server}:${def.id}`); return `answer-${++n}`; });
  return { inputs, asked, secrets, state };
}

describe('config/inputs', () => {
  it('keys an answer by where the input is declared and what it asks', () => {
    const keys = [
      inputKey(token, wsA), inputKey(token, wsB), inputKey(token, user),
      inputKey({ ...token, description: 'Token for the deploy bot' }, wsA),
      inputKey({ ...token, type: 'pickString', options: ['a'] }, wsA),
      inputKey({ ...token, password: false }, wsA),
    ];
    assert.equal(new Set(keys).size, keys.length);
    assert.equal(inputKey(token, user), inputKey(token, { kind: 'user', file: 'elsewhere' }), 'user inputs belong to the user, in every workspace');
    assert.equal(inputKey(token, wsA), inputKey({ ...token, default: 'x' }, wsA), 'a default is not part of the question');
  });

  it('a password given in one workspace is not handed to another that declares the same input', async () => {
    const { inputs, asked } = store();
    assert.equal(await inputs.resolve('token', { source: wsA, inputs: [token] }, 'gh'), 'answer-1');
    assert.equal(await inputs.resolve('token', { source: wsA, inputs: [token] }, 'gh'), 'answer-1', 'remembered in A');
    assert.equal(await inputs.resolve('token', { source: wsB, inputs: [token] }, 'evil'), 'answer-2', 'B asks its own question');
    assert.deepEqual(asked, ['gh:token', 'evil:token']);
  });

  it('a changed question is asked again', async () => {
    const { inputs, asked } = store();
    await inputs.resolve('token', { source: wsA, inputs: [token] }, 'gh');
    assert.equal(await inputs.resolve('token', { source: wsA, inputs: [{ ...token, description: 'Paste your AWS key' }] }, 'gh'), 'answer-2');
    assert.equal(asked.length, 2);
  });

  it('a secret stored under the old shared key is never handed out, and is deleted', async () => {
    const secrets = new MemorySecrets();
    secrets.data.set(`${LEGACY_SECRET_PREFIX}token`, 'sk-old');
    const { inputs, asked } = store(secrets);
    assert.equal(await inputs.resolve('token', { source: wsB, inputs: [token] }, 'evil'), 'answer-1');
    assert.equal(asked.length, 1);
    assert.equal(secrets.data.has(`${LEGACY_SECRET_PREFIX}token`), false);
    assert.ok(![...secrets.data.values()].includes('sk-old'));
  });

  it('plain answers live in workspace state under the same keys, and ids like constructor are ids', async () => {
    const { inputs, asked, state } = store();
    const defs: InputDefinition[] = ['constructor', '__proto__', 'toString'].map((id) => ({ id, type: 'promptString' }));
    for (const d of defs) assert.equal(typeof await inputs.resolve(d.id, { source: wsA, inputs: defs }, 's'), 'string');
    for (const d of defs) await inputs.resolve(d.id, { source: wsA, inputs: defs }, 's');
    assert.equal(asked.length, 3, 'each asked once');
    assert.equal(Object.keys(state.data.get(ANSWERS_KEY) as object).length, 3);
    assert.equal(await inputs.resolve('hasOwnProperty', { source: wsA, inputs: defs }, 's'), undefined, 'not declared');
  });
});
