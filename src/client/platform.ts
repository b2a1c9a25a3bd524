/**
 * Platform decisions for launching stdio servers, kept pure so every platform's behaviour is
 * unit-tested on any machine: environment merging with PATH appended, the macOS login-shell PATH,
 * Node version managers' bin folders, and human messages for spawn failures.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { setOwn } from '../common/objects';

export interface BuildEnvOptions {
  /** The SDK's minimal default environment. */
  base: Record<string, string>;
  /** From the config; `null` removes a variable. */
  configured: Record<string, string | null>;
  fromEnvFile: Record<string, string>;
  /** PATH read from the user's login shell (macOS started from the Dock). */
  loginPath?: string;
  /** Node version managers' bin folders (nodeManagerBins), appended last as a fallback. */
  fallbackBins?: string[];
  platform: NodeJS.Platform;
}

const pathKeyOf = (env: Record<string, unknown>, platform: NodeJS.Platform): string =>
  platform === 'win32' ? Object.keys(env).find((k) => k.toUpperCase() === 'PATH') ?? 'Path' : 'PATH';

/**
 * default < envFile < configured. A configured PATH is put in front of the inherited one rather
 * than replacing it, so `npx`/`node` stay findable; the login-shell PATH and then the version
 * managers' bin folders are appended last, so they only fill gaps and never shadow a chosen node.
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
    // Names come from configs and env files, `__proto__` included.
    setOwn(env, k, v);
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
    ...(o.fallbackBins ?? []),
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

/**
 * The PATH of the user's interactive login shell, or undefined when it cannot be read in time.
 * Interactive (-i) so that .zshrc/.bashrc run too — that is where nvm, fnm and Homebrew add
 * themselves. The shell gets its own process group so a timeout also ends whatever its startup
 * files launched, and no stdin so a startup file that prompts cannot block it.
 */
export function readLoginShellPath(shell = process.env.SHELL || '/bin/zsh', timeoutMs = 3000): Promise<string | undefined> {
  return new Promise((resolve) => {
    let stdout = '';
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(shell, ['-ilc', `printf "\\n${START}%s${END}" "$PATH"`], {
        stdio: ['ignore', 'pipe', 'ignore'],
        detached: true,
        // Oh My Zsh would otherwise offer to update itself and wait for an answer.
        env: { ...process.env, DISABLE_AUTO_UPDATE: 'true' },
      });
    } catch {
      resolve(undefined);
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
      resolve(undefined);
    }, timeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => { stdout += chunk.toString('utf8'); });
    child.on('error', () => {
      clearTimeout(timer);
      resolve(undefined);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code === 0 ? extractMarkedPath(stdout) : undefined);
    });
  });
}

/** Lists a directory's entry names; [] when it does not exist. The default for `nodeManagerBins`. */
export function listDirSync(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function compareVersions(a: string, b: string): number {
  const pa = a.replace(/^v/, '').split('.').map(Number);
  const pb = b.replace(/^v/, '').split('.').map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

/**
 * Bin folders of Node version managers that may hold `node`/`npx` when PATH does not: nvm
 * (NVM_BIN, else the newest `$NVM_DIR/versions/node/*`; NVM_SYMLINK for nvm-windows), fnm
 * (FNM_MULTISHELL_PATH, else its default alias), Volta, asdf and mise shims. Only folders that
 * exist (per `listDir`, injected so tests can describe any machine) are returned, active ones first.
 */
export function nodeManagerBins(
  home: string,
  platform: NodeJS.Platform,
  env: Record<string, string | undefined>,
  listDir: (dir: string) => string[] = listDirSync,
): string[] {
  const p = platform === 'win32' ? path.win32 : path.posix;
  const win = platform === 'win32';
  const dataHome = env.XDG_DATA_HOME || p.join(home, '.local', 'share');
  const candidates: (string | undefined)[] = [];

  // What the shell that started us had active.
  candidates.push(env.NVM_BIN, win ? env.NVM_SYMLINK : undefined);
  if (env.FNM_MULTISHELL_PATH) candidates.push(win ? env.FNM_MULTISHELL_PATH : p.join(env.FNM_MULTISHELL_PATH, 'bin'));

  // Installed defaults, for an editor started outside any shell.
  const volta = env.VOLTA_HOME || (win ? (env.LOCALAPPDATA ? p.join(env.LOCALAPPDATA, 'Volta') : undefined) : p.join(home, '.volta'));
  if (volta) candidates.push(p.join(volta, 'bin'));
  if (!win) {
    candidates.push(p.join(env.ASDF_DATA_DIR || p.join(home, '.asdf'), 'shims'));
    candidates.push(p.join(env.MISE_DATA_DIR || p.join(dataHome, 'mise'), 'shims'));
    const versions = p.join(env.NVM_DIR || p.join(home, '.nvm'), 'versions', 'node');
    const newest = listDir(versions).filter((v) => /^v\d+\.\d+\.\d+$/.test(v)).sort(compareVersions).pop();
    if (newest) candidates.push(p.join(versions, newest, 'bin'));
  }
  const fnmDirs = env.FNM_DIR ? [env.FNM_DIR]
    : win ? (env.APPDATA ? [p.join(env.APPDATA, 'fnm')] : [])
    : platform === 'darwin' ? [p.join(home, 'Library', 'Application Support', 'fnm'), p.join(dataHome, 'fnm')]
    : [p.join(dataHome, 'fnm')];
  for (const dir of fnmDirs) candidates.push(win ? p.join(dir, 'aliases', 'default') : p.join(dir, 'aliases', 'default', 'bin'));

  const exists = (dir: string) => listDir(p.dirname(dir)).includes(p.basename(dir));
  const seen = new Set<string>();
  return candidates.filter((dir): dir is string => {
    if (!dir) return false;
    const key = win ? dir.toLowerCase() : dir;
    if (seen.has(key) || !exists(dir)) return false;
    seen.add(key);
    return true;
  });
}

/** How a stdio server's process tree is kept together and stopped on a platform. */
export interface ProcessTreePlan {
  /**
   * Spawn the server detached: on POSIX its own session and process group (setsid), so one signal
   * reaches everything it starts that stays in the group, and no terminal for it to read or to
   * take Ctrl-C from. Windows would open a console window instead, so never there.
   */
  ownGroup: boolean;
  /** /proc is there: processes' start times (to tell a reused pid) and environments (the tree's marker). */
  procfs: boolean;
  /** SIGTERM the tree before SIGKILL; Windows has only the force-kill of `taskkill /T /F`. */
  politeSignal: boolean;
}

export function processTreePlan(platform: NodeJS.Platform): ProcessTreePlan {
  const windows = platform === 'win32';
  return { ownGroup: !windows, procfs: platform === 'linux', politeSignal: !windows };
}

export interface SpawnErrorContext {
  /** The configured working directory: a missing cwd also surfaces as ENOENT. */
  cwd?: string;
}

/** A spawn failure in words a user can act on, with a hint for the platform it happened on. */
export function describeSpawnError(err: NodeJS.ErrnoException, command: string, platform: NodeJS.Platform, ctx: SpawnErrorContext = {}): string {
  const isPath = /[\\/]/.test(command);
  switch (err.code) {
    case 'ENOENT': {
      const what = isPath ? `command "${command}" does not exist` : `command "${command}" not found on PATH`;
      const cwd = ctx.cwd ? ` (or the working directory "${ctx.cwd}" does not exist)` : '';
      return `${what}${cwd}${isPath ? '' : notFoundHint(platform)}`;
    }
    case 'EACCES':
    case 'EPERM':
      return `command "${command}" is not executable (permission denied)` +
        (platform === 'win32' ? '' : `; if it is a script, run chmod +x on it and check its #! line`);
    case 'ENOEXEC':
    case 'UNKNOWN':
      // Windows reports a non-executable file (e.g. a script without a .cmd shim) as UNKNOWN.
      return `"${command}" is not a program this system can run; use the interpreter as the command (e.g. "node" with the script in "args")`;
    case 'E2BIG':
      return `could not start "${command}": its arguments and environment are too large`;
    case 'EMFILE':
    case 'ENFILE':
    case 'EAGAIN':
      return `could not start "${command}": the system is out of processes or file handles (${err.code})`;
    default:
      return `could not start "${command}": ${err.message}`;
  }
}

function notFoundHint(platform: NodeJS.Platform): string {
  if (platform === 'darwin') {
    return '. VS Code started from the Dock or Finder gets a minimal PATH; Switchboard adds your login shell\'s PATH, ' +
      'so make sure your shell startup files put the tool on PATH, use an absolute path, or start VS Code from a terminal';
  }
  if (platform === 'win32') {
    return '. npm tools such as npx are .cmd shims; they are found through PATH and PATHEXT (the SDK launches via cross-spawn), ' +
      'so check that the folder holding the .cmd file is on PATH, or restart VS Code after installing Node';
  }
  return '. Use an absolute path, or add its folder to "env": { "PATH": "..." } (it is put in front of the inherited PATH)';
}
