import assert from 'node:assert/strict';
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
    assert.match(fail(guard.check(s, { card: '4111' })), /argument "" |must have property cvv|cvv/);
    assert.equal(fail(guard.check(s, { other: 1 })), 'unexpected argument "other"');
  });

  it('honours a declared draft-07 schema (tuple items) and 2019-09', () => {
    const d7 = { $schema: 'http://json-schema.org/draft-07/schema#', type: 'array', items: [{ type: 'string' }, { type: 'number' }] };
    assert.equal(dialectOf(d7), 'draft-07');
    assert.deepEqual(guard.check(d7, ['a', 1]), { ok: true });
    assert.match(fail(guard.check(d7, ['a', 'b'])), /"\[1\]" must be number/);
    assert.equal(dialectOf({ $schema: 'https://json-schema.org/draft/2019-09/schema' }), '2019-09');
  });

  it('lets calls through when the schema itself is broken, and says so once', () => {
    const problems: string[] = [];
    const g = new SchemaGuard((m, ctx) => problems.push(`${ctx}: ${m}`));
    const broken = { type: 'object', properties: { a: { $ref: '#/$defs/missing' } } };
    assert.deepEqual(g.check(broken, { a: 1 }, 'srv_tool'), { ok: true });
    assert.deepEqual(g.check(broken, { a: 2 }, 'srv_tool'), { ok: true });
    assert.equal(problems.length, 1);
    assert.match(problems[0], /^srv_tool: cannot compile schema/);
  });

  it('compiles a schema with an $id once, even as two objects', () => {
    const a = { $id: 'urn:test:same', type: 'object', required: ['x'] };
    const b = { $id: 'urn:test:same', type: 'object', required: ['x'] };
    assert.equal(fail(guard.check(a, {})), 'missing required argument "x"');
    assert.equal(fail(guard.check(b, {})), 'missing required argument "x"');
  });

  it('serves the SDK validator interface for output schemas', () => {
    const v = guard.getValidator<{ sum: number }>({ type: 'object', properties: { sum: { type: 'number' } }, required: ['sum'] });
    assert.deepEqual(v({ sum: 3 }), { valid: true, data: { sum: 3 }, errorMessage: undefined });
    const bad = v({ sum: 'three' });
    assert.equal(bad.valid, false);
    assert.equal(bad.errorMessage, 'value "sum" must be number');
  });
});
