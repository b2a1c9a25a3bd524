/**
 * The person at the editor, for `switchboard conformance`: the answers a user would give to
 * what the extension asks, given non-interactively.
 * - a tool call prompt: "Allow once";
 * - an elicitation form: accepted as offered, each field left at the default the server gave
 *   (the editor's form starts from them; the client fills in the rest per SEP-1034); a URL
 *   elicitation is declined, since nobody is there to open it;
 * - a sampling request: consented, answered by a stand-in model with a fixed reply;
 * - roots: the current folder;
 * - a sign-in: the browser goes to the authorization page and the user approves, so it follows
 *   the server's redirect back to our loopback listener.
 * The scenario context (MCP_CONFORMANCE_CONTEXT) carries what a user would have configured for
 * the server (see `oauthSettings`).
 */
import { pathToFileURL } from 'node:url';
import type { CreateMessageResult, ElicitResult, Root } from '@modelcontextprotocol/sdk/types.js';
import type { AuthorizationAgent, OAuthSettings } from '../client/auth/types';
import type { ClientFeatures, ElicitParams, LogMessage, SamplingParams } from '../client/clientFeatures';
import type { PermissionRequest } from '../policy/authorizer';
import type { Answer } from '../policy/types';

export type ScenarioContext = Record<string, unknown>;

export function readScenarioContext(text: string | undefined): { value: ScenarioContext } | { error: string } {
  if (!text) return { value: {} };
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return { value: value as ScenarioContext };
    return { error: 'MCP_CONFORMANCE_CONTEXT is not a JSON object' };
  } catch (e) {
    return { error: `MCP_CONFORMANCE_CONTEXT is not JSON: ${(e as Error).message}` };
  }
}

const CONFORMANCE_CLIENT_METADATA_URL = 'https://conformance-test.local/client-metadata.json';

/**
 * The server's `oauth` settings as the user would have written them, from the scenario context:
 * a pre-registered `client_id` / `client_secret`, a `private_key_pem` for private-key JWT client
 * authentication, for the machine-to-machine scenarios (`auth/client-credentials-*`) the
 * client-credentials grant the user would have chosen for such a server, and for enterprise
 * cross-app access the identity provider and the ID token the user's organisation issued.
 */
export function oauthSettings(context: ScenarioContext): OAuthSettings {
  const str = (k: string) => (typeof context[k] === 'string' ? context[k] as string : undefined);
  const machine = /^auth\/client-credentials/.test(str('name') ?? '');
  const idToken = str('idp_id_token');
  const idpTokenEndpoint = str('idp_token_endpoint');
  return {
    clientId: str('client_id'),
    clientSecret: str('client_secret'),
    privateKeyPem: str('private_key_pem'),
    signingAlgorithm: str('signing_algorithm'),
    // The suite's deployment publishes its test client's metadata document here (it names the
    // address; nothing fetches it): a user of such a deployment would configure it.
    clientMetadataUrl: CONFORMANCE_CLIENT_METADATA_URL,
    ...(machine ? { grant: 'client_credentials' as const } : {}),
    ...(idToken && idpTokenEndpoint ? { grant: 'cross_app' as const, idp: { tokenEndpoint: idpTokenEndpoint, clientId: str('idp_client_id'), idToken } } : {}),
  };
}

/** A browser whose user approves at once: fetch the authorization page, follow its redirect home. */
export class ApprovingBrowser implements AuthorizationAgent {
  constructor(private readonly _say: (line: string) => void) {}

  async open(authorizationUrl: URL, server: string): Promise<void> {
    this._say(`user: signs in to ${server} at ${authorizationUrl.origin}${authorizationUrl.pathname}`);
    const page = await fetch(authorizationUrl, { redirect: 'manual' });
    const location = page.headers.get('location');
    if (!location) throw new Error(`the authorization page answered ${page.status} without sending the browser back`);
    // Our loopback listener answers this one and hands the code to the waiting sign-in.
    void fetch(new URL(location, authorizationUrl)).then((r) => r.text()).catch(() => undefined);
  }
}

export class ConformanceUser implements ClientFeatures {
  readonly roots = { list: (): Root[] => [{ uri: pathToFileURL(process.cwd()).href, name: 'workspace' }] };

  constructor(readonly context: ScenarioContext, private readonly _say: (line: string) => void) {}

  async approveToolCall({ call }: PermissionRequest): Promise<Answer> {
    this._say(`user: allow once ${call.server}/${call.tool}`);
    return 'allowOnce';
  }

  async elicit(server: string, params: ElicitParams): Promise<ElicitResult> {
    if (params.mode === 'url') {
      this._say(`user: declined to open ${params.url} for ${server}`);
      return { action: 'decline' };
    }
    this._say(`user: accepted "${params.message}" as offered`);
    return { action: 'accept', content: {} };
  }

  async sample(server: string, params: SamplingParams): Promise<CreateMessageResult> {
    this._say(`user: let ${server} sample (${params.messages.length} messages)`);
    return { role: 'assistant', model: 'conformance-stand-in', content: { type: 'text', text: 'A reply from the stand-in model.' }, stopReason: 'endTurn' };
  }

  log(server: string, message: LogMessage): void {
    this._say(`[${server}] ${message.level}: ${typeof message.data === 'string' ? message.data : JSON.stringify(message.data)}`);
  }
}
