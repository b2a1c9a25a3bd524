// The Servers tree repaints only what changed, in the real extension host. A whole-tree repaint
// makes VS Code forget every row's element until it has read the tree again: a row's inline button
// clicked meanwhile (here: run through the workbench as the button runs it, with the row's handle)
// reached its command without its row. Another server changing must leave a row's button working.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { SwitchboardApi } from '../../src/extension';
import type { TreeNode } from '../../src/views/serverTreeItems';
import { api, stdioFixture, waitFor, writeConfig } from './helpers';

const VIEW = 'switchboard.servers';
const servers: Record<string, unknown> = { steady: stdioFixture('echo'), busy: stdioFixture('echo') };

/**
 * Runs a tree button's command the way the workbench does for a click on row `id`: with the row's
 * handle, which VS Code turns back into the row's element (or undefined when it has forgotten it).
 */
async function clickRowButton(command: string, id: string): Promise<void> {
  await vscode.commands.executeCommand('runCommands', { commands: [{ command, args: { $treeViewId: VIEW, $treeItemHandle: `1/${id}` } }] });
}

/** Copy Tool Name on the tool row `id`: what reached the clipboard, or the error. */
async function copyFromRow(id: string): Promise<string> {
  await vscode.env.clipboard.writeText('');
  return clickRowButton('switchboard.copyToolName', id).then(() => vscode.env.clipboard.readText(), (e: Error) => `error: ${e.message}`);
}

describe('the servers tree repaints only what changed', function () {
  this.timeout(90_000);
  let a: SwitchboardApi;
  /** What each repaint named: undefined for the whole tree. */
  let events: (TreeNode[] | undefined)[];
  let listening: vscode.Disposable | undefined;

  before(async () => {
    a = await api();
    await writeConfig(JSON.stringify({ servers }));
    await waitFor(() => a.manager.state('steady')?.kind === 'running' && a.manager.state('busy')?.kind === 'running', 'both servers running');
    // The rows exist in VS Code once it has read them: the view open and both tools shown.
    await vscode.commands.executeCommand(`${VIEW}.focus`);
    for (const server of ['steady', 'busy']) {
      const serverNode = a.tree.getChildren().find((n) => n.type === 'server' && n.server === server)!;
      const tools = a.tree.getChildren(serverNode).find((n) => n.type === 'group' && n.kind === 'tools')!;
      await a.treeView.reveal(a.tree.getChildren(tools)[0], { select: false, focus: false });
    }
    await waitFor(async () => (await copyFromRow('server/steady/tools/echo')) === 'steady_echo', 'the steady tool row in VS Code');
  });
  beforeEach(() => {
    events = [];
    listening = a.tree.onDidChangeTreeData((e: TreeNode | TreeNode[] | undefined) => events.push(e === undefined || Array.isArray(e) ? e : [e]));
  });
  afterEach(() => listening?.dispose());

  it('repaints nothing when nothing looks different', async () => {
    a.tree.refresh();
    await new Promise((r) => setTimeout(r, 300));
    assert.deepStrictEqual(events, []);
  });

  it('repaints only the server that changed, never the whole tree', async () => {
    await vscode.commands.executeCommand('switchboard.restartServer', 'busy');
    await waitFor(() => a.manager.state('busy')?.kind === 'running', 'busy running again');
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(events.length > 0, 'the restart was repainted');
    for (const e of events) {
      assert.ok(e, 'a whole-tree repaint');
      assert.deepStrictEqual(e.map((n) => (n.type === 'server' ? n.server : n.type)), ['busy']);
    }
  });

  it('keeps another server\'s row buttons working while a server repaints', async () => {
    // Clicked the moment VS Code starts the repaint, before it has read the tree again.
    const clicked = new Promise<string>((resolve) => {
      const once = a.tree.onDidChangeTreeData(() => {
        once.dispose();
        setImmediate(() => void copyFromRow('server/steady/tools/echo').then(resolve));
      });
    });
    await vscode.commands.executeCommand('switchboard.restartServer', 'busy');
    assert.strictEqual(await clicked, 'steady_echo');
  });
});
