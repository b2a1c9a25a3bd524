/**
 * Asks for `${input:id}` variables in the editor; config/inputs.ts decides what is remembered,
 * where, and for whom (SecretStorage for passwords, workspace state for the rest).
 */
import * as vscode from 'vscode';
import { InputStore } from '../config/inputs';
import type { InputDefinition } from '../config/types';

export function editorInputStore(secrets: vscode.SecretStorage, state: vscode.Memento): InputStore {
  return new InputStore(secrets, state, ask);
}

async function ask(def: InputDefinition, server: string): Promise<string | undefined> {
  const title = `MCP server "${server}": ${def.description ?? def.id}`;
  if (def.type === 'pickString') {
    const options = def.options ?? [];
    return vscode.window.showQuickPick(options, { title, ignoreFocusOut: true, placeHolder: def.default });
  }
  return vscode.window.showInputBox({ title, prompt: def.description, value: def.default, password: def.password, ignoreFocusOut: true });
}
