/**
 * Which tools a chat request offers the model. Models take at most 128 tools per request (and do
 * worse long before that), while ten servers easily list more. In order:
 * 1. every tool, when they fit;
 * 2. the tools of the servers the request names (`weather`, `#weather`, `@weather`);
 * 3. the tools of the servers the user lists in the `switchboard.chat.servers` setting;
 * 4. otherwise the tools whose name and description share the most words with the request.
 * A set from 2 or 3 that is still too large is ranked the same way. What was left out is reported
 * per server, so the participant can tell the user how to get it.
 */
import type { NamespacedTool } from '../client/types';

/** The most tools VS Code's chat API passes to a model in one request. */
export const MAX_TOOLS_PER_REQUEST = 128;

export type SelectionReason = 'all' | 'named' | 'setting' | 'ranked';

export interface ToolSelection {
  tools: NamespacedTool[];
  reason: SelectionReason;
  /** The servers the request or setting named, when that is how the set was chosen. */
  servers: string[];
  /** Per server, how many of its tools were not offered; empty when nothing was left out. */
  omitted: { server: string; count: number }[];
}

export interface SelectionOptions {
  limit?: number;
  /** From the setting; names that are not configured servers are ignored. */
  preferredServers?: readonly string[];
}

const STOP_WORDS = new Set(['the', 'and', 'for', 'with', 'that', 'this', 'from', 'what', 'use', 'using', 'please', 'can', 'you', 'get', 'tool', 'tools']);

/** Lower-case words of three letters or more, split at case changes, `_`, `-` and punctuation. */
export function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length >= 3 && !STOP_WORDS.has(w));
}

/** Servers mentioned in the request as a whole word, optionally prefixed by `#` or `@`. */
export function namedServers(prompt: string, servers: readonly string[]): string[] {
  const text = prompt.toLowerCase();
  return servers.filter((s) => {
    const escaped = s.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`(^|[^a-z0-9_-])[#@]?${escaped}($|[^a-z0-9_-])`).test(text);
  });
}

/**
 * Scores each tool by the request's words found in its name (worth more) and description, and
 * keeps the best `limit`; ties keep the catalog's (name) order, so the same request always gets
 * the same set.
 */
export function rankTools(tools: readonly NamespacedTool[], prompt: string, limit: number): NamespacedTool[] {
  const wanted = new Set(words(prompt));
  const score = (t: NamespacedTool) => {
    let s = 0;
    for (const w of new Set(words(t.name))) if (wanted.has(w)) s += 3;
    for (const w of new Set(words(t.tool.description ?? ''))) if (wanted.has(w)) s += 1;
    return s;
  };
  return tools
    .map((tool, index) => ({ tool, index, score: score(tool) }))
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, limit)
    .map((r) => r.tool);
}

export function selectTools(all: readonly NamespacedTool[], prompt: string, opts: SelectionOptions = {}): ToolSelection {
  const limit = opts.limit ?? MAX_TOOLS_PER_REQUEST;
  const servers = [...new Set(all.map((t) => t.server))];
  let reason: SelectionReason = 'all';
  let chosen: string[] = [];
  let pool: readonly NamespacedTool[] = all;
  const named = namedServers(prompt, servers);
  const preferred = (opts.preferredServers ?? []).filter((s) => servers.includes(s));
  if (all.length > limit && named.length) [reason, chosen] = ['named', named];
  else if (all.length > limit && preferred.length) [reason, chosen] = ['setting', preferred];
  else if (all.length > limit) reason = 'ranked';
  if (chosen.length) pool = all.filter((t) => chosen.includes(t.server));
  const tools = pool.length > limit ? rankTools(pool, prompt, limit) : [...pool];

  const kept = new Set(tools.map((t) => t.name));
  const counts = new Map<string, number>();
  for (const t of all) if (!kept.has(t.name)) counts.set(t.server, (counts.get(t.server) ?? 0) + 1);
  return { tools, reason, servers: chosen, omitted: [...counts].map(([server, count]) => ({ server, count })) };
}
