// OAuth sign-in in the real editor: a remote server behind the OAuth fixture (an SDK-built
// authorization server on 127.0.0.1) waits as "needs sign-in", and the Sign In command opens
// nothing before the user has seen the page's full address and said Open. The extension host in
// test mode refuses that modal dialog, so the sign-in ends there; the UI test (signIn.ui.ts)
// clicks Open and signs in through the consent page.
import * as assert from 'assert';
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
    assert.strictEqual(signedIn, false, `the sign-in stopped at the address dialog; fixture log:\n${fx.stderr()}`);
    assert.doesNotMatch(fx.stderr(), /authorize client=/, 'the page was not opened without the user\'s Open');
    const state2 = a.manager.state('secured');
    assert.ok(state2?.kind === 'error' && state2.signIn, `still waiting for a sign-in: ${JSON.stringify(state2)}`);
  });
});
