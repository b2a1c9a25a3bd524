/**
 * What the router and the gateway need from the client side. Apart from router.ts so the gateway,
 * which VS Code asks for as the window opens, can be set up without the router's schema checker.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { McpClientManager, StartOnUseResult } from '../client/manager';
import type { ToolCaller } from '../client/toolCalls';
import type { IServerRegistry } from '../client/types';
import type { Redactor } from '../common/redact';

/** What the router needs from the client side; the manager provides it through `managerBackend`. */
export interface RouterBackend {
  registry: IServerRegistry;
  /** The live SDK client of a running server. */
  clientFor(server: string): Client | undefined;
  /** Where a running server's tool calls go: its connection's short path (client/toolCalls.ts). */
  callerFor(server: string): ToolCaller | undefined;
  /** The server's per-request options (its timeout) with the caller's signal. */
  requestOptions(server: string, signal?: AbortSignal): RequestOptions;
  /** Settles once a tools refresh the server announced (`list_changed`) is applied; undefined when none is pending. */
  toolsSettled?(server: string): Promise<void> | undefined;
  /** Starts a server listed from its cached catalog (or waits for its start); see `McpClientManager.startOnUse`. */
  startOnUse?(server: string, signal?: AbortSignal): Promise<StartOnUseResult>;
  /** Hides the server's secrets in an error about it (see `McpClientManager.redactor`). */
  redactor?(server: string): Redactor;
}

/** Adapts the client manager: a server's client and timeout come from its current connection. */
export function managerBackend(manager: McpClientManager): RouterBackend {
  return {
    registry: manager,
    clientFor: (server) => manager.connection(server)?.client,
    callerFor: (server) => manager.connection(server)?.toolCalls,
    requestOptions: (server, signal) => manager.connection(server)?.requestOptions(signal) ?? { signal },
    startOnUse: (server, signal) => manager.startOnUse(server, signal),
    redactor: (server) => manager.redactor(server),
    toolsSettled: (server) => manager.connection(server)?.toolsSettled(),
  };
}
