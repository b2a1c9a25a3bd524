/**
 * What the gateway serves: the union of every running server's tools, resources, resource
 * templates and prompts, built fresh from the registry on each list (it is cheap, and nothing can
 * go stale), plus the routing of resources/read and prompts/get to the server that owns the item.
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
import { canonicalJson } from '../config/diff';
import type { RouterBackend } from '../router/backend';

/** `_meta` keys naming where a served item comes from (the server, and its own name there). */
export const META_SERVER = 'switchboard/server';
export const META_TOOL = 'switchboard/tool';
export const META_PROMPT = 'switchboard/prompt';
/** Where a server's `readOnlyHint` is kept when it is not passed on (see `CatalogOptions`). */
export const META_READ_ONLY = 'switchboard/readOnlyHint';

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

/** Builds the served lists and routes reads; see the file comment. */
export class GatewayCatalog {
  constructor(private readonly _backend: RouterBackend, private readonly _options: CatalogOptions = {}) {}

  /** Every namespaced tool, with the server's own definition apart from the name, a title naming the server, and see `CatalogOptions`. */
  tools(): Tool[] {
    const keepReadOnly = this._options.readOnlyHints?.() ?? false;
    return this._backend.registry.tools().map((t) => servedTool(t, keepReadOnly));
  }

  /** Every running server's resources; a URI listed twice belongs to the first server by name. */
  resources(): Resource[] {
    return this._unique((c) => c.resources, (r) => r.uri);
  }

  /** Every running server's templates; a template listed twice belongs to the first server by name. */
  resourceTemplates(): ResourceTemplate[] {
    return this._unique((c) => c.resourceTemplates, (t) => t.uriTemplate);
  }

  /** Every running server's prompts, named `<server>_<prompt>` exactly as tools are. */
  prompts(): Prompt[] {
    return this._prompts().map((p) => p.prompt);
  }

  /** A digest of one served list; equal digests mean a client would see the same list. */
  digest(kind: ServedKind): string {
    const served = kind === 'tools' ? this.tools() : kind === 'resources' ? [this.resources(), this.resourceTemplates()] : this.prompts();
    return sha256Hex(canonicalJson(served)).slice(0, 16);
  }

  /**
   * Reads a resource from the server that lists it, else from the server whose template it
   * matches best (the longest literal prefix before the first `{`).
   */
  async readResource(uri: string, signal?: AbortSignal): Promise<ReadResourceResult> {
    const server = this._resourceOwner(uri);
    if (!server) throw await mcpError(RESOURCE_NOT_FOUND, `Resource not found: ${uri}`, { uri });
    return (await this._client(server, signal)).readResource({ uri }, this._backend.requestOptions(server, signal));
  }

  /** Renders a prompt on its server, under the server's own name for it. */
  async getPrompt(name: string, args: Record<string, string> | undefined, signal?: AbortSignal): Promise<GetPromptResult> {
    const served = this._prompts().find((p) => p.prompt.name === name);
    if (!served) throw await mcpError('InvalidParams', `No prompt named "${name}" is available.`);
    const client = await this._client(served.server, signal);
    return client.getPrompt({ name: served.raw, arguments: args }, this._backend.requestOptions(served.server, signal));
  }

  /** Servers with a usable catalog (running, or about to), in name order: "first server" must not depend on start order. */
  private _served(): string[] {
    const registry = this._backend.registry;
    return registry.names().filter((s) => registry.usableCatalog(s)).sort();
  }

  private _unique<T extends { _meta?: Record<string, unknown> }>(list: (c: ServerCatalog) => T[], key: (item: T) => string): T[] {
    const seen = new Set<string>();
    const out: T[] = [];
    for (const server of this._served()) {
      for (const item of list(this._backend.registry.usableCatalog(server)!)) {
        if (seen.has(key(item))) continue;
        seen.add(key(item));
        out.push({ ...item, _meta: { ...item._meta, [META_SERVER]: server } });
      }
    }
    return out;
  }

  private _prompts(): ServedPrompt[] {
    const refs = this._served().flatMap((server) => this._backend.registry.usableCatalog(server)!.prompts.map((prompt) => ({ server, prompt })));
    const names = namespaceTools(refs.map((r) => ({ server: r.server, tool: r.prompt.name })));
    return refs
      .flatMap(({ server, prompt }) => {
        // Prompts no hash can tell apart are left unnamed by namespaceTools, and so not served.
        const name = names.get(refKey({ server, tool: prompt.name }));
        return name ? [{ server, raw: prompt.name, prompt: { ...prompt, name, _meta: { ...prompt._meta, [META_SERVER]: server, [META_PROMPT]: prompt.name } } }] : [];
      })
      .sort((a, b) => (a.prompt.name < b.prompt.name ? -1 : a.prompt.name > b.prompt.name ? 1 : 0));
  }

  private _resourceOwner(uri: string): string | undefined {
    const registry = this._backend.registry;
    const servers = this._served();
    const listed = servers.find((s) => registry.usableCatalog(s)!.resources.some((r) => r.uri === uri));
    if (listed) return listed;
    let best: { server: string; length: number } | undefined;
    for (const server of servers) {
      for (const t of registry.usableCatalog(server)!.resourceTemplates) {
        const length = templateMatch(t.uriTemplate, uri);
        if (length > (best?.length ?? 0)) best = { server, length };
      }
    }
    return best?.server;
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
  // Every served tool shows under the one gateway server in the host's UI (VS Code's card says
  // "MCP Switchboard (MCP Server)"), so its display title names the server that really runs it.
  served.title = `${tool.title ?? tool.annotations?.title ?? tool.name} (${server})`;
  if (tool.annotations?.title !== undefined) served.annotations = { ...tool.annotations, title: `${tool.annotations.title} (${server})` };
  if (!keepReadOnly && served.annotations?.readOnlyHint !== undefined) {
    const { readOnlyHint, ...rest } = served.annotations;
    served.annotations = rest;
    served._meta = { ...served._meta, [META_READ_ONLY]: readOnlyHint };
  }
  return served;
}
