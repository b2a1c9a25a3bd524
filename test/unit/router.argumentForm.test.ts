import assert from 'node:assert/strict';
import { formFields, initialText, jsonSkeleton, parseField } from '../../src/router/argumentForm';

describe('router/argumentForm', () => {
  const schema = {
    type: 'object',
    properties: {
      units: { type: 'string', enum: ['metric', 'imperial'], default: 'metric' },
      city: { type: 'string', description: 'City name' },
      days: { type: 'integer' },
      verbose: { type: ['boolean', 'null'] },
      where: { type: 'object', properties: { lat: { type: 'number' } } },
    },
    required: ['city', 'days'],
  };

  it('asks required fields first, with kinds from the schema', () => {
    const fields = formFields(schema)!;
    assert.deepEqual(fields.map((f) => [f.name, f.kind, f.required]), [
      ['city', 'string', true], ['days', 'integer', true], ['units', 'enum', false], ['verbose', 'boolean', false], ['where', 'json', false],
    ]);
    assert.equal(fields[0].description, 'City name');
    assert.equal(initialText(fields[2]), 'metric');
  });

  it('falls back to JSON for shapes that are not a list of properties', () => {
    assert.equal(formFields({ type: 'object', oneOf: [{}, {}] }), undefined);
    assert.equal(formFields({ type: 'object', additionalProperties: { type: 'string' } }), undefined);
    assert.deepEqual(formFields({ type: 'object' }), []);
  });

  it('converts typed text and explains what is wrong', () => {
    const [city, days, units, verbose, where] = formFields(schema)!;
    assert.deepEqual(parseField(city, ''), { ok: false, message: 'city is required' });
    assert.deepEqual(parseField(units, ''), { ok: true, skip: true });
    assert.deepEqual(parseField(days, '3'), { ok: true, value: 3 });
    assert.deepEqual(parseField(days, '2.5'), { ok: false, message: 'days must be a whole number' });
    assert.deepEqual(parseField(days, 'x'), { ok: false, message: 'days must be a number' });
    assert.deepEqual(parseField(verbose, 'true'), { ok: true, value: true });
    assert.deepEqual(parseField(units, 'kelvin'), { ok: false, message: 'units must be one of "metric", "imperial"' });
    assert.deepEqual(parseField(where, '{"lat":1}'), { ok: true, value: { lat: 1 } });
    assert.match((parseField(where, '{lat') as { message: string }).message, /^where must be JSON/);
  });

  it('builds a JSON skeleton of the required properties', () => {
    assert.deepEqual(JSON.parse(jsonSkeleton(schema)), { city: '', days: 0 });
  });
});
