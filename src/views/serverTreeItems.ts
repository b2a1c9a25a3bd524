/**
 * Node types of the Servers tree and how each renders. Pure presentation: the provider decides
 * which nodes exist, this file decides how they look.
 */
import * as vscode from 'vscode';
import type { Prompt, Resource, ResourceTemplate, Tool } from '@modelcontextprotocol/sdk/types.js';
import { describeState } from '../client/state';
import type { ServerCatalog, ServerState } from '../client/types';

export type GroupKind = 'tools' | 'resources' | 'prompts';

export type TreeNode =
  | { type: 'notice'; id: string; label: string; detail?: string; command?: vscode.Command; icon: string }
  | { type: 'server'; server: string }
  | { type: 'group'; server: string; kind: GroupKind }
  | { type: 'tool'; server: string; tool: Tool; namespaced?: string }
  | { type: 'resource'; server: string; resource: Resource }
  | { type: 'template'; server: string; template: ResourceTemplate }
  | { type: 'prompt'; server: string; prompt: Prompt };

export interface ServerView {
  state: ServerState;
  catalog?: ServerCatalog;
  /** The catalog is the cached one from an earlier run, not the live one. */
  cached?: boolean;
  transport?: string;
  source: 'workspace' | 'user';
  /** An http/sse server: it may be signed into (OAuth), and signed out of. */
  remote?: boolean;
  /** Shown from the last window's cache while the configuration is still being read: no state yet, no actions. */
  loading?: boolean;
}

function stateIcon(state: ServerState): vscode.ThemeIcon {
  switch (state.kind) {
    case 'running': return new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed'));
    case 'starting':
    case 'restarting': return new vscode.ThemeIcon('loading~spin');
    case 'error': return state.signIn ? new vscode.ThemeIcon('key') : new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
    case 'stopped':
      if (state.reason === 'untrusted') return new vscode.ThemeIcon('shield');
      if (state.reason === 'disabled') return new vscode.ThemeIcon('circle-slash');
      return new vscode.ThemeIcon('circle-outline');
  }
}

export function serverItem(name: string, view: ServerView): vscode.TreeItem {
  const { state, catalog } = view;
  const hasChildren = !!catalog && (catalog.tools.length + catalog.resources.length + catalog.resourceTemplates.length + catalog.prompts.length) > 0;
  // Collapsed, whatever the state: one row a server keeps a long list (a server can have dozens of
  // tools) short enough to see every server; the editor remembers what the user expands.
  const item = new vscode.TreeItem(name, hasChildren ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.id = `server/${name}`;
  item.iconPath = stateIcon(state);
  const parts: string[] = [];
  if (view.loading) {
    item.iconPath = new vscode.ThemeIcon('history');
    item.description = `${catalog?.tools.length ?? 0} tools cached — reading the configuration…`;
    item.contextValue = 'server.loading';
    item.tooltip = `${name}: as cached by the last window; the configuration is being read.`;
    return item;
  }
  if (state.kind === 'running') {
    if (view.transport) parts.push(view.transport);
    parts.push(`${catalog?.tools.length ?? 0} tools`);
  } else if (view.cached && state.kind === 'starting') {
    parts.push('cached — starting…');
  } else {
    parts.push(describeState(state));
    if (view.cached) parts.push(`${catalog?.tools.length ?? 0} tools cached`);
  }
  item.description = parts.join(' · ');
  // contextValue drives the inline and context menus (see package.json "menus").
  // A server waiting for a sign-in is `server.signIn`: not an error to restart, a step with its own button.
  const kind = state.kind === 'error' && state.signIn ? 'signIn' : state.kind;
  item.contextValue = `server.${kind}${state.kind === 'stopped' && state.reason === 'untrusted' ? '.untrusted' : ''}${view.remote ? '.remote' : ''}`;
  item.tooltip = serverTooltip(name, view);
  return item;
}

function serverTooltip(name: string, { state, catalog, cached, transport, source }: ServerView): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${escape(name)}** — ${escape(describeState(state))}\n\n`);
  md.appendMarkdown(`Source: ${source === 'workspace' ? 'workspace (.vscode/switchboard.json)' : 'user settings'}`);
  if (transport) md.appendMarkdown(` · Transport: ${transport}`);
  md.appendMarkdown('\n\n');
  const info = catalog?.serverInfo;
  if (info) md.appendMarkdown(`Server: ${escape(info.title ?? info.name)} ${escape(info.version)}\n\n`);
  const caps = catalog?.capabilities ? Object.keys(catalog.capabilities) : [];
  if (caps.length) md.appendMarkdown(`Capabilities: ${caps.map(escape).join(', ')}\n\n`);
  if (cached) md.appendMarkdown('Tools, resources and prompts as cached from an earlier run; the live ones replace them once the server runs.\n\n');
  if (state.kind === 'error' && state.stderrTail.length) {
    md.appendMarkdown('Last stderr lines:\n');
    md.appendCodeblock(state.stderrTail.slice(-8).join('\n'), 'text');
  }
  return md;
}

export function groupItem(server: string, kind: GroupKind, count: number, cached = false): vscode.TreeItem {
  const labels: Record<GroupKind, string> = { tools: 'Tools', resources: 'Resources', prompts: 'Prompts' };
  const icons: Record<GroupKind, string> = { tools: 'tools', resources: 'file-text', prompts: 'comment-discussion' };
  const item = new vscode.TreeItem(labels[kind], kind === 'tools' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `server/${server}/${kind}`;
  item.description = cached ? `${count} (cached)` : String(count);
  item.iconPath = new vscode.ThemeIcon(icons[kind]);
  item.contextValue = `group.${kind}`;
  return item;
}

export function toolItem(server: string, tool: Tool, namespaced?: string): vscode.TreeItem {
  const item = new vscode.TreeItem(tool.title ?? tool.annotations?.title ?? tool.name, vscode.TreeItemCollapsibleState.None);
  item.id = `server/${server}/tools/${tool.name}`;
  item.description = namespaced ?? tool.name;
  item.iconPath = new vscode.ThemeIcon('symbol-method');
  // Without a namespaced name the tool is only cached under a server that cannot take calls now
  // (failed, stopped), so it offers no Run Tool.
  item.contextValue = namespaced ? 'tool' : 'tool.unavailable';
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**${escape(tool.name)}**${namespaced ? ` — \`${namespaced}\`` : ''}\n\n`);
  if (tool.description) md.appendMarkdown(`${escape(tool.description)}\n\n`);
  const params = schemaSummary(tool.inputSchema);
  md.appendMarkdown(params.length ? `Parameters:\n${params.map((p) => `- ${p}`).join('\n')}` : 'No parameters');
  item.tooltip = md;
  return item;
}

/** One line per top-level property: `name: type (required) — description`. */
export function schemaSummary(schema: Tool['inputSchema'] | undefined): string[] {
  const props = (schema?.properties ?? {}) as Record<string, { type?: string | string[]; description?: string; enum?: unknown[] }>;
  const required = new Set((schema?.required as string[] | undefined) ?? []);
  return Object.entries(props).map(([name, p]) => {
    const type = p?.enum ? p.enum.map((v) => JSON.stringify(v)).join(' | ') : Array.isArray(p?.type) ? p.type.join(' | ') : p?.type ?? 'any';
    return `\`${name}\`: ${type}${required.has(name) ? ' (required)' : ''}${p?.description ? ` — ${escape(p.description)}` : ''}`;
  });
}

export function resourceItem(server: string, r: Resource): vscode.TreeItem {
  const item = new vscode.TreeItem(r.title ?? r.name, vscode.TreeItemCollapsibleState.None);
  item.id = `server/${server}/resources/${r.uri}`;
  item.description = r.uri;
  item.tooltip = [r.uri, r.mimeType, r.description].filter(Boolean).join('\n');
  item.iconPath = new vscode.ThemeIcon('file');
  item.contextValue = 'resource';
  item.command = { command: 'switchboard.openResource', title: 'Open Resource', arguments: [{ type: 'resource', server, resource: r }] };
  return item;
}

export function templateItem(server: string, t: ResourceTemplate): vscode.TreeItem {
  const item = new vscode.TreeItem(t.title ?? t.name, vscode.TreeItemCollapsibleState.None);
  item.id = `server/${server}/templates/${t.uriTemplate}`;
  item.description = t.uriTemplate;
  item.tooltip = [t.uriTemplate, t.description].filter(Boolean).join('\n');
  item.iconPath = new vscode.ThemeIcon('file-code');
  item.contextValue = 'resourceTemplate';
  return item;
}

export function promptItem(server: string, p: Prompt): vscode.TreeItem {
  const item = new vscode.TreeItem(p.title ?? p.name, vscode.TreeItemCollapsibleState.None);
  item.id = `server/${server}/prompts/${p.name}`;
  item.description = p.arguments?.length ? `(${p.arguments.map((a) => a.name).join(', ')})` : undefined;
  item.tooltip = p.description;
  item.iconPath = new vscode.ThemeIcon('comment');
  item.contextValue = 'prompt';
  item.command = { command: 'switchboard.renderPrompt', title: 'Render Prompt', arguments: [{ type: 'prompt', server, prompt: p }] };
  return item;
}

export function noticeItem(n: Extract<TreeNode, { type: 'notice' }>): vscode.TreeItem {
  const item = new vscode.TreeItem(n.label, vscode.TreeItemCollapsibleState.None);
  item.id = n.id;
  item.description = n.detail;
  item.iconPath = new vscode.ThemeIcon(n.icon);
  item.command = n.command;
  item.contextValue = 'notice';
  return item;
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`);
}
