/**
 * Copilot's way in: the local gateway (src/gateway) published to VS Code through
 * `vscode.lm.registerMcpServerDefinitionProvider`, one MCP server definition per configured server
 * (labelled with its name, on its own endpoint), so VS Code's server-level choices ("Allow Tools
 * from <server>"), its tool picker and "MCP: List Servers" match the user's real servers. VS Code
 * lists every routed tool with its real schema in agent mode, shows its own confirmation card, and
 * calls through the gateway, where the router applies the schema guard, deny rules, pinning, the
 * permission policy and the audit log.
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
const SETTING = 'switchboard.gateway.enabled';

/**
 * VS Code's id for a server's definition: the extension id as a key (lower case), a slash, the
 * label, which is the server's name.
 */
export const gatewayDefinitionId = (extensionId: string, server: string): string => `${extensionId.toLowerCase()}/${server}`;

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
    // Servers come and go, and a server's version changes only while no VS Code connection listens
    // on its endpoint (see Gateway.onDidChangeDefinitions): VS Code stops a running server whose
    // definition changed, so a live connection would be cut; it hears list_changed instead.
    this._register(this.gateway.onDidChangeDefinitions(() => this._onDidChange.fire()));
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
    return this.gateway.definitions().map((d) => new vscode.McpHttpServerDefinition(d.server, vscode.Uri.parse(d.url), this.gateway.headers, d.version));
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
