/**
 * The SDK's OAuthClientProvider for one remote server: what `auth()` reads and saves, kept in a
 * SecretStore record per server URL (registration, tokens, discovery, the redirect port), never
 * in settings or logs. The PKCE verifier and the state stay in memory: they only live for one
 * sign-in.
 *
 * Client identity, in the order the SDK tries it: a pre-registered client from the settings; a
 * Client ID Metadata Document URL where the authorization server supports them; otherwise dynamic
 * registration, saved here. With `grant: client_credentials` there is no redirect at all, and the
 * client authenticates with its secret or a private-key JWT.
 */
import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../../common/hash';
import type { AddClientAuthentication, OAuthClientProvider, OAuthDiscoveryState } from '@modelcontextprotocol/sdk/client/auth.js';
import { createPrivateKeyJwtAuth } from '@modelcontextprotocol/sdk/client/auth-extensions.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { JWK } from 'jose';
import { DpopKey } from './dpop';
import type { OAuthSettings, SecretStore } from './types';

interface StoredRecord {
  /** The DPoP key pair (private JWK), when the server's settings ask for DPoP. */
  dpopKey?: JWK;
  client?: OAuthClientInformationMixed;
  tokens?: OAuthTokens;
  discovery?: OAuthDiscoveryState;
  redirectPort?: number;
}

const CLIENT_NAME = 'MCP Switchboard';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** The SecretStore key for a server URL's OAuth record (hashed: the URL may carry a path worth keeping private). */
export const oauthRecordKey = (serverUrl: string): string =>
  `switchboard.oauth/${sha256Hex(serverUrl).slice(0, 32)}`;

export class ServerOAuthProvider implements OAuthClientProvider {
  private _record?: StoredRecord;
  private _codeVerifier?: string;
  private _state?: string;
  private _redirectUri?: string;
  private _dpop?: Promise<DpopKey>;
  /** Receives the authorization URL `auth()` wants the user sent to. */
  onRedirect?: (url: URL, state: string | undefined) => Promise<void>;
  readonly addClientAuthentication?: AddClientAuthentication;

  constructor(
    readonly serverUrl: string,
    private readonly _settings: OAuthSettings,
    private readonly _secrets: SecretStore,
  ) {
    if (_settings.privateKeyPem && _settings.clientId) {
      this.addClientAuthentication = createPrivateKeyJwtAuth({
        issuer: _settings.clientId, subject: _settings.clientId, privateKey: _settings.privateKeyPem, alg: _settings.signingAlgorithm ?? 'ES256',
      });
    }
  }

  /** No browser: the grant is the client's own credentials or an assertion from the identity provider. */
  get nonInteractive(): boolean { return this._settings.grant === 'client_credentials' || this._settings.grant === 'cross_app'; }

  /** Set by the flow before each `auth()` that may redirect (the loopback listener's URI). */
  setRedirectUri(uri: string | undefined): void { this._redirectUri = uri; }

  get redirectUrl(): string | undefined { return this.nonInteractive ? undefined : this._redirectUri; }

  get clientMetadataUrl(): string | undefined { return this._settings.clientMetadataUrl; }

  get clientMetadata(): OAuthClientMetadata {
    const secret = !!this._settings.clientSecret;
    return {
      client_name: CLIENT_NAME,
      redirect_uris: this.redirectUrl ? [this.redirectUrl] : [],
      grant_types: this._settings.grant === 'cross_app' ? [JWT_BEARER] : this.nonInteractive ? ['client_credentials'] : ['authorization_code', 'refresh_token'],
      response_types: this.nonInteractive ? [] : ['code'],
      token_endpoint_auth_method: this._settings.privateKeyPem ? 'private_key_jwt' : secret ? 'client_secret_basic' : 'none',
      ...(this._settings.scopes?.length ? { scope: this._settings.scopes.join(' ') } : {}),
    };
  }

  state(): string {
    this._state = randomBytes(16).toString('base64url');
    return this._state;
  }

  get lastState(): string | undefined { return this._state; }

  async clientInformation(): Promise<OAuthClientInformationMixed | undefined> {
    const { clientId, clientSecret } = this._settings;
    const stored = (await this._load()).client;
    if (!clientId) return stored;
    // A pre-registered client: the stored copy only adds the issuer stamp the SDK put on it.
    return stored?.client_id === clientId ? { ...stored, client_secret: clientSecret } : { client_id: clientId, client_secret: clientSecret };
  }

  async saveClientInformation(info: OAuthClientInformationMixed): Promise<void> {
    // A pre-registered secret is the settings' to keep; the record holds the rest.
    const { client_secret: _secret, ...rest } = info;
    await this._update({ client: this._settings.clientId ? rest : info });
  }

  async tokens(): Promise<OAuthTokens | undefined> { return (await this._load()).tokens; }

  async saveTokens(tokens: OAuthTokens): Promise<void> { await this._update({ tokens }); }

  async redirectToAuthorization(url: URL): Promise<void> {
    if (!this.onRedirect) throw new Error('no way to open the sign-in page');
    await this.onRedirect(url, this._state);
  }

  saveCodeVerifier(verifier: string): void { this._codeVerifier = verifier; }

  codeVerifier(): string {
    if (!this._codeVerifier) throw new Error('no sign-in is in progress');
    return this._codeVerifier;
  }

  async prepareTokenRequest(scope?: string): Promise<URLSearchParams | undefined> {
    if (!this.nonInteractive) return undefined;
    const scoped: Record<string, string> = scope ? { scope } : {};
    if (this._settings.grant !== 'cross_app') return new URLSearchParams({ grant_type: 'client_credentials', ...scoped });
    return new URLSearchParams({ grant_type: JWT_BEARER, assertion: await this._identityAssertion(scope), ...scoped });
  }

  /** RFC 8693 at the identity provider: the user's ID token for an ID-JAG addressed to this server's authorization server. */
  private async _identityAssertion(scope: string | undefined): Promise<string> {
    const idp = this._settings.idp;
    if (!idp) throw new Error('the cross_app grant needs oauth.idp (tokenEndpoint and idToken)');
    const discovery = await this.discoveryState();
    const audience = discovery?.authorizationServerMetadata?.issuer ?? discovery?.authorizationServerUrl;
    if (!audience) throw new Error('the authorization server is not known yet');
    const body = new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      requested_token_type: 'urn:ietf:params:oauth:token-type:id-jag',
      subject_token: idp.idToken,
      subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
      audience,
      resource: discovery?.resourceMetadata?.resource ?? this.serverUrl,
      ...(idp.clientId ? { client_id: idp.clientId } : {}),
      ...(scope ? { scope } : {}),
    });
    const res = await fetch(idp.tokenEndpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body });
    const json = await res.json().catch(() => ({})) as { access_token?: string; error?: string; error_description?: string };
    if (!res.ok || !json.access_token) {
      throw new Error(`the identity provider refused the token exchange (HTTP ${res.status}${json.error ? `, ${json.error}` : ''}${json.error_description ? `: ${json.error_description}` : ''})`);
    }
    return json.access_token;
  }

  async discoveryState(): Promise<OAuthDiscoveryState | undefined> { return (await this._load()).discovery; }

  async saveDiscoveryState(state: OAuthDiscoveryState): Promise<void> { await this._update({ discovery: state }); }

  async invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): Promise<void> {
    if (scope === 'verifier') { this._codeVerifier = undefined; return; }
    const record = { ...(await this._load()) };
    if (scope === 'all' || scope === 'client') delete record.client;
    if (scope === 'all' || scope === 'tokens') delete record.tokens;
    if (scope === 'all' || scope === 'discovery') delete record.discovery;
    this._record = record;
    await this._secrets.store(oauthRecordKey(this.serverUrl), JSON.stringify(record));
  }

  /** The server's DPoP key, created on first use and kept with its tokens; none unless the settings ask for DPoP. */
  async dpopKey(): Promise<DpopKey | undefined> {
    if (!this._settings.dpop) return undefined;
    this._dpop ??= (async () => {
      const stored = (await this._load()).dpopKey;
      if (stored) return DpopKey.fromJwk(stored);
      const { key, jwk } = await DpopKey.create();
      await this._update({ dpopKey: jwk });
      return key;
    })();
    return this._dpop;
  }

  async redirectPort(): Promise<number | undefined> { return (await this._load()).redirectPort; }

  async saveRedirectPort(port: number): Promise<void> {
    const record = await this._load();
    if (record.redirectPort === port) return;
    // A registration names its redirect URI; a dynamically registered one with the old port is no use.
    if (record.redirectPort !== undefined && !this._settings.clientId && record.client) await this.invalidateCredentials('client');
    await this._update({ redirectPort: port });
  }

  /** "Sign Out": forgets the tokens and the registration. */
  async signOut(): Promise<void> {
    this._record = {};
    this._dpop = undefined;
    await this._secrets.delete(oauthRecordKey(this.serverUrl));
  }

  private async _load(): Promise<StoredRecord> {
    if (!this._record) {
      const text = await this._secrets.get(oauthRecordKey(this.serverUrl));
      try {
        this._record = text ? JSON.parse(text) as StoredRecord : {};
      } catch {
        this._record = {};
      }
    }
    return this._record;
  }

  private async _update(patch: Partial<StoredRecord>): Promise<void> {
    this._record = { ...(await this._load()), ...patch };
    await this._secrets.store(oauthRecordKey(this.serverUrl), JSON.stringify(this._record));
  }
}
