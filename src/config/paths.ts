import * as path from 'node:path';

/**
 * Where configuration lives. Kept as constants so the adapter, the CLI and the tests agree on
 * the names without importing each other.
 */

/** The workspace file, relative to a workspace folder. */
export const WORKSPACE_CONFIG_PATH = '.vscode/switchboard.json';

/** The user setting holding `{ "<name>": serverEntry }`. */
export const SETTING_SERVERS = 'switchboard.servers';

/** The `file` label used in errors for servers that come from the user setting. */
export const SETTING_SOURCE_LABEL = `settings:${SETTING_SERVERS}`;

/** The workspace folder a config file belongs to: the parent of `.vscode/`, else its own folder. */
export function workspaceFolderOf(file: string): string {
  const dir = path.dirname(file);
  return path.basename(dir) === '.vscode' ? path.dirname(dir) : dir;
}
