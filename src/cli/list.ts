/**
 * `switchboard list`: connects every configured server in parallel and prints what each offers.
 * Exit 0 when it ran (even if some servers failed), 2 when the config could not be read.
 */
import * as os from 'node:os';
import { buildDesiredServers, formatConfigError } from '../client/desired';
import { createEnvPreparer } from '../client/environment';
import { McpClientManager } from '../client/manager';
import { describeState } from '../client/state';
import type { ServerLog } from '../client/types';
import { resolveServerConfig } from '../config/variables';
import { loadConfigFile } from './loadConfig';

export interface ListOptions { config?: string; json?: boolean; verbose?: boolean }

interface ServerReport {
  name: string;
  state: string;
  error?: string;
  stderr?: string[];
  tools: { name: string; server: string; tool: string; description?: string }[];
  resources: number;
  prompts: number;
}

/** `${input:id}` cannot be asked in a pipeline: it comes from SWITCHBOARD_INPUT_<ID> instead. */
export const inputEnvName = (id: string): string => `SWITCHBOARD_INPUT_${id.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;

export async function runList(opts: ListOptions, out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const loaded = await loadConfigFile(opts.config);
  if ('error' in loaded) { err(loaded.error); return 2; }
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
  const stderrLines = new Map<string, string[]>();
  const log = (server: string): ServerLog => {
    const note = (level: string) => (m: string) => { if (opts.verbose) err(`[${server}] ${level}: ${m}`); };
    return {
      trace: () => undefined, debug: note('debug'), info: note('info'), warn: note('warn'), error: note('error'),
      stderr: (line) => { stderrLines.set(server, [...(stderrLines.get(server) ?? []), line].slice(-20)); if (opts.verbose) err(`[${server}] ${line}`); },
    };
  };
  const manager = new McpClientManager({ logFor: log, clientInfo: { name: 'mcp-switchboard-cli', version: '0.1.0' }, prepareEnv: createEnvPreparer() });
  try {
    await manager.reconcile(servers);
    const tools = manager.tools();
    const reports: ServerReport[] = manager.names().sort().map((name) => {
      const state = manager.state(name)!;
      const catalog = manager.catalog(name);
      const report: ServerReport = {
        name, state: state.kind,
        tools: tools.filter((t) => t.server === name).map((t) => ({ name: t.name, server: name, tool: t.tool.name, description: t.tool.description })),
        resources: catalog?.resources.length ?? 0,
        prompts: catalog?.prompts.length ?? 0,
      };
      if (state.kind === 'error') { report.error = state.message; report.stderr = state.stderrTail; }
      if (state.kind === 'stopped' && state.reason === 'disabled') report.state = 'disabled';
      return report;
    });
    if (opts.json) {
      out(JSON.stringify({ servers: reports }, null, 2));
    } else {
      for (const r of reports) {
        out(`${r.name}: ${describeState(manager.state(r.name)!)}${r.state === 'running' ? ` — ${r.tools.length} tools, ${r.resources} resources, ${r.prompts} prompts` : ''}`);
        for (const line of r.stderr ?? []) out(`  stderr | ${line}`);
        for (const t of r.tools) out(`  ${t.name}${t.description ? `  ${firstLine(t.description)}` : ''}`);
      }
    }
    return 0;
  } finally {
    await manager.stopAll(1000);
    manager.dispose();
  }
}

function firstLine(text: string): string {
  const line = text.split('\n')[0];
  return line.length > 100 ? `${line.slice(0, 97)}…` : line;
}
