/**
 * Checks a stored catalog with the SDK's own schemas, so a cached catalog is as well-formed as a
 * listed one. Its own module: CatalogCache loads it only when there is something stored to check.
 */
import {
  ImplementationSchema, PromptSchema, ResourceSchema, ResourceTemplateSchema, ServerCapabilitiesSchema, ToolSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { keepBounded } from './catalogBounds';
import type { ServerCatalog } from './types';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The catalog in `value`, or `undefined` when its lists do not parse; a bad server info or capabilities is dropped alone. */
export function parseCatalog(value: unknown): ServerCatalog | undefined {
  if (!isObject(value)) return undefined;
  const tools = ToolSchema.array().safeParse(value.tools);
  const resources = ResourceSchema.array().safeParse(value.resources);
  const templates = ResourceTemplateSchema.array().safeParse(value.resourceTemplates);
  const prompts = PromptSchema.array().safeParse(value.prompts);
  if (!tools.success || !resources.success || !templates.success || !prompts.success) return undefined;
  const info = ImplementationSchema.safeParse(value.serverInfo);
  const caps = ServerCapabilitiesSchema.safeParse(value.capabilities);
  return {
    serverInfo: info.success ? info.data : undefined,
    capabilities: caps.success ? caps.data : undefined,
    instructions: typeof value.instructions === 'string' ? value.instructions : undefined,
    protocolVersion: typeof value.protocolVersion === 'string' ? value.protocolVersion : undefined,
    // Stored by a version without the connection's bounds, an item may exceed them.
    tools: keepBounded('tools', tools.data).kept,
    resources: keepBounded('resources', resources.data).kept,
    resourceTemplates: keepBounded('resourceTemplates', templates.data).kept,
    prompts: keepBounded('prompts', prompts.data).kept,
  };
}
