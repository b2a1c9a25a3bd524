/**
 * What a server may ask of its client (sampling, elicitation, roots, logging) and how a host
 * answers it. The core only declares the capabilities and routes each request to the host's
 * handler with the server's name; what the user sees (a model picker, a form, a consent prompt)
 * is the host's business: the editor adapter asks in VS Code, the CLI answers non-interactively.
 *
 * A capability is declared only when the host gives a handler for it, so a server never sends a
 * request nobody can answer. A URL elicitation whose URL is not a web page the browser may open
 * (common/urlPolicy.ts) is refused here, before any host shows it.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import {
  CreateMessageRequestSchema, ElicitRequestSchema, ErrorCode, ListRootsRequestSchema, LoggingMessageNotificationSchema, McpError,
  type ClientCapabilities, type ClientNotification, type ClientRequest, type CreateMessageRequest, type CreateMessageResult,
  type ElicitRequest, type ElicitResult, type LoggingMessageNotification, type Root,
} from '@modelcontextprotocol/sdk/types.js';
import type { Event, IDisposable } from '../common/lifecycle';
import { openableUrlProblem } from '../common/urlPolicy';

export type ElicitParams = ElicitRequest['params'];
export type SamplingParams = CreateMessageRequest['params'];
export type LogMessage = LoggingMessageNotification['params'];

export interface ClientFeatures {
  /** `elicitation/create`, form or URL mode. Defaults the server gave are applied to omitted fields (SEP-1034). */
  elicit?(server: string, params: ElicitParams, signal: AbortSignal): Promise<ElicitResult>;
  /** Whether URL-mode elicitation may be offered (the host can open a URL after asking). */
  elicitUrl?: boolean;
  /** `sampling/createMessage`, answered by a language model the user agreed to lend this server. */
  sample?(server: string, params: SamplingParams, signal: AbortSignal): Promise<CreateMessageResult>;
  /** `roots/list`: the folders the servers may work in; `onDidChange` sends `roots/list_changed`. */
  roots?: { list(): Root[]; onDidChange?: Event<void> };
  /** `notifications/message` from the server, at its level. */
  log?(server: string, message: LogMessage): void;
}

export function clientCapabilities(features: ClientFeatures | undefined): ClientCapabilities {
  const caps: ClientCapabilities = {};
  if (features?.elicit) {
    // `applyDefaults` has the SDK fill omitted fields from the schema's defaults after the handler answers.
    caps.elicitation = { form: { applyDefaults: true }, ...(features.elicitUrl ? { url: {} } : {}) };
  }
  if (features?.sample) caps.sampling = {};
  if (features?.roots) caps.roots = { listChanged: !!features.roots.onDidChange };
  return caps;
}

type Extra = RequestHandlerExtra<ClientRequest, ClientNotification>;

/** Registers the handlers for `features` on a client created with `clientCapabilities(features)`. */
export function registerClientFeatures(client: Client, server: string, features: ClientFeatures | undefined): IDisposable[] {
  if (!features) return [];
  const { elicit, sample, roots, log } = features;
  if (elicit) {
    client.setRequestHandler(ElicitRequestSchema, (req, extra: Extra) => {
      const { params } = req;
      const url = params.mode === 'url' ? params.url : undefined;
      const problem = url === undefined ? undefined : openableUrlProblem(url);
      if (problem) throw new McpError(ErrorCode.InvalidParams, `MCP server "${server}" asked to open ${JSON.stringify(url)}, which is refused: ${problem}`);
      return elicit.call(features, server, req.params, extra.signal);
    });
  }
  if (sample) client.setRequestHandler(CreateMessageRequestSchema, (req, extra: Extra) => sample.call(features, server, req.params, extra.signal));
  if (log) client.setNotificationHandler(LoggingMessageNotificationSchema, async (n) => log.call(features, server, n.params));
  const disposables: IDisposable[] = [];
  if (roots) {
    client.setRequestHandler(ListRootsRequestSchema, async () => ({ roots: roots.list() }));
    const sub = roots.onDidChange?.(() => void client.sendRootsListChanged().catch(() => undefined));
    if (sub) disposables.push(sub);
  }
  return disposables;
}
