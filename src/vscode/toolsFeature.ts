/**
 * Tool calls in the editor: the Run Tool, Manage Tool Permissions and audit log commands and the
 * `@switchboard` participant, registered at activation, over the router and permission policy of
 * toolAccess.ts, which are loaded the first time something needs them (a call, a command, the
 * chat), or as soon as servers are configured.
 */
import * as vscode from 'vscode';
import type { McpClientManager } from '../client/manager';
import { Disposable } from '../common/lifecycle';
import type { GatewayRouter } from '../gateway/session';
import type { SchemaGuard } from '../router/schemaGuard';
import type { CallOptions, ToolCallOutcome } from '../router/types';
import type { TreeNode } from '../views/serverTreeItems';
import type { ServerLogs } from './logs';
import { ChatFeature } from './chatParticipant';
import { runTool } from './runTool';
import type { ToolAccess } from './toolAccess';

export class ToolsFeature extends Disposable implements GatewayRouter {
  /** `@switchboard` in the Chat view. */
  readonly chat: ChatFeature;
  private _access?: Promise<ToolAccess>;

  constructor(
    private readonly _context: vscode.ExtensionContext, private readonly _manager: McpClientManager,
    private readonly _guard: () => Promise<SchemaGuard>, private readonly _logs: ServerLogs,
  ) {
    super();
    const reg = vscode.commands.registerCommand;
    this._register(reg('switchboard.runTool', (node?: Extract<TreeNode, { type: 'tool' }>) => this._run(node)));
    this._register(reg('switchboard.managePermissions', async () => (await this.access()).permissions.manage()));
    this._register(reg('switchboard.openAuditLog', async () => (await this.access()).permissions.openAuditLog()));
    this.chat = this._register(new ChatFeature(_context, _manager, () => this.access()));
    // With servers, calls are near: load now rather than make the first one wait.
    this._register(_manager.onDidChangeServers(() => { if (_manager.names().length) void this.access(); }));
  }

  /** The router and the policy, loaded on the first call of this. */
  access(): Promise<ToolAccess> {
    this._access ??= Promise.all([import('./toolAccess'), this._guard()])
      .then(([{ ToolAccess }, guard]) => this._register(new ToolAccess(this._context, this._manager, guard, this._logs)));
    return this._access;
  }

  /** A call through the router, for the gateway; see `ToolRouter.call`. */
  async call(name: string, args: Record<string, unknown> | undefined, opts: CallOptions): Promise<ToolCallOutcome> {
    return (await this.access()).router.call(name, args, opts);
  }

  /** Writes the audit lines still waiting and closes the log, if anything was called. */
  async flush(): Promise<void> {
    if (this._access) await (await this._access).permissions.audit.close();
  }

  /** From the tree with its node, or from the palette with a pick of every running tool. */
  private async _run(node?: Extract<TreeNode, { type: 'tool' }>): Promise<vscode.TextDocument | undefined> {
    const { router } = await this.access();
    if (node) return runTool(router, node);
    const tools = this._manager.tools();
    if (!tools.length) {
      void vscode.window.showInformationMessage('No running MCP server offers a tool yet.');
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      tools.map((t) => ({ label: t.name, description: t.server, detail: t.tool.description, target: t })),
      { title: 'Run Tool', matchOnDescription: true, matchOnDetail: true },
    );
    return picked && runTool(router, { server: picked.target.server, tool: picked.target.tool, namespaced: picked.target.name });
  }
}
