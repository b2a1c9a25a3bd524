// In an untrusted workspace, servers from the workspace file never start; the tree says why.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { api, renderTree, stdioFixture, waitFor, writeConfig } from '../helpers';

describe('untrusted workspace', function () {
  this.timeout(60_000);

  it('lists workspace servers as not started, offers Manage Workspace Trust, and starts no process', async () => {
    assert.strictEqual(vscode.workspace.isTrusted, false);
    const a = await api();
    await writeConfig(JSON.stringify({ servers: { echo: stdioFixture('echo'), other: stdioFixture('echo') } }));
    await waitFor(() => a.manager.names().length === 2, 'servers listed');
    for (const n of ['echo', 'other']) {
      assert.deepStrictEqual(a.manager.state(n), { kind: 'stopped', reason: 'untrusted' });
      assert.strictEqual(a.manager.connection(n), undefined, 'no connection object, so nothing can spawn');
    }
    const tree = (await renderTree(a)).join('\n');
    assert.match(tree, /Workspace servers are not started — this workspace is not trusted/);
    assert.match(tree, /^echo — not started: workspace is not trusted$/m);
    const notice = a.tree.getChildren()[0];
    assert.strictEqual(a.tree.getTreeItem(notice).command?.command, 'workbench.trust.manage');
    // Even an explicit start does not bypass trust.
    await vscode.commands.executeCommand('switchboard.startServer', 'echo');
    assert.deepStrictEqual(a.manager.state('echo'), { kind: 'stopped', reason: 'untrusted' });
  });
});
