// OAuth against a real authorization server + MCP server process (test/fixtures/oauth.ts, built
// on the SDK's server-side auth): a server that wants a sign-in waits for one instead of failing;
// "Sign In" runs the whole browser flow (here a browser that approves) and the server runs; the
// tokens outlive the window; "Sign Out" forgets them; no token ever reaches our logs.
import assert from 'node:assert/strict';
import type { DesiredServer, ManagerOptions } from '../../src/client/manager';
import { OAuthSession } from '../../src/client/auth/oauthSession';
import { ServerOAuthProvider, oauthRecordKey } from '../../src/client/auth/oauthProvider';
import { MemorySecretStore, type AuthorizationAgent } from '../../src/client/auth/types';
import { ApprovingBrowser } from '../../src/cli/conformanceUser';
import { startHttpFixture, type HttpFixture } from '../fixtures/spawn';
import { testManager, tracingLog, waitForState, type RecordedLog } from './helpers';

const remote = (url: string): DesiredServer => ({ name: 'secured', sourceKind: 'user', config: { type: 'http', url, headers: {}, startupTimeoutMs: 20_000 } });

describe('OAuth sign-in to a remote server (real authorization server on 127.0.0.1)', function () {
  this.timeout(40_000);
  const stops: (() => Promise<void> | void)[] = [];
  afterEach(async () => { for (const s of stops.splice(0).reverse()) await s(); });

  let fx: HttpFixture;
  beforeEach(async () => {
    fx = await startHttpFixture('oauth');
    stops.push(() => fx.stop());
  });

  /** A manager whose remote servers share one session per run, as the editor's OAuth feature keeps them. */
  function setup(secrets: MemorySecretStore, agent?: AuthorizationAgent) {
    const sessions = new Map<string, OAuthSession>();
    const oauth: ManagerOptions['oauth'] = (def) => {
      if (def.config.type === 'stdio') return undefined;
      const s = new OAuthSession(def.name, new ServerOAuthProvider(def.config.url, {}, secrets), { agent });
      sessions.set(def.name, s);
      return s;
    };
    // Traces on: every JSON-RPC message is logged, so the no-token check covers them too.
    const logs = new Map<string, RecordedLog>([['secured', tracingLog()]]);
    const { manager } = testManager(logs, undefined, { oauth });
    stops.push(async () => { await manager.stopAll(1000); manager.dispose(); });
    return { manager, sessions, logs };
  }

  it('waits for a sign-in instead of failing; Sign In runs the flow and the server runs', async () => {
    const secrets = new MemorySecretStore();
    const { manager, sessions, logs } = setup(secrets);
    await manager.reconcile([remote(fx.url)]);
    const state = manager.state('secured');
    assert.equal(state?.kind, 'error');
    assert.ok(state?.kind === 'error' && state.signIn, `a sign-in state, not a failure: ${JSON.stringify(state)}`);
    assert.doesNotMatch(fx.stderr(), /authorize client=/, 'nobody was sent to the sign-in page unasked');

    const said: string[] = [];
    assert.equal(await sessions.get('secured')!.signIn(new ApprovingBrowser((l) => said.push(l))), true);
    assert.match(said.join('\n'), /signs in to secured/);
    assert.match(fx.stderr(), /authorize client=\S+ scopes=mcp:tools resource=http:\/\/127\.0\.0\.1:\d+\/mcp/, 'PKCE flow with scope and resource indicator');
    await manager.restart('secured');
    await waitForState(manager, 'secured', 'running');
    const result = await manager.connection('secured')!.client!.callTool({ name: 'echo', arguments: { text: 'signed in' } });
    assert.deepEqual((result.content as { text: string }[]).map((c) => c.text), ['signed in']);
    assert.match(fx.stderr(), /authorized POST \/mcp/);

    const record = JSON.parse((await secrets.get(oauthRecordKey(fx.url)))!) as { tokens: { access_token: string } };
    const token = record.tokens.access_token;
    assert.ok(token.length > 10);
    const ours = [...logs.values()].flatMap((l) => l.lines).join('\n');
    assert.match(ours, /trace ▶ .*tools\/call/, 'the traces were on');
    assert.ok(!ours.includes(token), 'the access token is in no log or trace line');
    assert.ok(!fx.stderr().includes(token), 'nor in the fixture\'s');
  });

  it('the tokens outlive the window; Sign Out forgets them and the server waits for a sign-in again', async () => {
    const secrets = new MemorySecretStore();
    const first = setup(secrets, new ApprovingBrowser(() => undefined));
    await first.manager.reconcile([remote(fx.url)]);
    assert.equal(first.manager.state('secured')?.kind, 'running', 'a host that can reach the browser signs in while starting');
    await first.manager.stopAll(1000);

    const second = setup(secrets);
    await second.manager.reconcile([remote(fx.url)]);
    assert.equal(second.manager.state('secured')?.kind, 'running', JSON.stringify(second.manager.state('secured')));
    assert.equal(fx.stderr().match(/authorize client=/g)?.length, 1, 'one sign-in in all');

    await second.sessions.get('secured')!.signOut();
    assert.equal(await secrets.get(oauthRecordKey(fx.url)), undefined);
    await second.manager.restart('secured');
    const state = second.manager.state('secured');
    assert.ok(state?.kind === 'error' && state.signIn, JSON.stringify(state));
  });
});
