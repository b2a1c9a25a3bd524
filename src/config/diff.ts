/**
 * What changed between two sets of resolved servers, so a reload restarts only the servers whose
 * definition actually changed and leaves the others running.
 */
import type { ResolvedServer } from '../client/types';

export interface ServerDiff {
  added: string[];
  removed: string[];
  changed: string[];
  unchanged: string[];
}

/**
 * JSON with object keys sorted at every level (arrays keep their order, undefined properties are
 * dropped), so two configs that differ only in key order compare equal. Any depth is written:
 * values from servers can be nested deeper than the stack allows a recursive walk.
 */
export function canonicalJson(value: unknown): string {
  // Most values (tool arguments, hashed for the audit log on every call) are in order already;
  // JSON.stringify takes V8's fast path for them.
  if (inOrder(value, 0)) return JSON.stringify(value);
  try {
    return JSON.stringify(value, sortKeys);
  } catch (e) {
    // Deeper than the stack allows (a server's schema can be): the same text, written without recursion.
    if (e instanceof RangeError && /call stack/i.test(e.message)) return sortedJson(value);
    throw e;
  }
}

function sortKeys(_key: string, v: unknown): unknown {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
  // Without a prototype, a key named `__proto__` is kept as data rather than dropped.
  const sorted: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
  return sorted;
}

/** A piece of output, a value still to write, or the end of a container (for the cycle check). */
type Work = string | { value: unknown } | { leave: object };

/**
 * What JSON.stringify with `sortKeys` writes (byte for byte: stored hashes and pins depend on it),
 * with an explicit stack instead of recursion; several times slower, so only for what overflows.
 */
function sortedJson(root: unknown): string {
  const top = jsonValue(root, '');
  if (top === undefined) return undefined as unknown as string;
  const onPath = new Set<object>();
  const work: Work[] = [{ value: top }];
  let out = '';
  while (work.length) {
    const w = work.pop()!;
    if (typeof w === 'string') { out += w; continue; }
    if ('leave' in w) { onPath.delete(w.leave); continue; }
    const v = w.value;
    if (v === null || typeof v !== 'object') { out += JSON.stringify(v); continue; }
    if (onPath.has(v)) throw new TypeError('Converting circular structure to JSON');
    onPath.add(v);
    work.push({ leave: v });
    if (Array.isArray(v)) {
      work.push(']');
      for (let i = v.length - 1; i >= 0; i--) {
        work.push({ value: jsonValue(v[i], String(i)) ?? null });
        if (i > 0) work.push(',');
      }
      work.push('[');
      continue;
    }
    // Built as the replacer builds it, so integer-like keys come first as they do there.
    const sorted = sortKeys('', v) as Record<string, unknown>;
    const entries = Object.keys(sorted).map((k) => [k, jsonValue(sorted[k], k)] as const).filter(([, x]) => x !== undefined);
    work.push('}');
    for (let i = entries.length - 1; i >= 0; i--) {
      work.push({ value: entries[i][1] });
      work.push(`${JSON.stringify(entries[i][0])}:`);
      if (i > 0) work.push(',');
    }
    work.push('{');
  }
  return out;
}

/** A value as JSON.stringify sees it: after `toJSON`, and undefined for what it leaves out. */
function jsonValue(v: unknown, key: string): unknown {
  const j = v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function'
    ? (v as { toJSON(key: string): unknown }).toJSON(key) : v;
  return j === undefined || typeof j === 'function' || typeof j === 'symbol' ? undefined : j;
}

/**
 * Whether plain JSON.stringify already writes `value` canonically: every object's keys sorted and
 * no `toJSON` to call. Too deep (or a cycle) says no, and the replacer path handles (or throws) as before.
 */
function inOrder(value: unknown, depth: number): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (depth > 32 || typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  if (Array.isArray(value)) return value.every((v) => inOrder(v, depth + 1));
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    if (i > 0 && keys[i - 1] > keys[i]) return false;
    if (!inOrder((value as Record<string, unknown>)[keys[i]], depth + 1)) return false;
  }
  return true;
}

/**
 * A stable identity for everything that affects how a server runs. The source kind is part of it
 * because moving a server between user and workspace changes whether Workspace Trust applies.
 */
export function fingerprint(server: ResolvedServer): string {
  return canonicalJson({ sourceKind: server.sourceKind, config: server.config });
}

/**
 * Compares by name and a canonical identity (by default the whole value's canonical JSON, so the
 * manager can include why a server is held back); `disabled` is part of the config, so toggling
 * it is a change.
 */
export function diffServers<T>(previous: Map<string, T>, next: Map<string, T>, identity: (server: T) => string = canonicalJson): ServerDiff {
  const diff: ServerDiff = { added: [], removed: [], changed: [], unchanged: [] };
  for (const [name, server] of next) {
    const before = previous.get(name);
    if (before === undefined) diff.added.push(name);
    else if (identity(before) === identity(server)) diff.unchanged.push(name);
    else diff.changed.push(name);
  }
  for (const name of previous.keys()) if (!next.has(name)) diff.removed.push(name);
  for (const list of Object.values(diff)) list.sort();
  return diff;
}
