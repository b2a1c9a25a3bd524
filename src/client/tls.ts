/**
 * Trusting an https:// server's certificate by configuration: the `tls.ca` file is read and
 * checked when a connection opens, and a certificate that fails verification becomes a message
 * saying what to configure. Verification is never turned off; `ca` only adds authorities.
 */
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { rootCertificates } from 'node:tls';
import { errorMessage } from '../common/async';
import { ConnectionError } from './connectionError';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * The certificates to trust for a server whose `tls.ca` names `file`: Node's usual roots plus the
 * file's (a private CA is usually added to the public ones, not put in their place). Node takes
 * a `ca` that is not a certificate without a word and then trusts nothing, so each one is parsed
 * here, to fail with the file's name instead of a puzzling verification error later.
 */
export async function trustedCertificates(file: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new ConnectionError(`could not read the CA file "${file}" (tls.ca): ${errorMessage(e)}`);
  }
  const pems = text.match(PEM_CERTIFICATE) ?? [];
  if (pems.length === 0) throw new ConnectionError(`the CA file "${file}" (tls.ca) holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  for (const [i, pem] of pems.entries()) {
    try {
      new X509Certificate(pem);
    } catch (e) {
      throw new ConnectionError(`certificate ${i + 1} in the CA file "${file}" (tls.ca) cannot be read: ${errorMessage(e)}`);
    }
  }
  return [...rootCertificates, ...pems];
}

/** OpenSSL's verification results that mean "this chain is not trusted". */
const UNTRUSTED = new Set([
  'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'CERT_UNTRUSTED', 'CERT_SIGNATURE_FAILURE',
]);
const EXPIRED = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);

/**
 * A ConnectionError for a certificate `url`'s server presented that failed verification, or
 * undefined when `e` is something else. `caFile` is the configured `tls.ca`, if any.
 */
export function certificateError(e: unknown, url: URL, caFile: string | undefined): ConnectionError | undefined {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (typeof code !== 'string') return undefined;
  const reason = `${errorMessage(e)}, ${code}`;
  const who = `the TLS certificate of ${url.host}`;
  if (UNTRUSTED.has(code)) {
    const advice = caFile === undefined
      ? 'if a private certificate authority signed it, set "tls": { "ca": "<that CA\'s PEM file>" } for this server'
      : `neither the usual authorities nor the CA file "${caFile}" (tls.ca) signed it`;
    return new ConnectionError(`${who} is not trusted (${reason}); ${advice}`);
  }
  if (EXPIRED.has(code)) return new ConnectionError(`${who} is not valid now (${reason}); the server must renew it`);
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return new ConnectionError(`${who} is not for that name (${reason}); use a URL with a name the certificate lists`);
  }
  return undefined;
}
