/** The extension's commands: server lifecycle, output, tool names, resources, prompts, configuration. */
import * as vscode from 'vscode';
import type { LoggingLevel } from '@modelcontextprotocol/sdk/types.js';
import type { McpClientManager } from '../client/manager';
import { errorMessage } from '../common/async';
import type { IDisposable } from '../common/lifecycle';
import type { TreeNode } from '../views/serverTreeItems';
import { addServer, openConfiguration } from './configEditing';
import type { ServerLogs } from './logs';
import type { OAuthFeature } from './oauthFeature';
import { resourceDocumentUri } from './resourceDocuments';
import { signInCandidates } from './signInCandidates';
import { showServersQuickPick } from './statusBar';

const LOG_LEVELS: readonly LoggingLevel[] = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'];

type ServerArg = string | Extract<TreeNode, { type: 'server' }> | undefined;

export interface CommandDeps {
  manager: McpClientManager;
  logs: ServerLogs;
  reload: () => Promise<void>;
  oauth: OAuthFeature;
}

export function registerCommands({ manager, logs, reload, oauth }: CommandDeps): IDisposable[] {
  /** Commands work from the tree (node), the status bar pick (name) or the palette (ask). */
  const pickServer = async (arg: ServerArg, title: string, candidates = manager.names().sort()): Promise<string | undefined> => {
    if (typeof arg === 'string') return arg;
    if (arg?.server) return arg.server;
    return vscode.window.showQuickPick(candidates, { title });
  };
  /** Sign In and Sign Out pick among remote servers only; with none, say so instead of an empty list. */
  const pickRemote = async (arg: ServerArg, title: string): Promise<string | undefined> => {
    const candidates = signInCandidates(manager);
    if (!arg && !candidates.length) {
      void vscode.window.showInformationMessage('No MCP server here signs in: only http and sse servers can.');
      return undefined;
    }
    return pickServer(arg, title, candidates);
  };
  const lifecycle = (action: 'start' | 'stop' | 'restart', title: string) => async (arg: ServerArg) => {
    const server = await pickServer(arg, title);
    if (!server) return;
    try {
      // A held-back server (input cancelled, trust just granted) needs the config re-applied, not a bare start.
      if (action !== 'stop' && !manager.connection(server)) await reload();
      else await manager[action](server);
    } catch (e) {
      void vscode.window.showErrorMessage(`MCP server "${server}": ${errorMessage(e)}`, 'Show Output')
        .then((c) => c && logs.show(server));
    }
  };
  const reg = vscode.commands.registerCommand;
  return [
    reg('switchboard.startServer', lifecycle('start', 'Start MCP Server')),
    reg('switchboard.stopServer', lifecycle('stop', 'Stop MCP Server')),
    reg('switchboard.restartServer', lifecycle('restart', 'Restart MCP Server')),
    reg('switchboard.showOutput', async (arg: ServerArg) => {
      const server = await pickServer(arg, 'Show MCP Server Output');
      if (server) logs.show(server);
    }),
    reg('switchboard.showServers', () => showServersQuickPick(manager)),
    reg('switchboard.setLogLevel', async (arg: ServerArg) => {
      const server = await pickServer(arg, 'Set MCP Server Log Level');
      const client = server ? manager.connection(server)?.client : undefined;
      if (!server) return;
      if (!client?.getServerCapabilities()?.logging) {
        void vscode.window.showInformationMessage(`MCP server "${server}" ${client ? 'does not offer log levels' : 'is not running'}.`);
        return;
      }
      const level = await vscode.window.showQuickPick([...LOG_LEVELS], { title: `Log level for MCP server "${server}"`, placeHolder: 'messages below it are not sent' });
      if (!level) return;
      try {
        await client.setLoggingLevel(level as LoggingLevel);
        vscode.window.setStatusBarMessage(`MCP server "${server}" now logs at ${level}`, 5000);
      } catch (e) {
        void vscode.window.showErrorMessage(`MCP server "${server}" refused the log level: ${errorMessage(e)}`);
      }
    }),
    reg('switchboard.signIn', async (arg: ServerArg) => {
      const server = await pickRemote(arg, 'Sign In to MCP Server');
      return server ? oauth.signIn(manager, server) : false;
    }),
    reg('switchboard.signOut', async (arg: ServerArg) => {
      const server = await pickRemote(arg, 'Sign Out of MCP Server');
      if (server) await oauth.signOut(manager, server);
    }),
    reg('switchboard.refresh', () => reload()),
    reg('switchboard.copyToolName', async (node: Extract<TreeNode, { type: 'tool' }>) => {
      const name = node.namespaced ?? node.tool.name;
      await vscode.env.clipboard.writeText(name);
      vscode.window.setStatusBarMessage(`Copied ${name}`, 3000);
    }),
    reg('switchboard.openResource', async (node: Extract<TreeNode, { type: 'resource' }>) => {
      const doc = await vscode.workspace.openTextDocument(resourceDocumentUri(node.server, node.resource.uri, node.resource.name));
      if (node.resource.mimeType === 'application/json') await vscode.languages.setTextDocumentLanguage(doc, 'json');
      if (node.resource.mimeType === 'text/markdown') await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
      await vscode.window.showTextDocument(doc, { preview: true });
    }),
    reg('switchboard.renderPrompt', (node: Extract<TreeNode, { type: 'prompt' }>) => renderPrompt(manager, node)),
    reg('switchboard.addServer', () => addServer()),
    reg('switchboard.openConfiguration', () => openConfiguration()),
    reg('switchboard.manageTrust', () => vscode.commands.executeCommand('workbench.trust.manage')),
  ];
}

/** Asks for the prompt's arguments, then shows the rendered messages in an untitled document. */
async function renderPrompt(manager: McpClientManager, node: Extract<TreeNode, { type: 'prompt' }>): Promise<vscode.TextDocument | undefined> {
  // A prompt listed from the cache starts its server on first use.
  const started = await manager.startOnUse(node.server);
  const conn = manager.connection(node.server);
  if (!conn?.client) {
    void vscode.window.showErrorMessage(started.running ? `MCP server "${node.server}" is not running.` : started.message);
    return undefined;
  }
  // Collected as entries: argument names come from the server, and `__proto__` must stay one.
  const entries: [string, string][] = [];
  for (const a of node.prompt.arguments ?? []) {
    const value = await vscode.window.showInputBox({
      title: `Prompt "${node.prompt.name}": ${a.name}${a.required ? '' : ' (optional)'}`,
      prompt: a.description,
      ignoreFocusOut: true,
      validateInput: (v) => (a.required && !v ? `${a.name} is required` : undefined),
    });
    if (value === undefined) return undefined;
    if (value !== '') entries.push([a.name, value]);
  }
  const args = Object.fromEntries(entries);
  try {
    const result = await conn.client.getPrompt({ name: node.prompt.name, arguments: args }, conn.requestOptions());
    const body = result.messages.map((m) => {
      const c = m.content;
      const text = c.type === 'text' ? c.text : c.type === 'resource' && 'text' in c.resource ? String(c.resource.text) : `[${c.type}]`;
      return `## ${m.role}\n\n${text}`;
    }).join('\n\n');
    const header = `# ${node.prompt.title ?? node.prompt.name}${result.description ? `\n\n${result.description}` : ''}`;
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: `${header}\n\n${body}\n` });
    await vscode.window.showTextDocument(doc);
    return doc;
  } catch (e) {
    void vscode.window.showErrorMessage(`Prompt "${node.prompt.name}" failed: ${errorMessage(e)}`);
    return undefined;
  }
}
