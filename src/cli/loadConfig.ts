/** Reads a config file for the CLI, naming the file on failure. */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { parseConfigText } from '../config/parse';
import { WORKSPACE_CONFIG_PATH, workspaceFolderOf } from '../config/paths';
import type { ParsedConfig } from '../config/types';

/** The config file a command works on: `--config`, else the workspace file under the current folder. */
export const configPathOf = (file?: string): string => path.resolve(file ?? WORKSPACE_CONFIG_PATH);

export async function loadConfigFile(file?: string): Promise<{ config: ParsedConfig; file: string } | { error: string }> {
  const abs = configPathOf(file);
  let text: string;
  try {
    text = await fs.readFile(abs, 'utf8');
  } catch (e) {
    return { error: `cannot read ${abs}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
  // `${workspaceFolder}` is the folder holding .vscode/, as in the editor.
  return { file: abs, config: parseConfigText(text, { kind: 'workspace', file: abs, workspaceFolder: workspaceFolderOf(abs) }) };
}
