/**
 * Validates plain values (already parsed from JSONC, or read from settings) into the config model.
 * Knows nothing about text positions: every finding carries a JSON path, and the caller turns
 * paths into ranges. That way the file and the setting share one set of rules and messages.
 */
import { z } from 'zod';
import {
  INPUT_KEYS, REMOTE_KEYS, SERVER_TYPES, STDIO_KEYS, TLS_KEYS, inputSchema, remoteServerSchema, stdioServerSchema,
} from './schema';
import type { JsonPath } from './jsonPath';
import type { InputDefinition, ServerConfig } from './types';

/** One finding about a value, before it is tied to a file position. */
export interface ValueIssue {
  /** Absolute JSON path of the offending value. */
  path: JsonPath;
  /** What is wrong, without the path (the caller prefixes it). */
  detail: string;
  severity: 'error' | 'warning';
  /** Point at the property name rather than its value (missing fields, unknown keys). */
  at: 'value' | 'key';
}

type ZodIssue = z.core.$ZodIssue;

/** A short phrase for what a value is, for "expected X, got Y" messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string': return JSON.stringify(value).length > 40 ? 'a string' : `"${value}"`;
    case 'number': return String(value);
    case 'boolean': return String(value);
    case 'object': return 'an object';
    default: return typeof value;
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let cur = root;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[seg];
  }
  return cur;
}

const NOUNS: Record<string, string> = {
  string: 'a string', number: 'a number', int: 'an integer', boolean: 'true or false',
  array: 'an array', object: 'an object', record: 'an object',
};

function describeZodIssue(issue: ZodIssue, actual: unknown): string {
  switch (issue.code) {
    case 'invalid_type': {
      // `env` values are nullable strings; zod reports only the string half of that.
      const nullable = issue.path.length === 2 && issue.path[0] === 'env';
      const noun = nullable ? 'a string or null' : (NOUNS[issue.expected] ?? `a ${issue.expected}`);
      return `expected ${noun}, got ${describeValue(actual)}`;
    }
    case 'too_small':
      if (issue.origin === 'string') return 'must not be empty';
      if (issue.origin === 'array') return `must have at least ${issue.minimum} items`;
      return issue.inclusive ? `must be at least ${issue.minimum}` : `must be greater than ${issue.minimum}`;
    case 'too_big':
      return `must be at most ${issue.maximum}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${describeValue(actual)}`;
    default:
      return issue.message;
  }
}

/** Turns zod's findings into ours; a missing required field is reported on the owner's key. */
function fromZod(issues: readonly ZodIssue[], value: unknown, base: JsonPath, owner: string): ValueIssue[] {
  return issues.map((issue) => {
    const rel = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
    const actual = valueAt(value, issue.path);
    if (issue.code === 'invalid_type' && actual === undefined && rel.length === 1) {
      return { path: base, detail: `"${rel[0]}" is required for ${owner}`, severity: 'error', at: 'key' };
    }
    return { path: [...base, ...rel], detail: describeZodIssue(issue, actual), severity: 'error', at: 'value' };
  });
}

/** Edit distance, to suggest the key a typo meant. Inputs are tiny, so the plain DP is fine. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/** The known key an unknown one most likely meant, if any is close enough. */
export function suggestKey(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = candidate.toLowerCase() === key.toLowerCase() ? 0 : editDistance(key, candidate);
    if (d < bestDistance) { best = candidate; bestDistance = d; }
  }
  return bestDistance <= Math.max(1, Math.min(2, Math.floor(key.length / 3))) ? best : undefined;
}

/**
 * Warnings for keys nobody reads. They stay warnings, not errors, so files written for a newer
 * version (or for another MCP host) still load.
 */
export function unknownKeyIssues(
  value: Record<string, unknown>, base: JsonPath, known: readonly string[], elsewhere: { keys: readonly string[]; owner: string } | undefined,
): ValueIssue[] {
  const issues: ValueIssue[] = [];
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    let detail: string;
    if (elsewhere?.keys.includes(key)) {
      detail = `"${key}" is not used by ${elsewhere.owner} (ignored)`;
    } else {
      const guess = suggestKey(key, [...known, ...(elsewhere?.keys ?? [])]);
      detail = guess ? `unknown property "${key}"; did you mean "${guess}"?` : `unknown property "${key}" (ignored)`;
    }
    issues.push({ path: [...base, key], detail, severity: 'warning', at: 'key' });
  }
  return issues;
}

const article = (type: string): string => (type === 'stdio' ? 'a stdio server' : `an ${type} server`);

/** Picks the transport: explicit `type`, else `command` means stdio and `url` means http. */
function serverType(entry: Record<string, unknown>, base: JsonPath): { type: ServerConfig['type'] } | { issue: ValueIssue } {
  if (entry.type !== undefined) {
    if ((SERVER_TYPES as readonly unknown[]).includes(entry.type)) return { type: entry.type as ServerConfig['type'] };
    const detail = `expected one of ${SERVER_TYPES.map((t) => `"${t}"`).join(', ')}, got ${describeValue(entry.type)}`;
    return { issue: { path: [...base, 'type'], detail, severity: 'error', at: 'value' } };
  }
  const hasCommand = entry.command !== undefined;
  const hasUrl = entry.url !== undefined;
  if (hasCommand && !hasUrl) return { type: 'stdio' };
  if (hasUrl && !hasCommand) return { type: 'http' };
  const detail = hasCommand
    ? 'has both "command" and "url"; set "type" to say which transport to use'
    : '"command" (for a stdio server) or "url" (for an http or sse server) is required';
  return { issue: { path: base, detail, severity: 'error', at: 'key' } };
}

function omitUndefined<T extends object>(obj: T): T {
  for (const key of Object.keys(obj) as (keyof T)[]) if (obj[key] === undefined) delete obj[key];
  return obj;
}

/**
 * Validates one server entry. `config` is set only when there are no errors; warnings (unknown
 * keys) never block a server.
 */
export function validateServerEntry(value: unknown, base: JsonPath): { config?: ServerConfig; issues: ValueIssue[] } {
  if (!isPlainObject(value)) {
    const detail = `expected an object with "command" or "url", got ${describeValue(value)}`;
    return { issues: [{ path: base, detail, severity: 'error', at: 'value' }] };
  }
  const picked = serverType(value, base);
  if ('issue' in picked) return { issues: [picked.issue] };
  const { type } = picked;
  const owner = article(type);
  const stdio = type === 'stdio';
  const warnings = unknownKeyIssues(value, base, stdio ? STDIO_KEYS : REMOTE_KEYS, {
    keys: stdio ? REMOTE_KEYS : STDIO_KEYS, owner,
  });

  if (stdio) {
    const parsed = stdioServerSchema.safeParse(value);
    if (!parsed.success) return { issues: [...fromZod(parsed.error.issues, value, base, owner), ...warnings] };
    const d = parsed.data;
    const config: ServerConfig = omitUndefined({
      type, command: d.command, args: d.args ?? [], env: d.env ?? {}, envFile: d.envFile, cwd: d.cwd,
      disabled: d.disabled, startupTimeoutMs: d.startupTimeoutMs, requestTimeoutMs: d.requestTimeoutMs,
    });
    return { config, issues: warnings };
  }
  warnings.push(...tlsWarnings(value, base));
  const parsed = remoteServerSchema.safeParse(value);
  if (!parsed.success) return { issues: [...fromZod(parsed.error.issues, value, base, owner), ...warnings] };
  const d = parsed.data;
  const config: ServerConfig = omitUndefined({
    type, url: d.url, headers: d.headers ?? {}, oauth: d.oauth, tls: d.tls?.ca !== undefined ? { ca: d.tls.ca } : undefined,
    disabled: d.disabled, startupTimeoutMs: d.startupTimeoutMs, requestTimeoutMs: d.requestTimeoutMs,
  });
  return { config, issues: warnings };
}

/** Unknown keys inside `tls`, and a `tls` that a plain http:// URL never uses. */
function tlsWarnings(entry: Record<string, unknown>, base: JsonPath): ValueIssue[] {
  if (!isPlainObject(entry.tls)) return [];
  const issues = unknownKeyIssues(entry.tls, [...base, 'tls'], TLS_KEYS, undefined);
  if (typeof entry.url === 'string' && /^http:\/\//i.test(entry.url)) {
    issues.push({ path: [...base, 'tls'], detail: '"tls" applies only to https:// URLs (ignored)', severity: 'warning', at: 'key' });
  }
  return issues;
}

/** Validates the `inputs` array; invalid inputs are dropped, valid ones kept. */
export function validateInputs(value: unknown, base: JsonPath): { inputs: InputDefinition[]; issues: ValueIssue[] } {
  const inputs: InputDefinition[] = [];
  const issues: ValueIssue[] = [];
  if (value === undefined) return { inputs, issues };
  if (!Array.isArray(value)) {
    issues.push({ path: base, detail: `expected an array, got ${describeValue(value)}`, severity: 'error', at: 'value' });
    return { inputs, issues };
  }
  const seen = new Set<string>();
  value.forEach((item: unknown, i) => {
    const path = [...base, i];
    if (!isPlainObject(item)) {
      issues.push({ path, detail: `expected an object, got ${describeValue(item)}`, severity: 'error', at: 'value' });
      return;
    }
    issues.push(...unknownKeyIssues(item, path, INPUT_KEYS, undefined));
    const parsed = inputSchema.safeParse(item);
    if (!parsed.success) {
      issues.push(...fromZod(parsed.error.issues, item, path, 'an input'));
      return;
    }
    const input = omitUndefined({ ...parsed.data });
    if (input.type === 'pickString' && !input.options?.length) {
      issues.push({ path, detail: '"options" is required for a pickString input', severity: 'error', at: 'value' });
      return;
    }
    if (seen.has(input.id)) {
      issues.push({ path: [...path, 'id'], detail: `duplicate input id "${input.id}"`, severity: 'error', at: 'value' });
      return;
    }
    if (input.type === 'pickString' && input.default !== undefined && !input.options?.includes(input.default)) {
      issues.push({ path: [...path, 'default'], detail: 'is not one of "options"', severity: 'warning', at: 'value' });
    }
    seen.add(input.id);
    inputs.push(input);
  });
  return { inputs, issues };
}
