/**
 * `switchboard check`: validates a configuration file without starting anything, printing
 * findings in the `file:line:col message` form editors and CI logs turn into links.
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { parseConfigText } from '../config/parse';
import { WORKSPACE_CONFIG_PATH, workspaceFolderOf } from '../config/paths';

/**
 * Checks one file (default `.vscode/switchboard.json` under the current directory). Prints each
 * finding (warnings marked `warning:`), then `ok: N servers` when there are no errors.
 * @returns 0 when valid (warnings allowed), 1 when there are errors, 2 when the file can't be read.
 */
export async function runCheck(argv: { config?: string }, out: (line: string) => void): Promise<number> {
  // Positions are printed against the path as the user typed it, like compilers do.
  const shown = argv.config ?? WORKSPACE_CONFIG_PATH;
  const file = path.resolve(shown);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message;
    out(`cannot read ${shown}: ${reason}`);
    return 2;
  }

  const parsed = parseConfigText(text, { kind: 'workspace', file, workspaceFolder: workspaceFolderOf(file) });
  let errors = 0;
  let warnings = 0;
  for (const e of parsed.errors) {
    if (e.severity === 'error') errors++;
    else warnings++;
    out(`${shown}:${e.range.line}:${e.range.column} ${e.severity === 'warning' ? 'warning: ' : ''}${e.message}`);
  }
  if (errors) {
    const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
    out(`${plural(errors, 'error')}${warnings ? `, ${plural(warnings, 'warning')}` : ''}`);
    return 1;
  }
  const n = parsed.servers.length;
  out(`ok: ${n} ${n === 1 ? 'server' : 'servers'}`);
  return 0;
}
