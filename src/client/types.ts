/**
 * Public shapes of the client core: connection state, catalogs, logging sinks and the manager's
 * surface. The VS Code adapter, the views and the CLI depend on these and nothing deeper.
 */
import type { Implementation, Prompt, Resource, ResourceTemplate, ServerCapabilities, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { ConfigSourceKind, ServerConfig } from '../config/types';
import type { Event } from '../common/lifecycle';

/**
 * A connection's lifecycle as a discriminated union; `stopped` carries why when the user did not
 * ask for it (disabled in config, untrusted workspace, or `onFirstUse`: not started yet, listed
 * from its cached catalog until something uses it).
 */
export type ServerState =
  | { kind: 'stopped'; reason?: StoppedReason }
  | { kind: 'starting' }
  | { kind: 'running' }
  | { kind: 'restarting'; attempt: number; delayMs: number; lastError: string }
  | { kind: 'error'; message: string; stderrTail: string[]; signIn?: boolean };

export type StoppedReason = 'user' | 'disabled' | 'untrusted' | 'removed' | 'onFirstUse';

export type ServerStateKind = ServerState['kind'];

/** What a server offers, as last listed. */
export interface ServerCatalog {
  serverInfo?: Implementation;
  capabilities?: ServerCapabilities;
  instructions?: string;
  protocolVersion?: string;
  tools: Tool[];
  resources: Resource[];
  resourceTemplates: ResourceTemplate[];
  prompts: Prompt[];
}

export type CatalogKind = 'tools' | 'resources' | 'resourceTemplates' | 'prompts';

/** Where one server's diagnostics go; the adapter backs it with a `LogOutputChannel`. */
export interface ServerLog {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** One line of the server process's stderr, without its newline. */
  stderr(line: string): void;
  /** Lets hot paths skip building trace messages nobody will see. */
  traceEnabled?(): boolean;
}

/** A server definition with every variable resolved, ready to run. */
export interface ResolvedServer {
  name: string;
  sourceKind: ConfigSourceKind;
  config: ServerConfig;
  /** Values in `config` that must never be written out (see `resolveServerConfig`). */
  secrets?: readonly string[];
}

/** A tool as exposed to routers and models: globally unique name plus where it lives. */
export interface NamespacedTool {
  /** `<prefix>_<tool>`, ≤ 64 chars of [A-Za-z0-9_-]. */
  name: string;
  server: string;
  tool: Tool;
}

export interface StateChange {
  server: string;
  state: ServerState;
}

export interface CatalogChange {
  server: string;
  kinds: CatalogKind[];
}

/** The manager's read side, which is all views and the CLI need. */
export interface IServerRegistry {
  readonly onDidChangeState: Event<StateChange>;
  readonly onDidChangeCatalog: Event<CatalogChange>;
  /** Fired when servers are added or removed by a reconcile. */
  readonly onDidChangeServers: Event<void>;
  names(): string[];
  state(server: string): ServerState | undefined;
  catalog(server: string): ServerCatalog | undefined;
  definition(server: string): ResolvedServer | undefined;
  /** The last known catalog of the server's current configuration (from an earlier run), whatever its state. */
  cachedCatalog(server: string): ServerCatalog | undefined;
  /**
   * What calls can use: the live catalog while the server runs, its cached one while it waits to
   * run (see `waitsToRun`), else nothing.
   */
  usableCatalog(server: string): ServerCatalog | undefined;
  /** The tools of every server with a usable catalog, with their namespaced names. */
  tools(): NamespacedTool[];
}

export const emptyCatalog = (): ServerCatalog => ({ tools: [], resources: [], resourceTemplates: [], prompts: [] });
