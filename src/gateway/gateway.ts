/**
 * The local MCP gateway: a Streamable HTTP listener on 127.0.0.1 with one endpoint per configured
 * server (`/mcp/<server>`), each serving that server's tools, resources and prompts only, so an MCP
 * host (VS Code's agent mode) sees the user's servers as they are: what the host allows for one
 * server ("Allow Tools from <server>") can never cover another's. Tool calls go through the
 * ToolRouter with origin 'gateway', so the schema check, the permission policy and the audit log
 * apply exactly as for every other caller.
 *
 * Nothing reaches the SDK transport before the HTTP gate (http.ts) let it through: the listener
 * is bound to loopback only, yet any local process or a browser page could still try to talk to it.
 * The SDK's server side (session.ts) is loaded with the first session, not when listening starts.
 */
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorMessage } from '../common/async';
import { Disposable, Emitter, toDisposable } from '../common/lifecycle';
import type { RouterBackend } from '../router/backend';
import { GatewayCatalog, SERVED_KINDS, type CatalogOptions, type ServedKind } from './catalog';
import { checkAccess, DEFAULT_MAX_BODY_BYTES, MCP_PATH, newToken, pathServer, readJsonBody, refuse, requestPath, serverPath, type Refusal } from './http';
import type * as SessionModule from './session';
import type { GatewayLog, GatewayRouter } from './session';
import { SessionTable, type SessionEntry } from './sessions';

/** The only interface the gateway ever listens on. */
export const GATEWAY_HOST = '127.0.0.1';

export interface GatewayOptions extends CatalogOptions {
  /** Where the catalog and the live clients come from: `managerBackend(manager)`, as for the router. */
  backend: RouterBackend;
  /** Every tools/call goes through it with origin 'gateway'; a `ToolRouter`. */
  router: GatewayRouter;
  /** Reported as serverInfo.version (the extension's version). */
  version: string;
  /** The port to listen on; 0 (the default) takes a free one. */
  port?: number;
  log?: GatewayLog;
  /** Larger POST bodies are refused with 413. Default 4 MiB. */
  maxBodyBytes?: number;
  /** How long registry changes are gathered before clients are told. Default 50 ms. */
  listChangedDebounceMs?: number;
  /**
   * At most this many sessions are open; a new one ends the least recently used. Default 64, or
   * twice the number of servers when that is more: VS Code keeps a session open per server.
   */
  maxSessions?: number;
  /** A session with no request open for this long is closed. Default 10 minutes. */
  sessionIdleMs?: number;
}

interface Session {
  server: Server;
  transport: StreamableHTTPServerTransport;
}

/** What the host is given for one server: its endpoint and the version of its tool list. */
export interface ServedServer {
  server: string;
  url: string;
  /** Changes when the server's tool list changed while no client of its endpoint could hear list_changed. */
  version: string;
}

/** Per server: the digest of each list as its clients were last told, and the version last published. */
interface ServedState {
  digests: Record<ServedKind, string>;
  version: string;
}

const DEFAULT_IDLE_MS = 10 * 60_000;

const silentLog: GatewayLog = { trace: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** The gateway; see the file comment. Call `start()`, then hand `url` and `headers` to the MCP host. */
export class Gateway extends Disposable {
  /** The bearer token every request must carry; never logged. */
  readonly token = newToken();
  private readonly _tokenBytes = Buffer.from(this.token, 'utf8');
  private readonly _log: GatewayLog;
  private readonly _catalog: GatewayCatalog;
  private readonly _sessions: SessionTable<Session>;
  private readonly _served = new Map<string, ServedState>();
  /** The servers as the last `onDidChangeDefinitions` (or the start) had them. */
  private _servedNames: string[];
  private _http?: HttpServer;
  private _port?: number;
  private _starting?: Promise<void>;
  private _timer?: NodeJS.Timeout;
  private readonly _sweeper: NodeJS.Timeout;

  private readonly _onDidChangeDefinitions = this._register(new Emitter<void>());
  /**
   * Fired (debounced) when `definitions()` changed: a server came or went, or a server's tool list
   * changed while no client listened on its endpoint (a listening client hears list_changed instead).
   */
  readonly onDidChangeDefinitions = this._onDidChangeDefinitions.event;

  constructor(private readonly _opts: GatewayOptions) {
    super();
    this._log = _opts.log ?? silentLog;
    this._catalog = new GatewayCatalog(_opts.backend, _opts);
    this._servedNames = this._catalog.servers();
    for (const server of this._servedNames) this._state(server);
    const idleMs = _opts.sessionIdleMs ?? DEFAULT_IDLE_MS;
    this._sessions = new SessionTable<Session>({
      max: () => _opts.maxSessions ?? Math.max(64, 2 * this._catalog.servers().length),
      idleMs,
      onEnd: (entry, why) => {
        this._log.trace(`session ${short(entry.id)} of "${entry.server}" ${why === 'idle' ? 'expired' : 'closed to make room'} (${this._sessions.size} open)`);
        this._close(entry);
      },
    });
    this._sweeper = setInterval(() => this._sessions.sweep(), Math.max(10, idleMs / 2));
    this._sweeper.unref();
    const registry = _opts.backend.registry;
    const schedule = () => this._schedule();
    this._register(registry.onDidChangeCatalog(schedule));
    this._register(registry.onDidChangeState(schedule));
    this._register(registry.onDidChangeServers(schedule));
    this._register(toDisposable(() => { clearTimeout(this._timer); clearInterval(this._sweeper); }));
  }

  /** The port it listens on; only after `start()`. */
  get port(): number {
    if (this._port === undefined) throw new Error('the gateway has not been started');
    return this._port;
  }

  /** `http://127.0.0.1:<port>/mcp/<server>`, the server's endpoint; only after `start()`. */
  urlFor(server: string): string {
    return `http://${GATEWAY_HOST}:${this.port}${serverPath(server)}`;
  }

  /** The headers a client must send: the bearer token. */
  get headers(): Record<string, string> {
    return { Authorization: `Bearer ${this.token}` };
  }

  /** One endpoint per configured server, in the registry's order; only after `start()`. */
  definitions(): ServedServer[] {
    return this._catalog.servers().map((server) => ({ server, url: this.urlFor(server), version: this._state(server).version }));
  }

  /** Open MCP sessions. */
  get sessionCount(): number {
    return this._sessions.size;
  }

  /** Whether a client listens for list_changed on the server's endpoint (its GET stream is open). */
  listening(server: string): boolean {
    return this._sessions.listening(server);
  }

  /** The listener's address while it listens. */
  get address(): AddressInfo | undefined {
    return (this._http?.address() as AddressInfo | null) ?? undefined;
  }

  /** Starts listening on 127.0.0.1; calling it again returns the same promise. */
  start(): Promise<void> {
    if (this._store.isDisposed) return Promise.reject(new Error('the gateway has been disposed'));
    this._starting ??= this._listen().catch((e: unknown) => {
      this._starting = undefined;
      throw e;
    });
    return this._starting;
  }

  /** Closes every session (in-flight calls are aborted, so they end as cancelled) and the listener. */
  override dispose(): void {
    if (this._store.isDisposed) return;
    for (const entry of [...this._sessions.values()]) {
      this._sessions.delete(entry.id, entry.value);
      this._close(entry);
    }
    if (this._http) {
      this._http.close();
      // SSE streams never end by themselves; without this the port would stay open.
      this._http.closeAllConnections();
      this._http = undefined;
    }
    super.dispose();
  }

  private async _listen(): Promise<void> {
    const http = createServer((req, res) => {
      this._handle(req, res).catch((e: unknown) => {
        this._log.error(`${req.method} ${MCP_PATH} failed: ${errorMessage(e)}`);
        refuse(res, { status: 500, code: -32603, message: 'Internal error' });
      });
    });
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen({ host: GATEWAY_HOST, port: this._opts.port ?? 0, exclusive: true }, () => {
        http.off('error', reject);
        resolve();
      });
    });
    if (this._store.isDisposed) {
      http.close();
      throw new Error('the gateway was disposed while starting');
    }
    http.on('error', (e) => this._log.error(`listener error: ${errorMessage(e)}`));
    this._http = http;
    this._port = (http.address() as AddressInfo).port;
    this._log.info(`listening on http://${GATEWAY_HOST}:${this._port}${MCP_PATH}/<server>`);
  }

  private async _handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const denied = checkAccess(req, this.port, this._tokenBytes);
    if (denied) {
      this._log.warn(`refused ${req.method} ${requestPath(req)}: ${denied.message}`);
      return refuse(res, denied, { close: true });
    }
    const server = pathServer(requestPath(req));
    if (server === undefined || !this._catalog.servers().includes(server)) {
      const what = server === undefined ? `the gateway serves ${MCP_PATH}/<server> only` : `no MCP server named "${server}" is configured`;
      return refuse(res, { status: 404, code: -32000, message: `Not found: ${what}` });
    }
    const id = req.headers['mcp-session-id'];
    const entry = typeof id === 'string' ? this._sessions.get(id) : undefined;
    // 404 for an unknown session tells a client to start a new one (the spec's rule); a session of
    // another server's endpoint is as unknown here.
    if (id !== undefined && entry?.server !== server) return refuse(res, { status: 404, code: -32001, message: 'Session not found' });
    if (req.method === 'POST') {
      const read = await readJsonBody(req, this._opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
      if ('refusal' in read) return refuse(res, read.refusal, { close: read.refusal.status === 413 });
      if (entry) {
        this._sessions.track(entry, res, false);
        return entry.value.transport.handleRequest(req, res, read.body);
      }
      const sdk = await import('./session');
      if (sdk.isInitializeRequest(read.body)) return this._open(sdk, server, req, res, read.body);
      return refuse(res, { status: 400, code: -32000, message: 'Bad Request: no Mcp-Session-Id; start a session with initialize' });
    }
    if (req.method === 'GET' || req.method === 'DELETE') {
      if (!entry) return refuse(res, { status: 400, code: -32000, message: 'Bad Request: Mcp-Session-Id header is required' });
      this._sessions.track(entry, res, req.method === 'GET');
      return entry.value.transport.handleRequest(req, res);
    }
    return refuse(res, { status: 405, code: -32000, message: 'Method not allowed', headers: { Allow: 'GET, POST, DELETE' } });
  }

  private async _open(sdk: typeof SessionModule, backend: string, req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    if (this._store.isDisposed) return refuse(res, { status: 503, code: -32000, message: 'The gateway is shutting down' } satisfies Refusal);
    this._sessions.makeRoom();
    this._state(backend);
    const server = sdk.createSessionServer({ catalog: this._catalog, server: backend, router: this._opts.router, version: this._opts.version, log: this._log });
    const session: Session = { server, transport: new sdk.StreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      // Registered at initialize, before the response goes out, so the client's next request finds it.
      onsessioninitialized: (sid) => {
        this._sessions.add(sid, backend, session);
        this._log.trace(`session ${short(sid)} of "${backend}" opened (${this._sessions.size} open)`);
      },
    }) };
    const { transport } = session;
    // Set before connect: the Server chains its own close handling after ours.
    transport.onclose = () => {
      const sid = transport.sessionId;
      if (sid && this._sessions.delete(sid, session)) this._log.trace(`session ${short(sid)} closed (${this._sessions.size} open)`);
    };
    server.onerror = (e) => this._log.trace(`session error: ${errorMessage(e)}`);
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
    // An initialize the transport refused (bad headers, say) leaves a session nobody can reach.
    if (!transport.sessionId) void server.close();
  }

  private _close({ id, value }: SessionEntry<Session>): void {
    value.server.close().catch((e: unknown) => this._log.trace(`closing session ${short(id)}: ${errorMessage(e)}`));
  }

  /** The server's served state, first taken from what it serves now. */
  private _state(server: string): ServedState {
    let state = this._served.get(server);
    if (!state) {
      const digests = { tools: this._catalog.digest(server, 'tools'), resources: this._catalog.digest(server, 'resources'), prompts: this._catalog.digest(server, 'prompts') };
      state = { digests, version: digests.tools };
      this._served.set(server, state);
    }
    return state;
  }

  /** Something besides the registry changed what is served (a setting): tell clients if a list changed. */
  refresh(): void {
    this._schedule();
  }

  private _schedule(): void {
    clearTimeout(this._timer);
    this._timer = setTimeout(() => this._publish(), this._opts.listChangedDebounceMs ?? 50);
  }

  /**
   * Tells each session about the lists of its server whose served JSON changed, and only those;
   * ends the sessions of servers that are gone; and tells the host when `definitions()` changed.
   */
  private _publish(): void {
    const servers = this._catalog.servers();
    let definitionsChanged = servers.length !== this._servedNames.length || servers.some((s, i) => s !== this._servedNames[i]);
    this._servedNames = servers;
    for (const gone of [...this._served.keys()].filter((s) => !servers.includes(s))) this._served.delete(gone);
    for (const entry of [...this._sessions.values()]) {
      if (servers.includes(entry.server)) continue;
      this._sessions.delete(entry.id, entry.value);
      this._close(entry);
    }
    for (const server of servers) {
      const state = this._served.get(server);
      if (!state) continue; // new: its definition is news enough, and no session has seen it
      const changed = SERVED_KINDS.filter((kind) => {
        const digest = this._catalog.digest(server, kind);
        if (digest === state.digests[kind]) return false;
        state.digests[kind] = digest;
        return true;
      });
      if (!changed.length) continue;
      this._log.trace(`${server}: ${changed.join(', ')} changed`);
      for (const entry of this._sessions.values()) {
        if (entry.server === server) this._notify(entry, changed);
      }
      // A client listening on the endpoint re-lists on list_changed; a new version would make
      // VS Code drop that connection. Sessions nobody listens on (stale ones) change nothing.
      if (changed.includes('tools') && !this._sessions.listening(server)) {
        state.version = state.digests.tools;
        definitionsChanged = true;
      }
    }
    for (const server of servers) this._state(server);
    if (definitionsChanged) this._onDidChangeDefinitions.fire();
  }

  private _notify({ id, value: { server } }: SessionEntry<Session>, kinds: readonly ServedKind[]): void {
    for (const kind of kinds) {
      const sent = kind === 'tools' ? server.sendToolListChanged() : kind === 'resources' ? server.sendResourceListChanged() : server.sendPromptListChanged();
      sent.catch((e: unknown) => this._log.trace(`${kind} list_changed to session ${short(id)} not sent: ${errorMessage(e)}`));
    }
  }
}

/** Enough of a session id to tell sessions apart in a log, not enough to use one. */
const short = (id: string): string => id.slice(0, 8);
