/**
 * Copilot's way in: the local gateway (src/gateway) published to VS Code as one MCP server through
 * `vscode.lm.registerMcpServerDefinitionProvider`. VS Code then lists every routed tool with its
 * real schema in agent mode, shows its own confirmation card, and calls through the gateway,
 * where the router applies the schema guard, deny rules, pinning and the audit log.
 *
 * The token travels only in the definition's headers, which VS Code keeps in memory: it is new
 * for every window, never written to settings, logs or storage.
 */
import * as vscode from 'vscode';
import { errorMessage } from '../common/async';
import { Disposable } from '../common/lifecycle';
import type { McpClientManager } from '../client/manager';
import { Gateway } from '../gateway/gateway';
import type { GatewayRouter } from '../gateway/session';
import { managerBackend } from '../router/backend';
import type { ServerLogs } from './logs';
import { policySettings, SETTING_AUTO_ALLOW_READ_ONLY } from './policySettings';

/** Declared in package.json `contributes.mcpServerDefinitionProviders`. */
export const GATEWAY_PROVIDER_ID = 'switchboard.gateway';
/** The server's label in VS Code's MCP list; VS Code derives the definition id from it. */
export const GATEWAY_LABEL = 'MCP Switchboard';
const SETTING = 'switchboard.gateway.enabled';

/** VS Code's id for our definition: the extension id as a key (lower case), a slash, the label. */
export const gatewayDefinitionId = (extensionId: string): string => `${extensionId.toLowerCase()}/${GATEWAY_LABEL}`;

/** Whether the user lets Copilot see the tools; only the user value counts, as for every permission. */
function gatewayEnabled(): boolean {
  return vscode.workspace.getConfiguration().inspect<boolean>(SETTING)?.globalValue ?? true;
}

export class GatewayFeature extends Disposable {
  readonly gateway: Gateway;
  private readonly _onDidChange = this._register(new vscode.EventEmitter<void>());
  private _warned = false;

  /** `router` is the editor's ToolRouter, or what loads it on the first call (see ToolsFeature). */
  constructor(context: vscode.ExtensionContext, manager: McpClientManager, router: GatewayRouter, logs: ServerLogs) {
    super();
    const log = logs.main;
    this.gateway = this._register(new Gateway({
      backend: managerBackend(manager),
      router,
      readOnlyHints: () => policySettings().autoAllowReadOnly,
      version: String((context.extension.packageJSON as { version?: string }).version ?? '0.0.0'),
      log: { trace: (m) => log.trace(`gateway: ${m}`), info: (m) => log.info(`gateway: ${m}`), warn: (m) => log.warn(`gateway: ${m}`), error: (m) => log.error(`gateway: ${m}`) },
    }));
    // Hosts older than the MCP provider API (or forks without it) simply get no gateway.
    if (typeof vscode.lm?.registerMcpServerDefinitionProvider !== 'function') {
      log.info('gateway: this editor has no MCP server definition API; Copilot will not see the tools');
      return;
    }
    // A new version tells VS Code its cached tool list is stale while it is not connected. Only
    // then: VS Code stops a running server whose definition changed (and does not start it again
    // until a tool is invoked), so a live connection would be cut and its tool list frozen. A live
    // connection hears list_changed from the gateway itself.
    this._register(this.gateway.onDidChangeTools(() => { if (this.gateway.sessionCount === 0) this._onDidChange.fire(); }));
    this._register(vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(SETTING)) this._onDidChange.fire();
      // It decides whether served tools keep `readOnlyHint` (see gateway/catalog's `CatalogOptions`).
      if (e.affectsConfiguration(SETTING_AUTO_ALLOW_READ_ONLY)) this.gateway.refresh();
    }));
    const provider: vscode.McpServerDefinitionProvider<vscode.McpHttpServerDefinition> = {
      onDidChangeMcpServerDefinitions: this._onDidChange.event,
      provideMcpServerDefinitions: () => this._definitions(),
      // VS Code calls this right before it connects: the listener must be up by then.
      resolveMcpServerDefinition: async (definition) => (await this._start()) ? definition : undefined,
    };
    this._register(vscode.lm.registerMcpServerDefinitionProvider(GATEWAY_PROVIDER_ID, provider));
  }

  private async _definitions(): Promise<vscode.McpHttpServerDefinition[]> {
    if (!gatewayEnabled() || !(await this._start())) return [];
    return [new vscode.McpHttpServerDefinition(GATEWAY_LABEL, vscode.Uri.parse(this.gateway.url), this.gateway.headers, this.gateway.version)];
  }

  /** Starts the listener once; a failure is logged (never the token) and the gateway stays off. */
  private async _start(): Promise<boolean> {
    try {
      await this.gateway.start();
      return true;
    } catch (e) {
      // VS Code asks again on every refresh; the user hears about it once.
      if (!this._warned) void vscode.window.showWarningMessage(`MCP Switchboard could not start its local gateway for Copilot: ${errorMessage(e)}`);
      this._warned = true;
      return false;
    }
  }
}
