import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { rootCertificates } from 'node:tls';
import { ConnectionError } from '../../src/client/connectionError';
import { certificateError, trustedCertificates } from '../../src/client/tls';

const url = new URL('https://mcp.test:8443/mcp');
const failure = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('client/tls', () => {
  it('says what to configure for an untrusted chain, with and without tls.ca', () => {
    const e = failure('UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate');
    const bare = certificateError(e, url, undefined);
    assert.ok(bare instanceof ConnectionError);
    assert.equal(bare.message, 'the TLS certificate of mcp.test:8443 is not trusted (unable to verify the first certificate, UNABLE_TO_VERIFY_LEAF_SIGNATURE); '
      + 'if a private certificate authority signed it, set "tls": { "ca": "<that CA\'s PEM file>" } for this server');
    assert.match(certificateError(failure('SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain'), url, '/etc/ca.pem')!.message,
      /is not trusted \(self-signed certificate in certificate chain, SELF_SIGNED_CERT_IN_CHAIN\); neither the usual authorities nor the CA file "\/etc\/ca.pem" \(tls.ca\) signed it$/);
  });

  it('names an expired certificate and one for another host', () => {
    assert.match(certificateError(failure('CERT_HAS_EXPIRED', 'certificate has expired'), url, undefined)!.message, /^the TLS certificate of mcp.test:8443 is not valid now \(certificate has expired, CERT_HAS_EXPIRED\)/);
    const altname = failure('ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames: Host: mcp.test. is not in the cert's altnames: DNS:localhost");
    assert.match(certificateError(altname, url, undefined)!.message, /is not for that name \(Hostname\/IP does not match/);
  });

  it('leaves every other error alone', () => {
    assert.equal(certificateError(failure('ECONNREFUSED', 'connect ECONNREFUSED'), url, undefined), undefined);
    assert.equal(certificateError(new Error('no code'), url, undefined), undefined);
    assert.equal(certificateError(undefined, url, undefined), undefined);
  });

  it('reads a CA file into the usual roots plus its own, and names a file it cannot use', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-tls-'));
    try {
      // Any real certificate will do for reading; Node ships the public roots as PEM.
      const bundle = path.join(dir, 'bundle.pem');
      fs.writeFileSync(bundle, `# two of them\n${rootCertificates[0]}\n${rootCertificates[1]}\n`);
      const trusted = await trustedCertificates(bundle);
      assert.equal(trusted.length, rootCertificates.length + 2);
      assert.deepEqual(trusted.slice(-2), [rootCertificates[0], rootCertificates[1]]);

      await assert.rejects(trustedCertificates(path.join(dir, 'none.pem')), (e: Error) => e instanceof ConnectionError && /^could not read the CA file ".*none\.pem" \(tls\.ca\): ENOENT/.test(e.message));
      fs.writeFileSync(path.join(dir, 'key.pem'), '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n');
      await assert.rejects(trustedCertificates(path.join(dir, 'key.pem')), /holds no PEM certificate/);
      fs.writeFileSync(path.join(dir, 'bad.pem'), `${rootCertificates[0]}\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n`);
      await assert.rejects(trustedCertificates(path.join(dir, 'bad.pem')), /^Error: certificate 2 in the CA file ".*bad\.pem" \(tls\.ca\) cannot be read: /);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
