/**
 * Tool calls in the editor: one router over every server (shared by the tree, the chat
 * participant and the gateway), guarded by the permission policy and written to the audit log,
 * plus the commands around them.
 */
import * as vscode from 'vscode';
import type { McpClientManager } from '../client/manager';
import { Disposable } from '../common/lifecycle';
import { ToolRouter, managerBackend } from '../router/router';
import type { SchemaGuard } from '../router/schemaGuard';
import type { TreeNode } from '../views/serverTreeItems';
import type { ServerLogs } from './logs';
import { ChatFeature } from './chatParticipant';
import { PermissionsFeature } from './permissions';
import { runTool } from './runTool';

export class ToolsFeature extends Disposable {
  readonly permissions: PermissionsFeature;
  readonly router: ToolRouter;
  /** `@switchboard` in the Chat view. */
  readonly chat: ChatFeature;

  constructor(context: vscode.ExtensionContext, private readonly _manager: McpClientManager, guard: SchemaGuard, logs: ServerLogs) {
    super();
    this.permissions = this._register(new PermissionsFeature(context, _manager, (m) => logs.main.warn(m)));
    this.router = this._register(new ToolRouter(managerBackend(_manager), {
      guard,
      authorize: this.permissions.authorize,
      onSchemaProblem: (server, tool, m) => logs.logFor(server).warn(`tool "${tool}": its input schema cannot be used (${m}); calls go unchecked`),
    }));
    this._register(this.router.onDidCall((record) => this.permissions.record(record)));
    const reg = vscode.commands.registerCommand;
    this._register(reg('switchboard.runTool', (node?: Extract<TreeNode, { type: 'tool' }>) => this._run(node)));
    this._register(reg('switchboard.managePermissions', () => this.permissions.manage()));
    this._register(reg('switchboard.openAuditLog', () => this.permissions.openAuditLog()));
    this.chat = this._register(new ChatFeature(context, _manager, this.router, this.permissions));
  }

  /** From the tree with its node, or from the palette with a pick of every running tool. */
  private async _run(node?: Extract<TreeNode, { type: 'tool' }>): Promise<vscode.TextDocument | undefined> {
    if (node) return runTool(this.router, node);
    const tools = this._manager.tools();
    if (!tools.length) {
      void vscode.window.showInformationMessage('No running MCP server offers a tool yet.');
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      tools.map((t) => ({ label: t.name, description: t.server, detail: t.tool.description, target: t })),
      { title: 'Run Tool', matchOnDescription: true, matchOnDetail: true },
    );
    return picked && runTool(this.router, { server: picked.target.server, tool: picked.target.tool, namespaced: picked.target.name });
  }
}
