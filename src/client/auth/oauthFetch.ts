/**
 * The `fetch` the SDK's OAuth flow (discovery, registration, tokens) runs on. A server chooses
 * what it fetches (the `resource_metadata` of its 401, the authorization server its metadata
 * names, the endpoints that one lists), so every request is held to the URL policy
 * (common/urlPolicy.ts): a web URL on the server's origin or its authorization server's, on an
 * address the server could reach anyway. The address is checked as the socket connects, so a
 * name that resolves elsewhere the second time gets no further. Each answer is capped in size and
 * must arrive whole within a deadline; it is small (JSON metadata, a token) or it is hostile.
 *
 * On node:http(s), trusting what the server's connection trusts (`tls.ca`). Redirects are not
 * followed: the SDK follows same-origin ones itself, through this fetch again.
 */
import * as dns from 'node:dns';
import * as http from 'node:http';
import * as https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { OAuthDiscoveryState } from '@modelcontextprotocol/sdk/client/auth.js';
import { addressAllowed, addressKind, fetchUrlProblem, isLoopbackHost, webUrlProblem, type AddressKind } from '../../common/urlPolicy';
import { readBody } from '../httpReads';

/** Metadata, a registration, a token: a few KB each. */
export const MAX_OAUTH_BODY_BYTES = 1024 * 1024;
/** One request of the flow, from connecting to the last byte of its answer. */
export const OAUTH_FETCH_DEADLINE_MS = 30_000;

/** What one server's OAuth flow may fetch: the origins it has learnt and the address kinds the server is on. */
export class OAuthFetchPolicy {
  private readonly _origins: Set<string>;
  private _serverKinds?: Promise<AddressKind[]>;

  constructor(readonly serverUrl: URL, known?: OAuthDiscoveryState) {
    this._origins = new Set([serverUrl.origin]);
    if (known) {
      this._allow(known.authorizationServerUrl);
      this._learnEndpoints(known.authorizationServerMetadata);
    }
  }

  /** Why `url` must not be fetched, or undefined. */
  problem(url: URL): string | undefined {
    return fetchUrlProblem(url, this._origins);
  }

  /**
   * Learns from an answer: the server's protected resource metadata names its authorization
   * servers; an authorization server's metadata names its endpoints.
   */
  learn(from: URL, body: unknown): void {
    if (typeof body !== 'object' || body === null) return;
    const doc = body as { authorization_servers?: unknown };
    if (from.origin === this.serverUrl.origin && Array.isArray(doc.authorization_servers)) {
      for (const as of doc.authorization_servers) this._allow(as);
    }
    this._learnEndpoints(body);
  }

  /** The kinds of address the server itself is on, looked up once. */
  serverKinds(): Promise<AddressKind[]> {
    this._serverKinds ??= lookupKinds(this.serverUrl.hostname);
    return this._serverKinds;
  }

  private _learnEndpoints(metadata: unknown): void {
    if (typeof metadata !== 'object' || metadata === null) return;
    const m = metadata as Record<string, unknown>;
    if (!this._origins.has(parseUrl(m.issuer)?.origin ?? '')) return;
    for (const key of ['token_endpoint', 'registration_endpoint']) this._allow(m[key]);
  }

  private _allow(url: unknown): void {
    const parsed = parseUrl(url);
    if (parsed && !webUrlProblem(parsed)) this._origins.add(parsed.origin);
  }
}

function parseUrl(url: unknown): URL | undefined {
  if (typeof url !== 'string') return undefined;
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

async function lookupKinds(hostname: string): Promise<AddressKind[]> {
  if (isIP(hostname.replace(/^\[|\]$/g, ''))) return [addressKind(hostname)];
  if (isLoopbackHost(hostname)) return ['loopback'];
  try {
    return [...new Set((await dns.promises.lookup(hostname, { all: true })).map((a) => addressKind(a.address)))];
  } catch {
    return ['public'];
  }
}

/** A DNS lookup that fails for addresses `allowed` refuses, so the socket never connects to them. */
function guardedLookup(allowed: (address: string) => boolean): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const refused = addresses.find((a) => !allowed(a.address));
      if (refused) return callback(Object.assign(new Error(`${hostname} resolves to ${refused.address}, which the server may not send us to`), { code: 'EADDRREFUSED' }), '', 0);
      if (options.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/** A fetch for `policy`'s server, trusting `ca` (with Node's roots) when given. */
export function oauthFetch(policy: OAuthFetchPolicy, ca?: string[]): FetchLike {
  return async (input, init = {}) => {
    const url = new URL(String(input));
    const problem = policy.problem(url);
    if (problem) throw new Error(`not fetching ${url.href} for the sign-in: ${problem}`);
    const serverKinds = await policy.serverKinds();
    const allowed = (address: string) => addressAllowed(addressKind(address), serverKinds);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) && !allowed(host)) throw new Error(`not fetching ${url.href} for the sign-in: the server may not send us to ${host}`);
    const headers = Object.fromEntries(new Headers(init.headers).entries());
    const body = init.body === undefined || init.body === null ? undefined : String(init.body);
    const secure = url.protocol === 'https:';
    const started = Date.now();
    const what = `the answer from ${url.origin}${url.pathname}`;
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = (secure ? https : http).request(url, {
        method: init.method ?? 'GET', headers, lookup: guardedLookup(allowed), ...(secure && ca ? { ca } : {}),
      }, (r) => { clearTimeout(timer); resolve(r); });
      const timer = setTimeout(() => req.destroy(new Error(`no answer from ${url.origin} within ${OAUTH_FETCH_DEADLINE_MS / 1000} s`)), OAUTH_FETCH_DEADLINE_MS);
      req.once('error', (e) => { clearTimeout(timer); reject(e); });
      req.end(body);
    });
    const data = await readBody(res, { maxBytes: MAX_OAUTH_BODY_BYTES, deadlineMs: Math.max(1, OAUTH_FETCH_DEADLINE_MS - (Date.now() - started)), what });
    const status = res.statusCode ?? 0;
    if (status >= 200 && status < 300 && data.length) {
      try { policy.learn(url, JSON.parse(data.toString('utf8'))); } catch { /* not JSON: the SDK says so */ }
    }
    const out = new Headers();
    for (const [k, v] of Object.entries(res.headers)) for (const x of [v ?? []].flat()) out.append(k, x);
    return new Response([101, 204, 205, 304].includes(status) ? null : data, { status, headers: out });
  };
}
