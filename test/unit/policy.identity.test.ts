/** Rules, pins and "Always Allow" belong to a server's identity, never to its name alone. */
import assert from 'node:assert/strict';
import { alwaysAllowApproved, alwaysAllowChangedMessage } from '../../src/policy/alwaysAllow';
import { createAuthorizer } from '../../src/policy/authorizer';
import { definitionOf } from '../../src/policy/fingerprint';
import { HOST_PINS_KEY, HostPins } from '../../src/policy/hostPins';
import { decide } from '../../src/policy/policy';
import { RULE_STORE_KEYS, RuleStore } from '../../src/policy/ruleStore';
import { allowServerRule, allowToolRule, denyRule } from '../../src/policy/rules';
import type { Answer, Rule } from '../../src/policy/types';
import type { PendingToolCall } from '../../src/router/types';
import { MemoryMemento } from '../fixtures/memoryStores';
import { at, factory, FS, tool } from './policy.fixtures';

const off = { autoAllowReadOnly: false };
/** A workspace server that took the name of the user's `fs`. */
const NAMESAKE = { name: 'fs', identity: 'workspace:fs' };

const prototypeNames = () => Object.getOwnPropertyNames(Object.prototype).sort().join();

describe('policy: keyed by server identity', () => {
  it('a workspace server named like a user server inherits none of its allow rules', () => {
    const f = factory();
    const write = tool('write');
    const rules = [allowToolRule(FS, write, 'always', f), allowServerRule(FS, [write, tool('read')], 'always', f)];
    assert.equal(decide({ ...at(FS), tool: write, rules, settings: off }).kind, 'allow');
    for (const t of [write, tool('read')]) {
      const d = decide({ ...at(NAMESAKE), tool: t, rules, settings: off });
      assert.deepEqual([d.kind, d.kind === 'ask' && d.reason], ['ask', 'noRule'], t.name);
    }
    assert.equal(decide({ server: 'fs', identity: undefined, tool: write, rules, settings: off }).kind, 'ask', 'no identity, no allow');
  });

  it('an allow rule without an identity covers nothing; a deny rule without one holds for every namesake', () => {
    const write = tool('write');
    const bare = (effect: Rule['effect']): Rule => ({
      id: effect, target: { server: 'fs', tool: 'write' }, effect, scope: 'always', createdAt: '2026-01-01T00:00:00.000Z',
      ...(effect === 'allow' ? { pins: allowToolRule(FS, write, 'always').pins } : {}),
    });
    assert.equal(decide({ ...at(FS), tool: write, rules: [bare('allow')], settings: off }).kind, 'ask');
    assert.equal(decide({ ...at(FS), tool: write, rules: [bare('deny')], settings: off }).kind, 'deny');
    assert.equal(decide({ ...at(NAMESAKE), tool: write, rules: [bare('deny')], settings: off }).kind, 'deny');
    assert.equal(decide({ ...at(NAMESAKE), tool: write, rules: [denyRule({ ...at(FS) }, 'always')], settings: off }).kind, 'ask', 'an identified deny is the user server\'s');
  });

  it('stored version 1 rules: allows are dropped with one note, denies kept for the name, the store rewritten', async () => {
    const always = new MemoryMemento();
    const f = factory();
    const legacy = (r: Rule) => ({ ...r, target: { server: r.target.server, ...(r.target.tool ? { tool: r.target.tool } : {}) } });
    always.data.set(RULE_STORE_KEYS.always, {
      version: 1,
      rules: [legacy(allowToolRule(FS, tool('write'), 'always', f)), legacy(allowServerRule(FS, [tool('read')], 'always', f)), legacy(denyRule({ server: 'fs', tool: 'rm' }, 'always', f))],
    });
    const problems: string[] = [];
    const store = new RuleStore({ always, onProblem: (m) => problems.push(m) });
    assert.deepEqual(store.list().map((r) => [r.effect, r.target]), [['deny', { server: 'fs', tool: 'rm' }]]);
    assert.equal(problems.length, 1);
    assert.match(problems[0], /2 earlier always allow rules were removed, and those tools ask again/);
    await new Promise((r) => setImmediate(r));
    assert.equal((always.data.get(RULE_STORE_KEYS.always) as { version: number }).version, 2);
    const again: string[] = [];
    assert.equal(new RuleStore({ always, onProblem: (m) => again.push(m) }).list().length, 1);
    assert.deepEqual(again, [], 'the note is given once');
  });

  it('host pins belong to an identity; pins stored by name only are checked, never trusted', async () => {
    const kv = new MemoryMemento();
    const pins = new HostPins(kv);
    pins.record(FS, tool('write'));
    assert.equal(pins.check(FS, tool('write')).kind, 'same');
    assert.equal(pins.check(NAMESAKE, tool('write')).kind, 'unpinned');
    await pins.flush();

    const changed = tool('write', undefined, { description: 'now deletes' });
    kv.data.set(HOST_PINS_KEY, { version: 1, pins: { fs: { write: new HostPinsProbe().pin } } });
    const legacy = new HostPins(kv);
    assert.equal(legacy.check(NAMESAKE, changed).kind, 'changed', 'a name-only pin can still ask');
    legacy.record(FS, changed);
    assert.equal(legacy.check(FS, changed).kind, 'same', 'the identity pin wins once recorded');
    assert.equal(legacy.check(NAMESAKE, changed).kind, 'changed');
    await legacy.flush();
    assert.equal(new HostPins(kv).check(NAMESAKE, changed).kind, 'changed', 'legacy pins are kept');
  });

  it('a prompt answered after the server was reconfigured leaves no lasting rule', async () => {
    const store = new RuleStore();
    let identity = FS.identity;
    let release!: (a: Answer) => void;
    const auth = createAuthorizer({
      store, settings: () => off, serverTools: () => [tool('write')], identity: () => identity,
      prompt: () => new Promise<Answer>((r) => { release = r; }),
    });
    const call: PendingToolCall = { name: 'fs_write', server: 'fs', tool: tool('write'), args: {}, origin: 'chat' };
    const outcome = auth(call);
    await new Promise((r) => setTimeout(r, 5));
    identity = NAMESAKE.identity;
    release('allowToolAlways');
    assert.deepEqual(await outcome, { allowed: true, by: 'user' });
    assert.equal(store.list().length, 0);
  });
});

/** A valid stored pin, for the version 1 format. */
class HostPinsProbe {
  readonly pin = allowToolRule(FS, tool('write'), 'always').pins!.write;
}

describe('policy/alwaysAllow: pins what was approved', () => {
  const approvedTool = tool('write');
  const approved = { server: FS, tool: 'write', definition: definitionOf(approvedTool) };

  it('when the tool is unchanged, the rule allows it', () => {
    const { rule, changed } = alwaysAllowApproved(approved, approvedTool, 'always', factory());
    assert.deepEqual(changed, []);
    assert.deepEqual(rule.target, { ...at(FS), tool: 'write' });
    assert.equal(decide({ ...at(FS), tool: approvedTool, rules: [rule], settings: off }).kind, 'allow');
  });

  it('when the tool changed between the call and the click, the rule does not cover the new definition', () => {
    const now = tool('write', { destructiveHint: true }, { description: 'now wipes the disk' });
    const { rule, changed } = alwaysAllowApproved(approved, now, 'always', factory());
    assert.deepEqual(changed.map((c) => c.message), ['description changed', 'annotations: destructiveHint unset → true']);
    const d = decide({ ...at(FS), tool: now, rules: [rule], settings: off });
    assert.equal(d.kind, 'ask');
    assert.equal(d.kind === 'ask' && d.reason, 'definitionChanged');
    assert.deepEqual(d.kind === 'ask' && d.changed?.map((c) => c.message), changed.map((c) => c.message));
    assert.equal(decide({ ...at(FS), tool: approvedTool, rules: [rule], settings: off }).kind, 'allow', 'the approved version stays allowed');
    assert.match(alwaysAllowChangedMessage('fs_write', changed), /changed after you approved it \(description changed; .*\)\. Always Allow covers the version you approved/);
  });

  it('a rule for the approved server never covers a namesake', () => {
    const { rule } = alwaysAllowApproved(approved, approvedTool, 'always', factory());
    assert.equal(decide({ ...at(NAMESAKE), tool: approvedTool, rules: [rule], settings: off }).kind, 'ask');
  });
});

describe('policy: names from servers are only names', () => {
  const NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];

  it('tools and servers named __proto__, constructor, … are pinned, stored, reloaded and matched, and pollute nothing', async () => {
    const before = prototypeNames();
    const kv = new MemoryMemento();
    const store = new RuleStore({ always: kv });
    const pins = new HostPins(kv);
    const f = factory();
    for (const name of NAMES) {
      const ref = { name, identity: `user:${name}` };
      const tools = NAMES.map((t) => tool(t));
      await store.upsert(allowServerRule(ref, tools, 'always', f));
      for (const t of tools) pins.record(ref, t);
    }
    await pins.flush();
    const reloaded = new RuleStore({ always: kv });
    const reloadedPins = new HostPins(kv);
    for (const name of NAMES) {
      const ref = { name, identity: `user:${name}` };
      for (const t of NAMES) {
        assert.equal(decide({ ...at(ref), tool: tool(t), rules: reloaded.rulesFor(name), settings: off }).kind, 'allow', `${name}/${t}`);
        assert.equal(reloadedPins.check(ref, tool(t)).kind, 'same', `${name}/${t}`);
      }
      assert.equal(decide({ ...at(ref), tool: tool('other'), rules: reloaded.rulesFor(name), settings: off }).kind, 'ask', `${name}/other is new`);
    }
    assert.equal(({} as Record<string, unknown>).write, undefined);
    assert.equal(prototypeNames(), before);
  });
});
