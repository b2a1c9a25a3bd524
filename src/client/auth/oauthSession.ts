/**
 * One remote server's OAuth, as the HTTP layer meets it: a bearer header on every request, and a
 * sign-in when the server answers 401 (no or expired token) or 403 `insufficient_scope` (step-up).
 * The flow is the SDK's `auth()` run twice around the browser: first it discovers, registers and
 * builds the authorization URL (or refreshes silently, or, for client credentials, simply gets a
 * token); then, with the code our loopback listener received, it exchanges it for tokens.
 *
 * With DPoP on, tokens are bound to the server's key pair (dpop.ts): proofs go with the token
 * requests and every request to the server, and a `use_dpop_nonce` challenge is met by sending
 * the request again with the server's nonce.
 *
 * Only one sign-in runs at a time per server: concurrent requests that hit the same 401 wait for
 * it. A step-up for a scope already stepped up to is not tried again, so a server that keeps
 * asking for more cannot keep the user in a loop of browser tabs.
 */
import { auth, extractWWWAuthenticateParams } from '@modelcontextprotocol/sdk/client/auth.js';
import { openableUrlProblem } from '../../common/urlPolicy';
import { LoopbackRedirect, type RedirectResult } from './loopbackRedirect';
import { OAuthFetchPolicy, oauthFetch } from './oauthFetch';
import type { ServerOAuthProvider } from './oauthProvider';
import { SignInRequiredError, type AuthChallenge, type AuthorizationAgent, type ConnectionTrust, type HttpAuth } from './types';

const SIGN_IN_TIMEOUT_MS = 5 * 60_000;

export interface OAuthSessionOptions {
  /** Reaches the user's browser; absent means nobody can be sent there (a sign-in is then reported as required). */
  agent?: AuthorizationAgent;
  signInTimeoutMs?: number;
}

export class OAuthSession implements HttpAuth {
  private _flow?: Promise<boolean>;
  private readonly _steppedUp = new Set<string>();
  private _trust: ConnectionTrust = {};

  constructor(readonly server: string, readonly provider: ServerOAuthProvider, private readonly _opts: OAuthSessionOptions = {}) {}

  async headers(method: string, url: URL): Promise<Record<string, string>> {
    const tokens = await this.provider.tokens();
    if (!tokens?.access_token) return {};
    const key = tokens.token_type?.toLowerCase() === 'dpop' ? await this.provider.dpopKey() : undefined;
    if (!key) return { authorization: `Bearer ${tokens.access_token}` };
    return { authorization: `DPoP ${tokens.access_token}`, dpop: await key.proof(method, url, tokens.access_token) };
  }

  async challenge(status: number, { wwwAuthenticate, dpopNonce }: AuthChallenge, trust: ConnectionTrust): Promise<boolean> {
    this._trust = trust;
    const key = await this.provider.dpopKey();
    // A DPoP server that wants a nonce in the proof: no new sign-in, the same request with it.
    if (key && dpopNonce && /error="?use_dpop_nonce/.test(wwwAuthenticate ?? '')) {
      key.setNonce(this.provider.serverUrl, dpopNonce);
      return true;
    }
    // The SDK reads Bearer challenges; a DPoP one has the same parameters.
    const header = wwwAuthenticate?.replace(/^\s*DPoP\s/i, 'Bearer ');
    const params = header ? extractWWWAuthenticateParams(new Response(null, { headers: { 'www-authenticate': header } })) : {};
    const metadataUrl = params.resourceMetadataUrl;
    const serverOrigin = new URL(this.provider.serverUrl).origin;
    if (metadataUrl && metadataUrl.origin !== serverOrigin) {
      throw new Error(`the server "${this.server}" named its OAuth metadata at ${metadataUrl.origin}, not on its own origin (${serverOrigin}); not fetched`);
    }
    let stepUp = false;
    if (status === 403) {
      if (params.error !== 'insufficient_scope') return false;
      const wanted = params.scope ?? '';
      if (this._steppedUp.has(wanted)) return false;
      this._steppedUp.add(wanted);
      stepUp = true;
    }
    return this._run(() => this._signIn(this._opts.agent, metadataUrl, params.scope, stepUp));
  }

  /**
   * The user's own "Sign In": the whole flow with `agent` (the browser), before the server is
   * started again; discovery starts from the server URL's well-known metadata.
   */
  signIn(agent: AuthorizationAgent, signal?: AbortSignal): Promise<boolean> {
    return this._run(() => this._signIn(agent, undefined, undefined, false, signal));
  }

  /** Forgets the tokens and the registration ("Sign Out of Server"). */
  async signOut(): Promise<void> {
    this._steppedUp.clear();
    await this.provider.signOut();
  }

  private _run(flow: () => Promise<boolean>): Promise<boolean> {
    this._flow ??= flow().finally(() => { this._flow = undefined; });
    return this._flow;
  }

  private async _signIn(
    agent: AuthorizationAgent | undefined, resourceMetadataUrl: URL | undefined, scope: string | undefined, stepUp: boolean,
    signal?: AbortSignal,
  ): Promise<boolean> {
    const { provider } = this;
    // Trusting what the connection trusts (its tls.ca, from the challenge that led here), and
    // fetching only where the server and its authorization server are (oauthFetch.ts).
    const baseFetch = oauthFetch(new OAuthFetchPolicy(new URL(provider.serverUrl), await provider.discoveryState()), this._trust.ca);
    // With DPoP, the token requests carry proofs (and meet the authorization server's nonce).
    const key = await provider.dpopKey();
    const fetchFn = key ? key.wrapFetch(baseFetch) : baseFetch;
    // A refresh would only renew the scope we have; more scope takes a new authorization.
    if (stepUp) await provider.invalidateCredentials('tokens');
    const loopback = provider.nonInteractive ? undefined : new LoopbackRedirect();
    let redirected: Promise<RedirectResult> | undefined;
    // Cancelling closes the listener, which fails the wait for the browser.
    const onAbort = () => loopback?.close();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      if (loopback) {
        provider.setRedirectUri(await loopback.start(await provider.redirectPort()));
        await provider.saveRedirectPort(loopback.port!);
      }
      provider.onRedirect = async (url, state) => {
        const problem = openableUrlProblem(url.href);
        if (problem) throw new Error(`the sign-in page of "${this.server}" cannot be opened (${url.href}): ${problem}`);
        if (!agent || !loopback) throw new SignInRequiredError(this.server);
        redirected = loopback.waitForCode(state ?? '', this._opts.signInTimeoutMs ?? SIGN_IN_TIMEOUT_MS);
        redirected.catch(() => undefined);
        await agent.open(url, this.server);
      };
      const options = { serverUrl: provider.serverUrl, resourceMetadataUrl, scope, fetchFn };
      let result = await auth(provider, options);
      if (result === 'REDIRECT') {
        if (!redirected) throw new Error('the sign-in did not start');
        const { code } = await redirected;
        result = await auth(provider, { ...options, authorizationCode: code });
      }
      return result === 'AUTHORIZED';
    } finally {
      signal?.removeEventListener('abort', onAbort);
      provider.onRedirect = undefined;
      loopback?.close();
    }
  }
}
