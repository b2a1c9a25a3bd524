/**
 * "Run Tool…" from the tree: asks for the arguments one field at a time (from the tool's input
 * schema), or as JSON where the schema is not a plain list of properties, then runs the call
 * through the router (schema guard, deny rules, audit) and opens the full result in an editor.
 */
import * as vscode from 'vscode';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { formFields, initialText, jsonSkeleton, parseField, type FormField } from '../router/argumentForm';
import { renderResultText } from '../router/results';
import type { ToolRouter } from '../router/router';
import type { ToolCallOutcome } from '../router/types';

export interface RunToolTarget { server: string; tool: Tool; namespaced?: string }

/** Cancelled by the person (Escape): nothing runs. */
const CANCELLED = Symbol('cancelled');

async function askField(tool: Tool, field: FormField, step: number, total: number): Promise<unknown> {
  const title = `${tool.name}: ${field.name}${field.required ? '' : ' (optional, Enter to skip)'}`;
  if (field.kind === 'enum' || field.kind === 'boolean') {
    const values = field.kind === 'boolean' ? ['true', 'false'] : (field.values ?? []).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
    const items: vscode.QuickPickItem[] = [...values.map((label) => ({ label })), ...(field.required ? [] : [{ label: '', description: 'leave out' }])];
    const picked = await vscode.window.showQuickPick(items, { title: `${title} (${step}/${total})`, placeHolder: field.description, ignoreFocusOut: true });
    if (!picked) return CANCELLED;
    const parsed = parseField(field, picked.label);
    return parsed.ok && 'value' in parsed ? parsed.value : undefined;
  }
  const text = await vscode.window.showInputBox({
    title: `${title} (${step}/${total})`, prompt: field.description ?? (field.kind === 'json' ? 'JSON value' : field.kind),
    value: initialText(field), ignoreFocusOut: true,
    validateInput: (v) => { const r = parseField(field, v); return r.ok ? undefined : r.message; },
  });
  if (text === undefined) return CANCELLED;
  const parsed = parseField(field, text);
  return parsed.ok && 'value' in parsed ? parsed.value : undefined;
}

/** The arguments, or `undefined` when the person cancelled. */
export async function collectArguments(tool: Tool, check: (args: unknown) => string | undefined): Promise<Record<string, unknown> | undefined> {
  const fields = formFields(tool.inputSchema);
  if (!fields) {
    const text = await vscode.window.showInputBox({
      title: `${tool.name}: arguments (JSON)`, prompt: 'This tool takes structured input; edit it as JSON.', value: jsonSkeleton(tool.inputSchema),
      ignoreFocusOut: true,
      validateInput: (v) => {
        try { return check(JSON.parse(v)); } catch (e) { return `not valid JSON: ${(e as Error).message}`; }
      },
    });
    return text === undefined ? undefined : (JSON.parse(text) as Record<string, unknown>);
  }
  // Collected as entries: field names come from the server, and `__proto__` must stay a field.
  const args: [string, unknown][] = [];
  for (const [i, field] of fields.entries()) {
    const value = await askField(tool, field, i + 1, fields.length);
    if (value === CANCELLED) return undefined;
    if (value !== undefined) args.push([field.name, value]);
  }
  return Object.fromEntries(args);
}

/** A markdown document with the call and its whole result (nothing cut, unlike what a model gets). */
export function resultDocument(target: RunToolTarget, args: unknown, outcome: ToolCallOutcome): string {
  const name = target.namespaced ?? target.tool.name;
  const head = `# ${name}\n\nServer \`${target.server}\`, tool \`${target.tool.name}\`\n\n## Arguments\n\n\`\`\`json\n${JSON.stringify(args, null, 2)}\n\`\`\`\n`;
  if (outcome.kind === 'ok' || outcome.kind === 'toolError') {
    return `${head}\n## ${outcome.kind === 'ok' ? 'Result' : 'Tool error'}\n\n${renderResultText(outcome.result).replace(/^Tool error:\n/, '')}`;
  }
  return `${head}\n## Not run (${outcome.kind})\n\n${outcome.message}\n`;
}

export async function runTool(router: ToolRouter, target: RunToolTarget): Promise<vscode.TextDocument | undefined> {
  const name = target.namespaced ?? target.tool.name;
  const args = await collectArguments(target.tool, (a) => {
    const r = router.validator.check(target.tool.inputSchema, a, name);
    return r.ok ? undefined : r.message;
  });
  if (!args) return undefined;
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Running ${name}`, cancellable: true },
    (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      return router.call(name, args, {
        origin: 'manual', signal: abort.signal,
        onProgress: (p) => progress.report({ message: p.message ?? (p.total ? `${p.progress}/${p.total}` : `${p.progress}`) }),
      });
    },
  );
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: resultDocument(target, args, outcome) });
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}
