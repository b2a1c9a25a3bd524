/**
 * What every connecting CLI command shares: read the config, resolve its servers (inputs from the
 * environment, since a pipeline cannot be asked), and a manager whose logs go to stderr when
 * `--verbose`, keeping each server's last stderr lines for error reports.
 */
import * as os from 'node:os';
import { buildDesiredServers, formatConfigError } from '../client/desired';
import { createEnvPreparer } from '../client/environment';
import { McpClientManager, type DesiredServer } from '../client/manager';
import type { ServerLog } from '../client/types';
import { resolveServerConfig } from '../config/variables';
import { SchemaGuard } from '../router/schemaGuard';
import { loadConfigFile } from './loadConfig';

/** `${input:id}` cannot be asked in a pipeline: it comes from SWITCHBOARD_INPUT_<ID> instead. */
export const inputEnvName = (id: string): string => `SWITCHBOARD_INPUT_${id.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;

export interface CliSession {
  manager: McpClientManager;
  /** Also the clients' `jsonSchemaValidator`; give it to the router. */
  guard: SchemaGuard;
  servers: DesiredServer[];
  /** The config file's absolute path. */
  configFile: string;
  /** Stops every server (no process is left behind) and disposes the manager. */
  close(): Promise<void>;
}

export async function openSession(
  opts: { config?: string; verbose?: boolean }, err: (line: string) => void,
): Promise<CliSession | { error: string }> {
  const loaded = await loadConfigFile(opts.config);
  if ('error' in loaded) return { error: loaded.error };
  const { config } = loaded;
  for (const e of config.errors) err(formatConfigError(e));
  const { servers } = await buildDesiredServers([config], {
    trusted: true, // the user asked for this file by running the command
    resolve: (def) => resolveServerConfig(def.config, {
      workspaceFolder: config.source.workspaceFolder,
      userHome: os.homedir(),
      env: process.env,
      resolveInput: async (id) => process.env[inputEnvName(id)],
    }),
  });
  const log = (server: string): ServerLog => {
    const note = (level: string) => (m: string) => { if (opts.verbose) err(`[${server}] ${level}: ${m}`); };
    return {
      trace: () => undefined, debug: note('debug'), info: note('info'), warn: note('warn'), error: note('error'),
      stderr: (line) => { if (opts.verbose) err(`[${server}] ${line}`); },
    };
  };
  // One guard for the SDK clients' output checks and the router's input checks: each schema compiles once.
  const guard = new SchemaGuard();
  const manager = new McpClientManager({
    logFor: log, clientInfo: { name: 'mcp-switchboard-cli', version: '0.1.0' }, prepareEnv: createEnvPreparer(), jsonSchemaValidator: () => guard,
  });
  return {
    manager,
    guard,
    configFile: loaded.file,
    servers,
    close: async () => {
      await manager.stopAll(1000);
      manager.dispose();
    },
  };
}
