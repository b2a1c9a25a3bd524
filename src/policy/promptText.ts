/**
 * What a permission prompt says and offers, the same wherever it is shown (a dialog, a chat
 * confirmation), so the wording is tested without an editor.
 *
 * The server is not trusted, and its text is shown where the user decides. So what the user must
 * judge comes first, in our words (which server, which tool, what changed since they allowed it,
 * the arguments, who asks); the server's own description comes last, on one line, shortened and
 * marked as the server's words, so it cannot pass for a part of the prompt. Names a server chose
 * are cleaned of control characters and newlines and shortened wherever they appear.
 */
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { escapeJsonControls, oneLine, shorten } from '../common/terminalText';
import type { CallOrigin } from '../router/types';
import type { PermissionRequest } from './authorizer';
import { isDestructive } from './policy';
import type { Answer } from './types';

/** Arguments longer than this are cut in the prompt: a dialog is not a viewer. */
const MAX_ARGS_CHARS = 1500;
/** A name in a title or a line of the prompt. */
const MAX_NAME_CHARS = 60;
/** The server's description of its tool. */
const MAX_DESCRIPTION_CHARS = 300;
/** One line of "What changed" (it may quote property names from the server's schema). */
const MAX_CHANGE_CHARS = 160;

const ORIGIN_LABEL: Record<CallOrigin, string> = {
  chat: '@switchboard in chat', gateway: 'Copilot (agent mode)', manual: 'you (Run Tool)', cli: 'the CLI',
};

/** A name safe to quote in a prompt: one line, shortened, and no quote of its own to close ours early. */
export function displayName(name: string): string {
  return shorten(oneLine(name).replace(/"/g, "'"), MAX_NAME_CHARS) || '(no name)';
}

/** The text of the prompt: see the file comment for its order. */
export function describeRequest({ call, decision }: PermissionRequest): { title: string; detail: string } {
  const tool = `"${displayName(call.tool.name)}"`;
  const server = `"${displayName(call.server)}"`;
  let title = `Run ${tool} from MCP server ${server}?`;
  let stale: string | undefined;
  if (decision.kind === 'ask' && decision.reason === 'definitionChanged') {
    title = `${tool} changed since you allowed it. Run it from ${server}?`;
  } else if (decision.kind === 'ask' && decision.reason === 'newTool') {
    title = `${tool} was not part of what you allowed. Run it from ${server}?`;
    stale = decision.rule?.target.tool === undefined
      ? `It is new since you allowed the server ${server}.`
      : 'The definition you allowed was not recorded.';
  }
  let args = escapeJsonControls(JSON.stringify(call.args, null, 2));
  if (args.length > MAX_ARGS_CHARS) args = `${args.slice(0, MAX_ARGS_CHARS)}\n… (${args.length - MAX_ARGS_CHARS} more characters)`;
  const description = call.tool.description ? oneLine(call.tool.description) : '';
  const lines = [
    `Server: ${server}`,
    `Tool: ${tool}, called as ${displayName(call.name)}`,
    `Requested by: ${ORIGIN_LABEL[call.origin]}`,
    isDestructive(call.tool) ? '\nThe tool says it may make destructive changes.' : '',
    stale ? `\n${stale}` : '',
    decision.changed?.length
      ? `\nWhat changed since you allowed it:\n${decision.changed.map((c) => `• ${shorten(oneLine(c.message), MAX_CHANGE_CHARS)}`).join('\n')}`
      : '',
    `\nArguments:\n${args}`,
    description ? `\nThe server describes the tool as (its own words, not checked):\n“${shorten(description, MAX_DESCRIPTION_CHARS)}”` : '',
  ];
  return { title, detail: lines.filter(Boolean).join('\n') };
}

/** The answers offered for `tool`; a destructive tool is never covered by a server-wide rule, so that answer is left out. */
export function answersFor(tool: Tool, server: string): { title: string; answer: Answer }[] {
  return [
    { title: 'Allow Once', answer: 'allowOnce' },
    { title: 'Allow for This Session', answer: 'allowSession' },
    { title: 'Always Allow This Tool', answer: 'allowToolAlways' },
    ...(isDestructive(tool) ? [] : [{ title: `Always Allow "${displayName(server)}"`, answer: 'allowServerAlways' as const }]),
  ];
}
