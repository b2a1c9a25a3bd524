/**
 * The Servers tree: servers with live state → Tools / Resources / Prompts → items. A server that
 * is not running shows its cached catalog from an earlier run, marked as cached, so the tools are
 * there before the server is (or while it waits for its first use, or after it failed).
 * It repaints only the servers whose rows look different (see repaints.ts), and keeps one node
 * object per server, as VS Code finds a node to repaint by identity.
 */
import * as vscode from 'vscode';
import type { McpClientManager } from '../client/manager';
import type { ServerCatalog } from '../client/types';
import { Disposable, Emitter } from '../common/lifecycle';
import { Repaints } from './repaints';
import {
  groupItem, noticeItem, promptItem, resourceItem, serverItem, templateItem, toolItem, type ServerView, type TreeNode,
} from './serverTreeItems';

export class ServersTreeProvider extends Disposable implements vscode.TreeDataProvider<TreeNode> {
  private readonly _onDidChangeTreeData = this._register(new Emitter<TreeNode[] | undefined>());
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
  private _refreshTimer?: NodeJS.Timeout;
  private _toolsShown = false;
  private readonly _repaints = new Repaints();
  /** Servers that changed since the last repaint, or 'all' to check the whole tree. */
  private _dirty: Set<string> | 'all' = 'all';
  private readonly _serverNodes = new Map<string, Extract<TreeNode, { type: 'server' }>>();

  /**
   * `lastKnown` gives, until the first configuration is applied, the servers and catalogs the last
   * window cached, shown as they are (the configuration and the secret key that checks the cache
   * take several hundred ms to come). `onFirstTools` hears once, the first time the tree has tools
   * to answer the editor with (cached, or live): at once when the last window cached some.
   */
  constructor(
    private readonly _manager: McpClientManager, private readonly _notices: () => TreeNode[],
    private readonly _opts: { lastKnown?: () => ReadonlyMap<string, ServerCatalog> | undefined; onFirstTools?: (cached: boolean) => void } = {},
  ) {
    super();
    this._register(_manager.onDidChangeState(({ server }) => this._schedule(server)));
    this._register(_manager.onDidChangeCatalog(({ server }) => this._schedule(server)));
    this._register(_manager.onDidChangeServers(() => this.refresh()));
    this._register({ dispose: () => clearTimeout(this._refreshTimer) });
    this._noteFirstTools(this._roots());
  }

  /** Looks at the whole tree again, and repaints what looks different. */
  refresh(): void {
    this._schedule();
  }

  /** Coalesces bursts (ten servers starting at once) into one repaint; `server` alone changed, or anything. */
  private _schedule(server?: string): void {
    if (server === undefined) this._dirty = 'all';
    else if (this._dirty !== 'all') this._dirty.add(server);
    clearTimeout(this._refreshTimer);
    this._refreshTimer = setTimeout(() => this._repaint(), 30);
  }

  private _repaint(): void {
    const roots = this._roots();
    this._noteFirstTools(roots);
    const check = this._dirty;
    this._dirty = new Set();
    const servers = roots.flatMap((n) => (n.type === 'server' ? [n.server] : []));
    const top = JSON.stringify(roots.map((n) => (n.type === 'notice' ? [n.id, n.label, n.detail, n.icon] : n.type === 'server' ? n.server : n.type)));
    const plan = this._repaints.plan(top, servers, (server) => this._signature(server), check);
    if (plan === 'all') this._onDidChangeTreeData.fire(undefined);
    else if (plan.length) this._onDidChangeTreeData.fire(plan.map((server) => this._serverNode(server)));
  }

  /** Everything a server's rows show: its own row (state, source, catalog for the tooltip) and its children. */
  private _signature(server: string): string {
    const names = this._manager.tools().filter((t) => t.server === server).map((t) => [t.tool.name, t.name]);
    return JSON.stringify({ view: this._view(server), names });
  }

  /** The one node object of a server, so a repaint of it reaches the row VS Code has. */
  private _serverNode(server: string): Extract<TreeNode, { type: 'server' }> {
    let node = this._serverNodes.get(server);
    if (!node) this._serverNodes.set(server, node = { type: 'server', server });
    return node;
  }

  private _noteFirstTools(servers: readonly TreeNode[]): void {
    if (this._toolsShown || !this._opts.onFirstTools) return;
    for (const node of servers) {
      if (node.type !== 'server') continue;
      const shown = this._shown(node.server);
      if (!shown.catalog?.tools.length) continue;
      this._toolsShown = true;
      this._opts.onFirstTools(shown.cached);
      return;
    }
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    switch (node.type) {
      case 'notice': return noticeItem(node);
      case 'server': return serverItem(node.server, this._view(node.server));
      case 'group': return groupItem(node.server, node.kind, this._children(node).length, this._shown(node.server).cached);
      case 'tool': return toolItem(node.server, node.tool, node.namespaced);
      case 'resource': return resourceItem(node.server, node.resource);
      case 'template': return templateItem(node.server, node.template);
      case 'prompt': return promptItem(node.server, node.prompt);
    }
  }

  getChildren(node?: TreeNode): TreeNode[] {
    return node ? this._children(node) : this._roots();
  }

  getParent(node: TreeNode): TreeNode | undefined {
    switch (node.type) {
      case 'notice':
      case 'server': return undefined;
      case 'group': return this._serverNode(node.server);
      case 'tool': return { type: 'group', server: node.server, kind: 'tools' };
      case 'resource':
      case 'template': return { type: 'group', server: node.server, kind: 'resources' };
      case 'prompt': return { type: 'group', server: node.server, kind: 'prompts' };
    }
  }

  private _roots(): TreeNode[] {
    const early = this._opts.lastKnown?.();
    const servers = (early ? [...early.keys()] : this._manager.names()).sort((a, b) => a.localeCompare(b));
    for (const name of this._serverNodes.keys()) if (!servers.includes(name)) this._serverNodes.delete(name);
    return [...this._notices(), ...servers.map((server) => this._serverNode(server))];
  }

  private _view(server: string): ServerView {
    const early = this._opts.lastKnown?.()?.get(server);
    if (early) return { state: { kind: 'stopped' }, catalog: early, cached: true, loading: true, source: 'workspace' };
    const conn = this._manager.connection(server);
    const def = this._manager.definition(server);
    return {
      state: this._manager.state(server) ?? { kind: 'stopped' },
      ...this._shown(server),
      transport: conn?.transportKind,
      source: def?.sourceKind ?? 'workspace',
      remote: !!def && def.config.type !== 'stdio',
    };
  }

  /** The live catalog while the server runs; otherwise the cached one when there is one. */
  private _shown(server: string): { catalog?: ServerCatalog; cached: boolean } {
    const early = this._opts.lastKnown?.();
    if (early) return { catalog: early.get(server), cached: true };
    const cached = this._manager.state(server)?.kind === 'running' ? undefined : this._manager.cachedCatalog(server);
    return cached ? { catalog: cached, cached: true } : { catalog: this._manager.catalog(server), cached: false };
  }

  private _children(node: TreeNode): TreeNode[] {
    if (node.type === 'notice') return [];
    const { catalog } = this._shown(node.server);
    if (!catalog) return [];
    if (node.type === 'server') {
      const groups: TreeNode[] = [];
      if (catalog.tools.length) groups.push({ type: 'group', server: node.server, kind: 'tools' });
      if (catalog.resources.length || catalog.resourceTemplates.length) groups.push({ type: 'group', server: node.server, kind: 'resources' });
      if (catalog.prompts.length) groups.push({ type: 'group', server: node.server, kind: 'prompts' });
      return groups;
    }
    if (node.type !== 'group') return [];
    const { server } = node;
    switch (node.kind) {
      case 'tools': {
        const names = new Map(this._manager.tools().filter((t) => t.server === server).map((t) => [t.tool.name, t.name]));
        return catalog.tools.map((tool) => ({ type: 'tool', server, tool, namespaced: names.get(tool.name) }));
      }
      case 'resources':
        return [
          ...catalog.resources.map((resource): TreeNode => ({ type: 'resource', server, resource })),
          ...catalog.resourceTemplates.map((template): TreeNode => ({ type: 'template', server, template })),
        ];
      case 'prompts':
        return catalog.prompts.map((prompt) => ({ type: 'prompt', server, prompt }));
    }
  }
}
