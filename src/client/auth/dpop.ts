/**
 * DPoP (RFC 9449): tokens bound to a key pair only this client holds, so a token that leaks is
 * useless without the private key. Every token request and every request to the server carries a
 * fresh proof (a JWT signed with the key: method, URL, time, for the server also the token's
 * hash), and a server that wants a nonce in it says so once (`use_dpop_nonce`) and gets it.
 *
 * One ES256 key pair per server, kept (as a JWK) in the server's OAuth record in SecretStorage;
 * it outlives the window, as the tokens bound to it do. jose does the signing.
 */
import { createHash, randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';

const ALG = 'ES256';

/** `htu`: the URL without query and fragment (RFC 9449 §4.2). */
const htu = (url: URL | string): string => { const u = new URL(String(url)); return `${u.origin}${u.pathname}`; };

export class DpopKey {
  private _nonces = new Map<string, string>();

  private constructor(private readonly _private: CryptoKey, private readonly _publicJwk: JWK) {}

  static async create(): Promise<{ key: DpopKey; jwk: JWK }> {
    const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true });
    const jwk = await exportJWK(privateKey);
    return { key: new DpopKey(privateKey, publicJwk(await exportJWK(publicKey))), jwk };
  }

  static async fromJwk(jwk: JWK): Promise<DpopKey> {
    return new DpopKey(await importJWK(jwk, ALG) as CryptoKey, publicJwk(jwk));
  }

  /** A proof for one request; `accessToken` binds it to the token (`ath`) for requests to the server. */
  proof(method: string, url: URL | string, accessToken?: string): Promise<string> {
    const target = htu(url);
    const nonce = this._nonces.get(new URL(target).origin);
    return new SignJWT({
      htm: method.toUpperCase(), htu: target, jti: randomUUID(),
      ...(accessToken ? { ath: createHash('sha256').update(accessToken).digest('base64url') } : {}),
      ...(nonce ? { nonce } : {}),
    }).setProtectedHeader({ alg: ALG, typ: 'dpop+jwt', jwk: this._publicJwk }).setIssuedAt().sign(this._private);
  }

  /** Remembers the nonce a server (authorization or resource) asked for, per origin. */
  setNonce(url: URL | string, nonce: string | null | undefined): void {
    if (nonce) this._nonces.set(new URL(String(url)).origin, nonce);
  }

  /**
   * Wraps the OAuth flow's fetch: token requests get a proof, and one retry when the
   * authorization server answers `use_dpop_nonce` with its nonce (RFC 9449 §8).
   */
  wrapFetch(fetchFn: FetchLike): FetchLike {
    return async (input, init = {}) => {
      const isTokenRequest = (init.method ?? 'GET').toUpperCase() === 'POST' && /(^|&)grant_type=/.test(String(init.body ?? ''));
      if (!isTokenRequest) return fetchFn(input, init);
      const send = async () => {
        const headers = new Headers(init.headers);
        headers.set('dpop', await this.proof('POST', String(input)));
        return fetchFn(input, { ...init, headers });
      };
      let res = await send();
      this.setNonce(String(input), res.headers.get('dpop-nonce'));
      if (res.status === 400 && res.headers.get('dpop-nonce')) {
        const body = await res.clone().json().catch(() => ({})) as { error?: string };
        if (body.error === 'use_dpop_nonce') res = await send();
      }
      return res;
    };
  }
}

/** The public half of a JWK, as proofs carry it. */
function publicJwk(jwk: JWK): JWK {
  const { kty, crv, x, y } = jwk;
  return { kty, crv, x, y };
}
