/** Entry point: only wires features together. */
// First, so its clock starts before the rest of the bundle evaluates.
import { BUNDLE_START } from './activationClock';
import * as vscode from 'vscode';
import type { CatalogCache } from './client/catalogCache';
import type { McpClientManager } from './client/manager';
import { ServersTreeProvider } from './views/serversTree';
import type { TreeNode } from './views/serverTreeItems';
import { registerCommands } from './vscode/commands';
import { FailureNotifier } from './vscode/failureNotifier';
import { ServerLogs } from './vscode/logs';
import { RESOURCE_SCHEME, ResourceDocumentProvider } from './vscode/resourceDocuments';
import { ServersFeature } from './vscode/serversFeature';
import { GatewayFeature } from './vscode/gatewayFeature';
import { ServersStatusBar } from './vscode/statusBar';
import type { ToolAccess } from './vscode/toolAccess';
import { ToolsFeature } from './vscode/toolsFeature';

/** What `activate` returns; integration tests use it to look inside. */
export interface SwitchboardApi {
  manager: McpClientManager;
  /**
   * ms evaluating the bundle's modules, and in `activate()` itself; and from the start of
   * `activate()` until the servers tree first had tools to show, and whether they were cached
   * ones. `npm run bench` reports them.
   */
  timing: { loadMs: number; activateMs: number; firstToolsMs?: number; firstToolsCached?: boolean };
  /** Last known catalogs (workspace state); tests flush it to see what a next window would get. */
  catalogCache: CatalogCache;
  tree: ServersTreeProvider;
  /** The Servers view showing `tree`; tests reveal rows in it. */
  treeView: vscode.TreeView<TreeNode>;
  logs: ServerLogs;
  reload(): Promise<void>;
  /** Resolves once the first configuration has been applied. */
  ready: Promise<void>;
  /** Where this extension's log channels are written (one `<channel>.log` each). */
  logUri: vscode.Uri;
  /**
   * The router every tool call goes through (policy, schema guard, audit) and the permission
   * rules, loaded on first use; this loads them now.
   */
  toolAccess(): Promise<ToolAccess>;
  /** `@switchboard`: tests follow its requests through `onDidFinishRequest`. */
  chat: ToolsFeature['chat'];
  /** The local MCP endpoint Copilot reaches the tools through. */
  gateway: GatewayFeature['gateway'];
}

let servers: ServersFeature | undefined;
let tools: ToolsFeature | undefined;

export function activate(context: vscode.ExtensionContext): SwitchboardApi {
  const activateStart = performance.now();
  const logs = new ServerLogs();
  context.subscriptions.push(logs);
  servers = new ServersFeature(context, logs);
  context.subscriptions.push(servers);
  const { manager } = servers;
  const feature = servers;

  const timing: SwitchboardApi['timing'] = { loadMs: BUNDLE_LOADED - BUNDLE_START, activateMs: 0 };
  const tree = new ServersTreeProvider(manager, () => feature.notices(), {
    lastKnown: () => feature.lastKnown(),
    onFirstTools: (cached) => {
      timing.firstToolsMs = performance.now() - activateStart;
      timing.firstToolsCached = cached;
    },
  });
  const treeView = vscode.window.createTreeView('switchboard.servers', { treeDataProvider: tree, showCollapseAll: true });
  context.subscriptions.push(tree, treeView);
  context.subscriptions.push(new ServersStatusBar(manager));
  context.subscriptions.push(new FailureNotifier(manager, (command, server) => void vscode.commands.executeCommand(command, server)));
  context.subscriptions.push(vscode.workspace.registerTextDocumentContentProvider(RESOURCE_SCHEME, new ResourceDocumentProvider(manager)));
  context.subscriptions.push(...registerCommands({ manager, logs, reload: () => feature.reload(), oauth: feature.oauth }));
  const toolsFeature = new ToolsFeature(context, manager, () => feature.schemaGuard(), logs);
  tools = toolsFeature;
  context.subscriptions.push(toolsFeature);
  const gateway = new GatewayFeature(context, manager, toolsFeature, logs);
  context.subscriptions.push(gateway);
  const setHasServers = () => void vscode.commands.executeCommand('setContext', 'switchboard.hasServers', manager.names().length > 0);
  context.subscriptions.push(manager.onDidChangeServers(setHasServers));

  const ready = feature.reload().then(() => { setHasServers(); tree.refresh(); });
  timing.activateMs = performance.now() - activateStart;
  return {
    timing,
    manager, catalogCache: feature.catalogCache, tree, treeView, logs, reload: () => feature.reload(), ready, logUri: context.logUri,
    toolAccess: () => toolsFeature.access(), chat: toolsFeature.chat, gateway: gateway.gateway,
  };
}

/** VS Code waits for this promise, briefly: stop every server so no child process outlives us, and write the audit lines still waiting. */
export async function deactivate(): Promise<void> {
  await Promise.all([servers?.shutdown(), tools?.flush()]);
}

/** Every module of the bundle has evaluated by now: this is the last top-level line. */
const BUNDLE_LOADED = performance.now();
