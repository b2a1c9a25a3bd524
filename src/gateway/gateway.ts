/**
 * The local MCP gateway: one Streamable HTTP endpoint on 127.0.0.1 that serves the union of every
 * running server's tools, resources and prompts, so an MCP host (VS Code's agent mode) sees all of
 * them as one server. Tool calls go through the ToolRouter with origin 'gateway', so the schema
 * check, the permission policy and the audit log apply exactly as for every other caller.
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
import { checkAccess, DEFAULT_MAX_BODY_BYTES, MCP_PATH, newToken, readJsonBody, refuse, requestPath, type Refusal } from './http';
import type * as SessionModule from './session';
import type { GatewayLog, GatewayRouter } from './session';

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
  /** New sessions beyond this many are refused with 503. Default 64. */
  maxSessions?: number;
}

interface Session {
  server: Server;
  transport: StreamableHTTPServerTransport;
}

const silentLog: GatewayLog = { trace: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** The gateway; see the file comment. Call `start()`, then hand `url` and `headers` to the MCP host. */
export class Gateway extends Disposable {
  /** The bearer token every request must carry; never logged. */
  readonly token = newToken();
  private readonly _tokenBytes = Buffer.from(this.token, 'utf8');
  private readonly _log: GatewayLog;
  private readonly _catalog: GatewayCatalog;
  private readonly _sessions = new Map<string, Session>();
  /** The digest of each list as clients were last told about it. */
  private readonly _digests: Record<ServedKind, string>;
  private _http?: HttpServer;
  private _port?: number;
  private _starting?: Promise<void>;
  private _timer?: NodeJS.Timeout;

  private readonly _onDidChangeTools = this._register(new Emitter<void>());
  /** Fired after the served tool list changed (debounced); `version` has the new digest by then. */
  readonly onDidChangeTools = this._onDidChangeTools.event;

  constructor(private readonly _opts: GatewayOptions) {
    super();
    this._log = _opts.log ?? silentLog;
    this._catalog = new GatewayCatalog(_opts.backend, _opts);
    this._digests = { tools: this._catalog.digest('tools'), resources: this._catalog.digest('resources'), prompts: this._catalog.digest('prompts') };
    const registry = _opts.backend.registry;
    const schedule = () => this._schedule();
    this._register(registry.onDidChangeCatalog(schedule));
    this._register(registry.onDidChangeState(schedule));
    this._register(registry.onDidChangeServers(schedule));
    this._register(toDisposable(() => clearTimeout(this._timer)));
  }

  /** The port it listens on; only after `start()`. */
  get port(): number {
    if (this._port === undefined) throw new Error('the gateway has not been started');
    return this._port;
  }

  /** `http://127.0.0.1:<port>/mcp`; only after `start()`. */
  get url(): string {
    return `http://${GATEWAY_HOST}:${this.port}${MCP_PATH}`;
  }

  /** The headers a client must send: the bearer token. */
  get headers(): Record<string, string> {
    return { Authorization: `Bearer ${this.token}` };
  }

  /** A digest of the served tool list; changes exactly when `onDidChangeTools` fires. */
  get version(): string {
    return this._digests.tools;
  }

  /** Open MCP sessions. */
  get sessionCount(): number {
    return this._sessions.size;
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
    for (const [id, session] of this._sessions) this._close(id, session);
    this._sessions.clear();
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
    this._log.info(`listening on ${this.url}`);
  }

  private async _handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const denied = checkAccess(req, this.port, this._tokenBytes);
    if (denied) {
      this._log.warn(`refused ${req.method} ${requestPath(req)}: ${denied.message}`);
      return refuse(res, denied, { close: true });
    }
    if (requestPath(req) !== MCP_PATH) return refuse(res, { status: 404, code: -32000, message: `Not found: the gateway serves ${MCP_PATH} only` });
    const id = req.headers['mcp-session-id'];
    const session = typeof id === 'string' ? this._sessions.get(id) : undefined;
    // 404 for an unknown session tells a client to start a new one (the spec's rule).
    if (id !== undefined && !session) return refuse(res, { status: 404, code: -32001, message: 'Session not found' });
    if (req.method === 'POST') {
      const read = await readJsonBody(req, this._opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
      if ('refusal' in read) return refuse(res, read.refusal, { close: read.refusal.status === 413 });
      if (session) return session.transport.handleRequest(req, res, read.body);
      const sdk = await import('./session');
      if (sdk.isInitializeRequest(read.body)) return this._open(sdk, req, res, read.body);
      return refuse(res, { status: 400, code: -32000, message: 'Bad Request: no Mcp-Session-Id; start a session with initialize' });
    }
    if (req.method === 'GET' || req.method === 'DELETE') {
      if (!session) return refuse(res, { status: 400, code: -32000, message: 'Bad Request: Mcp-Session-Id header is required' });
      return session.transport.handleRequest(req, res);
    }
    return refuse(res, { status: 405, code: -32000, message: 'Method not allowed', headers: { Allow: 'GET, POST, DELETE' } });
  }

  private async _open(sdk: typeof SessionModule, req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    const busy: Refusal | undefined = this._store.isDisposed ? { status: 503, code: -32000, message: 'The gateway is shutting down' }
      : this._sessions.size >= (this._opts.maxSessions ?? 64) ? { status: 503, code: -32000, message: 'Too many open sessions' } : undefined;
    if (busy) return refuse(res, busy);
    const server = sdk.createSessionServer({ catalog: this._catalog, router: this._opts.router, version: this._opts.version, log: this._log });
    const transport = new sdk.StreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      // Registered at initialize, before the response goes out, so the client's next request finds it.
      onsessioninitialized: (sid) => {
        this._sessions.set(sid, { server, transport });
        this._log.trace(`session ${short(sid)} opened (${this._sessions.size} open)`);
      },
    });
    // Set before connect: the Server chains its own close handling after ours.
    transport.onclose = () => {
      const sid = transport.sessionId;
      if (sid && this._sessions.get(sid)?.transport === transport) {
        this._sessions.delete(sid);
        this._log.trace(`session ${short(sid)} closed (${this._sessions.size} open)`);
      }
    };
    server.onerror = (e) => this._log.trace(`session error: ${errorMessage(e)}`);
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
    // An initialize the transport refused (bad headers, say) leaves a session nobody can reach.
    if (!transport.sessionId) void server.close();
  }

  private _close(id: string, session: Session): void {
    session.server.close().catch((e: unknown) => this._log.trace(`closing session ${short(id)}: ${errorMessage(e)}`));
  }

  /** Something besides the registry changed what is served (a setting): tell clients if a list changed. */
  refresh(): void {
    this._schedule();
  }

  private _schedule(): void {
    clearTimeout(this._timer);
    this._timer = setTimeout(() => this._publish(), this._opts.listChangedDebounceMs ?? 50);
  }

  /** Tells every session about the lists whose served JSON changed, and only those. */
  private _publish(): void {
    const changed = SERVED_KINDS.filter((kind) => {
      const digest = this._catalog.digest(kind);
      if (digest === this._digests[kind]) return false;
      this._digests[kind] = digest;
      return true;
    });
    if (!changed.length) return;
    this._log.trace(`${changed.join(', ')} changed; telling ${this._sessions.size} session(s)`);
    for (const [id, { server }] of this._sessions) {
      for (const kind of changed) {
        const sent = kind === 'tools' ? server.sendToolListChanged() : kind === 'resources' ? server.sendResourceListChanged() : server.sendPromptListChanged();
        sent.catch((e: unknown) => this._log.trace(`${kind} list_changed to session ${short(id)} not sent: ${errorMessage(e)}`));
      }
    }
    if (changed.includes('tools')) this._onDidChangeTools.fire();
  }
}

/** Enough of a session id to tell sessions apart in a log, not enough to use one. */
const short = (id: string): string => id.slice(0, 8);
