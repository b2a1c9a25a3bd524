/**
 * A tool's input schema as a list of simple questions, for people running a tool by hand. Only the
 * top level is turned into fields; a nested object or array is asked as JSON, and a schema whose
 * shape is not a plain list of properties (top-level oneOf/anyOf, no properties at all but
 * additionalProperties) is edited as JSON whole. The schema guard still checks the result.
 */

export type FieldKind = 'string' | 'number' | 'integer' | 'boolean' | 'enum' | 'json';

export interface FormField {
  name: string;
  kind: FieldKind;
  required: boolean;
  description?: string;
  /** For `enum` (and `const`): the allowed values. */
  values?: unknown[];
  default?: unknown;
}

type Schema = Record<string, unknown>;
const isObject = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The single non-null type a property declares, if it declares one. */
function typeOf(prop: Schema): string | undefined {
  const t = prop.type;
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) {
    const real = t.filter((x) => x !== 'null');
    return real.length === 1 ? String(real[0]) : undefined;
  }
  return undefined;
}

function fieldOf(name: string, prop: unknown, required: boolean): FormField {
  const p = isObject(prop) ? prop : {};
  const base = { name, required, description: typeof p.description === 'string' ? p.description : undefined, default: p.default };
  if (Array.isArray(p.enum)) return { ...base, kind: 'enum', values: p.enum };
  if ('const' in p) return { ...base, kind: 'enum', values: [p.const] };
  const t = typeOf(p);
  if (t === 'string' || t === 'number' || t === 'integer' || t === 'boolean') return { ...base, kind: t };
  return { ...base, kind: 'json' };
}

/** The fields to ask for, required ones first; `undefined` when the schema is better edited as JSON. */
export function formFields(schema: unknown): FormField[] | undefined {
  if (!isObject(schema)) return [];
  if (['oneOf', 'anyOf', 'allOf', 'if', '$ref'].some((k) => k in schema)) return undefined;
  const props = isObject(schema.properties) ? schema.properties : {};
  if (!Object.keys(props).length && schema.additionalProperties !== undefined && schema.additionalProperties !== false) return undefined;
  const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
  const fields = Object.entries(props).map(([name, prop]) => fieldOf(name, prop, required.has(name)));
  return [...fields.filter((f) => f.required), ...fields.filter((f) => !f.required)];
}

export type FieldValue = { ok: true; value: unknown } | { ok: true; skip: true } | { ok: false; message: string };

/**
 * Reads what a person typed for `field`. An empty answer skips an optional field; typed values
 * are converted (numbers, JSON) but not range-checked here: the schema guard does that, once, for
 * the whole call, with the same messages a model would get.
 */
export function parseField(field: FormField, text: string): FieldValue {
  if (text === '') return field.required ? { ok: false, message: `${field.name} is required` } : { ok: true, skip: true };
  switch (field.kind) {
    case 'string':
      return { ok: true, value: text };
    case 'number':
    case 'integer': {
      const n = Number(text.trim());
      if (!Number.isFinite(n) || text.trim() === '') return { ok: false, message: `${field.name} must be a number` };
      if (field.kind === 'integer' && !Number.isInteger(n)) return { ok: false, message: `${field.name} must be a whole number` };
      return { ok: true, value: n };
    }
    case 'boolean':
      if (text === 'true' || text === 'false') return { ok: true, value: text === 'true' };
      return { ok: false, message: `${field.name} must be true or false` };
    case 'enum': {
      const match = field.values?.find((v) => (typeof v === 'string' ? v : JSON.stringify(v)) === text);
      return match !== undefined ? { ok: true, value: match } : { ok: false, message: `${field.name} must be one of ${field.values?.map((v) => JSON.stringify(v)).join(', ')}` };
    }
    case 'json':
      try {
        return { ok: true, value: JSON.parse(text) as unknown };
      } catch (e) {
        return { ok: false, message: `${field.name} must be JSON: ${(e as Error).message}` };
      }
  }
}

/** The text a field starts with: its default, shown the way `parseField` reads it back. */
export function initialText(field: FormField): string {
  if (field.default === undefined) return '';
  return typeof field.default === 'string' ? field.default : JSON.stringify(field.default);
}

/** A starting point for editing a whole call as JSON: every required property with a placeholder. */
export function jsonSkeleton(schema: unknown): string {
  const fields = formFields(schema) ?? [];
  const placeholder: Record<FieldKind, unknown> = { string: '', number: 0, integer: 0, boolean: false, enum: null, json: null };
  // fromEntries: property names come from the server, and `__proto__` must stay a property.
  const obj = Object.fromEntries(fields.filter((x) => x.required).map((f) => [f.name, f.default ?? (f.kind === 'enum' ? f.values?.[0] : placeholder[f.kind])]));
  return JSON.stringify(obj, null, 2);
}
