/**
 * What one listed tool, resource, template or prompt may hold. A schema nested thousands of levels
 * deep overflows the stack of every recursive walk the host makes over the catalog (canonical
 * JSON for the gateway's digest, JSON.stringify for the cache, Ajv): one such tool would break the
 * gateway's list for every server. The connection keeps such an item out, alone, and says so in
 * its server's log; the server's other items stay usable.
 */
import { exceedsLimits, type JsonLimits } from '../common/jsonBounds';
import type { CatalogKind } from './types';

/** Deeper than any schema a person or a generator writes, shallow enough for every walk the host makes. */
export const ITEM_LIMITS: JsonLimits = { maxDepth: 100, maxValues: 20_000, maxChars: 1024 * 1024 };

const NOUN: Record<CatalogKind, string> = { tools: 'tool', resources: 'resource', resourceTemplates: 'resource template', prompts: 'prompt' };

/** How an item is named to the user: its name, or its URI when it has no name. */
function label(kind: CatalogKind, item: unknown): string {
  const o = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
  const id = [o.name, o.uri, o.uriTemplate].find((v) => typeof v === 'string') as string | undefined;
  const shown = id === undefined ? '(unnamed)' : JSON.stringify(id.length > 80 ? `${id.slice(0, 80)}…` : id);
  return `${NOUN[kind]} ${shown}`;
}

/** The items within ITEM_LIMITS, and a sentence for each one left out. */
export function keepBounded<T>(kind: CatalogKind, items: readonly T[], limits: JsonLimits = ITEM_LIMITS): { kept: T[]; refused: string[] } {
  const kept: T[] = [];
  const refused: string[] = [];
  for (const item of items) {
    const over = exceedsLimits(item, limits);
    if (over) refused.push(`${label(kind, item)} left out: ${over}`);
    else kept.push(item);
  }
  return { kept, refused };
}
