/**
 * A private certificate authority and a server certificate for 127.0.0.1 and localhost, made at
 * test time with the `openssl` command (Node can read certificates but not issue them). EC
 * P-256 keys, valid for two days: enough for a run, useless if one leaks.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const OPENSSL = '/usr/bin/openssl';

export interface TestCa {
  /** The CA's certificate (PEM): what a client must trust. */
  caFile: string;
  /** The server's certificate and key (PEM), signed by the CA. */
  certFile: string;
  keyFile: string;
}

const openssl = (dir: string, args: string[]) => run(OPENSSL, args, { cwd: dir });
const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

/** Writes ca.pem, server.pem and server.key into `dir`. */
export async function makeTestCa(dir: string, name = 'Switchboard test CA'): Promise<TestCa> {
  fs.mkdirSync(dir, { recursive: true });
  await openssl(dir, ['req', '-x509', '-new', ...newKey, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', `/CN=${name}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  await openssl(dir, ['req', '-new', ...newKey, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost']);
  // The name checks read subjectAltName only; the CN above is for people reading the certificate.
  fs.writeFileSync(path.join(dir, 'server.ext'), [
    'subjectAltName=DNS:localhost,IP:127.0.0.1', 'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature', 'extendedKeyUsage=serverAuth',
  ].join('\n') + '\n');
  const serial = `0x${Date.now().toString(16)}`;
  await openssl(dir, ['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', serial, '-days', '2',
    '-extfile', 'server.ext', '-out', 'server.pem']);
  return { caFile: path.join(dir, 'ca.pem'), certFile: path.join(dir, 'server.pem'), keyFile: path.join(dir, 'server.key') };
}
