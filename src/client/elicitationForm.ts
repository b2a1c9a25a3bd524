/**
 * A form elicitation's requested schema (a flat object of primitive fields, as the spec limits it)
 * as questions to ask one by one, and the checks on each answer. Enums come in every shape the
 * spec has had (SEP-1330): plain `enum`, legacy `enumNames`, titled `oneOf`/`anyOf` of `const`,
 * and multi-select arrays of either. Defaults (SEP-1034) are where each question starts.
 * The editor shows these as quick inputs; nothing here knows about VS Code.
 */
type Schema = Record<string, unknown>;

export interface ElicitOption { value: string; label: string }

interface FieldBase { name: string; title: string; description?: string; required: boolean }

export type ElicitField = FieldBase & (
  | { kind: 'string'; format?: string; minLength?: number; maxLength?: number; default?: string }
  | { kind: 'number' | 'integer'; minimum?: number; maximum?: number; default?: number }
  | { kind: 'boolean'; default?: boolean }
  | { kind: 'enum'; options: ElicitOption[]; default?: string }
  | { kind: 'multiEnum'; options: ElicitOption[]; minItems?: number; maxItems?: number; default?: string[] }
);

const isObject = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The options of an enum-like schema, or undefined when it is not one. */
function optionsOf(s: Schema): ElicitOption[] | undefined {
  const titled = Array.isArray(s.oneOf) ? s.oneOf : Array.isArray(s.anyOf) ? s.anyOf : undefined;
  if (titled) {
    return titled.filter(isObject).filter((o) => typeof o.const === 'string')
      .map((o) => ({ value: o.const as string, label: str(o.title) ?? (o.const as string) }));
  }
  if (Array.isArray(s.enum)) {
    const names = Array.isArray(s.enumNames) ? s.enumNames : [];
    return s.enum.map((v, i) => ({ value: String(v), label: str(names[i]) ?? String(v) }));
  }
  return undefined;
}

/** The fields to ask for, in the schema's order, required ones first. */
export function elicitationFields(schema: unknown): ElicitField[] {
  if (!isObject(schema) || !isObject(schema.properties)) return [];
  const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
  const fields = Object.entries(schema.properties).filter(([, p]) => isObject(p)).map(([name, p]): ElicitField => {
    const prop = p as Schema;
    const base = { name, title: str(prop.title) ?? name, description: str(prop.description), required: required.has(name) };
    if (prop.type === 'array' && isObject(prop.items)) {
      const defaults = Array.isArray(prop.default) ? prop.default.map(String) : undefined;
      return { ...base, kind: 'multiEnum', options: optionsOf(prop.items) ?? [], minItems: num(prop.minItems), maxItems: num(prop.maxItems), default: defaults };
    }
    const options = optionsOf(prop);
    if (options) return { ...base, kind: 'enum', options, default: str(prop.default) };
    if (prop.type === 'boolean') return { ...base, kind: 'boolean', default: typeof prop.default === 'boolean' ? prop.default : undefined };
    if (prop.type === 'number' || prop.type === 'integer') {
      return { ...base, kind: prop.type, minimum: num(prop.minimum), maximum: num(prop.maximum), default: num(prop.default) };
    }
    return { ...base, kind: 'string', format: str(prop.format), minLength: num(prop.minLength), maxLength: num(prop.maxLength), default: str(prop.default) };
  });
  return [...fields.filter((f) => f.required), ...fields.filter((f) => !f.required)];
}

export type ElicitAnswer = { ok: true; value?: unknown } | { ok: false; message: string };

const FORMATS: Record<string, { test(v: string): boolean; what: string }> = {
  email: { test: (v) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v), what: 'an email address' },
  uri: { test: (v) => { try { return !!new URL(v); } catch { return false; } }, what: 'a URI' },
  date: { test: (v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v)), what: 'a date (YYYY-MM-DD)' },
  'date-time': { test: (v) => /^\d{4}-\d{2}-\d{2}T/.test(v) && !Number.isNaN(Date.parse(v)), what: 'a date and time (ISO 8601)' },
};

/**
 * Reads a typed answer for a text-entered field (string, number, integer). An empty answer to an
 * optional field leaves it out (`value` undefined); the checks are the schema's own.
 */
export function readTextAnswer(field: Extract<ElicitField, { kind: 'string' | 'number' | 'integer' }>, text: string): ElicitAnswer {
  if (text === '') return field.required ? { ok: false, message: `${field.title} is required` } : { ok: true };
  if (field.kind === 'string') {
    if (field.minLength !== undefined && text.length < field.minLength) return { ok: false, message: `at least ${field.minLength} characters` };
    if (field.maxLength !== undefined && text.length > field.maxLength) return { ok: false, message: `at most ${field.maxLength} characters` };
    const format = field.format ? FORMATS[field.format] : undefined;
    if (format && !format.test(text)) return { ok: false, message: `expected ${format.what}` };
    return { ok: true, value: text };
  }
  const n = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(n)) return { ok: false, message: 'expected a number' };
  if (field.kind === 'integer' && !Number.isInteger(n)) return { ok: false, message: 'expected a whole number' };
  if (field.minimum !== undefined && n < field.minimum) return { ok: false, message: `at least ${field.minimum}` };
  if (field.maximum !== undefined && n > field.maximum) return { ok: false, message: `at most ${field.maximum}` };
  return { ok: true, value: n };
}

/** The text a text-entered field starts with: its default. */
export function initialAnswer(field: ElicitField): string {
  return 'default' in field && field.default !== undefined && !Array.isArray(field.default) ? String(field.default) : '';
}
