/**
 * Wires configuration to the client manager: reads every source, publishes diagnostics, resolves
 * variables, and reconciles on every change (file, setting, folders, trust). Each server's last
 * catalog is cached in the workspace state, so the tree, the gateway and the router list its
 * tools before it is up, and with `switchboard.autoStart: "onFirstUse"` start it only
 * when something uses it.
 */
import { randomBytes } from 'node:crypto';
import * as os from 'node:os';
import * as vscode from 'vscode';
import { buildDesiredServers } from '../client/desired';
import { createEnvPreparer } from '../client/environment';
import { CatalogCache } from '../client/catalogCache';
import { McpClientManager, type AutoStart } from '../client/manager';
import { errorMessage } from '../common/async';
import { Disposable } from '../common/lifecycle';
import { resolveServerConfig } from '../config/variables';
import type { ParsedConfig } from '../config/types';
import type { ServerCatalog } from '../client/types';
import type { TreeNode } from '../views/serverTreeItems';
import { ConfigDiagnostics, toRange } from './configDiagnostics';
import { ConfigWatcher, SETTING_AUTO_START } from './configWatcher';
import type { InputStore } from '../config/inputs';
import { editorInputStore } from './inputs';
import type { ServerLogs } from './logs';
import { EditorClientFeatures } from './clientFeatures';
import { OAuthFeature } from './oauthFeature';
import type { SchemaGuard } from '../router/schemaGuard';

/** The workspace-state key of the catalog cache. */
export const CATALOG_CACHE_KEY = 'switchboard.catalogCache';

export class ServersFeature extends Disposable {
  readonly manager: McpClientManager;
  /** Last known catalogs of this workspace's servers. */
  readonly catalogCache: CatalogCache;
  /** Remote servers' OAuth sessions (SecretStorage), and Sign In / Sign Out. */
  readonly oauth: OAuthFeature;
  private _guard?: Promise<SchemaGuard>;
  private readonly _watcher = this._register(new ConfigWatcher());
  private readonly _diagnostics = this._register(new ConfigDiagnostics());
  private readonly _inputs: InputStore;
  private _configs: ParsedConfig[] = [];
  /** Reloads run one after another; a burst of triggers while one runs collapses into one more. */
  private _queue: Promise<void> = Promise.resolve();
  private _pending = false;
  private _pruned = false;
  /** The first configuration has been applied (or failed to be): the tree shows the manager's servers from then on. */
  private _applied = false;
  /** Read once for the tree's first paint, and let go once the configuration is applied. */
  private _lastKnown?: ReadonlyMap<string, ServerCatalog>;

  constructor(context: vscode.ExtensionContext, private readonly _logs: ServerLogs) {
    super();
    this._inputs = editorInputStore(context.secrets, context.workspaceState);
    this.oauth = this._register(new OAuthFeature(context.secrets));
    const version = String((context.extension.packageJSON as { version?: string }).version ?? '0.0.0');
    // Registered before the manager, so it is disposed after it: the last catalogs still get written.
    this.catalogCache = this._register(new CatalogCache(
      { get: () => context.workspaceState.get(CATALOG_CACHE_KEY), set: (v) => context.workspaceState.update(CATALOG_CACHE_KEY, v) },
      { onProblem: (m) => _logs.main.warn(m) },
    ));
    this.manager = this._register(new McpClientManager({
      catalogCache: this.catalogCache,
      logFor: (s) => _logs.logFor(s),
      clientInfo: { name: 'mcp-switchboard', version },
      prepareEnv: createEnvPreparer(),
      jsonSchemaValidator: () => this.schemaGuard(),
      oauth: this.oauth.sessionFor,
      features: new EditorClientFeatures(_logs, (server) => this.manager.identity(server)),
    }));
    _logs.redactWith((server) => this.manager.redactor(server));
    // Applied once the manager has the servers, before they have started.
    this._register(this.manager.onDidChangeServers(() => this._setApplied()));
    this._register(this._watcher.onDidChange(() => void this.reload()));
    this._register(vscode.workspace.onDidGrantWorkspaceTrust(() => void this.reload()));
    // The first reload waits for the cache's key and what it holds; without a key it stays inert.
    this._queue = cacheHashKey(context.secrets).then(
      (key) => this.catalogCache.open(key),
      (e: unknown) => _logs.main.warn(`catalog cache off: its key could not be read from the secret storage: ${errorMessage(e)}`),
    );
  }

  get configs(): readonly ParsedConfig[] { return this._configs; }

  /**
   * Checks tools' output for the SDK clients and arguments for the router, compiling each schema
   * once; loaded (Ajv with it) when the first server runs or the first call is made.
   */
  schemaGuard(): Promise<SchemaGuard> {
    this._guard ??= import('../router/schemaGuard').then(({ SchemaGuard }) => new SchemaGuard());
    return this._guard;
  }

  reload(): Promise<void> {
    if (this._pending) return this._queue;
    this._pending = true;
    this._queue = this._queue.then(async () => {
      this._pending = false;
      try {
        await this._reload();
      } catch (e) {
        this._logs.main.error(`reload failed: ${errorMessage(e)}`);
      }
      this._setApplied();
    });
    return this._queue;
  }

  /**
   * Until the first configuration is applied: the servers and catalogs the last window cached, for
   * the tree to show at once (see `CatalogCache.lastKnown`). Afterwards nothing.
   */
  lastKnown(): ReadonlyMap<string, ServerCatalog> | undefined {
    if (this._applied) return undefined;
    this._lastKnown ??= this.catalogCache.lastKnown();
    return this._lastKnown;
  }

  private _setApplied(): void {
    this._applied = true;
    this._lastKnown = undefined;
  }

  /** Stops every server quickly; deactivate has only a few seconds. */
  async shutdown(): Promise<void> {
    await Promise.all([this.manager.stopAll(1500), this.catalogCache.flush()]);
  }

  /** Tree notices: trust, and errors that belong to no server. */
  notices(): TreeNode[] {
    const out: TreeNode[] = [];
    const hasWorkspaceServers = this._configs.some((c) => c.source.kind === 'workspace' && (c.servers.length || c.invalidServers.length));
    if (hasWorkspaceServers && !vscode.workspace.isTrusted) {
      out.push({
        type: 'notice', id: 'notice/untrusted', icon: 'shield', label: 'Workspace servers are not started',
        detail: 'this workspace is not trusted — Manage Workspace Trust',
        command: { command: 'workbench.trust.manage', title: 'Manage Workspace Trust' },
      });
    }
    for (const c of this._configs) {
      const general = c.errors.filter((e) => !e.server && e.severity === 'error');
      if (!general.length) continue;
      const first = general[0];
      out.push({
        type: 'notice', id: `notice/errors/${c.source.file}`, icon: 'warning',
        label: `${c.source.kind === 'user' ? 'Setting switchboard.servers' : vscode.workspace.asRelativePath(c.source.file)}: ${general.length} error${general.length > 1 ? 's' : ''}`,
        detail: first.message,
        command: c.source.kind === 'workspace'
          ? { command: 'vscode.open', title: 'Open', arguments: [vscode.Uri.file(c.source.file), { selection: toRange(first) }] }
          : { command: 'workbench.action.openSettingsJson', title: 'Open Settings' },
      });
    }
    return out;
  }

  private async _reload(): Promise<void> {
    this._configs = await this._watcher.read();
    this._diagnostics.update(this._configs);
    for (const c of this._configs) {
      for (const e of c.errors) this._logs.main.warn(`${e.file}:${e.range.line}:${e.range.column} ${e.message}`);
    }
    const { servers, warnings } = await buildDesiredServers(this._configs, {
      trusted: vscode.workspace.isTrusted,
      resolve: (def, config) => resolveServerConfig(def.config, {
        workspaceFolder: config.source.workspaceFolder,
        userHome: os.homedir(),
        env: process.env,
        resolveInput: (id) => this._inputs.resolve(id, config, def.name),
      }),
    });
    warnings.forEach((w) => this._logs.main.warn(w));
    const result = await this.manager.reconcile(servers, { autoStart: autoStartSetting() });
    // Pruned once a window, when its first configuration is applied: a server removed and added
    // back while the window is open keeps its catalog.
    if (!this._pruned) this.catalogCache.retain(this.manager.names());
    this._pruned = true;
    this._logs.main.info(`configuration applied: added [${result.added}], changed [${result.changed}], removed [${result.removed}], unchanged [${result.unchanged}]`);
  }
}

/** The secret the cache's keys are made with (see CatalogCache), created on first use. */
async function cacheHashKey(secrets: vscode.SecretStorage): Promise<string> {
  const stored = await secrets.get(CATALOG_CACHE_KEY);
  if (stored) return stored;
  const key = randomBytes(32).toString('hex');
  await secrets.store(CATALOG_CACHE_KEY, key);
  return key;
}

/** `onFirstUse` leaves servers with a cached catalog stopped until used; anything else is `always`. */
function autoStartSetting(): AutoStart {
  return vscode.workspace.getConfiguration().get<string>(SETTING_AUTO_START) === 'onFirstUse' ? 'onFirstUse' : true;
}
