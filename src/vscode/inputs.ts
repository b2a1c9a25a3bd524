/**
 * Answers `${input:id}` variables: asked once, then remembered. Password inputs live only in
 * SecretStorage; other answers in workspace state. Neither is ever written to a file or setting.
 */
import * as vscode from 'vscode';
import type { InputDefinition } from '../config/types';

const SECRET_PREFIX = 'switchboard.input.';
const STATE_KEY = 'switchboard.inputs';

export class InputStore {
  constructor(private readonly _secrets: vscode.SecretStorage, private readonly _state: vscode.Memento) {}

  /** The saved answer, or asks the user; undefined when they cancel or the input is not declared. */
  async resolve(id: string, inputs: readonly InputDefinition[], server: string): Promise<string | undefined> {
    const def = inputs.find((i) => i.id === id);
    if (!def) return undefined;
    const saved = def.password ? await this._secrets.get(SECRET_PREFIX + id) : this._answers()[id];
    if (saved !== undefined) return saved;
    const value = await ask(def, server);
    if (value === undefined) return undefined;
    if (def.password) await this._secrets.store(SECRET_PREFIX + id, value);
    else await this._state.update(STATE_KEY, { ...this._answers(), [id]: value });
    return value;
  }

  private _answers(): Record<string, string> {
    return this._state.get<Record<string, string>>(STATE_KEY) ?? {};
  }
}

async function ask(def: InputDefinition, server: string): Promise<string | undefined> {
  const title = `MCP server "${server}": ${def.description ?? def.id}`;
  if (def.type === 'pickString') {
    const options = def.options ?? [];
    return vscode.window.showQuickPick(options, { title, ignoreFocusOut: true, placeHolder: def.default });
  }
  return vscode.window.showInputBox({ title, prompt: def.description, value: def.default, password: def.password, ignoreFocusOut: true });
}
