/**
 * Platform decisions for launching stdio servers, kept pure so every platform's behaviour is
 * unit-tested on any machine: environment merging with PATH appended, the macOS login-shell PATH,
 * and human messages for spawn failures.
 */
import { execFile } from 'node:child_process';

export interface BuildEnvOptions {
  /** The SDK's minimal default environment. */
  base: Record<string, string>;
  /** From the config; `null` removes a variable. */
  configured: Record<string, string | null>;
  fromEnvFile: Record<string, string>;
  /** PATH read from the user's login shell (macOS started from the Dock). */
  loginPath?: string;
  platform: NodeJS.Platform;
}

const pathKeyOf = (env: Record<string, unknown>, platform: NodeJS.Platform): string =>
  platform === 'win32' ? Object.keys(env).find((k) => k.toUpperCase() === 'PATH') ?? 'Path' : 'PATH';

/**
 * default < envFile < configured. A configured PATH is put in front of the inherited one rather
 * than replacing it, so `npx`/`node` stay findable; the login-shell PATH is appended last.
 */
export function buildServerEnv(o: BuildEnvOptions): Record<string, string> {
  const win = o.platform === 'win32';
  const sep = win ? ';' : ':';
  const norm = (k: string) => (win ? k.toUpperCase() : k);
  const env: Record<string, string> = {};
  const keys = new Map<string, string>();
  const set = (k: string, v: string | null) => {
    const existing = keys.get(norm(k));
    if (existing !== undefined) delete env[existing];
    if (v === null) { keys.delete(norm(k)); return; }
    keys.set(norm(k), k);
    env[k] = v;
  };
  const basePathKey = pathKeyOf(o.base, o.platform);
  const inherited = o.base[basePathKey] ?? '';
  for (const [k, v] of Object.entries(o.base)) set(k, v);
  for (const [k, v] of Object.entries(o.fromEnvFile)) if (norm(k) !== norm('PATH')) set(k, v);
  for (const [k, v] of Object.entries(o.configured)) if (norm(k) !== norm('PATH') || v === null) set(k, v);
  const configuredKey = Object.keys(o.configured).find((k) => norm(k) === norm('PATH'));
  const envFileKey = Object.keys(o.fromEnvFile).find((k) => norm(k) === norm('PATH'));
  if (configuredKey !== undefined && o.configured[configuredKey] === null) return env;
  const parts = [
    ...(configuredKey ? String(o.configured[configuredKey]).split(sep) : []),
    ...(envFileKey ? o.fromEnvFile[envFileKey].split(sep) : []),
    ...inherited.split(sep),
    ...(o.loginPath ? o.loginPath.split(sep) : []),
  ].filter(Boolean);
  const seen = new Set<string>();
  const merged = parts.filter((p) => { const key = win ? p.toLowerCase() : p; if (seen.has(key)) return false; seen.add(key); return true; });
  if (merged.length) set(win ? basePathKey : 'PATH', merged.join(sep));
  return env;
}

/** VS Code started from the macOS Dock gets launchd's minimal PATH, without Homebrew or nvm. */
export function needsLoginShellPath(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): boolean {
  if (platform !== 'darwin') return false;
  const parts = (env.PATH ?? '').split(':');
  return !parts.includes('/usr/local/bin') && !parts.includes('/opt/homebrew/bin');
}

const START = '__SB_PATH__';
const END = '__SB_END__';

/** The PATH between our markers; login shells print banners and motd around it. */
export function extractMarkedPath(stdout: string): string | undefined {
  const i = stdout.lastIndexOf(START);
  if (i < 0) return undefined;
  const j = stdout.indexOf(END, i);
  if (j < 0) return undefined;
  return stdout.slice(i + START.length, j) || undefined;
}

export function readLoginShellPath(shell = process.env.SHELL || '/bin/zsh', timeoutMs = 3000): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(shell, ['-ilc', `printf "\\n${START}%s${END}" "$PATH"`], { timeout: timeoutMs }, (err, stdout) => {
      resolve(err ? undefined : extractMarkedPath(stdout));
    });
  });
}

/** A spawn failure in words a user can act on. */
export function describeSpawnError(err: NodeJS.ErrnoException, command: string, platform: NodeJS.Platform): string {
  if (err.code === 'ENOENT') {
    const hint = platform === 'darwin'
      ? ' (VS Code started from the Dock may not see your shell PATH; use an absolute path or start VS Code from a terminal)'
      : platform === 'win32' ? ' (check that it is installed and on PATH; .cmd shims such as npx.cmd are found automatically)' : '';
    return `command "${command}" not found on PATH${hint}`;
  }
  if (err.code === 'EACCES') return `command "${command}" is not executable`;
  return `could not start "${command}": ${err.message}`;
}
