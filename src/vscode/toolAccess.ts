/**
 * Who may run which tool, and the way calls get there: one router over every server (shared by
 * the tree, the chat participant and the gateway), guarded by the permission policy and written
 * to the audit log.
 * ToolsFeature loads this module on first use: the rule store's checks need zod and the router's
 * need Ajv, and a window without servers should load neither.
 */
import type * as vscode from 'vscode';
import type { McpClientManager } from '../client/manager';
import { Disposable } from '../common/lifecycle';
import { managerBackend } from '../router/backend';
import { ToolRouter } from '../router/router';
import type { SchemaGuard } from '../router/schemaGuard';
import type { ServerLogs } from './logs';
import { PermissionsFeature } from './permissions';

export class ToolAccess extends Disposable {
  readonly permissions: PermissionsFeature;
  readonly router: ToolRouter;

  constructor(context: vscode.ExtensionContext, manager: McpClientManager, guard: SchemaGuard, logs: ServerLogs) {
    super();
    this.permissions = this._register(new PermissionsFeature(context, manager, (m) => logs.main.warn(m)));
    this.router = this._register(new ToolRouter(managerBackend(manager), {
      guard,
      authorize: this.permissions.authorize,
      onSchemaProblem: (server, tool, m) => logs.logFor(server).warn(`tool "${tool}": ${m}`),
    }));
    this._register(this.router.onDidCall((record) => this.permissions.record(record)));
  }
}
