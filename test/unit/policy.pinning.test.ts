import assert from 'node:assert/strict';
import { definitionOf, describeDefinitionChange, hashDefinition, matchesPin, pinTool } from '../../src/policy/fingerprint';
import { decide } from '../../src/policy/policy';
import { allowServerRule, allowToolRule } from '../../src/policy/rules';
import { at, factory, tool, FS } from './policy.fixtures';

const SERVER = FS;
const off = { autoAllowReadOnly: false };
const messages = (changes: { message: string }[]) => changes.map((c) => c.message);

describe('policy/fingerprint', () => {
  it('hashes description, input schema and annotations, ignoring key order', () => {
    const a = tool('t', { readOnlyHint: true });
    const b = {
      annotations: { readOnlyHint: true },
      inputSchema: { required: ['path'], properties: { path: { type: 'string' } }, type: 'object' as const },
      description: 't does things', name: 't',
    };
    assert.equal(hashDefinition(definitionOf(a)), hashDefinition(definitionOf(b)));
    assert.match(pinTool(a).hash, /^[0-9a-f]{64}$/);
  });

  it('ignores the output schema, title and _meta', () => {
    const a = tool('t');
    const b = tool('t', undefined, { title: 'T', outputSchema: { type: 'object' }, _meta: { x: 1 } });
    assert.ok(matchesPin(pinTool(a), b));
  });

  it('keeps a snapshot the original tool cannot alter later', () => {
    const t = tool('t');
    const pin = pinTool(t);
    (t.inputSchema.properties as Record<string, unknown>).extra = { type: 'number' };
    assert.deepEqual(Object.keys(pin.definition.inputSchema.properties ?? {}), ['path']);
    assert.ok(!matchesPin(pin, t));
  });

  it('describes description, schema and annotation changes readably', () => {
    const before = tool('t', { readOnlyHint: true, destructiveHint: false });
    const after = tool('t', { destructiveHint: true, openWorldHint: true }, {
      description: 'now different',
      inputSchema: {
        type: 'object',
        properties: { path: { type: 'number' }, force: { type: 'boolean' }, mode: { type: 'string' } },
        required: ['path', 'force'],
        additionalProperties: false,
      },
    });
    const old = { ...before, inputSchema: { ...before.inputSchema, properties: { path: { type: 'string' }, mode: { type: 'string', enum: ['a'] }, gone: {} } } };
    assert.deepEqual(messages(describeDefinitionChange(definitionOf(old), after)), [
      'description changed',
      'input schema: property "force" added (required)',
      'input schema: property "gone" removed',
      'input schema: property "mode" changed',
      'input schema: property "path" type changed: string → number',
      'input schema: other keywords changed',
      'annotations: destructiveHint false → true',
      'annotations: openWorldHint unset → true',
      'annotations: readOnlyHint true → unset',
    ]);
  });

  it('reports a property that only became required', () => {
    const before = tool('t', undefined, { inputSchema: { type: 'object', properties: { q: { type: 'string' } } } });
    const after = tool('t', undefined, { inputSchema: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] } });
    assert.deepEqual(messages(describeDefinitionChange(definitionOf(before), after)), ['input schema: property "q" is now required']);
  });

  it('finds nothing to describe for an unchanged tool', () => {
    assert.deepEqual(describeDefinitionChange(definitionOf(tool('t')), tool('t')), []);
  });
});

describe('policy/pinning', () => {
  const original = tool('write', { idempotentHint: true });
  const variants = {
    description: tool('write', { idempotentHint: true }, { description: 'also uploads your files' }),
    schema: tool('write', { idempotentHint: true }, { inputSchema: { type: 'object', properties: { path: { type: 'string' }, url: { type: 'string' } } } }),
    annotations: tool('write', { idempotentHint: false }),
  };
  const wanted = {
    description: 'description changed',
    schema: 'input schema: property "url" added',
    annotations: 'annotations: idempotentHint true → false',
  };

  for (const [what, changed] of Object.entries(variants) as [keyof typeof variants, typeof original][]) {
    it(`asks again after a ${what} change under a tool allow, saying what changed`, () => {
      const rule = allowToolRule(SERVER, original, 'always', factory());
      const d = decide({ ...at(SERVER), tool: changed, rules: [rule], settings: off });
      assert.equal(d.kind, 'ask');
      if (d.kind !== 'ask') return;
      assert.equal(d.reason, 'definitionChanged');
      assert.equal(d.rule, rule);
      assert.ok(messages(d.changed ?? []).includes(wanted[what]), JSON.stringify(d.changed));
    });

    it(`asks again after a ${what} change under a server allow`, () => {
      const rule = allowServerRule(SERVER, [original, tool('other')], 'session', factory());
      const d = decide({ ...at(SERVER), tool: changed, rules: [rule], settings: off });
      assert.ok(d.kind === 'ask' && d.reason === 'definitionChanged');
      assert.ok(messages(d.changed ?? []).includes(wanted[what]));
      // The server's other, unchanged tool is still allowed.
      assert.equal(decide({ ...at(SERVER), tool: tool('other'), rules: [rule], settings: off }).kind, 'allow');
    });
  }

  it('asks about a tool the server did not have when it was allowed', () => {
    const rule = allowServerRule(SERVER, [original], 'always', factory());
    const d = decide({ ...at(SERVER), tool: tool('brandNew'), rules: [rule], settings: off });
    assert.ok(d.kind === 'ask' && d.reason === 'newTool');
    assert.match(d.message, /new tool since you allowed server "fs"/);
    assert.equal(d.rule, rule);
  });

  it('reports the stale tool rule rather than the server rule', () => {
    const f = factory();
    const rules = [allowServerRule(SERVER, [original], 'always', f), allowToolRule(SERVER, original, 'always', f)];
    const d = decide({ ...at(SERVER), tool: variants.description, rules, settings: off });
    assert.ok(d.kind === 'ask' && d.rule?.target.tool === 'write');
  });

  it('asks with the change for a destructive tool whose own rule went stale', () => {
    const rm = tool('rm', { destructiveHint: true });
    const rule = allowToolRule(SERVER, rm, 'always', factory());
    const d = decide({ ...at(SERVER), tool: tool('rm', { destructiveHint: true }, { description: 'x' }), rules: [rule], settings: off });
    assert.ok(d.kind === 'ask' && d.reason === 'definitionChanged');
  });

  it('lets the read-only setting allow a read-only tool despite a stale pin', () => {
    const ro = tool('read', { readOnlyHint: true });
    const rule = allowToolRule(SERVER, ro, 'always', factory());
    const changed = tool('read', { readOnlyHint: true }, { description: 'changed' });
    assert.equal(decide({ ...at(SERVER), tool: changed, rules: [rule], settings: { autoAllowReadOnly: true } }).kind, 'allow');
    assert.equal(decide({ ...at(SERVER), tool: changed, rules: [rule], settings: off }).kind, 'ask');
  });

  it('allows again once the user re-answers with the new definition', () => {
    const f = factory();
    const stale = allowToolRule(SERVER, original, 'always', f);
    const fresh = allowToolRule(SERVER, variants.schema, 'always', f);
    const d = decide({ ...at(SERVER), tool: variants.schema, rules: [stale, fresh], settings: off });
    assert.equal(d.kind, 'allow');
    assert.equal(d.rule, fresh);
  });
});
