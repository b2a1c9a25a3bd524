// The extension is found by its id and activates in the real extension host, in the workspace-trust
// mode the harness was asked for (SWITCHBOARD_WORKSPACE_TRUST, set by scripts/run-extension-tests.mjs).
import * as assert from 'assert';
import * as vscode from 'vscode';

const EXTENSION_ID = 'mcp-switchboard.mcp-switchboard';

describe('activation', () => {
  it('is installed under its id and activates', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    const others = vscode.extensions.all.map((e) => e.id).filter((id) => !id.startsWith('vscode.'));
    assert.ok(ext, `extension ${EXTENSION_ID} not found; non-builtin extensions: ${others.join(', ') || 'none'}`);
    await ext.activate();
    assert.strictEqual(ext.isActive, true);
  });

  it('sees the workspace trust the harness set up', () => {
    const expected = process.env.SWITCHBOARD_WORKSPACE_TRUST;
    assert.ok(expected, 'SWITCHBOARD_WORKSPACE_TRUST is not set: run the suite with scripts/run-extension-tests.mjs, which always sets it');
    assert.strictEqual(vscode.workspace.isTrusted, expected !== 'untrusted', `workspace trust mode "${expected}"`);
    assert.ok(vscode.workspace.workspaceFolders?.length, 'a workspace folder is open');
  });
});
