/**
 * A server's `elicitation/create` in the editor. Form mode: one quick input per field (built by
 * client/elicitationForm.ts), each starting at the server's default, after a first step that
 * says who asks and what for and lets the user respond or decline; Escape at any step cancels.
 * URL mode: a modal names the server and the full URL, and opens it only on "Open"; only web
 * pages are ever offered (common/urlPolicy.ts, checked in the core before it reaches here too).
 * A request the server withdraws (its signal aborts) closes whatever input is showing.
 */
import * as vscode from 'vscode';
import type { ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import type { ElicitParams } from '../client/clientFeatures';
import { elicitationFields, initialAnswer, readTextAnswer, type ElicitField } from '../client/elicitationForm';
import { openableUrlProblem } from '../common/urlPolicy';

const CANCEL: ElicitResult = { action: 'cancel' };

export async function askElicitation(server: string, params: ElicitParams, signal: AbortSignal): Promise<ElicitResult> {
  const cts = new vscode.CancellationTokenSource();
  const onAbort = () => cts.cancel();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    return params.mode === 'url' ? await askUrl(server, params) : await askForm(server, params, cts.token);
  } finally {
    signal.removeEventListener('abort', onAbort);
    cts.dispose();
  }
}

async function askUrl(server: string, params: Extract<ElicitParams, { mode: 'url' }>): Promise<ElicitResult> {
  if (openableUrlProblem(params.url)) return { action: 'decline' };
  const choice = await vscode.window.showInformationMessage(
    `MCP server "${server}" asks you to open a page: ${params.message}`,
    { modal: true, detail: `It will open ${params.url} in your browser.` },
    'Open', 'Decline',
  );
  if (choice === 'Open') {
    await vscode.env.openExternal(vscode.Uri.parse(params.url, true));
    return { action: 'accept' };
  }
  return choice === 'Decline' ? { action: 'decline' } : CANCEL;
}

async function askForm(server: string, params: Exclude<ElicitParams, { mode: 'url' }>, token: vscode.CancellationToken): Promise<ElicitResult> {
  const fields = elicitationFields(params.requestedSchema);
  const heading = `MCP server "${server}" asks: ${params.message}`;
  const first = await vscode.window.showQuickPick([
    { label: 'Respond', description: fields.length ? `${fields.length} question${fields.length === 1 ? '' : 's'}` : undefined, answer: 'respond' as const },
    { label: 'Decline', description: 'tell the server no', answer: 'decline' as const },
  ], { title: heading, placeHolder: 'Respond or decline (Escape cancels)', ignoreFocusOut: true }, token);
  if (!first) return CANCEL;
  if (first.answer === 'decline') return { action: 'decline' };
  // Collected as entries: field names come from the server, and `__proto__` must stay a field.
  const content: [string, string | number | boolean | string[]][] = [];
  for (const [i, field] of fields.entries()) {
    const title = `${heading} (${i + 1}/${fields.length})`;
    const answer = await askField(field, title, token);
    if (answer === CANCELLED) return CANCEL;
    if (answer !== undefined) content.push([field.name, answer as string | number | boolean | string[]]);
  }
  return { action: 'accept', content: Object.fromEntries(content) };
}

const CANCELLED = Symbol('cancelled');

/** The server's default first, so Enter takes it (the quick pick's counterpart of a prefilled box). */
function defaultFirst<T extends { value: unknown }>(items: T[], value: unknown): T[] {
  const i = value === undefined ? -1 : items.findIndex((x) => x.value === value);
  return i <= 0 ? items : [items[i], ...items.slice(0, i), ...items.slice(i + 1)];
}
type FieldResult = unknown | typeof CANCELLED;

async function askField(field: ElicitField, title: string, token: vscode.CancellationToken): Promise<FieldResult> {
  const label = `${field.title}${field.required ? '' : ' (optional)'}`;
  const detail = field.description ? `${label}: ${field.description}` : label;
  switch (field.kind) {
    case 'string':
    case 'number':
    case 'integer': {
      const text = await vscode.window.showInputBox({
        title, prompt: detail, value: initialAnswer(field), ignoreFocusOut: true,
        validateInput: (t) => { const r = readTextAnswer(field, t); return r.ok ? undefined : r.message; },
      }, token);
      if (text === undefined) return CANCELLED;
      const r = readTextAnswer(field, text);
      return r.ok ? r.value : CANCELLED;
    }
    case 'boolean': {
      const items = defaultFirst([{ label: 'Yes', value: true }, { label: 'No', value: false }], field.default);
      if (!field.required) items.push({ label: 'Skip', value: undefined as unknown as boolean });
      const pick = await vscode.window.showQuickPick(items, { title, placeHolder: detail, ignoreFocusOut: true }, token);
      return pick ? pick.value : CANCELLED;
    }
    case 'enum': {
      const items = defaultFirst(field.options.map((o) => ({ label: o.label, description: o.label !== o.value ? o.value : undefined, value: o.value as string | undefined })), field.default);
      if (!field.required) items.push({ label: 'Skip', description: undefined, value: undefined });
      const pick = await vscode.window.showQuickPick(items, { title, placeHolder: detail, ignoreFocusOut: true }, token);
      return pick ? pick.value : CANCELLED;
    }
    case 'multiEnum': {
      const items = field.options.map((o) => ({ label: o.label, value: o.value, picked: field.default?.includes(o.value) }));
      const picks = await vscode.window.showQuickPick(items, { title, placeHolder: detail, canPickMany: true, ignoreFocusOut: true }, token);
      if (!picks) return CANCELLED;
      return picks.length || field.required ? picks.map((p) => p.value) : undefined;
    }
  }
}
