// The OAuth flow's fetch: what it learns from the answers (the authorization servers the
// server's metadata names, the endpoints theirs names), and that it never connects where the
// server may not send it, whether the address is written out or a name resolves to it.
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { OAuthFetchPolicy, oauthFetch } from '../../src/client/auth/oauthFetch';

describe('client/auth: the OAuth flow\'s fetch', () => {
  it('starts on the server\'s origin and learns its authorization server, then that one\'s endpoints', () => {
    const policy = new OAuthFetchPolicy(new URL('https://mcp.example.com/mcp'));
    const as = new URL('https://login.example.org/.well-known/oauth-authorization-server');
    assert.equal(policy.problem(new URL('https://mcp.example.com/.well-known/oauth-protected-resource/mcp')), undefined);
    assert.match(policy.problem(as)!, /neither the server's origin/);
    // Only the server's own metadata names authorization servers.
    policy.learn(new URL('https://elsewhere.example.net/x'), { authorization_servers: ['https://login.example.org'] });
    assert.ok(policy.problem(as));
    policy.learn(new URL('https://mcp.example.com/.well-known/oauth-protected-resource/mcp'), { authorization_servers: ['https://login.example.org', 'file:///x', 'http://plain.example.org'] });
    assert.equal(policy.problem(as), undefined);
    assert.match(policy.problem(new URL('http://plain.example.org/'))!, /plain http/);
    policy.learn(as, { issuer: 'https://login.example.org', token_endpoint: 'https://tokens.example.org/token', registration_endpoint: 'https://login.example.org/reg' });
    assert.equal(policy.problem(new URL('https://tokens.example.org/token')), undefined);
    // Endpoints count only from an authorization server already known.
    policy.learn(new URL('https://tokens.example.org/x'), { issuer: 'https://rogue.example.org', token_endpoint: 'https://rogue.example.org/t' });
    assert.ok(policy.problem(new URL('https://rogue.example.org/t')));
  });

  it('starts from a discovery already made', () => {
    const policy = new OAuthFetchPolicy(new URL('https://mcp.example.com/mcp'), {
      authorizationServerUrl: 'https://login.example.org/tenant',
      authorizationServerMetadata: { issuer: 'https://login.example.org/tenant', token_endpoint: 'https://login.example.org/t', authorization_endpoint: 'https://login.example.org/a', response_types_supported: ['code'] },
    });
    assert.equal(policy.problem(new URL('https://login.example.org/t')), undefined);
  });

  describe('on a server with a public address', () => {
    let hits = 0;
    let other: http.Server;
    let port = 0;
    before(async () => {
      other = http.createServer((_req, res) => { hits++; res.end('{}'); });
      await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
      port = (other.address() as AddressInfo).port;
    });
    after(() => other.close());

    for (const host of ['127.0.0.1', 'localhost']) {
      it(`never connects to this machine (${host})`, async () => {
        const policy = new OAuthFetchPolicy(new URL('https://93.184.215.14/mcp'));
        // Its metadata may name an authorization server on this machine; the address still says no.
        policy.learn(new URL('https://93.184.215.14/.well-known/oauth-protected-resource'), { authorization_servers: [`http://${host}:${port}`] });
        await assert.rejects(oauthFetch(policy)(`http://${host}:${port}/.well-known/oauth-authorization-server`), /(127\.0\.0\.1|::1).*may not send us|may not send us to 127\.0\.0\.1/);
        assert.equal(hits, 0);
      });
    }
  });
});
