// Start-up in the real extension host: a first run caches the server's catalog in the workspace
// state; when the server comes back with `switchboard.autoStart: "onFirstUse"`, the tree
// lists its cached tools without any process, and Run Tool on one starts the server and runs it.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { TreeNode } from '../../src/views/serverTreeItems';
import { renderTree, stdioFixture, waitFor, writeConfig, toolsApi, type ToolsApi } from './helpers';

const config = (servers: Record<string, unknown>) => JSON.stringify({ servers }, null, 2);
const lazy = () => stdioFixture('echo', { env: { FIXTURE_TOOL_COUNT: '1' } });

/** Set in the user settings on purpose: that is where it shares a tree with `switchboard.servers`. */
const setAutoStart = (value: string | undefined) =>
  vscode.workspace.getConfiguration().update('switchboard.autoStart', value, vscode.ConfigurationTarget.Global);

describe('cached catalogs and start on first use', function () {
  this.timeout(90_000);
  let a: ToolsApi;

  before(async () => {
    a = await toolsApi();
  });
  after(async () => {
    await setAutoStart(undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('after a first run, the tree lists the cached tools of a server that waits for its first use, with no process', async () => {
    await writeConfig(config({ lazy: lazy() }));
    await waitFor(() => a.manager.state('lazy')?.kind === 'running', 'lazy running (the first run)');
    await a.catalogCache.flush();
    assert.ok(a.manager.cachedCatalog('lazy')?.tools.some((t) => t.name === 't0'), 'the first run cached the catalog');

    // The server goes and comes back (as in a new window) with the same definition.
    await writeConfig(config({}));
    await waitFor(() => !a.manager.names().includes('lazy'), 'lazy removed');
    await setAutoStart('onFirstUse');
    await writeConfig(config({ lazy: lazy() }));
    await waitFor(() => a.manager.names().includes('lazy'), 'lazy listed again');
    assert.deepStrictEqual(a.manager.state('lazy'), { kind: 'stopped', reason: 'onFirstUse' });
    assert.strictEqual(a.manager.connection('lazy')?.pid, undefined, 'no process');
    assert.ok(!a.manager.names().includes('autoStart'), 'the setting is not read as a server');

    const tree = (await renderTree(a)).join('\n');
    assert.match(tree, /^lazy — not started — starts on first use · \d+ tools cached$/m);
    assert.match(tree, /^ {2}Tools — \d+ \(cached\)$/m);
    assert.match(tree, /^ {4}t0 — lazy_t0$/m);
    assert.match(tree, /^ {2}Resources — \d+ \(cached\)$/m);
  });

  it('Run Tool on a cached tool starts the server, runs the call, and the live catalog replaces the cached one', async () => {
    const server = a.tree.getChildren().find((n) => n.type === 'server' && n.server === 'lazy')!;
    const group = a.tree.getChildren(server).find((n) => n.type === 'group' && n.kind === 'tools')!;
    const t0 = a.tree.getChildren(group).find((n): n is Extract<TreeNode, { type: 'tool' }> => n.type === 'tool' && n.tool.name === 't0')!;
    assert.strictEqual(a.tree.getTreeItem(t0).contextValue, 'tool', 'Run Tool is offered');

    const doc = await vscode.commands.executeCommand<vscode.TextDocument>('switchboard.runTool', t0);
    assert.ok(doc, 'a result document was opened');
    assert.match(doc.getText(), /## Result\n\nt0\n/);
    assert.strictEqual(a.manager.state('lazy')?.kind, 'running');
    assert.ok(a.manager.connection('lazy')?.pid, 'a process now');
    await waitFor(async () => (await renderTree(a)).some((l) => /^lazy — stdio · \d+ tools$/.test(l)), 'the live catalog in the tree');
    assert.ok(!(await renderTree(a)).some((l) => /cached/.test(l)), 'nothing marked cached any more');
  });

  it('a router call on a not-started server starts it', async () => {
    await a.manager.stop('lazy');
    // A user's stop is not a first use: the server stays stopped, its tools only cached.
    assert.strictEqual((await a.router.call('lazy_t0', {}, { origin: 'manual' })).kind, 'serverNotRunning');
    await writeConfig(config({}));
    await waitFor(() => !a.manager.names().includes('lazy'), 'lazy removed');
    await writeConfig(config({ lazy: lazy() }));
    await waitFor(() => a.manager.names().includes('lazy'), 'lazy listed again');
    assert.deepStrictEqual(a.manager.state('lazy'), { kind: 'stopped', reason: 'onFirstUse' });
    const out = await a.router.call('lazy_t0', {}, { origin: 'manual' });
    assert.strictEqual(out.kind, 'ok', JSON.stringify(out));
    assert.strictEqual(a.manager.state('lazy')?.kind, 'running');
  });
});
