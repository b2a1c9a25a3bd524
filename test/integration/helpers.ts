/** Helpers for suites running inside the real extension host. */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { SwitchboardApi } from '../../src/extension';
import { isAlive } from '../../src/client/processTree';
import { gatewayDefinitionId } from '../../src/vscode/gatewayFeature';
import type { ToolAccess } from '../../src/vscode/toolAccess';

export const EXTENSION_ID = 'mcp-switchboard.mcp-switchboard';
/** Every fixture started by these suites carries it, so the harness can prove none is left behind. */
export const PROCESS_MARKER = '--sb-integration-marker';

export async function api(): Promise<SwitchboardApi> {
  const ext = vscode.extensions.getExtension<SwitchboardApi>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} not found`);
  const a = await ext.activate();
  await a.ready;
  return a;
}

/** The API with the router and the permission rules, which the extension loads on first use. */
export type ToolsApi = SwitchboardApi & Pick<ToolAccess, 'router' | 'permissions'>;

export async function toolsApi(): Promise<ToolsApi> {
  const a = await api();
  const { router, permissions } = await a.toolAccess();
  return { ...a, router, permissions };
}

export const fixture = (name: string): string => path.resolve(__dirname, '..', 'fixtures', `${name}.js`);

export function workspaceFolder(): vscode.WorkspaceFolder {
  const f = vscode.workspace.workspaceFolders?.[0];
  if (!f) throw new Error('no workspace folder');
  return f;
}

export const configPath = (): string => path.join(workspaceFolder().uri.fsPath, '.vscode', 'switchboard.json');

/** Writes the workspace config the way a user's save does: through the file system the watcher sees. */
export async function writeConfig(text: string): Promise<void> {
  fs.mkdirSync(path.dirname(configPath()), { recursive: true });
  await vscode.workspace.fs.writeFile(vscode.Uri.file(configPath()), new TextEncoder().encode(text));
}

export function stdioFixture(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'stdio', command: process.execPath, args: [fixture(name), PROCESS_MARKER], ...extra };
}

export async function waitFor<T>(fn: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export { isAlive };

/** The rendered tree as lines `label — description`, indented by depth (expands everything). */
export async function renderTree(a: SwitchboardApi): Promise<string[]> {
  const lines: string[] = [];
  const walk = async (node: Parameters<typeof a.tree.getChildren>[0], depth: number) => {
    for (const child of a.tree.getChildren(node)) {
      const item = a.tree.getTreeItem(child);
      const label = typeof item.label === 'string' ? item.label : item.label?.label;
      lines.push(`${'  '.repeat(depth)}${label}${item.description ? ` — ${item.description}` : ''}`);
      await walk(child, depth + 1);
    }
  };
  await walk(undefined, 0);
  return lines;
}

/** VS Code's id for the gateway's definition of one server. */
export const gatewayId = (server: string): string => gatewayDefinitionId(EXTENSION_ID, server);

/** The audit log's entries, oldest first, after the pending writes are flushed. */
export async function auditLines(a: Pick<ToolAccess, 'permissions'>): Promise<Record<string, unknown>[]> {
  await a.permissions.audit.flush();
  return fs.readFileSync(a.permissions.audit.file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
}

/**
 * Has VS Code (re)connect to the gateway until each of `tools` (`<server>_<tool>`, the server's
 * name without `_`) is listed in vscode.lm.tools; VS Code may re-register a definition a moment
 * after a settings change, and a server's tools may arrive in a later list_changed. Returns the first tool.
 */
export async function startGateway(...tools: string[]): Promise<vscode.LanguageModelToolInformation> {
  const listed = (tool: string) => vscode.lm.tools.find((t) => t.name.endsWith(`_${tool}`));
  await waitFor(async () => {
    const missing = tools.filter((t) => !listed(t));
    for (const server of new Set(missing.map((t) => t.slice(0, t.indexOf('_'))))) {
      await vscode.commands.executeCommand('workbench.mcp.startServer', gatewayId(server), { waitForLiveTools: true });
    }
    return tools.every(listed);
  }, `${tools.join(', ')} in vscode.lm.tools (have ${vscode.lm.tools.map((t) => t.name).join(', ')})`, 30_000);
  return listed(tools[0])!;
}
