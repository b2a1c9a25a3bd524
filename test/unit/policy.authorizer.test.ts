import assert from 'node:assert/strict';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { createAuthorizer, decideCall, DECLINED, type PermissionRequest } from '../../src/policy/authorizer';
import { HOST_PINS_KEY, HostPins } from '../../src/policy/hostPins';
import { allowToolRule, denyRule } from '../../src/policy/rules';
import { RuleStore } from '../../src/policy/ruleStore';
import type { Answer } from '../../src/policy/types';
import type { CallOrigin, PendingToolCall } from '../../src/router/types';
import { factory, FS, identityOf, tool } from './policy.fixtures';

const call = (t: Tool, origin: CallOrigin = 'chat', server = 'fs'): PendingToolCall =>
  ({ name: `${server}_${t.name}`, server, tool: t, args: { path: 'a' }, origin });

describe('policy/authorizer', () => {
  let store: RuleStore;
  let asked: PermissionRequest[];
  let answer: Answer | undefined;
  let readOnly: boolean;
  const tools = [tool('read', { readOnlyHint: true }), tool('write'), tool('rm', { destructiveHint: true })];
  let hostPins: HostPins;
  const authorize = (prompt = true) => createAuthorizer({
    store, settings: () => ({ autoAllowReadOnly: readOnly }), serverTools: () => tools, hostPins, identity: identityOf,
    prompt: prompt ? async (r) => { asked.push(r); return answer; } : undefined,
    unattended: 'Run with --yes.',
  });

  beforeEach(() => { store = new RuleStore(); asked = []; answer = undefined; readOnly = false; hostPins = new HostPins(); });

  it('asks when no rule applies, and a dismissed or denied prompt is the user declining', async () => {
    assert.deepEqual(await authorize()(call(tools[1])), { allowed: false, by: 'user', reason: DECLINED });
    assert.equal(asked.length, 1);
    assert.equal(asked[0].decision.reason, 'noRule');
    answer = 'deny';
    assert.deepEqual(await authorize()(call(tools[1])), { allowed: false, by: 'user', reason: DECLINED });
    assert.equal(store.list().length, 0, 'a single "deny" leaves no rule behind');
  });

  it('allow once leaves nothing; allow for the session stores a rule the next call is decided by', async () => {
    answer = 'allowOnce';
    assert.deepEqual(await authorize()(call(tools[1])), { allowed: true, by: 'user', rule: undefined });
    assert.equal(store.list().length, 0);
    answer = 'allowSession';
    const first = await authorize()(call(tools[1]));
    assert.equal(first.allowed && first.by, 'user');
    const [rule] = store.list();
    assert.equal(rule.scope, 'session');
    assert.deepEqual(await authorize()(call(tools[1])), { allowed: true, by: 'policy', rule: rule.id });
    assert.equal(asked.length, 2, 'the third call was not asked about');
  });

  it('always allow this server covers its other non-destructive tools but not a destructive one', async () => {
    answer = 'allowServerAlways';
    await authorize()(call(tools[1]));
    const [rule] = store.list();
    assert.deepEqual(rule.target, { server: 'fs', identity: FS.identity });
    assert.deepEqual(await authorize()(call(tools[0])), { allowed: true, by: 'policy', rule: rule.id });
    answer = undefined;
    const rm = await authorize()(call(tools[2]));
    assert.equal(rm.allowed, false);
    assert.equal(asked.at(-1)!.decision.reason, 'destructive');
  });

  it('a deny rule refuses without asking and names the rule', async () => {
    const rule = denyRule({ server: 'fs', tool: 'write' }, 'always', factory());
    await store.upsert(rule);
    const out = await authorize()(call(tools[1]));
    assert.deepEqual(out, { allowed: false, by: 'policy', reason: 'Denied by your rule for "write" (always).', rule: rule.id });
    assert.equal(asked.length, 0);
  });

  it('without a prompt an ask is refused with the unattended hint', async () => {
    const out = await authorize(false)(call(tools[1], 'cli'));
    assert.deepEqual(out, { allowed: false, by: 'policy', reason: 'no rule allows "write" from server "fs". Run with --yes.' });
  });

  it('the read-only setting allows read-only tools without asking', async () => {
    readOnly = true;
    assert.deepEqual(await authorize()(call(tools[0])), { allowed: true, by: 'policy', rule: undefined });
    assert.equal(asked.length, 0);
  });

  describe('gateway calls (VS Code has shown its own confirmation)', () => {
    /** Says it is not destructive: VS Code's card (or the user's yes to its server) stands for ours. */
    const safe = tool('mkdir', { destructiveHint: false });

    it('an ask for a tool that says it is not destructive is settled by the host, without a second prompt', async () => {
      assert.deepEqual(await authorize()(call(safe, 'gateway')), { allowed: true, by: 'host' });
      assert.equal(asked.length, 0);
    });

    it('a tool that may be destructive is asked about by our dialog, naming it: a yes to its whole server in VS Code does not stand for it', async () => {
      // VS Code's "Allow Tools from <server>" lets every later call through with no card, and the
      // gateway cannot tell; so neither a destructiveHint tool nor an unannotated one (the MCP
      // default: may be destructive) is settled by the host.
      answer = 'deny';
      for (const t of [tools[2], tools[1]]) assert.deepEqual(await authorize()(call(t, 'gateway')), { allowed: false, by: 'user', reason: DECLINED });
      assert.deepEqual(asked.map((r) => [r.call.tool.name, r.decision.message]), [
        ['rm', '"rm" says it may make destructive changes.'],
        ['write', 'Allow "write" from server "fs" to run?'],
      ]);
      answer = 'allowSession';
      assert.deepEqual(await authorize()(call(tools[2], 'gateway')), { allowed: true, by: 'user', rule: store.list()[0]?.id });
      assert.equal((await authorize()(call(tools[2], 'gateway'))).by, 'policy', 'our own per-tool yes settles the next call');
      assert.equal(asked.length, 3);
    });

    it('deny rules still deny', async () => {
      await store.upsert(denyRule({ server: 'fs' }, 'session', factory()));
      const out = await authorize()(call(safe, 'gateway'));
      assert.equal(out.allowed, false);
      assert.equal(out.by, 'policy');
    });

    it('a read-only tool is settled by the host too (the gateway hides its hint, so VS Code showed its card), or by the setting', async () => {
      assert.deepEqual(await authorize()(call(tools[0], 'gateway')), { allowed: true, by: 'host' });
      readOnly = true;
      assert.deepEqual(await authorize()(call(tools[0], 'gateway')), { allowed: true, by: 'policy', rule: undefined });
      assert.equal(asked.length, 0);
    });

    it('a tool that changed since VS Code\'s card last let it run is asked about by us, with what changed; a yes pins the new definition', async () => {
      assert.deepEqual(await authorize()(call(safe, 'gateway')), { allowed: true, by: 'host' });
      const changed = tool('mkdir', { destructiveHint: false }, { description: 'now also deletes things' });
      answer = 'allowOnce';
      assert.deepEqual(await authorize()(call(changed, 'gateway')), { allowed: true, by: 'user', rule: undefined });
      assert.equal(asked.length, 1);
      assert.equal(asked[0].decision.reason, 'definitionChanged');
      assert.match(asked[0].decision.message, /changed since VS Code's approval last let it run/);
      assert.match(asked[0].decision.changed!.map((c) => c.message).join('\n'), /description/);
      assert.deepEqual(await authorize()(call(changed, 'gateway')), { allowed: true, by: 'host' }, 'the card stands for the definition the user said yes to');
      assert.equal(asked.length, 1);
      // The chat participant previews the same way, so it can say what changed before asking.
      const settings = () => ({ autoAllowReadOnly: false });
      assert.equal(decideCall({ store, settings, hostPins, identity: identityOf }, { server: 'fs', tool: safe, origin: 'chat' }).kind, 'ask');
      assert.equal((decideCall({ store, settings, hostPins, identity: identityOf }, { server: 'fs', tool: safe, origin: 'chat' }) as { reason: string }).reason, 'definitionChanged');
      assert.equal((decideCall({ store, settings, hostPins, identity: identityOf }, { server: 'fs', tool: safe, origin: 'manual' }) as { reason: string }).reason, 'noRule', 'a manual run never went through a card');
    });

    it('a declined change stays unpinned, so the next call asks again; deny rules still win over pins', async () => {
      await authorize()(call(safe, 'gateway'));
      const changed = tool('mkdir', { destructiveHint: false }, { description: 'now also deletes things' });
      answer = 'deny';
      assert.equal((await authorize()(call(changed, 'gateway'))).allowed, false);
      assert.equal((await authorize()(call(changed, 'gateway'))).allowed, false);
      assert.equal(asked.length, 2);
      await store.upsert(denyRule({ server: 'fs', tool: 'mkdir' }, 'session', factory()));
      assert.equal((await authorize()(call(safe, 'gateway'))).by, 'policy');
    });

    it('host pins outlive the window through their store, and a corrupt store is ignored with a note', async () => {
      const data = new Map<string, unknown>();
      const kv = { get: <T>(k: string) => data.get(k) as T, update: async (k: string, v: unknown) => { data.set(k, v); } };
      const first = new HostPins(kv);
      first.record(FS, tools[1]);
      await first.flush();
      const again = new HostPins(kv);
      assert.equal(again.check(FS, tools[1]).kind, 'same');
      assert.equal(again.check(FS, tool('write', undefined, { description: 'other' })).kind, 'changed');
      assert.equal(again.check(FS, tools[0]).kind, 'unpinned');
      data.set(HOST_PINS_KEY, { version: 1, pins: { fs: { write: { hash: 'nope' } } } });
      const problems: string[] = [];
      assert.equal(new HostPins(kv, (m) => problems.push(m)).check(FS, tools[1]).kind, 'unpinned');
      assert.match(problems[0], /unrecognized format/);
    });

    it('a tool whose definition changed since it was allowed is asked about by us, with what changed', async () => {
      await store.upsert(allowToolRule(FS, tools[1], 'always', factory()));
      const changed = tool('write', undefined, { description: 'now also deletes things' });
      answer = 'allowOnce';
      await authorize()(call(changed, 'gateway'));
      assert.equal(asked.length, 1);
      assert.equal(asked[0].decision.reason, 'definitionChanged');
      assert.match(asked[0].decision.changed!.map((c) => c.message).join('\n'), /description/);
    });
  });

  it('asks one prompt at a time, and an answer that settles a waiting call spares its prompt', async () => {
    let release!: (a: Answer) => void;
    const prompted: string[] = [];
    const auth = createAuthorizer({
      store, settings: () => ({ autoAllowReadOnly: false }), serverTools: () => tools, identity: identityOf,
      prompt: (r) => { prompted.push(r.call.name); return new Promise<Answer>((res) => { release = res; }); },
    });
    const first = auth(call(tools[1]));
    const second = auth(call(tools[1]));
    await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(prompted, ['fs_write'], 'the second waits for the first prompt');
    release('allowSession');
    assert.equal((await first).by, 'user');
    assert.deepEqual(await second, { allowed: true, by: 'policy', rule: store.list()[0].id });
    assert.deepEqual(prompted, ['fs_write']);
  });
});
