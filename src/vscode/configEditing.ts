/**
 * "Add Server…" and "Open Configuration": guided edits that always produce a valid entry. The
 * editing code (jsonc-parser) is loaded when one of them runs, not with the extension.
 */
import * as vscode from 'vscode';
import { SETTING_SERVERS } from '../config/paths';
import { ConfigWatcher } from './configWatcher';

type Kind = 'stdio' | 'http' | 'sse';

export async function addServer(): Promise<string | undefined> {
  const { addServerToText, splitCommandLine } = await import('../config/edit');
  const kinds: (vscode.QuickPickItem & { transport: Kind })[] = [
    { transport: 'stdio', label: '$(terminal) Command (stdio)', detail: 'Runs a local program, e.g. npx -y @modelcontextprotocol/server-memory' },
    { transport: 'http', label: '$(globe) HTTP', detail: 'Streamable HTTP, falling back to legacy SSE' },
    { transport: 'sse', label: '$(radio-tower) SSE (legacy)', detail: 'GET /sse + POST /messages' },
  ];
  const picked = await vscode.window.showQuickPick(kinds, { title: 'Add MCP Server (1/3): transport', ignoreFocusOut: true });
  if (!picked) return undefined;

  let entry: Record<string, unknown>;
  let suggested: string;
  if (picked.transport === 'stdio') {
    const line = await vscode.window.showInputBox({
      title: 'Add MCP Server (2/3): command', prompt: 'The command line that starts the server', ignoreFocusOut: true,
      placeHolder: 'npx -y @modelcontextprotocol/server-memory',
      validateInput: (v) => { try { return splitCommandLine(v).length ? undefined : 'Enter a command'; } catch (e) { return (e as Error).message; } },
    });
    if (!line) return undefined;
    const [command, ...args] = splitCommandLine(line);
    entry = { type: 'stdio', command, args };
    const pkg = args.find((a) => !a.startsWith('-')) ?? command;
    suggested = pkg.replace(/^@[^/]+\//, '').replace(/^(mcp-)?server-/, '').replace(/[^A-Za-z0-9_-]+/g, '-') || 'server';
  } else {
    const url = await vscode.window.showInputBox({
      title: 'Add MCP Server (2/3): URL', prompt: 'The server URL', ignoreFocusOut: true, placeHolder: 'https://example.com/mcp',
      validateInput: (v) => { try { return /^https?:$/.test(new URL(v).protocol) ? undefined : 'Use an http or https URL'; } catch { return 'Not a valid URL'; } },
    });
    if (!url) return undefined;
    entry = { type: picked.transport, url };
    suggested = new URL(url).hostname.split('.').filter((p) => p !== 'www')[0] || 'remote';
  }

  const folder = vscode.workspace.workspaceFolders?.[0];
  const name = await vscode.window.showInputBox({
    title: 'Add MCP Server (3/3): name', prompt: 'A short name; tools are prefixed with it', value: suggested, ignoreFocusOut: true,
    validateInput: (v) => (/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(v) ? undefined : 'Letters, digits, "_", "-" and "." only'),
  });
  if (!name) return undefined;

  if (folder) {
    const uri = ConfigWatcher.fileUri(folder);
    let text = '';
    try { text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)); } catch { /* new file */ }
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(addServerToText(text, name, entry)));
    await vscode.window.showTextDocument(uri, { preview: false });
  } else {
    const config = vscode.workspace.getConfiguration();
    const current = config.inspect<Record<string, unknown>>(SETTING_SERVERS)?.globalValue ?? {};
    await config.update(SETTING_SERVERS, { ...current, [name]: entry }, vscode.ConfigurationTarget.Global);
  }
  return name;
}

export async function openConfiguration(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    await vscode.commands.executeCommand('workbench.action.openSettingsJson');
    return;
  }
  const uri = ConfigWatcher.fileUri(folder);
  try {
    await vscode.workspace.fs.stat(uri);
  } catch {
    const { CONFIG_SKELETON } = await import('../config/edit');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(CONFIG_SKELETON));
  }
  await vscode.window.showTextDocument(uri, { preview: false });
}
