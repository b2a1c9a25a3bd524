import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { SchemaGuard, dialectOf } from '../../src/router/schemaGuard';

const fail = (r: ReturnType<SchemaGuard['check']>): string => {
  assert.equal(r.ok, false, 'expected a failure');
  return (r as { message: string }).message;
};

describe('router: schema guard', () => {
  const guard = new SchemaGuard();
  const weather = {
    type: 'object',
    properties: {
      city: { type: 'string' },
      units: { enum: ['metric', 'imperial'] },
      location: { type: 'object', properties: { lat: { type: 'number' }, lon: { type: 'number' } }, required: ['lat'] },
    },
    required: ['city'],
    additionalProperties: false,
  };

  it('accepts valid arguments and a tool without a schema', () => {
    assert.deepEqual(guard.check(weather, { city: 'Oslo', units: 'metric', location: { lat: 59.9 } }), { ok: true });
    assert.deepEqual(guard.check(undefined, { anything: 1 }), { ok: true });
  });

  it('names a missing required argument, at any depth', () => {
    assert.equal(fail(guard.check(weather, {})), 'missing required argument "city"');
    assert.match(fail(guard.check(weather, { city: 'x', location: {} })), /missing required argument "location\.lat"/);
  });

  it('names the field with the wrong type, the enum, and unexpected arguments', () => {
    assert.equal(fail(guard.check(weather, { city: 'x', location: { lat: 'north' } })), 'argument "location.lat" must be number');
    assert.equal(fail(guard.check(weather, { city: 'x', units: 'kelvin' })), 'argument "units" must be one of "metric", "imperial"');
    assert.equal(fail(guard.check(weather, { city: 'x', color: 'red' })), 'unexpected argument "color"');
    assert.equal(fail(guard.check(weather, 'Oslo')), 'the arguments must be object');
  });

  it('reports several problems at once, capped', () => {
    const many = { type: 'object', properties: Object.fromEntries([...'abcdef'].map((k) => [k, { type: 'number' }])) };
    const msg = fail(guard.check(many, Object.fromEntries([...'abcdef'].map((k) => [k, 'x']))));
    assert.match(msg, /argument "a" must be number; argument "b" must be number; .*; and 2 more$/);
  });

  it('treats a schema without $schema as 2020-12: prefixItems, $defs/$ref, dependentRequired, unevaluatedProperties', () => {
    const s = {
      type: 'object',
      $defs: { point: { type: 'array', prefixItems: [{ type: 'number' }, { type: 'number' }], items: false } },
      properties: { at: { $ref: '#/$defs/point' }, card: { type: 'string' }, cvv: { type: 'string' } },
      dependentRequired: { card: ['cvv'] },
      unevaluatedProperties: false,
    };
    assert.equal(dialectOf(s), '2020-12');
    assert.deepEqual(guard.check(s, { at: [1, 2] }), { ok: true });
    assert.equal(fail(guard.check(s, { at: [1, 'two'] })), 'argument "at[1]" must be number');
    assert.match(fail(guard.check(s, { at: [1, 2, 3] })), /argument "at" must NOT have more than 2 items/);
    assert.equal(fail(guard.check(s, { card: '4111' })), 'missing argument "cvv" (required when "card" is given)');
    assert.equal(fail(guard.check(s, { other: 1 })), 'unexpected argument "other"');
  });

  it('honours a declared draft-07 schema (tuple items) and 2019-09', () => {
    const d7 = { $schema: 'http://json-schema.org/draft-07/schema#', type: 'array', items: [{ type: 'string' }, { type: 'number' }] };
    assert.equal(dialectOf(d7), 'draft-07');
    assert.deepEqual(guard.check(d7, ['a', 1]), { ok: true });
    assert.match(fail(guard.check(d7, ['a', 'b'])), /"\[1\]" must be number/);
    assert.equal(dialectOf({ $schema: 'https://json-schema.org/draft/2019-09/schema' }), '2019-09');
  });

  it('reads draft-06 as declared; a draft-04 schema Ajv cannot compile falls back', () => {
    const d6 = { $schema: 'http://json-schema.org/draft-06/schema#', type: 'object', properties: { n: { type: 'number', exclusiveMaximum: 5 } } };
    assert.equal(dialectOf(d6), 'draft-07');
    assert.deepEqual(guard.check(d6, { n: 4 }), { ok: true });
    assert.equal(fail(guard.check(d6, { n: 5 })), 'argument "n" must be < 5');
    const d4 = { $schema: 'http://json-schema.org/draft-04/schema#', type: 'object', properties: { n: { type: 'number', maximum: 5, exclusiveMaximum: true } } };
    const r = new SchemaGuard().check(d4, { n: 9 });
    assert.equal(r.ok, true);
    assert.match((r as { unchecked?: string }).unchecked ?? '', /cannot compile schema: exclusiveMaximum/);
  });

  it('ignores schemas that are not objects, and names a field a false schema forbids', () => {
    assert.deepEqual(guard.check(true, { a: 1 }), { ok: true });
    assert.deepEqual(guard.check([], { a: 1 }), { ok: true });
    assert.equal(fail(guard.check({ type: 'object', properties: { x: false } }, { x: 1 })), 'unexpected argument "x"');
  });

  it('lets calls through when the schema itself is broken, and says so once', () => {
    const problems: string[] = [];
    const g = new SchemaGuard((m, ctx) => problems.push(`${ctx}: ${m}`));
    const broken = () => ({ type: 'object', properties: { a: { $ref: '#/$defs/missing' } } });
    const first = broken();
    const r = g.check(first, { a: 1 }, 'srv_tool');
    assert.equal(r.ok, true);
    assert.match((r as { unchecked?: string }).unchecked ?? '', /^cannot compile schema/);
    assert.deepEqual(g.check(first, { a: 2 }, 'srv_tool'), { ok: true });
    // A re-listed catalog brings a new object with the same content: still reported only once.
    assert.deepEqual(g.check(broken(), { a: 3 }, 'srv_tool'), { ok: true });
    assert.equal(problems.length, 1);
    assert.match(problems[0], /^srv_tool: cannot compile schema/);
  });

  it('matches patterns and patternProperties in linear time', () => {
    const g = new SchemaGuard();
    const evil = '^(a+)+$';
    const almost = 'a'.repeat(40) + '!';
    const started = performance.now();
    assert.match(fail(g.check({ type: 'object', properties: { k: { type: 'string', pattern: evil } } }, { k: almost })), /argument "k" must match pattern/);
    const keyed = { type: 'object', patternProperties: { [evil]: { type: 'number' } } };
    assert.equal(g.check(keyed, { [almost]: 'not checked: the key does not match' }).ok, true);
    assert.match(fail(g.check(keyed, { aaaa: 'x' })), /argument "aaaa" must be number/);
    assert.equal(g.getValidator({ type: 'object', properties: { w: { type: 'string', pattern: evil } } })({ w: almost }).valid, false);
    assert.ok(performance.now() - started < 2000, `${performance.now() - started} ms`);
  });

  it('leaves out a pattern the linear engine cannot run, checks the rest, and says so once', () => {
    const problems: string[] = [];
    const g = new SchemaGuard((m, ctx) => problems.push(`${ctx}: ${m}`));
    const schema = () => ({ type: 'object', required: ['pair'], properties: { pair: { type: 'string', pattern: '^(.)\\1$' } } });
    const first = g.check(schema(), {}, 'srv_tool');
    assert.equal(fail(first), 'missing required argument "pair"');
    assert.match(first.unchecked ?? '', /^pattern "\^\(\.\)\\\\1\$" cannot be matched in linear time \(.*\): checked without it$/);
    assert.deepEqual(g.check(schema(), { pair: 'ab' }, 'srv_tool'), { ok: true });
    assert.equal(fail(g.check(schema(), { pair: 1 }, 'srv_tool')), 'argument "pair" must be string');
    assert.equal(problems.length, 1);
    assert.match(problems[0], /^srv_tool: pattern /);
  });

  it('compiles each distinct schema once, by object and by content', () => {
    const g = new SchemaGuard();
    const inner = g as unknown as { _compile(s: object): unknown };
    const compile = inner._compile.bind(g);
    let compiled = 0;
    inner._compile = (s) => { compiled++; return compile(s); };
    const schema = () => ({ type: 'object', properties: { q: { type: 'string' } }, required: ['q'] });
    const a = schema();
    for (let i = 0; i < 5; i++) g.check(a, { q: 'x' });
    assert.equal(fail(g.check(schema(), {})), 'missing required argument "q"');
    assert.equal(compiled, 1);
    g.check({ ...schema(), required: [] }, {});
    assert.equal(compiled, 2);
  });

  it('handles an $id seen twice: same content shares a validator, different content gets its own', () => {
    const a = { $id: 'urn:test:same', type: 'object', required: ['x'] };
    const b = { $id: 'urn:test:same', type: 'object', required: ['x'] };
    assert.equal(fail(guard.check(a, {})), 'missing required argument "x"');
    assert.equal(fail(guard.check(b, {})), 'missing required argument "x"');
    // Another server (or a changed tool) reusing the id must be checked against its own schema.
    const c = { $id: 'urn:test:same', type: 'object', required: ['y'] };
    assert.equal(fail(guard.check(c, { x: 1 })), 'missing required argument "y"');
    const nested = (t: string) => ({ type: 'object', $defs: { v: { $id: 'urn:test:nested', type: t } }, properties: { v: { $ref: 'urn:test:nested' } } });
    assert.equal(fail(guard.check(nested('string'), { v: 1 })), 'argument "v" must be string');
    assert.equal(fail(guard.check(nested('number'), { v: 'x' })), 'argument "v" must be number');
  });

  it('serves the SDK validator interface for output schemas', () => {
    const v = guard.getValidator<{ sum: number }>({ type: 'object', properties: { sum: { type: 'number' } }, required: ['sum'] });
    assert.deepEqual(v({ sum: 3 }), { valid: true, data: { sum: 3 }, errorMessage: undefined });
    const bad = v({ sum: 'three' });
    assert.equal(bad.valid, false);
    assert.equal(bad.errorMessage, 'value "sum" must be number');
  });

  it('checks structured content as the SDK client\'s jsonSchemaValidator, in 2020-12', async () => {
    // prefixItems means nothing to a draft-07 validator; with the guard the client rejects [1, "x"].
    const outputSchema = { type: 'object' as const, properties: { pt: { type: 'array', prefixItems: [{ type: 'number' }, { type: 'number' }] } }, required: ['pt'] };
    const server = new Server({ name: 'geo', version: '1.0.0' }, { capabilities: { tools: {} } });
    server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: [{ name: 'point', inputSchema: { type: 'object' }, outputSchema }] }));
    server.setRequestHandler(CallToolRequestSchema, (req) => {
      const pt = req.params.arguments?.good ? [1, 2] : [1, 'x'];
      return { content: [{ type: 'text', text: JSON.stringify({ pt }) }], structuredContent: { pt } };
    });
    const client = new Client({ name: 'test', version: '0.0.0' }, { jsonSchemaValidator: new SchemaGuard() });
    const [a, b] = InMemoryTransport.createLinkedPair();
    await Promise.all([server.connect(a), client.connect(b)]);
    try {
      await client.listTools();
      assert.deepEqual((await client.callTool({ name: 'point', arguments: { good: true } })).structuredContent, { pt: [1, 2] });
      await assert.rejects(client.callTool({ name: 'point', arguments: {} }), /value "pt\[1\]" must be number/);
    } finally {
      await client.close();
    }
  });
});
