/**
 * One MCP session of the gateway, on one server's endpoint: a low-level SDK `Server` whose
 * handlers answer from that server's part of the catalog and send every tool call through the
 * router. The SDK wants one Server per transport, and each Streamable HTTP session has its own
 * transport, so each session gets one of these.
 *
 * The gateway loads this module when its first session begins, and everything of the SDK it
 * needs comes through here: a window whose MCP host never connects does not load the SDK's server.
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema, GetPromptRequestSchema, ListPromptsRequestSchema, ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema, ListToolsRequestSchema, ReadResourceRequestSchema,
  type CallToolResult, type ServerNotification,
} from '@modelcontextprotocol/sdk/types.js';
import { errorMessage } from '../common/async';
import type { CallOptions, ToolCallOutcome } from '../router/types';
import type { GatewayCatalog } from './catalog';

export { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
export { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';

/** The name the gateway reports as its serverInfo. */
export const GATEWAY_SERVER_NAME = 'mcp-switchboard-gateway';

/** Where the gateway's own diagnostics go; it never writes the token to it. */
export interface GatewayLog {
  trace(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** What a tools/call needs from the router: `ToolRouter` fits. */
export interface GatewayRouter {
  call(name: string, args: Record<string, unknown> | undefined, opts: CallOptions): Promise<ToolCallOutcome>;
}

export interface SessionDeps {
  catalog: GatewayCatalog;
  /** The server whose endpoint the session was opened on: the only one it lists and reaches. */
  server: string;
  router: GatewayRouter;
  version: string;
  log: GatewayLog;
}

/**
 * What the gateway client receives for a call. A result from the server goes through untouched,
 * so images, embedded resources and structured content survive; every outcome that never reached
 * the server (or never came back) becomes a tool error the model can read.
 */
export function toCallToolResult(outcome: ToolCallOutcome): CallToolResult {
  if (outcome.kind === 'ok' || outcome.kind === 'toolError') return outcome.result;
  return { isError: true, content: [{ type: 'text', text: outcome.message }] };
}

/** A Server for one session, not yet connected to its transport. */
export function createSessionServer({ catalog, server: backend, router, version, log }: SessionDeps): Server {
  // VS Code prefixes the tools' names with the server's title (else the definition's label): the
  // server's own name keeps them `mcp_<server>_…`, the names @switchboard expects (hostNames.ts).
  const server = new Server(
    { name: GATEWAY_SERVER_NAME, title: backend, version },
    { capabilities: { tools: { listChanged: true }, resources: { listChanged: true }, prompts: { listChanged: true } } },
  );

  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: catalog.tools(backend) }));

  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const { name, arguments: args, _meta } = request.params;
    // Another server's tool is as unknown here as a made-up name: what VS Code allowed for this
    // endpoint must never run a tool of another server.
    if (!catalog.hasTool(backend, name)) {
      log.warn(`tools/call ${name} refused on the endpoint of "${backend}": not one of its tools`);
      return toCallToolResult({ kind: 'unknownTool', message: `No tool named "${name}" on MCP server "${backend}".` });
    }
    const token = _meta?.progressToken;
    // Progress sends are chained and awaited before the result goes out: when the server's last
    // progress and its result arrive in one chunk, the result must not overtake the progress.
    let progressSent: Promise<void> = Promise.resolve();
    const onProgress: CallOptions['onProgress'] = token === undefined ? undefined : (p) => {
      const notification: ServerNotification = { method: 'notifications/progress', params: { progressToken: token, ...p } };
      // Progress is a courtesy: a client that went away must not fail the call.
      progressSent = progressSent.then(() => extra.sendNotification(notification))
        .catch((e: unknown) => log.trace(`progress for ${name} not sent: ${errorMessage(e)}`));
    };
    const outcome = await router.call(name, args, { origin: 'gateway', signal: extra.signal, onProgress });
    await progressSent;
    log.trace(`tools/call ${name}: ${outcome.kind}`);
    return toCallToolResult(outcome);
  });

  server.setRequestHandler(ListResourcesRequestSchema, () => ({ resources: catalog.resources(backend) }));
  server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({ resourceTemplates: catalog.resourceTemplates(backend) }));
  server.setRequestHandler(ReadResourceRequestSchema, (request, extra) => catalog.readResource(backend, request.params.uri, extra.signal));

  server.setRequestHandler(ListPromptsRequestSchema, () => ({ prompts: catalog.prompts(backend) }));
  server.setRequestHandler(GetPromptRequestSchema, (request, extra) =>
    catalog.getPrompt(backend, request.params.name, request.params.arguments, extra.signal));

  return server;
}
