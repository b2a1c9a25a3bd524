/**
 * Checks a tool call's arguments against the tool's `inputSchema` before anything is sent, so an
 * invalid call is answered at once with the field that is wrong and the server never sees it.
 *
 * Dialects: MCP (2025-11-25) says a schema without `$schema` is JSON Schema 2020-12; older servers
 * often declare draft-07 (zod-to-json-schema does). Each dialect gets its own Ajv instance, and a
 * compiled validator is cached per schema object, so the call path pays for compilation once.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import Ajv2019 from 'ajv/dist/2019';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { JsonSchemaType, JsonSchemaValidator, jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';

type Dialect = 'draft-07' | '2019-09' | '2020-12';

export type ArgumentCheck = { ok: true } | { ok: false; message: string };

/** At most this many problems are named; a model fixes the first few and tries again. */
const MAX_ERRORS = 4;

export function dialectOf(schema: object): Dialect {
  const declared = (schema as { $schema?: unknown }).$schema;
  if (typeof declared !== 'string') return '2020-12';
  if (/draft-0[4-7]/.test(declared)) return 'draft-07';
  if (/2019-09/.test(declared)) return '2019-09';
  return '2020-12';
}

export class SchemaGuard implements jsonSchemaValidator {
  private readonly _ajv = new Map<Dialect, Ajv>();
  private readonly _compiled = new WeakMap<object, ValidateFunction | Error>();

  /** `onSchemaError` hears once per schema that cannot be compiled (see `check`), with the caller's context. */
  constructor(private readonly _onSchemaError?: (message: string, context?: string) => void) {}

  /**
   * Validates `args` against `schema`. A schema that cannot be compiled does not make its tool
   * unusable: the call goes through unchecked (the server still validates) and the problem is
   * reported once, because a model cannot fix a server's broken schema.
   */
  check(schema: object | undefined, args: unknown, context?: string): ArgumentCheck {
    if (!schema) return { ok: true };
    const validate = this._validator(schema, context);
    if (validate instanceof Error) return { ok: true };
    if (validate(args)) return { ok: true };
    return { ok: false, message: describeErrors(validate.errors ?? []) };
  }

  /** For the SDK client's own `structuredContent` vs `outputSchema` check, with the same dialect rules. */
  getValidator<T>(schema: JsonSchemaType): JsonSchemaValidator<T> {
    return (input) => {
      const validate = this._validator(schema as object);
      if (validate instanceof Error || validate(input)) return { valid: true, data: input as T, errorMessage: undefined };
      return { valid: false, data: undefined, errorMessage: describeErrors(validate.errors ?? [], 'value') };
    };
  }

  private _validator(schema: object, context?: string): ValidateFunction | Error {
    const cached = this._compiled.get(schema);
    if (cached) return cached;
    let result: ValidateFunction | Error;
    try {
      const ajv = this._instance(dialectOf(schema));
      // Ajv keeps schemas with an `$id` by that id and refuses a second compile of the same id.
      const id = (schema as { $id?: unknown }).$id;
      result = (typeof id === 'string' && ajv.getSchema(id)) || ajv.compile(schema);
    } catch (e) {
      result = e instanceof Error ? e : new Error(String(e));
      this._onSchemaError?.(`cannot compile schema: ${result.message}`, context);
    }
    this._compiled.set(schema, result);
    return result;
  }

  private _instance(dialect: Dialect): Ajv {
    let ajv = this._ajv.get(dialect);
    if (!ajv) {
      // strict: false — servers use annotations and keywords Ajv does not know; they are not errors.
      const opts = { strict: false, allErrors: true, validateSchema: false };
      ajv = dialect === 'draft-07' ? new Ajv(opts) : dialect === '2019-09' ? new Ajv2019(opts) : new Ajv2020(opts);
      addFormats(ajv);
      this._ajv.set(dialect, ajv);
    }
    return ajv;
  }
}

/** `/location/lat` → `location.lat`, `/items/0` → `items[0]`. */
function fieldOf(instancePath: string, child?: string): string {
  const parts = instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (child !== undefined) parts.push(child);
  return parts.reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}

function describeError(e: ErrorObject, noun: string): string | undefined {
  const field = fieldOf(e.instancePath);
  const at = field ? `${noun} "${field}"` : noun === 'argument' ? 'the arguments' : 'the value';
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required': return `missing required ${noun} "${fieldOf(e.instancePath, String(p.missingProperty))}"`;
    case 'additionalProperties': return `unexpected ${noun} "${fieldOf(e.instancePath, String(p.additionalProperty))}"`;
    case 'unevaluatedProperties': return `unexpected ${noun} "${fieldOf(e.instancePath, String(p.unevaluatedProperty))}"`;
    case 'type': return `${at} must be ${String(p.type).replace(/,/g, ' or ')}`;
    case 'enum': return `${at} must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const': return `${at} must be ${JSON.stringify(p.allowedValue)}`;
    // The branch errors of anyOf/oneOf say more than the summary; keep those.
    case 'anyOf': case 'oneOf': case 'if': return undefined;
    default: return `${at} ${e.message ?? 'is invalid'}`;
  }
}

export function describeErrors(errors: readonly ErrorObject[], noun = 'argument'): string {
  const lines = [...new Set(errors.map((e) => describeError(e, noun)).filter((m): m is string => !!m))];
  if (!lines.length) return errors.length ? `${errors[0].message ?? 'invalid'}` : 'invalid';
  const shown = lines.slice(0, MAX_ERRORS);
  return shown.join('; ') + (lines.length > shown.length ? `; and ${lines.length - shown.length} more` : '');
}
