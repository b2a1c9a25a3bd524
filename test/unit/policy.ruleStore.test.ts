import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { JsonFileStore } from '../../src/policy/fileStore';
import { allowServerRule, allowToolRule, denyRule } from '../../src/policy/rules';
import { RULE_STORE_KEYS, RuleStore, type KeyValueStore } from '../../src/policy/ruleStore';
import type { RuleScope } from '../../src/policy/types';
import { factory, FS, tool } from './policy.fixtures';

/** A Memento stand-in that can be told to fail. */
class MemoryStore implements KeyValueStore {
  readonly data = new Map<string, unknown>();
  fail = false;
  get<T>(key: string): T | undefined { return this.data.get(key) as T | undefined; }
  async update(key: string, value: unknown): Promise<void> {
    if (this.fail) throw new Error('disk full');
    this.data.set(key, JSON.parse(JSON.stringify(value)));
  }
}

describe('policy/ruleStore', () => {
  let dir: string;
  beforeEach(async () => { dir = await fs.mkdtemp(path.join(os.tmpdir(), 'switchboard-policy-')); });
  afterEach(async () => { await fs.rm(dir, { recursive: true, force: true }); });

  it('round-trips workspace and always rules through one JSON file; session rules stay in memory', async () => {
    const file = path.join(dir, 'nested', 'permissions.json');
    const f = factory();
    const backing = await JsonFileStore.open(file);
    const store = new RuleStore({ workspace: backing, always: backing });
    const rules = [
      allowServerRule(FS, [tool('read'), tool('write')], 'always', f),
      allowToolRule(FS, tool('rm', { destructiveHint: true }), 'workspace', f),
      denyRule({ server: 'web' }, 'always', f),
      allowToolRule({ name: 'web', identity: 'user:web' }, tool('fetch'), 'session', f),
    ];
    for (const r of rules) await store.upsert(r);
    if (process.platform !== 'win32') assert.equal((await fs.stat(file)).mode & 0o777, 0o600);
    assert.deepEqual(await fs.readdir(path.dirname(file)), ['permissions.json'], 'no temp files left behind');

    const reloaded = new RuleStore({ workspace: await JsonFileStore.open(file), always: await JsonFileStore.open(file) });
    assert.deepEqual(reloaded.list(), [rules[1], rules[0], rules[2]]);
    assert.deepEqual(reloaded.rulesFor('web'), [rules[2]]);
    const raw = JSON.parse(await fs.readFile(file, 'utf8')) as Record<string, { version: number }>;
    assert.deepEqual(Object.keys(raw).sort(), [RULE_STORE_KEYS.always, RULE_STORE_KEYS.workspace]);
  });

  it('upserts by target and scope, revokes by id, and fires onDidChange with the scope', async () => {
    const f = factory();
    const always = new MemoryStore();
    const store = new RuleStore({ always });
    const fired: RuleScope[] = [];
    store.onDidChange((s) => fired.push(s));
    const first = await store.upsert(allowToolRule(FS, tool('write'), 'always', f));
    const second = await store.upsert(allowToolRule(FS, tool('write', undefined, { description: 'v2' }), 'always', f));
    assert.deepEqual(store.list().map((r) => r.id), [second.id]);
    assert.equal(await store.revoke(first.id), false);
    assert.equal(await store.revoke(second.id), true);
    assert.deepEqual(store.list(), []);
    assert.deepEqual((always.get<{ rules: unknown[] }>(RULE_STORE_KEYS.always))?.rules, []);
    assert.deepEqual(fired, ['always', 'always', 'always']);
    store.dispose();
  });

  it('moves a rule to another scope when upserted with the same id', async () => {
    const always = new MemoryStore();
    const store = new RuleStore({ always });
    const session = await store.upsert(allowToolRule(FS, tool('write'), 'session', factory()));
    await store.upsert({ ...session, scope: 'always' });
    assert.deepEqual(store.list().map((r) => `${r.id}:${r.scope}`), [`${session.id}:always`]);
    assert.equal(always.get<{ rules: unknown[] }>(RULE_STORE_KEYS.always)?.rules.length, 1);
  });

  it('clears session rules only', async () => {
    const f = factory();
    const store = new RuleStore({ always: new MemoryStore() });
    await store.upsert(allowToolRule(FS, tool('a'), 'session', f));
    await store.upsert(allowToolRule(FS, tool('b'), 'always', f));
    const fired: RuleScope[] = [];
    store.onDidChange((s) => fired.push(s));
    store.clearSession();
    store.clearSession();
    assert.deepEqual(store.list().map((r) => r.target.tool), ['b']);
    assert.deepEqual(fired, ['session']);
  });

  it('drops bad stored entries, reports them, and keeps the good ones', () => {
    const good = allowToolRule(FS, tool('write'), 'always', factory());
    const always = new MemoryStore();
    always.data.set(RULE_STORE_KEYS.always, {
      version: 2,
      rules: [
        good,
        { ...good, id: 'bad-effect', effect: 'maybe' },
        { ...good, id: 'bad-pin', pins: { write: { hash: 'nothex', definition: {} } } },
        { ...good, id: 'wrong-scope', scope: 'workspace' },
        'not even an object',
      ],
    });
    const problems: string[] = [];
    const store = new RuleStore({ always, onProblem: (m) => problems.push(m) });
    assert.deepEqual(store.list(), [good]);
    assert.equal(problems.length, 4);
    assert.match(problems[0], /#1/);
    assert.match(problems[2], /scope is "workspace"/);
  });

  it('survives a store in an unknown shape, or one that throws', () => {
    const problems: string[] = [];
    const weird = new MemoryStore();
    weird.data.set(RULE_STORE_KEYS.always, [1, 2, 3]);
    const throwing: KeyValueStore = { get: () => { throw new Error('boom'); }, update: async () => undefined };
    const store = new RuleStore({ always: weird, workspace: throwing, onProblem: (m) => problems.push(m) });
    assert.deepEqual(store.list(), []);
    assert.equal(problems.length, 2);
  });

  it('moves a corrupt JSON file aside and starts empty', async () => {
    const file = path.join(dir, 'permissions.json');
    await fs.writeFile(file, '{ "switchboard.permissions.always": [trunc');
    const problems: string[] = [];
    const backing = await JsonFileStore.open(file, { onProblem: (m) => problems.push(m) });
    const store = new RuleStore({ always: backing });
    assert.deepEqual(store.list(), []);
    assert.equal(problems.length, 1);
    assert.equal(await fs.readFile(`${file}.corrupt`, 'utf8'), '{ "switchboard.permissions.always": [trunc');
    await store.upsert(denyRule({ server: 'x' }, 'always', factory()));
    assert.equal(new RuleStore({ always: await JsonFileStore.open(file) }).list().length, 1);
  });

  it('reports and rejects a failed write but keeps the rule for this session', async () => {
    const always = new MemoryStore();
    always.fail = true;
    const problems: string[] = [];
    const store = new RuleStore({ always, onProblem: (m) => problems.push(m) });
    const f = factory();
    await assert.rejects(store.upsert(allowToolRule(FS, tool('w'), 'always', f)), /disk full/);
    assert.equal(store.list().length, 1);
    assert.match(problems[0], /Could not save always/);
    always.fail = false;
    // The next successful write persists the earlier rule as well.
    await store.upsert(allowToolRule(FS, tool('v'), 'always', f));
    assert.equal(always.get<{ rules: unknown[] }>(RULE_STORE_KEYS.always)?.rules.length, 2);
  });

  it('refuses workspace rules without a workspace store, and invalid rules', async () => {
    const store = new RuleStore();
    await assert.rejects(store.upsert(allowToolRule(FS, tool('w'), 'workspace', factory())), /workspace/);
    await assert.rejects(store.upsert({ ...denyRule({ server: 'fs' }, 'always'), target: { server: '' } }), /Invalid rule/);
    assert.deepEqual(store.list(), []);
  });

  it('keeps concurrent file writes in order: the last state wins', async () => {
    const file = path.join(dir, 'permissions.json');
    const store = new RuleStore({ always: await JsonFileStore.open(file) });
    const f = factory();
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.upsert(allowToolRule(FS, tool(`t${i}`), 'always', f))));
    const reloaded = new RuleStore({ always: await JsonFileStore.open(file) });
    assert.equal(reloaded.list().length, 20);
  });
});
