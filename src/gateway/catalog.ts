/**
 * What the gateway serves on one server's endpoint: that server's tools, resources, resource
 * templates and prompts, built fresh from the registry on each list (it is cheap, and nothing can
 * go stale), plus resources/read and prompts/get sent to that server. Nothing of another server
 * is listed or reached through it.
 * A server that waits to run (on first use, or starting) is served from its cached catalog, so
 * the host sees its tools at once; reading from it starts it.
 * Tool calls are not routed here: they go through the ToolRouter, with its checks and policy.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type {
  ErrorCode, GetPromptResult, Prompt, ReadResourceResult, Resource, ResourceTemplate, Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { namespaceTools, refKey } from '../client/namespacing';
import type { NamespacedTool, ServerCatalog } from '../client/types';
import { sha256Hex } from '../common/hash';
import { mayBeDestructive } from '../policy/policy';
import { canonicalJson } from '../config/diff';
import type { RouterBackend } from '../router/backend';

/** `_meta` keys naming where a served item comes from (the server, and its own name there). */
export const META_SERVER = 'switchboard/server';
export const META_TOOL = 'switchboard/tool';
export const META_PROMPT = 'switchboard/prompt';
/** Where a server's `readOnlyHint` is kept when it is not passed on (see `CatalogOptions`). */
export const META_READ_ONLY = 'switchboard/readOnlyHint';
/** Set on a tool whose calls Switchboard's own dialog confirms instead of VS Code's card (see `servedTool`). */
export const META_ASKS = 'switchboard/asksItself';

export interface CatalogOptions {
  /**
   * Whether served tools keep the server's `readOnlyHint`. VS Code runs a tool with that hint
   * without showing its confirmation card, so a server's claim would decide instead of the user.
   * The hint is therefore passed on only while our policy also lets read-only tools run unasked
   * (the user's `switchboard.tools.autoAllowReadOnly`); otherwise it moves to `_meta`, so VS Code
   * asks and nothing is lost. Default: never passed on.
   */
  readOnlyHints?: () => boolean;
}

/** The MCP error code for an unknown resource URI (the spec's, not JSON-RPC's). */
export const RESOURCE_NOT_FOUND = -32002;

/** The three lists a client is told about separately (templates change with resources). */
export type ServedKind = 'tools' | 'resources' | 'prompts';
export const SERVED_KINDS: readonly ServedKind[] = ['tools', 'resources', 'prompts'];

interface ServedPrompt { prompt: Prompt; server: string; raw: string }

/** Builds one server's served lists and sends its reads; see the file comment. */
export class GatewayCatalog {
  constructor(private readonly _backend: RouterBackend, private readonly _options: CatalogOptions = {}) {}

  /** The configured servers, each served on its own endpoint. */
  servers(): string[] {
    return this._backend.registry.names();
  }

  /** The server's namespaced tools, with its own definitions apart from the name, and see `CatalogOptions`. */
  tools(server: string): Tool[] {
    const keepReadOnly = this._options.readOnlyHints?.() ?? false;
    return this._own(server).map((t) => servedTool(t, keepReadOnly));
  }

  /** Whether `name` is one of the server's served tools: a call on its endpoint may reach no other. */
  hasTool(server: string, name: string): boolean {
    return this._own(server).some((t) => t.name === name);
  }

  resources(server: string): Resource[] {
    return this._tagged(server, (c) => c.resources);
  }

  resourceTemplates(server: string): ResourceTemplate[] {
    return this._tagged(server, (c) => c.resourceTemplates);
  }

  /** The server's prompts, named `<server>_<prompt>` exactly as tools are. */
  prompts(server: string): Prompt[] {
    return this._prompts(server).map((p) => p.prompt);
  }

  /** A digest of one served list; equal digests mean a client would see the same list. */
  digest(server: string, kind: ServedKind): string {
    const served = kind === 'tools' ? this.tools(server) : kind === 'resources' ? [this.resources(server), this.resourceTemplates(server)] : this.prompts(server);
    return sha256Hex(canonicalJson(served)).slice(0, 16);
  }

  /** Reads a resource from the server, when it lists the URI or has a template it matches. */
  async readResource(server: string, uri: string, signal?: AbortSignal): Promise<ReadResourceResult> {
    const catalog = this._backend.registry.usableCatalog(server);
    const known = catalog && (catalog.resources.some((r) => r.uri === uri) || catalog.resourceTemplates.some((t) => templateMatch(t.uriTemplate, uri) > 0));
    if (!known) throw await mcpError(RESOURCE_NOT_FOUND, `Resource not found on MCP server "${server}": ${uri}`, { uri });
    return (await this._client(server, signal)).readResource({ uri }, this._backend.requestOptions(server, signal));
  }

  /** Renders a prompt on the server, under the server's own name for it. */
  async getPrompt(server: string, name: string, args: Record<string, string> | undefined, signal?: AbortSignal): Promise<GetPromptResult> {
    const served = this._prompts(server).find((p) => p.prompt.name === name);
    if (!served) throw await mcpError('InvalidParams', `No prompt named "${name}" on MCP server "${server}".`);
    const client = await this._client(server, signal);
    return client.getPrompt({ name: served.raw, arguments: args }, this._backend.requestOptions(server, signal));
  }

  private _own(server: string): NamespacedTool[] {
    return this._backend.registry.tools().filter((t) => t.server === server);
  }

  private _tagged<T extends { _meta?: Record<string, unknown> }>(server: string, list: (c: ServerCatalog) => T[]): T[] {
    const catalog = this._backend.registry.usableCatalog(server);
    return catalog ? list(catalog).map((item) => ({ ...item, _meta: { ...item._meta, [META_SERVER]: server } })) : [];
  }

  /** Named over every server's prompts, so a name is the same whichever endpoint serves it. */
  private _prompts(server: string): ServedPrompt[] {
    const registry = this._backend.registry;
    const refs = registry.names().flatMap((s) => (registry.usableCatalog(s)?.prompts ?? []).map((prompt) => ({ server: s, prompt })));
    const names = namespaceTools(refs.map((r) => ({ server: r.server, tool: r.prompt.name })));
    return refs
      .filter((r) => r.server === server)
      .flatMap(({ prompt }) => {
        // Prompts no hash can tell apart are left unnamed by namespaceTools, and so not served.
        const name = names.get(refKey({ server, tool: prompt.name }));
        return name ? [{ server, raw: prompt.name, prompt: { ...prompt, name, _meta: { ...prompt._meta, [META_SERVER]: server, [META_PROMPT]: prompt.name } } }] : [];
      })
      .sort((a, b) => (a.prompt.name < b.prompt.name ? -1 : a.prompt.name > b.prompt.name ? 1 : 0));
  }

  /** The server's live client, after starting it if it was served from its cache. */
  private async _client(server: string, signal?: AbortSignal): Promise<Client> {
    const started = await this._backend.startOnUse?.(server, signal);
    const client = this._backend.clientFor(server);
    if (!client) throw await mcpError('InternalError', started && !started.running ? started.message : `MCP server "${server}" is not running.`);
    return client;
  }
}

/**
 * The SDK's error for a request the gateway cannot answer. Its module is loaded here, not with
 * this file: the gateway makes its catalog at activation, long before any session (and the SDK
 * that serves one) exists, and these errors only arise inside a session.
 */
async function mcpError(code: number | keyof typeof ErrorCode, message: string, data?: unknown): Promise<Error> {
  const sdk = await import('@modelcontextprotocol/sdk/types.js');
  return new sdk.McpError(typeof code === 'number' ? code : sdk.ErrorCode[code], message, data);
}

/**
 * How well a URI matches an RFC 6570 template: the length of the literal prefix before the first
 * expression when the URI starts with it, else 0. A template that starts with an expression says
 * nothing about which URIs are its own, so it matches none.
 */
function templateMatch(template: string, uri: string): number {
  const brace = template.indexOf('{');
  if (brace < 0) return template === uri ? template.length : 0;
  const prefix = template.slice(0, brace);
  return uri.startsWith(prefix) ? prefix.length : 0;
}

function servedTool({ name, server, tool }: NamespacedTool, keepReadOnly: boolean): Tool {
  // `execution` advertises task support; the gateway runs every call as a plain request, so it
  // must not promise tasks on the server's behalf.
  const { execution: _execution, ...own } = tool;
  const served: Tool = { ...own, name, _meta: { ...tool._meta, [META_SERVER]: server, [META_TOOL]: tool.name } };
  // The title names the server too: VS Code's tool picker and Copilot's tool list show titles
  // without the server they come from.
  served.title = `${tool.title ?? tool.annotations?.title ?? tool.name} (${server})`;
  if (tool.annotations?.title !== undefined) served.annotations = { ...tool.annotations, title: `${tool.annotations.title} (${server})` };
  if (!keepReadOnly && served.annotations?.readOnlyHint !== undefined) {
    const { readOnlyHint, ...rest } = served.annotations;
    served.annotations = rest;
    served._meta = { ...served._meta, [META_READ_ONLY]: readOnlyHint };
  }
  if (mayBeDestructive(tool)) {
    // VS Code's card can be settled for a whole server at once, and the gateway cannot tell
    // whether it was shown for this call; so for such a tool Switchboard's own dialog, naming it,
    // is the prompt, and VS Code is told to show none (its only switch for that is this hint).
    served.annotations = { ...served.annotations, readOnlyHint: true };
    served._meta = { ...served._meta, [META_ASKS]: true, [META_READ_ONLY]: tool.annotations?.readOnlyHint ?? false };
  }
  return served;
}
