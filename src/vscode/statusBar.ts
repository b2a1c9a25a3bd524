/** "MCP 3/4" in the status bar; a click lists the servers with their state. */
import * as vscode from 'vscode';
import type { McpClientManager } from '../client/manager';
import { describeState } from '../client/state';
import { Disposable } from '../common/lifecycle';

export class ServersStatusBar extends Disposable {
  private readonly _item = this._register(vscode.window.createStatusBarItem('switchboard.status', vscode.StatusBarAlignment.Left, 50));

  constructor(private readonly _manager: McpClientManager) {
    super();
    this._item.name = 'MCP Switchboard';
    this._item.command = 'switchboard.showServers';
    this._register(_manager.onDidChangeState(() => this.update()));
    this._register(_manager.onDidChangeServers(() => this.update()));
    this.update();
  }

  update(): void {
    const names = this._manager.names();
    if (!names.length) {
      this._item.hide();
      return;
    }
    const states = names.map((n) => this._manager.state(n)!);
    const up = states.filter((s) => s.kind === 'running').length;
    const failed = states.filter((s) => s.kind === 'error').length;
    const busy = states.some((s) => s.kind === 'starting' || s.kind === 'restarting');
    this._item.text = `${busy ? '$(loading~spin)' : failed ? '$(error)' : '$(plug)'} MCP ${up}/${names.length}`;
    this._item.tooltip = names.map((n) => `${n}: ${describeState(this._manager.state(n)!)}`).join('\n');
    this._item.backgroundColor = failed ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this._item.show();
  }
}

/** The quick pick behind the status bar item: pick a server to act on it. */
export async function showServersQuickPick(manager: McpClientManager): Promise<void> {
  type Item = vscode.QuickPickItem & { server: string };
  const items: Item[] = manager.names().sort().map((server) => {
    const state = manager.state(server)!;
    const catalog = manager.catalog(server);
    return {
      server,
      label: `${state.kind === 'running' ? '$(pass-filled)' : state.kind === 'error' ? '$(error)' : '$(circle-outline)'} ${server}`,
      description: describeState(state),
      detail: state.kind === 'running' && catalog ? `${catalog.tools.length} tools, ${catalog.resources.length} resources, ${catalog.prompts.length} prompts` : undefined,
    };
  });
  const picked = await vscode.window.showQuickPick(items, { title: 'MCP Servers', placeHolder: 'Pick a server to start, stop, restart or show its output' });
  if (!picked) return;
  const state = manager.state(picked.server)!;
  const actions = state.kind === 'running' || state.kind === 'starting'
    ? ['Restart', 'Stop', 'Show Output']
    : ['Start', 'Show Output'];
  const action = await vscode.window.showQuickPick(actions, { title: picked.server });
  const commands: Record<string, string> = {
    Start: 'switchboard.startServer', Stop: 'switchboard.stopServer', Restart: 'switchboard.restartServer', 'Show Output': 'switchboard.showOutput',
  };
  if (action) await vscode.commands.executeCommand(commands[action], picked.server);
}
