/**
 * The environment a stdio server is started with: the SDK's minimal default environment, then the
 * envFile, then the configured `env`, with PATH appended rather than replaced (platform.ts).
 */
import { getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { loadEnvFile } from '../config/envFile';
import type { StdioServerConfig } from '../config/types';
import { buildServerEnv, needsLoginShellPath, readLoginShellPath } from './platform';

export interface EnvironmentOptions {
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
}

/** Returns `prepareEnv` for the manager; the macOS login-shell PATH is read once and shared. */
export function createEnvPreparer(opts: EnvironmentOptions = {}): (config: StdioServerConfig) => Promise<Record<string, string>> {
  const platform = opts.platform ?? process.platform;
  const env = opts.env ?? process.env;
  let loginPath: Promise<string | undefined> | undefined;
  return async (config) => {
    if (needsLoginShellPath(platform, env)) loginPath ??= readLoginShellPath();
    let fromEnvFile: Record<string, string> = {};
    if (config.envFile) {
      const loaded = await loadEnvFile(config.envFile);
      if ('error' in loaded) throw new Error(loaded.error);
      fromEnvFile = loaded.env;
    }
    return buildServerEnv({
      base: getDefaultEnvironment(),
      configured: config.env,
      fromEnvFile,
      loginPath: await loginPath,
      platform,
    });
  };
}
