/**
 * One MCP server connection with an explicit state machine
 * (stopped → starting → running ⇄ restarting, or error), published as events.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import {
  PromptListChangedNotificationSchema, ResourceListChangedNotificationSchema, ToolListChangedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { errorMessage, withTimeout } from '../common/async';
import { Disposable, Emitter, toDisposable } from '../common/lifecycle';
import { redactCredentials, type Redactor } from '../common/redact';
import type { StdioServerConfig } from '../config/types';
import { fetchKind, supportedKinds } from './catalog';
import { keepBounded } from './catalogBounds';
import { cleanInstructions, cleanServerInfo } from './catalogCheck';
import { isSignInRequired, type HttpAuth } from './auth/types';
import { DEFAULT_PING_INTERVAL_MS, DEFAULT_PING_TIMEOUT_MS, watchHealth } from './healthCheck';
import { isSessionExpired } from './httpTransport';
import type { ToolCaller } from './toolCalls';
import { clientCapabilities, registerClientFeatures, type ClientFeatures } from './clientFeatures';
import { createEnvPreparer } from './environment';
import { Launch } from './launch';
import { boundedLog, LineSplitter, LineTail } from './lines';
import { describeSpawnError } from './platform';
import { redactedLog } from './redactedLog';
import { RestartPolicy } from './restartPolicy';
import { errored, isActive, needsSignIn, redactState, running, starting, stopped } from './state';
import type { jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';
import { openRemote, openStdio, type OpenOptions, type TransportKind } from './transports';
import {
  emptyCatalog, type CatalogKind, type ResolvedServer, type ServerCatalog, type ServerLog, type ServerState, type StoppedReason,
} from './types';

export interface ConnectionOptions {
  log: ServerLog;
  clientInfo: { name: string; version: string };
  /** Environment for a stdio server (env, envFile, PATH handling); defaults to `createEnvPreparer()`. */
  prepareEnv?: (config: StdioServerConfig) => Promise<Record<string, string>>;
  restartPolicy?: RestartPolicy;
  /** Grace period of a staged stop before the process tree is killed. */
  stopGraceMs?: number;
  /**
   * Validates tools' structured output for the SDK client. The host passes the router's guard so
   * every schema is compiled once and follows the same dialect rules for input and output.
   */
  jsonSchemaValidator?: jsonSchemaValidator;
  /** How the host answers the server's own requests (sampling, elicitation, roots) and logs. */
  features?: ClientFeatures;
  /** A remote server's OAuth session, kept across its restarts. */
  auth?: HttpAuth;
  /** Hides the server's secrets in the messages its states carry (errors, stderr tails); `log` does its own. */
  redact?: Redactor;
  /** A connection quiet this long is pinged (0: never); one that does not answer within `pingTimeoutMs` is restarted. */
  pingIntervalMs?: number;
  pingTimeoutMs?: number;
}

export const DEFAULT_STARTUP_TIMEOUT_MS = 60_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;
const LIST_CHANGED_DEBOUNCE_MS = 50;
const defaultPrepareEnv = createEnvPreparer();

export class McpServerConnection extends Disposable {
  private _state: ServerState = stopped();
  private _catalog: ServerCatalog = emptyCatalog();
  private _launch?: Launch;
  /** Bumped by every start and stop, so a superseded launch's late results are ignored. */
  private _generation = 0;
  private _starting?: Promise<void>;
  private _restartTimer?: NodeJS.Timeout;
  private readonly _policy: RestartPolicy;
  private readonly _tail = new LineTail(20);
  private readonly _redact: Redactor;
  /**
   * For what the server makes us write (its stderr, protocol errors, traces of its messages): cut
   * and thinned, so a flooding server cannot flood the log. Our own few lines go to the log as is.
   */
  private readonly _log: ServerLog;

  private readonly _onDidChangeState = this._register(new Emitter<ServerState>());
  readonly onDidChangeState = this._onDidChangeState.event;
  private readonly _onDidChangeCatalog = this._register(new Emitter<CatalogKind[]>());
  readonly onDidChangeCatalog = this._onDidChangeCatalog.event;

  constructor(readonly definition: ResolvedServer, private readonly _opts: ConnectionOptions) {
    super();
    this._policy = _opts.restartPolicy ?? new RestartPolicy();
    this._redact = _opts.redact ?? redactCredentials;
    // Redacted before it is cut: a cut could split a secret, and its first part would then show.
    this._log = redactedLog(boundedLog(_opts.log), this._redact);
    this._register(toDisposable(() => clearTimeout(this._restartTimer)));
  }

  get name(): string { return this.definition.name; }
  get state(): ServerState { return this._state; }
  get catalog(): ServerCatalog { return this._catalog; }
  get transportKind(): TransportKind | undefined { return this._launch?.kind; }
  get stderrTail(): string[] { return this._tail.lines().map(this._redact); }
  /** The stdio server's process id while it runs. */
  get pid(): number | undefined { return this._launch?.tracked?.pid(); }

  /** The live client, only while running. */
  get client(): Client | undefined {
    return this._state.kind === 'running' ? this._launch?.client : undefined;
  }

  /** Tool calls on the connection's short path (toolCalls.ts), only while running. */
  get toolCalls(): ToolCaller | undefined {
    return this._state.kind === 'running' ? this._launch?.transport?.toolCalls : undefined;
  }

  /**
   * Settles once the tools list the server announced as changed has been fetched again (or that
   * failed); undefined when no such refresh is pending. Calls wait for it, so none is judged
   * against a list the server already said is gone.
   */
  toolsSettled(): Promise<void> | undefined {
    return this._launch?.toolsSettled;
  }

  /** Per-request options with this server's timeout; the SDK sends `notifications/cancelled` on expiry. */
  requestOptions(signal?: AbortSignal): RequestOptions {
    return { timeout: this.definition.config.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, signal };
  }

  /** Starts the server; resolves when it is running or has failed (the state says which). */
  start(): Promise<void> {
    if (this._starting) return this._starting;
    if (isActive(this._state)) return Promise.resolve();
    this._policy.reset();
    return this._startLaunch();
  }

  /**
   * Leaves a connection that has never run stopped until its first use: honest about having no
   * process, while the manager lists the server from its cached catalog. `start()` ends it.
   */
  waitForFirstUse(): void {
    if (this._state.kind === 'stopped' && !this._launch) this._setState(stopped('onFirstUse'));
  }

  async restart(): Promise<void> {
    await this.stop('user');
    await this.start();
  }

  /** Staged stop; calling it again while a stop is under way kills the process tree at once. */
  async stop(reason: StoppedReason = 'user', graceMs = this._opts.stopGraceMs ?? 5000): Promise<void> {
    clearTimeout(this._restartTimer);
    this._generation++;
    this._starting = undefined;
    const launch = this._launch;
    if (launch?.closing) {
      await launch.forceKill();
    } else if (launch) {
      await launch.close(graceMs);
    }
    if (this._launch === launch) this._launch = undefined;
    this._setCatalog(emptyCatalog());
    this._setState(stopped(reason));
  }

  override dispose(): void {
    void this.stop('removed', 0);
    super.dispose();
  }

  /** `recovering`: a restart after a crash or a lost connection, which may fail again for a while. */
  private _startLaunch(recovering = false): Promise<void> {
    const gen = ++this._generation;
    const p = this._runLaunch(gen, recovering).finally(() => {
      if (this._starting === p) this._starting = undefined;
    });
    this._starting = p;
    return p;
  }

  private async _runLaunch(gen: number, recovering: boolean): Promise<void> {
    const { config } = this.definition;
    const launch = new Launch();
    this._launch = launch;
    this._tail.clear();
    this._setState(starting());
    const timeoutMs = config.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS;
    try {
      await withTimeout(this._open(launch, gen, timeoutMs), timeoutMs,
        () => `did not finish starting within ${Math.round(timeoutMs / 1000)}s`);
      if (gen !== this._generation) return;
      // Lists fail one by one without stopping a start, but a closed connection means the server is gone.
      if (launch.lost) throw new Error(`${this._lostWhat(launch)} while listing what it offers`);
      this._setState(running());
      this._opts.log.info(`running (${launch.kind}; ${this._summary()})`);
      this._watchHealth(launch);
    } catch (e) {
      await launch.close(0);
      if (gen !== this._generation) return;
      this._launch = undefined;
      // A server that cannot start is almost always misconfigured: report, don't retry in a loop.
      const code = (e as NodeJS.ErrnoException)?.code;
      const message = config.type === 'stdio' && (code === 'ENOENT' || code === 'EACCES')
        ? describeSpawnError(e as NodeJS.ErrnoException, config.command, process.platform)
        : errorMessage(e);
      if (isSignInRequired(e)) {
        this._opts.log.info(`not started: ${message}`);
        this._setState(needsSignIn(message));
        return;
      }
      this._opts.log.error(`failed to start: ${message}`);
      // A first start that fails is a configuration to fix. A restart that fails is usually the
      // same trouble as the crash (a proxy restarting, the network gone for a moment): it is
      // retried under the same policy, which gives up after its crash budget.
      if (recovering) this._retry(message);
      else this._setState(errored(message, this._tail.lines()));
    }
  }

  private async _open(launch: Launch, gen: number, timeoutMs: number): Promise<void> {
    const { config } = this.definition;
    const stderr = new LineSplitter((line) => {
      this._tail.push(line);
      this._log.stderr(line);
    });
    launch.store.add(toDisposable(() => stderr.flush()));
    const opts: OpenOptions = {
      log: this._log,
      createClient: () => this._createClient(launch),
      onStderr: (chunk) => stderr.push(chunk),
      timeoutMs,
      track: (t) => { launch.tracked = t; },
      auth: this._opts.auth,
    };
    if (config.type === 'stdio') {
      opts.env = await (this._opts.prepareEnv ?? defaultPrepareEnv)(config);
      this._opts.log.info(`starting: ${[config.command, ...config.args].join(' ')}`);
    } else {
      this._opts.log.info(`connecting to ${config.url}`);
    }
    const opened = config.type === 'stdio' ? await openStdio(config, opts) : await openRemote(config, opts);
    launch.client = opened.client;
    launch.transport = opened.transport;
    launch.kind = opened.kind;
    opened.client.onclose = () => {
      launch.lost = true;
      this._onClosed(launch);
    };
    opened.client.onerror = (e) => {
      // The server forgot our session (HTTP 404): the transport closes, and a new session starts at once.
      if (isSessionExpired(e)) launch.sessionExpired = true;
      this._log.warn(`protocol error: ${errorMessage(e)}`);
    };
    if (gen !== this._generation) return;
    const catalog = emptyCatalog();
    catalog.serverInfo = cleanServerInfo(opened.client.getServerVersion());
    catalog.capabilities = opened.client.getServerCapabilities();
    catalog.instructions = cleanInstructions(opened.client.getInstructions());
    const kinds = supportedKinds(opened.client);
    const parts = await Promise.all(kinds.map((k) => this._fetch(launch, k)));
    this._setCatalog(Object.assign(catalog, ...parts), kinds);
  }

  private _createClient(launch: Launch): Client {
    const { features } = this._opts;
    const client = new Client(this._opts.clientInfo, { capabilities: clientCapabilities(features), jsonSchemaValidator: this._opts.jsonSchemaValidator });
    for (const d of registerClientFeatures(client, this.name, features)) launch.store.add(d);
    // The SDK's built-in list-changed refresh reads only the first page and no resource
    // templates, so we follow the notifications ourselves.
    let pending = new Set<CatalogKind>();
    let timer: NodeJS.Timeout | undefined;
    launch.store.add(toDisposable(() => clearTimeout(timer)));
    let settle: (() => void) | undefined;
    launch.store.add(toDisposable(() => settle?.()));
    const schedule = (...kinds: CatalogKind[]) => {
      kinds.forEach((k) => pending.add(k));
      if (kinds.includes('tools') && !launch.toolsSettled) launch.toolsSettled = new Promise((resolve) => { settle = resolve; });
      // Not pushed back by later notifications: a server that keeps notifying must not keep its old list.
      timer ??= setTimeout(() => {
        timer = undefined;
        const todo = [...pending];
        const done = todo.includes('tools') ? settle : undefined;
        if (done) launch.toolsSettled = settle = undefined;
        pending = new Set();
        void this._refresh(launch, todo).finally(done);
      }, LIST_CHANGED_DEBOUNCE_MS);
    };
    client.setNotificationHandler(ToolListChangedNotificationSchema, async () => schedule('tools'));
    client.setNotificationHandler(ResourceListChangedNotificationSchema, async () => schedule('resources', 'resourceTemplates'));
    client.setNotificationHandler(PromptListChangedNotificationSchema, async () => schedule('prompts'));
    return client;
  }

  private async _fetch(launch: Launch, kind: CatalogKind): Promise<Partial<ServerCatalog>> {
    try {
      const part = await fetchKind(launch.client!, kind, this.requestOptions(), (problem, level) => this._opts.log[level](problem));
      const { kept, refused } = keepBounded<unknown>(kind, part[kind] ?? []);
      for (const why of refused) this._opts.log.error(why);
      return { [kind]: kept };
    } catch (e) {
      // One failing list (say, resources) must not make the server's tools unusable.
      if (!launch.lost) this._opts.log.warn(`could not list ${kind}: ${errorMessage(e)}`);
      return {};
    }
  }

  private async _refresh(launch: Launch, kinds: CatalogKind[]): Promise<void> {
    if (launch !== this._launch || this._state.kind !== 'running') return;
    const parts = await Promise.all(kinds.map((k) => this._fetch(launch, k)));
    if (launch !== this._launch) return;
    const next = { ...this._catalog, ...Object.assign({}, ...parts) } as ServerCatalog;
    const changed = kinds.filter((k) => JSON.stringify(next[k]) !== JSON.stringify(this._catalog[k]));
    if (changed.length) {
      this._setCatalog(next, changed);
      this._opts.log.info(`${changed.join(', ')} changed (${this._summary()})`);
    }
  }

  private _watchHealth(launch: Launch): void {
    const transport = launch.transport;
    if (!launch.client || !transport) return;
    launch.store.add(watchHealth({
      client: launch.client,
      lastActivity: () => transport.lastActivity,
      intervalMs: this._opts.pingIntervalMs ?? DEFAULT_PING_INTERVAL_MS,
      timeoutMs: this._opts.pingTimeoutMs ?? DEFAULT_PING_TIMEOUT_MS,
      onLost: (reason) => this._onClosed(launch, `the server stopped answering: ${reason}`),
    }));
  }

  private _onClosed(launch: Launch, why?: string): void {
    if (launch.closing || launch !== this._launch || this._state.kind !== 'running') return;
    this._launch = undefined;
    void launch.close(0);
    this._setCatalog(emptyCatalog());
    if (launch.sessionExpired) {
      // Not a crash: the server ended the session (restarted, or timed it out). Start a new one now.
      this._opts.log.info('the server ended the session; starting a new one');
      const gen = ++this._generation;
      this._setState({ kind: 'restarting', attempt: 1, delayMs: 0, lastError: 'the server ended the session' });
      this._restartTimer = setTimeout(() => { if (gen === this._generation) void this._startLaunch(true); }, 0);
      return;
    }
    const failure = why ?? launch.tracked?.failure?.();
    const lastError = failure ?? (this.definition.config.type === 'stdio' ? 'the server process exited' : 'the connection closed');
    this._opts.log.error(failure ?? `${lastError} unexpectedly`);
    this._retry(lastError);
  }

  /** Another start after a crash, as the restart policy allows; the error state once it says stop. */
  private _retry(lastError: string): void {
    const decision = this._policy.onCrash();
    if (decision.action === 'stop') {
      this._setState(errored(`${lastError}: ${decision.message}`, this._tail.lines()));
      return;
    }
    const gen = ++this._generation;
    this._setState({ kind: 'restarting', attempt: decision.attempt, delayMs: decision.delayMs, lastError });
    this._restartTimer = setTimeout(() => {
      if (gen === this._generation) void this._startLaunch(true);
    }, decision.delayMs);
  }

  /** How a launch's connection ended, for an error message: the exit code when a process exited. */
  private _lostWhat(launch: Launch): string {
    if (this.definition.config.type !== 'stdio') return 'the connection closed';
    const exit = launch.tracked?.exit?.();
    return `the server process exited${exit ? ` ${exit}` : ''}`;
  }

  private _summary(): string {
    const c = this._catalog;
    return `${c.tools.length} tools, ${c.resources.length} resources, ${c.resourceTemplates.length} templates, ${c.prompts.length} prompts`;
  }

  private _setState(state: ServerState): void {
    this._state = redactState(state, this._redact);
    this._onDidChangeState.fire(this._state);
  }

  private _setCatalog(catalog: ServerCatalog, kinds: CatalogKind[] = ['tools', 'resources', 'resourceTemplates', 'prompts']): void {
    this._catalog = catalog;
    this._onDidChangeCatalog.fire(kinds);
  }
}
