// DPoP (RFC 9449) against a real authorization + resource server that require DPoP-bound tokens
// and check proofs with jose (test/fixtures/oauth.ts, FIXTURE_DPOP=1): the sign-in binds the
// token to the server's key pair, both servers' nonce challenges are met, every request carries
// a proof; the key outlives the window; and the token is useless to anyone without the key.
import assert from 'node:assert/strict';
import { ServerOAuthProvider, oauthRecordKey } from '../../src/client/auth/oauthProvider';
import { OAuthSession } from '../../src/client/auth/oauthSession';
import { DpopKey } from '../../src/client/auth/dpop';
import { MemorySecretStore } from '../../src/client/auth/types';
import { ApprovingBrowser } from '../../src/cli/conformanceUser';
import type { DesiredServer, ManagerOptions } from '../../src/client/manager';
import { startHttpFixture, type HttpFixture } from '../fixtures/spawn';
import { testManager } from './helpers';

const remote = (url: string): DesiredServer => ({
  name: 'bound', sourceKind: 'user', config: { type: 'http', url, headers: {}, oauth: { dpop: true }, startupTimeoutMs: 20_000 },
});

describe('DPoP-bound tokens (real authorization and resource server on 127.0.0.1)', function () {
  this.timeout(40_000);
  const stops: (() => Promise<void> | void)[] = [];
  afterEach(async () => { for (const s of stops.splice(0).reverse()) await s(); });
  let fx: HttpFixture;
  beforeEach(async () => {
    fx = await startHttpFixture('oauth', [], { env: { ...process.env, FIXTURE_DPOP: '1' } });
    stops.push(() => fx.stop());
  });

  function start(secrets: MemorySecretStore) {
    const oauth: ManagerOptions['oauth'] = (def) => def.config.type === 'stdio' ? undefined
      : new OAuthSession(def.name, new ServerOAuthProvider(def.config.url, def.config.oauth ?? {}, secrets), { agent: new ApprovingBrowser(() => undefined) });
    const { manager } = testManager(undefined, undefined, { oauth });
    stops.push(async () => { await manager.stopAll(1000); manager.dispose(); });
    return manager;
  }

  it('signs in with a proof-bound token, meets both nonce challenges, and proves the key on every request', async () => {
    const secrets = new MemorySecretStore();
    const manager = start(secrets);
    await manager.reconcile([remote(fx.url)]);
    assert.equal(manager.state('bound')?.kind, 'running', `${JSON.stringify(manager.state('bound'))}\n${fx.stderr()}`);
    const result = await manager.connection('bound')!.client!.callTool({ name: 'echo', arguments: { text: 'bound' } });
    assert.deepEqual((result.content as { text: string }[]).map((c) => c.text), ['bound']);
    const log = fx.stderr();
    assert.match(log, /token: DPoP nonce required/, 'the authorization server asked for its nonce');
    assert.match(log, /token: bound to key \S+/);
    assert.match(log, /refused POST \/mcp: DPoP nonce required/, 'the resource server asked for its own');
    assert.ok((log.match(/authorized (POST|GET) \/mcp \(DPoP\)/g) ?? []).length >= 3, 'handshake, listing and the call all proved the key');
    assert.doesNotMatch(log, /bad proof|another key|invalid_dpop_proof/);

    const record = JSON.parse((await secrets.get(oauthRecordKey(fx.url)))!) as { dpopKey: { d?: string; kty: string }; tokens: { token_type: string } };
    assert.equal(record.tokens.token_type, 'DPoP');
    assert.equal(record.dpopKey.kty, 'EC');
    assert.ok(record.dpopKey.d, 'the private key lives in the secret store, with the tokens');
  });

  it('the key outlives the window; the token alone, or with another key, is refused', async () => {
    const secrets = new MemorySecretStore();
    const first = start(secrets);
    await first.reconcile([remote(fx.url)]);
    await first.stopAll(1000);
    const second = start(secrets);
    await second.reconcile([remote(fx.url)]);
    assert.equal(second.state('bound')?.kind, 'running', JSON.stringify(second.state('bound')));
    assert.equal(fx.stderr().match(/authorize client=/g)?.length, 1, 'no second sign-in: the stored key still matches the token');

    const { tokens } = JSON.parse((await secrets.get(oauthRecordKey(fx.url)))!) as { tokens: { access_token: string } };
    const init = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'thief', version: '1' } } };
    const post = (headers: Record<string, string>) => fetch(fx.url, {
      method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers }, body: JSON.stringify(init),
    });
    assert.equal((await post({ authorization: `Bearer ${tokens.access_token}` })).status, 401);
    assert.match(fx.stderr(), /a DPoP-bound token sent as a bearer token/);
    const { key: other } = await DpopKey.create();
    const nonce = (await post({ authorization: `DPoP ${tokens.access_token}`, dpop: await other.proof('POST', fx.url, tokens.access_token) })).headers.get('dpop-nonce');
    other.setNonce(fx.url, nonce);
    assert.equal((await post({ authorization: `DPoP ${tokens.access_token}`, dpop: await other.proof('POST', fx.url, tokens.access_token) })).status, 401);
    assert.match(fx.stderr(), /signed by another key than the token is bound to/);
  });
});
