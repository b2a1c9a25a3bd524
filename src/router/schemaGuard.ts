/**
 * Checks a tool call's arguments against the tool's `inputSchema` before anything is sent, so an
 * invalid call is answered at once with the field that is wrong and the server never sees it.
 *
 * Dialects: MCP (2025-11-25) says a schema without `$schema` is JSON Schema 2020-12; older servers
 * often declare draft-07 (zod-to-json-schema does). Each dialect gets its own Ajv instance. The
 * same guard serves the SDK client as its `jsonSchemaValidator`, so output schemas follow the same
 * rules as input schemas.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import type { RegExpEngine } from 'ajv/dist/types';
import Ajv2019 from 'ajv/dist/2019';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { JsonSchemaType, JsonSchemaValidator, jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';
import { compileSafePattern } from '../common/safeRegex';
import { canonicalJson } from '../config/diff';

export type Dialect = 'draft-07' | '2019-09' | '2020-12';

/**
 * `unchecked` says what of the schema goes unchecked (all of it when it cannot be compiled, or the
 * patterns that cannot be matched safely). It is set on the first check of such a schema only, so a
 * caller can report it once with its own context.
 */
export type ArgumentCheck = ({ ok: true } | { ok: false; message: string }) & { unchecked?: string };

/** At most this many problems are named; a model fixes the first few and tries again. */
const MAX_ERRORS = 4;

/** The dialect a schema is written in: its `$schema`, or 2020-12 as MCP specifies when absent. */
export function dialectOf(schema: object): Dialect {
  const declared = (schema as { $schema?: unknown }).$schema;
  if (typeof declared !== 'string') return '2020-12';
  // Classic Ajv is draft-07 and reads draft-06 as is; draft-04 only where it shares draft-06's
  // syntax (a boolean `exclusiveMaximum` or an `id` fails to compile and falls back, see `check`).
  if (/draft-0[4-7]/.test(declared)) return 'draft-07';
  if (/2019-09/.test(declared)) return '2019-09';
  return '2020-12';
}

/** A compiled schema, or why it could not be; `problem` is what goes unchecked, if anything. */
interface Compiled {
  validate: ValidateFunction | Error;
  problem?: string;
}

export class SchemaGuard implements jsonSchemaValidator {
  private readonly _ajv = new Map<Dialect, Ajv>();
  /** Patterns the schema being compiled has that cannot be matched safely; see `_compile`. */
  private _leftOut: string[] = [];
  private readonly _regExp = linearRegExp((why) => this._leftOut.push(why));
  /** Fast path: the very schema object seen before (the catalog keeps its tools' objects). */
  private readonly _byObject = new WeakMap<object, Compiled>();
  /**
   * Re-listing tools yields new objects with the same content; keying by content compiles each
   * distinct schema once, keeps Ajv's own cache from growing with every refresh, and reports a
   * broken schema once rather than once per refresh.
   */
  private readonly _byContent = new Map<string, Compiled>();

  /** `onSchemaError` hears once per schema that cannot be compiled, with the caller's context. */
  constructor(private readonly _onSchemaError?: (message: string, context?: string) => void) {}

  /**
   * Validates `args` against `schema` (or, with `noun` 'value', a tool's structured output against
   * its output schema). A schema that cannot be compiled does not make its tool
   * unusable: the call goes through unchecked (the server still validates its own input) and the
   * problem is reported once, because a model cannot fix a server's broken schema.
   */
  check(schema: unknown, args: unknown, context?: string, noun: 'argument' | 'value' = 'argument'): ArgumentCheck {
    // MCP requires an object schema; anything else (absent, `true`) constrains nothing we can check.
    if (!isObject(schema)) return { ok: true };
    const { compiled: { validate, problem }, fresh } = this._validator(schema, context);
    const report = fresh && problem ? { unchecked: problem } : {};
    if (validate instanceof Error || validate(args)) return { ok: true, ...report };
    return { ok: false, message: describeErrors((validate as ValidateFunction).errors ?? [], noun), ...report };
  }

  /**
   * The SDK's `jsonSchemaValidator`: the client checks `structuredContent` against `outputSchema`
   * with it. Compilation waits for the first use, because the SDK asks for a validator for every
   * listed tool and most are never called.
   */
  getValidator<T>(schema: JsonSchemaType): JsonSchemaValidator<T> {
    return (input) => {
      const validate = isObject(schema) ? this._validator(schema).compiled.validate : undefined;
      if (!validate || validate instanceof Error || validate(input)) return { valid: true, data: input as T, errorMessage: undefined };
      return { valid: false, data: undefined, errorMessage: describeErrors(validate.errors ?? [], 'value') };
    };
  }

  private _validator(schema: object, context?: string): { compiled: Compiled; fresh: boolean } {
    const seen = this._byObject.get(schema);
    if (seen) return { compiled: seen, fresh: false };
    const key = canonicalJson(schema);
    let compiled = this._byContent.get(key);
    const fresh = !compiled;
    if (!compiled) {
      compiled = this._compile(schema);
      this._byContent.set(key, compiled);
      if (compiled.problem) this._onSchemaError?.(compiled.problem, context);
    }
    this._byObject.set(schema, compiled);
    return { compiled, fresh };
  }

  /**
   * A pattern that cannot be matched in linear time leaves that pattern unchecked, not the whole
   * schema: every other constraint (types, required, enums) still holds, and the server checks its
   * own input anyway. Running it with the backtracking engine is never the fallback.
   */
  private _compile(schema: object): Compiled {
    this._leftOut = [];
    const validate = this._compileAjv(schema);
    if (validate instanceof Error) return { validate, problem: `cannot compile schema: ${validate.message}; nothing is checked against it` };
    const leftOut = [...new Set(this._leftOut)];
    return leftOut.length ? { validate, problem: `${leftOut.join('; ')}: checked without ${leftOut.length > 1 ? 'them' : 'it'}` } : { validate };
  }

  private _compileAjv(schema: object): ValidateFunction | Error {
    const dialect = dialectOf(schema);
    try {
      return this._instance(dialect).compile(schema);
    } catch (e) {
      // Ajv registers every `$id` per instance and refuses a second schema under the same id with
      // different content (two servers, or a server that changed a tool). Such a schema gets an
      // instance of its own rather than someone else's validator.
      if (!/already exists|resolves to more than one schema/.test(String((e as Error)?.message))) return asError(e);
      try {
        return newAjv(dialect, this._regExp).compile(schema);
      } catch (e2) {
        return asError(e2);
      }
    }
  }

  private _instance(dialect: Dialect): Ajv {
    let ajv = this._ajv.get(dialect);
    if (!ajv) {
      ajv = newAjv(dialect, this._regExp);
      this._ajv.set(dialect, ajv);
    }
    return ajv;
  }
}

/**
 * Ajv's `code.regExp`: every `pattern` and `patternProperties` key through the linear-time engine.
 * One it cannot run matches everything and is told to `leftOut`. Ajv shares compiled patterns by
 * their `toString()`, so each says which pattern it is.
 */
function linearRegExp(leftOut: (why: string) => void): RegExpEngine {
  const engine = (pattern: string) => {
    const re = compileSafePattern(pattern);
    if (re instanceof Error) {
      leftOut(re.message);
      return { test: () => true, toString: () => `unchecked:${pattern}` };
    }
    return { test: (s: string) => re.test(s), toString: () => `re2:${pattern}` };
  };
  // Only standalone code generation reads `code`, which the guard never uses.
  return Object.assign(engine, { code: 'compileSafePattern' });
}

function newAjv(dialect: Dialect, regExp: RegExpEngine): Ajv {
  // strict: false — servers use annotations and keywords Ajv does not know; they are not errors.
  // validateSchema: false — a schema is compiled as far as Ajv can; whatever it cannot compile is
  // reported by `check`, and a meta-schema lint would only refuse more tools.
  // ownProperties — a property named `constructor` or `toString` is absent from `{}`, not Object's.
  const opts = { strict: false, allErrors: true, validateSchema: false, ownProperties: true, code: { regExp } };
  const ajv = dialect === 'draft-07' ? new Ajv(opts) : dialect === '2019-09' ? new Ajv2019(opts) : new Ajv2020(opts);
  addFormats(ajv);
  return ajv;
}

const isObject = (v: unknown): v is object => typeof v === 'object' && v !== null && !Array.isArray(v);
const asError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));

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
    case 'dependentRequired':
    case 'dependencies':
      return `missing ${noun} "${fieldOf(e.instancePath, String(p.missingProperty))}" (required when "${fieldOf(e.instancePath, String(p.property))}" is given)`;
    case 'additionalProperties': return `unexpected ${noun} "${fieldOf(e.instancePath, String(p.additionalProperty))}"`;
    case 'unevaluatedProperties': return `unexpected ${noun} "${fieldOf(e.instancePath, String(p.unevaluatedProperty))}"`;
    case 'false schema': return field ? `unexpected ${noun} "${field}"` : `${at} are not allowed`;
    case 'type': return `${at} must be ${String(p.type).replace(/,/g, ' or ')}`;
    case 'enum': return `${at} must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const': return `${at} must be ${JSON.stringify(p.allowedValue)}`;
    // The branch errors of anyOf/oneOf say more than the summary; keep those.
    case 'anyOf': case 'oneOf': case 'if': return undefined;
    default: return `${at} ${e.message ?? 'is invalid'}`;
  }
}

/** Ajv's errors as one line naming each field, the first few only. */
export function describeErrors(errors: readonly ErrorObject[], noun = 'argument'): string {
  const lines = [...new Set(errors.map((e) => describeError(e, noun)).filter((m): m is string => !!m))];
  if (!lines.length) return errors.length ? `${errors[0].message ?? 'invalid'}` : 'invalid';
  const shown = lines.slice(0, MAX_ERRORS);
  return shown.join('; ') + (lines.length > shown.length ? `; and ${lines.length - shown.length} more` : '');
}
