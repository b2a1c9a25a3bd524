// The OAuth pieces that are ours (the SDK's auth() runs the flow itself; the conformance stage
// drives it end to end against the suite's authorization servers): the loopback redirect
// listener, and what the provider keeps where.
import assert from 'node:assert/strict';
import { LoopbackRedirect } from '../../src/client/auth/loopbackRedirect';
import { ServerOAuthProvider, oauthRecordKey } from '../../src/client/auth/oauthProvider';
import { MemorySecretStore } from '../../src/client/auth/types';

describe('client/auth: loopback redirect', () => {
  let loopback: LoopbackRedirect;
  beforeEach(() => { loopback = new LoopbackRedirect(); });
  afterEach(() => loopback.close());

  it('listens on 127.0.0.1 only and hands over the code for its own state', async () => {
    const uri = await loopback.start();
    assert.match(uri, /^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    const code = loopback.waitForCode('s1', 5000);
    const page = await fetch(`${uri}?code=abc&state=s1`);
    assert.equal(page.status, 200);
    assert.deepEqual(await code, { code: 'abc' });
  });

  it('refuses a redirect with another state (a forged one) and keeps waiting for the real one', async () => {
    const uri = await loopback.start();
    const code = loopback.waitForCode('mine', 5000);
    assert.equal((await fetch(`${uri}?code=evil&state=theirs`)).status, 400);
    assert.equal((await fetch(`${uri.replace('/callback', '/other')}?code=x&state=mine`)).status, 404);
    await fetch(`${uri}?code=good&state=mine`);
    assert.deepEqual(await code, { code: 'good' });
  });

  it('rejects with the authorization server\'s error, and on time-out', async () => {
    const uri = await loopback.start();
    const denied = assert.rejects(loopback.waitForCode('s', 5000), /access_denied: nope/);
    await fetch(`${uri}?error=access_denied&error_description=nope&state=s`);
    await denied;
    await assert.rejects(loopback.waitForCode('t', 20), /no answer from the sign-in page/);
  });

  it('takes the port it is asked for when free, another one when not', async () => {
    await loopback.start();
    const port = loopback.port!;
    const other = new LoopbackRedirect();
    try {
      await other.start(port);
      assert.notEqual(other.port, port);
    } finally { other.close(); }
    loopback.close();
    const again = new LoopbackRedirect();
    try {
      await again.start(port);
      assert.equal(again.port, port);
    } finally { again.close(); }
  });
});

describe('client/auth: provider storage', () => {
  const url = 'https://mcp.example.com/mcp';

  it('keeps registration and tokens in the secret store, under a hashed key', async () => {
    const secrets = new MemorySecretStore();
    const p = new ServerOAuthProvider(url, {}, secrets);
    await p.saveClientInformation({ client_id: 'dyn', client_secret: 's3cret' });
    await p.saveTokens({ access_token: 'at', token_type: 'Bearer', refresh_token: 'rt' });
    const key = oauthRecordKey(url);
    assert.ok(!key.includes('example'), 'the URL is not readable from the key');
    const stored = JSON.parse((await secrets.get(key))!) as Record<string, unknown>;
    assert.deepEqual(stored.tokens, { access_token: 'at', token_type: 'Bearer', refresh_token: 'rt' });
    // A fresh provider (a new window) reads them back.
    const q = new ServerOAuthProvider(url, {}, secrets);
    assert.equal((await q.tokens())?.access_token, 'at');
    assert.equal((await q.clientInformation())?.client_id, 'dyn');
    await q.signOut();
    assert.equal(await secrets.get(key), undefined);
    assert.equal(await q.tokens(), undefined);
  });

  it('a pre-registered client comes from the settings, and its secret is not copied into the record', async () => {
    const secrets = new MemorySecretStore();
    const p = new ServerOAuthProvider(url, { clientId: 'pre', clientSecret: 'from-input' }, secrets);
    assert.deepEqual(await p.clientInformation(), { client_id: 'pre', client_secret: 'from-input' });
    await p.saveClientInformation({ client_id: 'pre', client_secret: 'from-input', issuer: 'https://as.example.com' } as never);
    assert.ok(!(await secrets.get(oauthRecordKey(url)))!.includes('from-input'));
    assert.equal((await p.clientInformation())?.client_secret, 'from-input');
  });

  it('a changed redirect port drops a dynamic registration (it names the old redirect URI)', async () => {
    const p = new ServerOAuthProvider(url, {}, new MemorySecretStore());
    await p.saveRedirectPort(40000);
    await p.saveClientInformation({ client_id: 'dyn' });
    await p.saveRedirectPort(40000);
    assert.equal((await p.clientInformation())?.client_id, 'dyn');
    await p.saveRedirectPort(40001);
    assert.equal(await p.clientInformation(), undefined);
  });

  it('declares itself by grant: browser flows with a redirect, machine grants without one', () => {
    const browser = new ServerOAuthProvider(url, {}, new MemorySecretStore());
    browser.setRedirectUri('http://127.0.0.1:5000/callback');
    assert.equal(browser.redirectUrl, 'http://127.0.0.1:5000/callback');
    assert.deepEqual(browser.clientMetadata.grant_types, ['authorization_code', 'refresh_token']);
    assert.equal(browser.clientMetadata.token_endpoint_auth_method, 'none');
    const machine = new ServerOAuthProvider(url, { grant: 'client_credentials', clientId: 'c', clientSecret: 's' }, new MemorySecretStore());
    machine.setRedirectUri('http://127.0.0.1:5000/callback');
    assert.equal(machine.redirectUrl, undefined);
    assert.deepEqual(machine.clientMetadata.grant_types, ['client_credentials']);
    assert.equal(machine.clientMetadata.token_endpoint_auth_method, 'client_secret_basic');
  });
});
