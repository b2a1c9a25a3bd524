import assert from 'node:assert/strict';
import { decide } from '../../src/policy/policy';
import { denyRule, ruleForAnswer, upsertRule } from '../../src/policy/rules';
import type { Answer, Rule } from '../../src/policy/types';
import { at, factory, tool, FS } from './policy.fixtures';

const SERVER = FS;
const write = tool('write');
const ctx = { server: SERVER, tool: write, serverTools: [write, tool('read'), tool('rm', { destructiveHint: true })] };

describe('policy/rules', () => {
  it('turns each answer into the rule it stands for', () => {
    const f = factory();
    const shape = (r: Rule | undefined) => r && { target: r.target, effect: r.effect, scope: r.scope, pinned: Object.keys(r.pins ?? {}).sort() };
    const table: Record<Answer, ReturnType<typeof shape>> = {
      allowOnce: undefined,
      deny: undefined,
      allowSession: { target: { ...at(SERVER), tool: 'write' }, effect: 'allow', scope: 'session', pinned: ['write'] },
      allowToolAlways: { target: { ...at(SERVER), tool: 'write' }, effect: 'allow', scope: 'always', pinned: ['write'] },
      allowServerAlways: { target: { ...at(SERVER) }, effect: 'allow', scope: 'always', pinned: ['read', 'rm', 'write'] },
    };
    for (const [answer, want] of Object.entries(table) as [Answer, ReturnType<typeof shape>][]) {
      assert.deepEqual(shape(ruleForAnswer(answer, ctx, f)), want, answer);
    }
  });

  it('stamps rules with an id and an ISO time', () => {
    const r = ruleForAnswer('allowSession', ctx, factory());
    assert.equal(r?.id, 'rule-1');
    assert.equal(r?.createdAt, '2026-01-01T00:00:01.000Z');
    const real = ruleForAnswer('allowSession', ctx);
    assert.match(real?.id ?? '', /^[0-9a-f-]{36}$/);
  });

  it('pins the called tool under "allow server" even when the listing lacks it', () => {
    const r = ruleForAnswer('allowServerAlways', { server: SERVER, tool: write, serverTools: [] }, factory());
    assert.deepEqual(Object.keys(r?.pins ?? {}), ['write']);
    assert.equal(decide({ ...at(SERVER), tool: write, rules: [r!], settings: { autoAllowReadOnly: false } }).kind, 'allow');
  });

  it('makes persistent deny rules for a tool or a server, without pins', () => {
    const f = factory();
    const t = denyRule({ ...at(SERVER), tool: 'rm' }, 'always', f);
    assert.deepEqual({ ...t, id: undefined, createdAt: undefined }, { id: undefined, createdAt: undefined, target: { ...at(SERVER), tool: 'rm' }, effect: 'deny', scope: 'always' });
    assert.deepEqual(denyRule({ ...at(SERVER), tool: undefined }, 'workspace', f).target, at(SERVER));
  });

  it('replaces a rule for the same target and scope instead of piling up', () => {
    const f = factory();
    const first = ruleForAnswer('allowToolAlways', ctx, f)!;
    const session = ruleForAnswer('allowSession', ctx, f)!;
    const server = ruleForAnswer('allowServerAlways', ctx, f)!;
    let rules = [first, session, server];
    const changed = tool('write', undefined, { description: 'changed' });
    const again = ruleForAnswer('allowToolAlways', { ...ctx, tool: changed }, f)!;
    rules = upsertRule(rules, again);
    assert.deepEqual(rules.map((r) => r.id), [session.id, server.id, again.id]);
    assert.equal(decide({ ...at(SERVER), tool: changed, rules, settings: { autoAllowReadOnly: false } }).kind, 'allow');
    // A deny for the same target and scope replaces the allow too: the last answer is what counts.
    rules = upsertRule(rules, denyRule({ ...at(SERVER), tool: 'write' }, 'always', f));
    assert.deepEqual(rules.map((r) => `${r.effect}:${r.scope}:${r.target.tool ?? '*'}`), ['allow:session:write', 'allow:always:*', 'deny:always:write']);
  });
});
