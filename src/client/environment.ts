/**
 * The environment a stdio server is started with: the SDK's minimal default environment, then the
 * envFile, then the configured `env`, with PATH appended rather than replaced (platform.ts).
 */
import { loadEnvFile } from '../config/envFile';
import type { StdioServerConfig } from '../config/types';
import { homedir } from 'node:os';
import { buildServerEnv, needsLoginShellPath, nodeManagerBins, readLoginShellPath } from './platform';

export interface EnvironmentOptions {
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  home?: string;
  /** Lists a folder's entries (tests describe any machine with it). */
  listDir?: (dir: string) => string[];
}

/** Returns `prepareEnv` for the manager; the macOS login-shell PATH is read once and shared. */
export function createEnvPreparer(opts: EnvironmentOptions = {}): (config: StdioServerConfig) => Promise<Record<string, string>> {
  const platform = opts.platform ?? process.platform;
  const env = opts.env ?? process.env;
  let loginPath: Promise<string | undefined> | undefined;
  // nvm/fnm/Volta installs are often missing from the PATH an editor inherits (started from the
  // Dock or a desktop launcher), so `npx` would not be found; their folders fill that gap.
  let fallbackBins: string[] | undefined;
  return async (config) => {
    fallbackBins ??= nodeManagerBins(opts.home ?? homedir(), platform, env, opts.listDir);
    if (needsLoginShellPath(platform, env)) loginPath ??= readLoginShellPath();
    let fromEnvFile: Record<string, string> = {};
    if (config.envFile) {
      const loaded = await loadEnvFile(config.envFile);
      if ('error' in loaded) throw new Error(loaded.error);
      fromEnvFile = loaded.env;
    }
    // Loaded here, as a server starts: the SDK's stdio module brings its message schemas along.
    const { getDefaultEnvironment } = await import('@modelcontextprotocol/sdk/client/stdio.js');
    return buildServerEnv({
      base: getDefaultEnvironment(),
      configured: config.env,
      fromEnvFile,
      loginPath: await loginPath,
      fallbackBins,
      platform,
    });
  };
}
