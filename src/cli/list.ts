/**
 * `switchboard list`: connects every configured server in parallel and prints what each offers.
 * Exit 0 when it ran (even if some servers failed), 2 when the config could not be read.
 */
import { escapeJsonControls } from '../common/terminalText';
import { describeState } from '../client/state';
import { openSession } from './session';

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

export async function runList(opts: ListOptions, out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const session = await openSession(opts, err);
  if ('error' in session) { err(session.error); return 2; }
  const { manager, servers } = session;
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
      out(escapeJsonControls(JSON.stringify({ servers: reports }, null, 2)));
    } else {
      for (const r of reports) {
        out(`${r.name}: ${describeState(manager.state(r.name)!)}${r.state === 'running' ? ` — ${r.tools.length} tools, ${r.resources} resources, ${r.prompts} prompts` : ''}`);
        for (const line of r.stderr ?? []) out(`  stderr | ${line}`);
        for (const t of r.tools) out(`  ${t.name}${t.description ? `  ${firstLine(t.description)}` : ''}`);
      }
    }
    return 0;
  } finally {
    await session.close();
  }
}

function firstLine(text: string): string {
  const line = text.split('\n')[0];
  return line.length > 100 ? `${line.slice(0, 97)}…` : line;
}
