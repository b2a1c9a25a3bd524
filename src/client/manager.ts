/**
 * The client manager: a map from server name to connection, plus a reconcile step that applies a
 * new configuration by restarting only what changed.
 */
import type { jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';
import { Disposable, DisposableStore, Emitter } from '../common/lifecycle';
import { createRedactor, redactCredentials, type Redactor } from '../common/redact';
import { diffServers, type ServerDiff } from '../config/diff';
import { serverIdentity } from '../config/identity';
import type { ServerConfig, StdioServerConfig } from '../config/types';
import type { CatalogCache } from './catalogCache';
import type { HttpAuth } from './auth/types';
import type { ClientFeatures } from './clientFeatures';
import type { McpServerConnection } from './connection';
import { namespaceTools, refKey } from './namespacing';
import { redactedLog } from './redactedLog';
import { RestartPolicy } from './restartPolicy';
import { describeFailure, stopped, waitsToRun } from './state';
import type {
  CatalogChange, IServerRegistry, NamespacedTool, ResolvedServer, ServerCatalog, ServerLog, ServerState, StateChange,
} from './types';

/** A server as the configuration wants it. `hold` lists it without running it (disabled, untrusted, invalid). */
export interface DesiredServer {
  name: string;
  sourceKind: ResolvedServer['sourceKind'];
  /**
   * What permissions are keyed by (config/identity.ts), from the definition as written; when
   * absent, made from `config`.
   */
  identity?: string;
  config?: ServerConfig;
  /** Values in `config` that must never be written out: every line about the server is redacted with them. */
  secrets?: readonly string[];
  hold?: ServerState;
}

export interface ManagerOptions {
  logFor(server: string): ServerLog;
  clientInfo: { name: string; version: string };
  prepareEnv?: (config: StdioServerConfig, server: string) => Promise<Record<string, string>>;
  restartPolicy?: () => RestartPolicy;
  stopGraceMs?: number;
  /**
   * Shared by every connection's SDK client (see `ConnectionOptions.jsonSchemaValidator`); asked
   * for once, with the first server that runs, so a host with no servers never loads one.
   */
  jsonSchemaValidator?: () => jsonSchemaValidator | Promise<jsonSchemaValidator>;
  /** The OAuth session for a remote server (one per definition, so tokens survive restarts), or none. */
  oauth?: (server: ResolvedServer) => HttpAuth | undefined;
  /** Idle health check (see healthCheck.ts); the defaults when absent. */
  ping?: { intervalMs: number; timeoutMs: number };
  /** How the host answers servers' sampling, elicitation and roots requests, and where their log messages go. */
  features?: ClientFeatures;
  /** Last known catalogs: read for servers that have not listed theirs yet, written as they do. */
  catalogCache?: CatalogCache;
}

export type ReconcileResult = ServerDiff;

/**
 * Which new or changed servers a reconcile starts: all (`true`), none (`false`), or all but those
 * with a cached catalog (`'onFirstUse'`), which wait until a call, a read or the user starts them.
 * A server with nothing cached starts anyway: its tools must be learnt once.
 */
export type AutoStart = boolean | 'onFirstUse';

/** Why a server a caller needs is not running, or `undefined` when it runs. */
export type StartOnUseResult = { running: true } | { running: false; state?: ServerState; message: string };

/** What making a connection needs, loaded with the first server that runs: the SDK client is large. */
interface ConnectionKit {
  Connection: typeof McpServerConnection;
  validator?: jsonSchemaValidator;
}

interface Entry {
  desired: DesiredServer;
  /** The resolved definition, one object for the entry's life (the cache keys by it). */
  def?: ResolvedServer;
  conn?: McpServerConnection;
  store: DisposableStore;
  redact?: Redactor;
}

export class McpClientManager extends Disposable implements IServerRegistry {
  private readonly _entries = new Map<string, Entry>();
  private _tools?: NamespacedTool[];
  /** Name collisions already logged, so a recomputation does not log them again. */
  private _collisions = new Set<string>();
  private _kit?: Promise<ConnectionKit>;

  private readonly _onDidChangeState = this._register(new Emitter<StateChange>());
  readonly onDidChangeState = this._onDidChangeState.event;
  private readonly _onDidChangeCatalog = this._register(new Emitter<CatalogChange>());
  readonly onDidChangeCatalog = this._onDidChangeCatalog.event;
  private readonly _onDidChangeServers = this._register(new Emitter<void>());
  readonly onDidChangeServers = this._onDidChangeServers.event;

  constructor(private readonly _opts: ManagerOptions) {
    super();
  }

  /**
   * Applies the desired set: new servers are created (and started when `autoStart`), removed ones
   * stopped, changed ones replaced; servers whose definition is unchanged are not touched.
   */
  async reconcile(desired: readonly DesiredServer[], { autoStart = true }: { autoStart?: AutoStart } = {}): Promise<ReconcileResult> {
    const next = new Map(desired.map((d) => [d.name, d]));
    const previous = new Map([...this._entries].map(([name, e]) => [name, e.desired]));
    const result = diffServers(previous, next);
    const adding = [...result.added, ...result.changed].map((name) => next.get(name)!);
    const [kit] = await Promise.all([
      adding.some(runs) ? this._loadKit() : undefined,
      ...[...result.removed, ...result.changed].map((name) => this._remove(name, this._entries.get(name)!)),
    ]);
    for (const desired of adding) this._add(desired, kit);
    if (result.added.length || result.removed.length || result.changed.length) {
      this._tools = undefined;
      this._onDidChangeServers.fire();
    }
    const fresh = [...result.added, ...result.changed].flatMap((n) => this._entries.get(n)?.conn ?? []);
    if (autoStart === 'onFirstUse') {
      for (const conn of fresh) if (this.cachedCatalog(conn.name)) conn.waitForFirstUse();
    }
    if (autoStart) await startApart(fresh.filter((conn) => !waitsToRun(conn.state)));
    return result;
  }

  names(): string[] {
    return [...this._entries.keys()];
  }

  /**
   * Hides the server's secrets and anything shaped like a credential in text about it; every
   * line the connection writes has been through it, and writers outside the core use it too.
   */
  redactor(server: string): Redactor {
    const e = this._entries.get(server);
    if (!e) return redactCredentials;
    e.redact ??= createRedactor(e.desired.secrets);
    return e.redact;
  }

  connection(server: string): McpServerConnection | undefined {
    return this._entries.get(server)?.conn;
  }

  state(server: string): ServerState | undefined {
    const e = this._entries.get(server);
    if (!e) return undefined;
    return e.conn ? e.conn.state : e.desired.hold ?? stopped();
  }

  catalog(server: string): ServerCatalog | undefined {
    return this._entries.get(server)?.conn?.catalog;
  }

  definition(server: string): ResolvedServer | undefined {
    const d = this._entries.get(server)?.desired;
    return d?.config ? { name: d.name, sourceKind: d.sourceKind, config: d.config, secrets: d.secrets } : undefined;
  }

  /** The identity rules and pins of the server by this name match, while it is configured. */
  identity(server: string): string | undefined {
    const d = this._entries.get(server)?.desired;
    if (!d) return undefined;
    return d.identity ?? (d.config ? serverIdentity(d.name, d.sourceKind, d.config) : undefined);
  }

  cachedCatalog(server: string): ServerCatalog | undefined {
    const def = this._entries.get(server)?.def;
    return def && this._opts.catalogCache?.get(def);
  }

  usableCatalog(server: string): ServerCatalog | undefined {
    const conn = this._entries.get(server)?.conn;
    if (!conn) return undefined;
    if (conn.state.kind === 'running') return conn.catalog;
    return waitsToRun(conn.state) ? this.cachedCatalog(server) : undefined;
  }

  /**
   * Namespaced tools of every server with a usable catalog (running, or about to from its cache),
   * recomputed only after a catalog or server change.
   */
  tools(): NamespacedTool[] {
    if (this._tools) return this._tools;
    const refs: { server: string; tool: NamespacedTool['tool'] }[] = [];
    for (const server of this._entries.keys()) {
      for (const tool of this.usableCatalog(server)?.tools ?? []) refs.push({ server, tool });
    }
    const collisions = new Set<string>();
    const names = namespaceTools(refs.map((r) => ({ server: r.server, tool: r.tool.name })), (group, name) => {
      const text = `the tools ${group.map((r) => `${JSON.stringify(r.tool)} of "${r.server}"`).join(' and ')} cannot be told apart (both would be ${name}), so none of them is served`;
      collisions.add(text);
      if (this._collisions.has(text)) return;
      for (const server of new Set(group.map((r) => r.server))) this._opts.logFor(server).error(text);
    });
    this._collisions = collisions;
    // The connection drops a name a server lists twice; a second one here would still be ambiguous, so it is skipped.
    const named = new Set<string>();
    this._tools = refs
      .flatMap((r) => {
        const name = names.get(refKey({ server: r.server, tool: r.tool.name }));
        if (!name || named.has(name)) return [];
        named.add(name);
        return [{ name, server: r.server, tool: r.tool }];
      })
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return this._tools;
  }

  async start(server: string): Promise<void> {
    await this._require(server).start();
  }

  /**
   * For a caller that needs the server now (a tool call, a resource read): starts a server that
   * waits for its first use, or waits for a start under way, until it runs or fails. The
   * connection bounds a start by the server's start timeout, so this never hangs; an aborted
   * `signal` stops the waiting (not the start). Other states are answered at once.
   */
  async startOnUse(server: string, signal?: AbortSignal): Promise<StartOnUseResult> {
    const conn = this._entries.get(server)?.conn;
    if (conn && waitsToRun(conn.state)) await untilAborted(conn.start(), signal);
    const state = this.state(server);
    if (state?.kind === 'running') return { running: true };
    return { running: false, state, message: `MCP server "${server}" is not running (${state ? describeFailure(state) : 'removed'}).` };
  }

  async stop(server: string): Promise<void> {
    await this._require(server).stop('user');
  }

  async restart(server: string): Promise<void> {
    await this._require(server).restart();
  }

  async startAll(): Promise<void> {
    await Promise.all([...this._entries.values()].map((e) => e.conn?.start()));
  }

  /** Stops every server in parallel; used on deactivate, where time is short. */
  async stopAll(graceMs?: number): Promise<void> {
    await Promise.all([...this._entries.values()].map((e) => e.conn?.stop('user', graceMs)));
  }

  override dispose(): void {
    for (const [name, e] of this._entries) void this._remove(name, e);
    super.dispose();
  }

  private _require(server: string): McpServerConnection {
    const e = this._entries.get(server);
    if (!e) throw new Error(`no server named "${server}"`);
    if (!e.conn) throw new Error(`server "${server}" cannot run: ${e.desired.hold?.kind === 'error' ? e.desired.hold.message : 'it is held back'}`);
    return e.conn;
  }

  private _loadKit(): Promise<ConnectionKit> {
    this._kit ??= Promise.all([import('./connection'), this._opts.jsonSchemaValidator?.()])
      .then(([{ McpServerConnection: Connection }, validator]) => ({ Connection, validator }));
    return this._kit;
  }

  /** `kit` is there whenever `desired` runs (see `reconcile`). */
  private _add(desired: DesiredServer, kit: ConnectionKit | undefined): void {
    const store = new DisposableStore();
    const entry: Entry = { desired, store };
    this._entries.set(desired.name, entry);
    if (!runs(desired) || !kit) return;
    const def: ResolvedServer = { name: desired.name, sourceKind: desired.sourceKind, config: desired.config, secrets: desired.secrets };
    entry.def = def;
    const conn = store.add(new kit.Connection(def, {
      log: redactedLog(this._opts.logFor(desired.name), this.redactor(desired.name)),
      clientInfo: this._opts.clientInfo,
      prepareEnv: this._opts.prepareEnv && ((c) => this._opts.prepareEnv!(c, desired.name)),
      restartPolicy: this._opts.restartPolicy?.(),
      stopGraceMs: this._opts.stopGraceMs,
      jsonSchemaValidator: kit.validator,
      features: this._opts.features,
      pingIntervalMs: this._opts.ping?.intervalMs,
      pingTimeoutMs: this._opts.ping?.timeoutMs,
      auth: def.config.type !== 'stdio' ? this._opts.oauth?.(def) : undefined,
      redact: this.redactor(desired.name),
    }));
    entry.conn = conn;
    // The catalog is cached once the server runs (its first full listing) and after each change.
    // `client` is gone before a stop or crash empties the catalog, so that empty one is not kept.
    const remember = () => { if (conn.client) this._opts.catalogCache?.set(def, conn.catalog); };
    store.add(conn.onDidChangeState((state) => {
      this._tools = undefined;
      remember();
      this._onDidChangeState.fire({ server: desired.name, state });
    }));
    store.add(conn.onDidChangeCatalog((kinds) => {
      if (kinds.includes('tools')) this._tools = undefined;
      remember();
      this._onDidChangeCatalog.fire({ server: desired.name, kinds });
    }));
  }

  private async _remove(name: string, entry: Entry): Promise<void> {
    this._entries.delete(name);
    this._tools = undefined;
    if (entry.conn) await entry.conn.stop('removed');
    entry.store.dispose();
  }
}

/** A server with a configuration and nothing holding it back gets a connection. */
function runs(desired: DesiredServer): desired is DesiredServer & { config: ServerConfig } {
  return !!desired.config && !desired.hold;
}

/**
 * Starts every connection, one event-loop turn apart: spawning a process blocks the thread for
 * its fork and exec, and a configuration with many servers would otherwise block it for all of
 * them in one go.
 */
async function startApart(conns: readonly McpServerConnection[]): Promise<void> {
  const starts: Promise<void>[] = [];
  for (const [i, conn] of conns.entries()) {
    if (i > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    starts.push(conn.start());
  }
  await Promise.all(starts);
}

/** `p`, or as soon as `signal` aborts, whichever comes first (the start itself goes on). */
function untilAborted(p: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return p;
  if (signal.aborted) return Promise.resolve();
  let onAbort!: () => void;
  const aborted = new Promise<void>((resolve) => { onAbort = resolve; signal.addEventListener('abort', onAbort, { once: true }); });
  return Promise.race([p, aborted]).finally(() => signal.removeEventListener('abort', onAbort));
}
