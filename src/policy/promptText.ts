/**
 * What a permission prompt says and offers, the same wherever it is shown (a dialog, a chat
 * confirmation), so the wording is tested without an editor.
 */
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { CallOrigin } from '../router/types';
import type { PermissionRequest } from './authorizer';
import { isDestructive, isStaleAsk } from './policy';
import type { Answer } from './types';

/** Arguments longer than this are cut in the prompt: a dialog is not a viewer. */
const MAX_ARGS_CHARS = 1500;

const ORIGIN_LABEL: Record<CallOrigin, string> = {
  chat: '@switchboard in chat', gateway: 'Copilot (agent mode)', manual: 'you (Run Tool)', cli: 'the CLI',
};

/** The text of the prompt: who asks, what runs with which arguments, and what changed if that is why. */
export function describeRequest({ call, decision }: PermissionRequest): { title: string; detail: string } {
  const title = isStaleAsk(decision)
    ? `${decision.message} Run "${call.tool.name}" from "${call.server}"?`
    : `Run "${call.tool.name}" from MCP server "${call.server}"?`;
  let args = JSON.stringify(call.args, null, 2);
  if (args.length > MAX_ARGS_CHARS) args = `${args.slice(0, MAX_ARGS_CHARS)}\n… (${args.length - MAX_ARGS_CHARS} more characters)`;
  const lines = [
    `Requested by ${ORIGIN_LABEL[call.origin]} as ${call.name}.`,
    call.tool.description ? `\n${call.tool.description.trim()}` : '',
    isDestructive(call.tool) ? '\nThe tool says it may make destructive changes.' : '',
    decision.changed?.length ? `\nWhat changed:\n${decision.changed.map((c) => `• ${c.message}`).join('\n')}` : '',
    `\nArguments:\n${args}`,
  ];
  return { title, detail: lines.filter(Boolean).join('\n') };
}

/** The answers offered for `tool`; a destructive tool is never covered by a server-wide rule, so that answer is left out. */
export function answersFor(tool: Tool, server: string): { title: string; answer: Answer }[] {
  return [
    { title: 'Allow Once', answer: 'allowOnce' },
    { title: 'Allow for This Session', answer: 'allowSession' },
    { title: 'Always Allow This Tool', answer: 'allowToolAlways' },
    ...(isDestructive(tool) ? [] : [{ title: `Always Allow "${server}"`, answer: 'allowServerAlways' as const }]),
  ];
}
