/**
 * The person at the editor, for `switchboard conformance`: the answers a user would give to
 * what the extension asks, given non-interactively.
 * - a tool call prompt: "Allow once";
 * - an elicitation form: accepted as offered, each field left at the default the server gave
 *   (the editor's form starts from them; the client fills in the rest per SEP-1034); a URL
 *   elicitation is declined, since nobody is there to open it;
 * - a sampling request: consented, answered by a stand-in model with a fixed reply;
 * - roots: the current folder.
 * The scenario context (MCP_CONFORMANCE_CONTEXT) carries what a user would have configured, such
 * as a pre-registered client id and secret.
 */
import { pathToFileURL } from 'node:url';
import type { CreateMessageResult, ElicitResult, Root } from '@modelcontextprotocol/sdk/types.js';
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
