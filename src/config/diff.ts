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
 * dropped), so two configs that differ only in key order compare equal.
 */
export function canonicalJson(value: unknown): string {
  // Most values (tool arguments, hashed for the audit log on every call) are in order already;
  // JSON.stringify without a replacer takes V8's fast path, which any replacer turns off.
  if (inOrder(value, 0)) return JSON.stringify(value);
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    // Without a prototype, a key named `__proto__` is kept as data rather than dropped.
    const sorted: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
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
