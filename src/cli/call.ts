/**
 * `switchboard call <tool> '<json>'`: one tool call through the same router, schema guard and
 * authorization step the extension uses. Without `--yes` nothing is sent (exit 3): a pipeline has
 * nobody to ask. Exit codes: 0 ok, 1 the tool failed or could not be reached, 2 bad input
 * (config, JSON, or arguments the tool's schema rejects; the field is named), 3 not allowed.
 */
import { sanitizePrefix } from '../client/namespacing';
import { renderResultText } from '../router/results';
import { ToolRouter, managerBackend } from '../router/router';
import type { ToolCallOutcome } from '../router/types';
import { openSession } from './session';

export interface CallOptions { config?: string; json?: boolean; yes?: boolean; verbose?: boolean }

const EXIT: Record<ToolCallOutcome['kind'], number> = {
  ok: 0, toolError: 1, unknownTool: 1, serverNotRunning: 1, failed: 1, cancelled: 1, invalidArguments: 2, denied: 3,
};

export async function runCall(
  name: string | undefined, argsText: string | undefined, opts: CallOptions, out: (line: string) => void, err: (line: string) => void,
): Promise<number> {
  if (!name) { err('usage: switchboard call <namespaced-tool> \'<json arguments>\' [--config FILE] [--yes] [--json]'); return 2; }
  let args: Record<string, unknown> = {};
  if (argsText !== undefined) {
    try {
      args = JSON.parse(argsText) as Record<string, unknown>;
    } catch (e) {
      err(`the arguments are not valid JSON: ${(e as Error).message}`);
      return 2;
    }
  }
  const session = await openSession(opts, err);
  if ('error' in session) { err(session.error); return 2; }
  // Only servers whose prefix the name starts with can own it (namespaced names, and the hash
  // suffixes of colliding ones, depend only on servers sharing that prefix), so start just those.
  const candidates = session.servers.filter((s) => name.startsWith(`${sanitizePrefix(s.name)}_`));
  const router = new ToolRouter(managerBackend(session.manager), {
    guard: session.guard,
    authorize: async () => (opts.yes
      ? { allowed: true, by: 'user' }
      : { allowed: false, by: 'policy', reason: 'tool calls from the CLI need approval: run again with --yes to allow this call' }),
    onSchemaProblem: (server, tool, m) => err(`warning: ${server}/${tool}: ${m}; arguments not checked`),
  });
  try {
    await session.manager.reconcile(candidates);
    for (const s of candidates) {
      const state = session.manager.state(s.name);
      if (state?.kind === 'error') err(`${s.name}: ${state.message}${state.stderrTail.length ? `\n  stderr | ${state.stderrTail.join('\n  stderr | ')}` : ''}`);
    }
    const outcome = await router.call(name, args, { origin: 'cli' });
    if (opts.json) {
      out(JSON.stringify(outcome.kind === 'ok' || outcome.kind === 'toolError'
        ? { outcome: outcome.kind, result: outcome.result }
        : { outcome: outcome.kind, message: outcome.message }, null, 2));
    } else if (outcome.kind === 'ok' || outcome.kind === 'toolError') {
      out(renderResultText(outcome.result).trimEnd());
    } else {
      err(outcome.message);
    }
    return EXIT[outcome.kind];
  } finally {
    router.dispose();
    await session.close();
  }
}
