/**
 * Where the CLI keeps what outlives a run: permission rules and the audit log. Each platform's
 * usual place for per-user application data, overridable with SWITCHBOARD_HOME (tests, CI, and
 * people who keep dotfiles elsewhere).
 */
import * as path from 'node:path';

export interface UserDataContext {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  home: string;
}

export function userDataDir({ platform, env, home }: UserDataContext): string {
  if (env.SWITCHBOARD_HOME) return env.SWITCHBOARD_HOME;
  if (platform === 'win32') {
    // Roaming AppData: rules are preferences and should follow the user between machines.
    const appData = env.APPDATA || path.win32.join(home, 'AppData', 'Roaming');
    return path.win32.join(appData, 'mcp-switchboard');
  }
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', 'mcp-switchboard');
  // XDG: an empty or relative XDG_CONFIG_HOME is invalid by the spec and must be ignored.
  const xdg = env.XDG_CONFIG_HOME;
  const base = xdg && path.posix.isAbsolute(xdg) ? xdg : path.posix.join(home, '.config');
  return path.posix.join(base, 'mcp-switchboard');
}
