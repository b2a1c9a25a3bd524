/**
 * Gives every tool of every server one globally unique, stable name `<prefix>_<tool>` that model
 * APIs accept: at most 64 characters of [A-Za-z0-9_-]. Names depend only on the set of
 * (server, tool) pairs, never on start order, so the same config always yields the same names and
 * permission rules keyed by name keep matching.
 */
import { sha256Hex } from '../common/hash';

export const MAX_TOOL_NAME = 64;
const HASH_LEN = 6;

/** The server's config name made safe for a tool-name prefix. */
export function sanitizePrefix(serverName: string): string {
  const s = sanitize(serverName).toLowerCase().replace(/^[_-]+|[_-]+$/g, '');
  return s || 'server';
}

function sanitize(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]+/g, '_');
}

function shortHash(server: string, tool: string): string {
  return sha256Hex(`${server}\u0000${tool}`).slice(0, HASH_LEN);
}

function hashed(base: string, server: string, tool: string): string {
  const suffix = `_${shortHash(server, tool)}`;
  return base.slice(0, MAX_TOOL_NAME - suffix.length) + suffix;
}

export interface ToolRef {
  server: string;
  tool: string;
}

/**
 * Namespaced names for a set of tools, keyed `server\u0000tool`. Every member of a group whose
 * plain names collide gets a hash suffix (not just the later ones: "later" would depend on order),
 * as does any name over the length cap.
 */
export function namespaceTools(refs: readonly ToolRef[]): Map<string, string> {
  const plain = new Map<string, ToolRef[]>();
  for (const r of refs) {
    const name = `${sanitizePrefix(r.server)}_${sanitize(r.tool)}`;
    const group = plain.get(name);
    if (group) group.push(r); else plain.set(name, [r]);
  }
  const out = new Map<string, string>();
  for (const [name, group] of plain) {
    const clash = group.length > 1;
    for (const r of group) {
      out.set(refKey(r), clash || name.length > MAX_TOOL_NAME ? hashed(name, r.server, r.tool) : name);
    }
  }
  return out;
}

export const refKey = (r: ToolRef): string => `${r.server}\u0000${r.tool}`;
