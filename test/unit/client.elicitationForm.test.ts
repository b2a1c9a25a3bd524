import assert from 'node:assert/strict';
import { elicitationFields, initialAnswer, readTextAnswer, type ElicitField } from '../../src/client/elicitationForm';

const field = (fields: ElicitField[], name: string, kind: ElicitField['kind']): ElicitField & Record<string, unknown> => {
  const f = fields.find((x) => x.name === name);
  assert.equal(f?.kind, kind, `${name} is a ${kind}`);
  return f as ElicitField & Record<string, unknown>;
};

describe('client/elicitationForm', () => {
  it('turns a requested schema into questions, required first, starting at the defaults (SEP-1034)', () => {
    const fields = elicitationFields({
      type: 'object',
      properties: {
        nick: { type: 'string', title: 'Nickname', default: 'Ada' },
        age: { type: 'integer', minimum: 0, maximum: 150, description: 'in years' },
        subscribe: { type: 'boolean', default: false },
        score: { type: 'number', default: 95.5 },
      },
      required: ['age'],
    });
    assert.deepEqual(fields.map((f) => f.name), ['age', 'nick', 'subscribe', 'score']);
    assert.equal(field(fields, 'nick', 'string').title, 'Nickname');
    assert.equal(initialAnswer(field(fields, 'nick', 'string')), 'Ada');
    assert.equal(initialAnswer(field(fields, 'score', 'number')), '95.5');
    assert.equal(initialAnswer(field(fields, 'age', 'integer')), '');
    assert.equal(field(fields, 'subscribe', 'boolean').default, false);
    assert.equal(field(fields, 'age', 'integer').description, 'in years');
  });

  it('reads every enum shape of SEP-1330: plain, legacy enumNames, titled oneOf/anyOf, multi-select', () => {
    const fields = elicitationFields({
      type: 'object',
      properties: {
        plain: { type: 'string', enum: ['a', 'b'], default: 'b' },
        legacy: { type: 'string', enum: ['x', 'y'], enumNames: ['Ex', 'Why'] },
        titled: { type: 'string', oneOf: [{ const: 'r', title: 'Red' }, { const: 'g', title: 'Green' }] },
        any: { type: 'string', anyOf: [{ const: 'u' }] },
        multi: { type: 'array', items: { type: 'string', enum: ['p', 'q'] }, minItems: 1, default: ['q'] },
        multiTitled: { type: 'array', items: { anyOf: [{ const: 'm', title: 'Em' }] } },
      },
    });
    assert.deepEqual(field(fields, 'plain', 'enum').options, [{ value: 'a', label: 'a' }, { value: 'b', label: 'b' }]);
    assert.equal(field(fields, 'plain', 'enum').default, 'b');
    assert.deepEqual((field(fields, 'legacy', 'enum').options as { label: string }[]).map((o) => o.label), ['Ex', 'Why']);
    assert.deepEqual(field(fields, 'titled', 'enum').options, [{ value: 'r', label: 'Red' }, { value: 'g', label: 'Green' }]);
    assert.deepEqual(field(fields, 'any', 'enum').options, [{ value: 'u', label: 'u' }]);
    assert.deepEqual(field(fields, 'multi', 'multiEnum').default, ['q']);
    assert.equal(field(fields, 'multi', 'multiEnum').minItems, 1);
    assert.deepEqual(field(fields, 'multiTitled', 'multiEnum').options, [{ value: 'm', label: 'Em' }]);
  });

  it('checks typed answers against the schema: required, lengths, formats, numbers and ranges', () => {
    const fields = elicitationFields({
      type: 'object',
      properties: {
        mail: { type: 'string', format: 'email' },
        site: { type: 'string', format: 'uri' },
        day: { type: 'string', format: 'date' },
        code: { type: 'string', minLength: 2, maxLength: 3 },
        n: { type: 'integer', minimum: 1, maximum: 5 },
        x: { type: 'number' },
      },
      required: ['code'],
    });
    const read = (name: string, text: string) => readTextAnswer(fields.find((f) => f.name === name) as never, text);
    assert.deepEqual(read('mail', ''), { ok: true }, 'an optional field may stay empty');
    assert.deepEqual(read('code', ''), { ok: false, message: 'code is required' });
    assert.deepEqual(read('mail', 'ada@example.com'), { ok: true, value: 'ada@example.com' });
    assert.equal(read('mail', 'ada').ok, false);
    assert.equal(read('site', 'https://example.com/x').ok, true);
    assert.equal(read('site', 'not a uri').ok, false);
    assert.equal(read('day', '2026-12-02').ok, true);
    assert.equal(read('day', '02/12/2026').ok, false);
    assert.deepEqual(read('code', 'a'), { ok: false, message: 'at least 2 characters' });
    assert.deepEqual(read('code', 'abcd'), { ok: false, message: 'at most 3 characters' });
    assert.deepEqual(read('n', '3'), { ok: true, value: 3 });
    assert.deepEqual(read('n', '3.5'), { ok: false, message: 'expected a whole number' });
    assert.deepEqual(read('n', '9'), { ok: false, message: 'at most 5' });
    assert.deepEqual(read('x', 'abc'), { ok: false, message: 'expected a number' });
    assert.deepEqual(read('x', '-2.5'), { ok: true, value: -2.5 });
  });

  it('asks nothing of a schema without properties', () => {
    assert.deepEqual(elicitationFields(undefined), []);
    assert.deepEqual(elicitationFields({ type: 'object' }), []);
  });
});
