/**
 * Gives every tool of every server one globally unique, stable name `<prefix>_<tool>` that model
 * APIs accept: at most 64 characters of [A-Za-z0-9_-]. Names depend only on the set of
 * (server, tool) pairs, never on start order, so the same config always yields the same names and
 * permission rules keyed by name keep matching.
 *
 * A server chooses its own tool names, so it can choose one whose plain name is another server's
 * hashed name (`github` listing `work_x_a88e70` next to `github_work`'s `x`). Names are therefore
 * resolved in rounds until the whole set is unique, and the result is checked before it is used.
 */
import { sha256Hex } from '../common/hash';

export const MAX_TOOL_NAME = 64;
/** Hex digits of the suffix at each level; level 0 is the plain name. */
const HASH_LENGTHS = [0, 6, 12, 24];
const MAX_LEVEL = HASH_LENGTHS.length - 1;

/** The server's config name made safe for a tool-name prefix. */
export function sanitizePrefix(serverName: string): string {
  const s = sanitize(serverName).toLowerCase().replace(/^[_-]+|[_-]+$/g, '');
  return s || 'server';
}

function sanitize(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]+/g, '_');
}

export interface ToolRef {
  server: string;
  tool: string;
}

/** A ref on its way to a name: its plain name, the level it is at, and the hash once needed. */
interface Candidate {
  ref: ToolRef;
  plain: string;
  level: number;
  hash?: string;
}

function nameAt(c: Candidate): string {
  if (c.level === 0) return c.plain;
  c.hash ??= sha256Hex(`${c.ref.server}\u0000${c.ref.tool}`);
  const suffix = `_${c.hash.slice(0, HASH_LENGTHS[c.level])}`;
  return c.plain.slice(0, MAX_TOOL_NAME - suffix.length) + suffix;
}

/**
 * Called with each group of tools that could not be told apart even with the longest hash; none
 * of them is named (so none is served or routed), and the caller reports them on their servers.
 */
export type UnresolvedCollision = (group: ToolRef[], name: string) => void;

/**
 * Namespaced names for a set of tools, keyed by `refKey` (a ref listed twice is one).
 * Names over the length cap start hashed. Then, round after round, every name shared by several
 * tools is taken from those at the lowest level among them, which move to a longer hash: a clash
 * of equals moves them all (not just the later ones: "later" would depend on order), while a
 * plain name that matches a hashed one moves itself, so a server cannot push another's tool off
 * the name it already has. Every round raises a level, so this ends; a group still together at the
 * last level (identical hash inputs) is left out and reported through `onUnresolved`.
 */
export function namespaceTools(refs: readonly ToolRef[], onUnresolved?: UnresolvedCollision): Map<string, string> {
  const live = new Map<string, Candidate>();
  for (const ref of refs) {
    const key = refKey(ref);
    if (live.has(key)) continue;
    const plain = `${sanitizePrefix(ref.server)}_${sanitize(ref.tool)}`;
    live.set(key, { ref, plain, level: plain.length > MAX_TOOL_NAME ? 1 : 0 });
  }
  for (;;) {
    const byName = new Map<string, Candidate[]>();
    for (const c of live.values()) {
      const name = nameAt(c);
      const group = byName.get(name);
      if (group) group.push(c); else byName.set(name, [c]);
    }
    let moved = false;
    for (const [name, group] of byName) {
      if (group.length < 2) continue;
      const lowest = Math.min(...group.map((c) => c.level));
      if (lowest === MAX_LEVEL) {
        for (const c of group) live.delete(refKey(c.ref));
        onUnresolved?.(group.map((c) => c.ref), name);
        continue;
      }
      for (const c of group) if (c.level === lowest) c.level++;
      moved = true;
    }
    if (!moved) return checkedUnique(live);
  }
}

function checkedUnique(live: Map<string, Candidate>): Map<string, string> {
  const out = new Map<string, string>();
  const seen = new Set<string>();
  for (const [key, c] of live) {
    const name = nameAt(c);
    // Unreachable by the rounds above; a broken invariant here would route one server's calls to another.
    if (seen.has(name)) throw new Error(`namespacing produced the name "${name}" twice`);
    seen.add(name);
    out.set(key, name);
  }
  return out;
}

/** A map key for a (server, tool) pair; JSON, so no character in either can make two pairs one key. */
export const refKey = (r: ToolRef): string => JSON.stringify([r.server, r.tool]);
