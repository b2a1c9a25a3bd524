/**
 * Lists what a server offers, following pagination cursors. The SDK's own list-changed
 * auto-refresh fetches only the first page and skips resource templates, so the connection uses
 * these instead.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { Prompt, Resource, ResourceTemplate, Tool } from '@modelcontextprotocol/sdk/types.js';
import { checkList, type CatalogReport } from './catalogCheck';
import type { CatalogKind, ServerCatalog } from './types';

/** A server that keeps handing out cursors must not keep us listing forever. */
const MAX_PAGES = 1000;

async function paginate<T>(fetchPage: (cursor?: string) => Promise<{ items: T[]; nextCursor?: string }>): Promise<T[]> {
  const all: T[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const { items, nextCursor } = await fetchPage(cursor);
    all.push(...items);
    if (!nextCursor || nextCursor === cursor) return all;
    cursor = nextCursor;
  }
  throw new Error(`listing did not end after ${MAX_PAGES} pages`);
}

export function listTools(client: Client, opts?: RequestOptions): Promise<Tool[]> {
  return paginate(async (cursor) => {
    const r = await client.listTools(cursor ? { cursor } : undefined, opts);
    return { items: r.tools, nextCursor: r.nextCursor };
  });
}

export function listResources(client: Client, opts?: RequestOptions): Promise<Resource[]> {
  return paginate(async (cursor) => {
    const r = await client.listResources(cursor ? { cursor } : undefined, opts);
    return { items: r.resources, nextCursor: r.nextCursor };
  });
}

export function listResourceTemplates(client: Client, opts?: RequestOptions): Promise<ResourceTemplate[]> {
  return paginate(async (cursor) => {
    const r = await client.listResourceTemplates(cursor ? { cursor } : undefined, opts);
    return { items: r.resourceTemplates, nextCursor: r.nextCursor };
  });
}

export function listPrompts(client: Client, opts?: RequestOptions): Promise<Prompt[]> {
  return paginate(async (cursor) => {
    const r = await client.listPrompts(cursor ? { cursor } : undefined, opts);
    return { items: r.prompts, nextCursor: r.nextCursor };
  });
}

/** Which lists this server can answer, from its advertised capabilities. */
export function supportedKinds(client: Client): CatalogKind[] {
  const caps = client.getServerCapabilities() ?? {};
  const kinds: CatalogKind[] = [];
  if (caps.tools) kinds.push('tools');
  if (caps.resources) kinds.push('resources', 'resourceTemplates');
  if (caps.prompts) kinds.push('prompts');
  return kinds;
}

/**
 * Fetches one kind of list and checks it (catalogCheck.ts); returns a partial catalog to merge.
 * `report` hears about each item rejected or shortened.
 */
export async function fetchKind(client: Client, kind: CatalogKind, opts?: RequestOptions, report?: CatalogReport): Promise<Partial<ServerCatalog>> {
  switch (kind) {
    case 'tools': return { tools: checkList(kind, await listTools(client, opts), report) };
    case 'resources': return { resources: checkList(kind, await listResources(client, opts), report) };
    case 'resourceTemplates': return { resourceTemplates: checkList(kind, await listResourceTemplates(client, opts), report) };
    case 'prompts': return { prompts: checkList(kind, await listPrompts(client, opts), report) };
  }
}
