/** A routed call's outcome as a language model tool result: the converted content, or why it did not run. */
import * as vscode from 'vscode';
import type { ModelResult } from '../router/results';
import type { ToolCallOutcome } from '../router/types';

export function toToolResult(outcome: ToolCallOutcome): vscode.LanguageModelToolResult {
  if (outcome.kind !== 'ok' && outcome.kind !== 'toolError') return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(outcome.message)]);
  // The declared content type predates data parts; the host takes them at run time.
  return new vscode.LanguageModelToolResult(modelParts(outcome.model) as vscode.LanguageModelTextPart[]);
}

/** The text parts of a tool result, joined (data parts left out): what a record or a test compares. */
export function resultText(result: vscode.LanguageModelToolResult): string {
  return result.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
}

function modelParts(model: ModelResult): unknown[] {
  // Data parts need a newer API than the one we build against; older hosts get a note instead.
  const DataPart = (vscode as unknown as { LanguageModelDataPart?: new (data: Uint8Array, mimeType: string) => unknown }).LanguageModelDataPart;
  const parts = model.parts.map((p) => {
    if (p.kind === 'text') return new vscode.LanguageModelTextPart(p.text);
    return DataPart ? new DataPart(p.data, p.mimeType) : new vscode.LanguageModelTextPart(`[${p.mimeType}, ${p.data.byteLength} bytes]`);
  });
  if (model.isError) parts.unshift(new vscode.LanguageModelTextPart('The tool reported an error:'));
  if (model.truncated) parts.push(new vscode.LanguageModelTextPart(`[${model.truncated}]`));
  return parts;
}
