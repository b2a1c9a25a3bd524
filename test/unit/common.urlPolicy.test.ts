// Which URLs a server may make us open or fetch: web pages only (https, or http on this machine),
// fetches on the origins the OAuth flow has learnt, and addresses the server itself is on.
import assert from 'node:assert/strict';
import { addressAllowed, addressKind, fetchUrlProblem, isLoopbackHost, openableUrlProblem } from '../../src/common/urlPolicy';

describe('common/urlPolicy', () => {
  it('opens https anywhere and http on this machine only', () => {
    for (const ok of ['https://auth.example.com/authorize?x=1', 'http://127.0.0.1:8080/cb', 'http://localhost/x', 'http://[::1]:3000/', 'http://app.localhost/', 'http://127.5.6.7/']) {
      assert.equal(openableUrlProblem(ok), undefined, ok);
    }
    assert.match(openableUrlProblem('http://auth.example.com/')!, /plain http to auth\.example\.com is not allowed/);
    assert.match(openableUrlProblem('http://10.0.0.5/')!, /plain http/);
  });

  it('refuses every other scheme, and what is not a URL', () => {
    for (const [url, scheme] of [
      ['file:///etc/passwd', 'file:'], ['smb://host/share', 'smb:'], ['vscode://ms-vscode.x/run', 'vscode:'], ['ms-settings:privacy', 'ms-settings:'],
      ['javascript:alert(1)', 'javascript:'], ['data:text/html,hi', 'data:'], ['ftp://x/', 'ftp:'], ['HTTPS-evil:x', 'https-evil:'],
    ]) {
      assert.equal(openableUrlProblem(url), `the scheme ${scheme} is not allowed (only https, and http on this machine)`, url);
    }
    assert.equal(openableUrlProblem('http://['), 'it is not a valid URL');
    assert.equal(openableUrlProblem('/relative'), 'it is not a valid URL');
  });

  it('knows this machine by name and address, however written', () => {
    for (const h of ['localhost', 'LOCALHOST', 'localhost.', 'a.b.localhost', '127.0.0.1', '127.1.2.3', '[::1]', '::1', '0.0.0.0', '[::ffff:7f00:1]', '::ffff:127.0.0.1']) assert.ok(isLoopbackHost(h), h);
    for (const h of ['localhost.example.com', 'example.com', '128.0.0.1', '10.0.0.1', '[::2]', '[::ffff:a00:1]']) assert.ok(!isLoopbackHost(h), h);
  });

  it('sorts addresses into loopback, private, link-local and public', () => {
    const cases: [string, ReturnType<typeof addressKind>][] = [
      ['127.0.0.1', 'loopback'], ['0.0.0.0', 'loopback'], ['::1', 'loopback'], ['::', 'loopback'], ['::ffff:127.0.0.1', 'loopback'],
      ['10.1.2.3', 'private'], ['172.16.0.1', 'private'], ['172.31.255.255', 'private'], ['192.168.1.1', 'private'], ['100.64.0.1', 'private'],
      ['fd12:3456::1', 'private'], ['fc00::1', 'private'], ['224.0.0.1', 'private'], ['::ffff:10.0.0.1', 'private'], ['[::ffff:c0a8:101]', 'private'],
      ['169.254.169.254', 'link-local'], ['fe80::1', 'link-local'], ['febf::1', 'link-local'], ['::ffff:169.254.169.254', 'link-local'],
      ['8.8.8.8', 'public'], ['172.32.0.1', 'public'], ['172.15.0.1', 'public'], ['2606:4700::1111', 'public'], ['fec0::1', 'public'], ['example.com', 'public'],
    ];
    for (const [address, kind] of cases) assert.equal(addressKind(address), kind, address);
  });

  it('lets a server send us to public addresses, and to the others only where it is itself', () => {
    assert.ok(addressAllowed('public', ['public']));
    assert.ok(!addressAllowed('loopback', ['public']));
    assert.ok(!addressAllowed('private', ['public']));
    assert.ok(!addressAllowed('link-local', ['public']));
    assert.ok(addressAllowed('loopback', ['loopback']));
    assert.ok(!addressAllowed('link-local', ['loopback']), 'a server on this machine still may not send us to cloud metadata');
    assert.ok(addressAllowed('private', ['private', 'public']));
  });

  it('fetches web URLs on the learnt origins only', () => {
    const origins = new Set(['https://mcp.example.com', 'http://127.0.0.1:4000']);
    assert.equal(fetchUrlProblem(new URL('https://mcp.example.com/.well-known/oauth-protected-resource'), origins), undefined);
    assert.equal(fetchUrlProblem(new URL('http://127.0.0.1:4000/token'), origins), undefined);
    assert.match(fetchUrlProblem(new URL('http://127.0.0.1:4001/x'), origins)!, /http:\/\/127\.0\.0\.1:4001 is neither the server's origin nor its authorization server's/);
    assert.match(fetchUrlProblem(new URL('https://mcp.example.com:8443/x'), origins)!, /neither/);
    assert.match(fetchUrlProblem(new URL('http://mcp.example.com/x'), origins)!, /plain http/);
    assert.match(fetchUrlProblem(new URL('file:///etc/passwd'), origins)!, /scheme file:/);
  });
});
