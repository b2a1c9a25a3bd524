import assert from 'node:assert/strict';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { decide } from '../../src/policy/policy';
import { allowServerRule, allowToolRule, denyRule } from '../../src/policy/rules';
import type { Decision, Rule, RuleScope } from '../../src/policy/types';
import { at, factory, FS, identityOf, tool, type Hints } from './policy.fixtures';

const SERVER = FS;
const off = { autoAllowReadOnly: false };
const on = { autoAllowReadOnly: true };

/** The decision's kind plus whatever distinguishes it: ask reason, or which rule level allowed. */
function summary(d: Decision): string {
  switch (d.kind) {
    case 'ask': return `ask:${d.reason}`;
    case 'deny': return `deny:${d.rule.target.tool ? 'tool' : 'server'}`;
    case 'allow': return d.rule ? `allow:${d.rule.target.tool ? 'tool' : 'server'}` : 'allow:setting';
  }
}

describe('policy/decide', () => {
  describe('decision table: every rule scope × annotation combination', () => {
    const annotationCases: { label: string; hints?: Hints; settings: typeof off }[] = [
      { label: 'no annotations', settings: off },
      { label: 'readOnly, setting off', hints: { readOnlyHint: true }, settings: off },
      { label: 'readOnly, setting on', hints: { readOnlyHint: true }, settings: on },
      { label: 'destructive', hints: { destructiveHint: true }, settings: on },
      { label: 'readOnly + destructive, setting on', hints: { readOnlyHint: true, destructiveHint: true }, settings: on },
    ];
    type RuleKind = 'none' | 'allowTool' | 'allowServer' | 'denyTool' | 'denyServer';
    /** Expected summary per rule kind, in the order of `annotationCases`. */
    const expected: Record<RuleKind, string[]> = {
      none: ['ask:noRule', 'ask:noRule', 'allow:setting', 'ask:destructive', 'ask:destructive'],
      allowTool: ['allow:tool', 'allow:tool', 'allow:tool', 'allow:tool', 'allow:tool'],
      allowServer: ['allow:server', 'allow:server', 'allow:server', 'ask:destructive', 'ask:destructive'],
      denyTool: ['deny:tool', 'deny:tool', 'deny:tool', 'deny:tool', 'deny:tool'],
      denyServer: ['deny:server', 'deny:server', 'deny:server', 'deny:server', 'deny:server'],
    };
    const makeRule = (kind: RuleKind, t: Tool, scope: RuleScope): Rule[] => {
      const f = factory();
      switch (kind) {
        case 'none': return [];
        case 'allowTool': return [allowToolRule(SERVER, t, scope, f)];
        case 'allowServer': return [allowServerRule(SERVER, [t], scope, f)];
        case 'denyTool': return [denyRule({ ...at(SERVER), tool: t.name }, scope, f)];
        case 'denyServer': return [denyRule({ ...at(SERVER) }, scope, f)];
      }
    };
    for (const scope of ['session', 'workspace', 'always'] as const) {
      for (const kind of Object.keys(expected) as RuleKind[]) {
        if (kind === 'none' && scope !== 'session') continue;
        it(`${kind}${kind === 'none' ? '' : ` (${scope})`}`, () => {
          const actual = annotationCases.map(({ hints, settings }) => {
            const t = tool('write', hints);
            return summary(decide({ ...at(SERVER), tool: t, rules: makeRule(kind, t, scope), settings }));
          });
          assert.deepEqual(actual, expected[kind], annotationCases.map((c) => c.label).join(' | '));
        });
      }
    }
  });

  it('ignores rules for other servers and other tools', () => {
    const f = factory();
    const t = tool('read');
    const rules = [
      allowServerRule({ name: 'other', identity: identityOf('other') }, [t], 'always', f),
      allowToolRule(SERVER, tool('write'), 'always', f),
      denyRule({ server: 'other' }, 'always', f),
    ];
    assert.equal(summary(decide({ ...at(SERVER), tool: t, rules, settings: off })), 'ask:noRule');
  });

  describe('deny beats allow', () => {
    const t = tool('write');
    const cases: [string, (f: ReturnType<typeof factory>) => Rule[], string][] = [
      ['tool deny vs tool allow', (f) => [allowToolRule(SERVER, t, 'always', f), denyRule({ ...at(SERVER), tool: 'write' }, 'session', f)], 'deny:tool'],
      ['server deny vs tool allow', (f) => [allowToolRule(SERVER, t, 'session', f), denyRule({ ...at(SERVER) }, 'always', f)], 'deny:server'],
      ['tool deny vs server allow', (f) => [allowServerRule(SERVER, [t], 'always', f), denyRule({ ...at(SERVER), tool: 'write' }, 'workspace', f)], 'deny:tool'],
      ['server deny vs server allow', (f) => [allowServerRule(SERVER, [t], 'session', f), denyRule({ ...at(SERVER) }, 'workspace', f)], 'deny:server'],
    ];
    for (const [label, rules, want] of cases) {
      it(label, () => {
        const d = decide({ ...at(SERVER), tool: t, rules: rules(factory()), settings: on });
        assert.equal(summary(d), want);
        assert.match(d.message, /Denied/);
      });
    }

    it('even over the read-only setting', () => {
      const ro = tool('read', { readOnlyHint: true });
      const d = decide({ ...at(SERVER), tool: ro, rules: [denyRule({ ...at(SERVER) }, 'always', factory())], settings: on });
      assert.equal(summary(d), 'deny:server');
    });
  });

  it('prefers the tool rule over the server rule when both allow', () => {
    const f = factory();
    const t = tool('write');
    const serverRule = allowServerRule(SERVER, [t], 'always', f);
    const toolRule = allowToolRule(SERVER, t, 'session', f);
    const d = decide({ ...at(SERVER), tool: t, rules: [serverRule, toolRule], settings: off });
    assert.equal(d.kind, 'allow');
    assert.equal(d.rule, toolRule);
  });

  it('falls back to a current server rule when the tool rule went stale', () => {
    const f = factory();
    const old = tool('write');
    const now = tool('write', undefined, { description: 'new words' });
    const d = decide({
      ...at(SERVER), tool: now, settings: off,
      rules: [allowToolRule(SERVER, old, 'always', f), allowServerRule(SERVER, [now], 'always', f)],
    });
    assert.equal(summary(d), 'allow:server');
  });

  it('does not let a server-wide allow cover a destructive tool, but a tool rule does', () => {
    const f = factory();
    const rm = tool('delete', { destructiveHint: true });
    const ls = tool('list');
    const serverRule = allowServerRule(SERVER, [rm, ls], 'always', f);
    assert.equal(summary(decide({ ...at(SERVER), tool: ls, rules: [serverRule], settings: off })), 'allow:server');
    const d = decide({ ...at(SERVER), tool: rm, rules: [serverRule], settings: off });
    assert.equal(summary(d), 'ask:destructive');
    assert.match(d.message, /destructive/);
    const toolRule = allowToolRule(SERVER, rm, 'session', f);
    assert.equal(summary(decide({ ...at(SERVER), tool: rm, rules: [serverRule, toolRule], settings: off })), 'allow:tool');
  });

  it('treats an allow rule without pins as not covering anything', () => {
    const t = tool('write');
    const bare: Rule = { id: 'x', target: { ...at(SERVER), tool: 'write' }, effect: 'allow', scope: 'always', createdAt: '2026-01-01T00:00:00.000Z' };
    assert.equal(summary(decide({ ...at(SERVER), tool: t, rules: [bare], settings: off })), 'ask:newTool');
  });
});
