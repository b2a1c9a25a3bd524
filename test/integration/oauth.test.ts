// OAuth sign-in in the real editor: a remote server behind the OAuth fixture (an SDK-built
// authorization server on 127.0.0.1) waits as "needs sign-in"; the Sign In command opens the
// authorization page through VS Code's openExternal (a browser window of the workbench here),
// the redirect comes back to our loopback listener and the server runs; Sign Out puts it back.
// No output of ours (log files, settings, the config) holds the issued token.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { startHttpFixture, type HttpFixture } from '../fixtures/spawn';
import { PROCESS_MARKER, api, renderTree, waitFor, writeConfig } from './helpers';

describe('OAuth sign-in (real authorization server)', function () {
  this.timeout(90_000);
  let fx: HttpFixture;

  before(async () => {
    fx = await startHttpFixture('oauth', [PROCESS_MARKER]);
  });
  after(async () => {
    await writeConfig('{ "servers": {} }\n');
    await fx?.stop();
  });

  it('shows "needs sign-in", signs in through the browser, and signs out again', async () => {
    const a = await api();
    await writeConfig(JSON.stringify({ servers: { secured: { type: 'http', url: fx.url } } }, null, 2));
    await waitFor(() => a.manager.state('secured')?.kind === 'error', 'the server to wait for a sign-in');
    const state = a.manager.state('secured');
    assert.ok(state?.kind === 'error' && state.signIn, JSON.stringify(state));
    assert.ok((await renderTree(a)).some((l) => /^secured — needs sign-in/.test(l)), (await renderTree(a)).join('\n'));
    assert.doesNotMatch(fx.stderr(), /authorize client=/, 'no browser was opened unasked');

    const signedIn = await vscode.commands.executeCommand<boolean>('switchboard.signIn', 'secured');
    assert.strictEqual(signedIn, true, `the sign-in went through; fixture log:\n${fx.stderr()}`);
    await waitFor(() => a.manager.state('secured')?.kind === 'running', 'the server to run after the sign-in');
    assert.ok((await renderTree(a)).some((l) => /secured_echo/.test(l)), 'its tools are listed');

    const issued = /issued token (\S+)/.exec(fx.stderr())?.[1];
    assert.ok(issued, 'the fixture issued a token');
    const outputs = [
      ...fs.readdirSync(a.logUri.fsPath, { recursive: true }).map((f) => path.join(a.logUri.fsPath, String(f))).filter((f) => fs.statSync(f).isFile()),
      path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, '.vscode', 'switchboard.json'),
    ];
    for (const file of outputs) assert.ok(!fs.readFileSync(file, 'utf8').includes(issued), `${file} holds the token`);
    assert.ok(!JSON.stringify(vscode.workspace.getConfiguration('switchboard')).includes(issued), 'nor do the settings');

    await vscode.commands.executeCommand('switchboard.signOut', 'secured');
    await waitFor(() => { const s = a.manager.state('secured'); return s?.kind === 'error' && s.signIn; }, 'the server to need a sign-in again');
  });
});
