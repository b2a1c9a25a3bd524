/**
 * `switchboard call <tool> '<json>'`: one tool call through the same router, schema guard and
 * permission policy the extension uses. A call the policy would ask about runs only with `--yes`
 * (an "allow once"); a pipeline has nobody to ask, so otherwise nothing is sent (exit 3). Allow
 * rules from `switchboard allow` let it run without `--yes`; deny rules win even over `--yes`.
 * Every call is appended to the audit log. Exit codes: 0 ok, 1 the tool failed or could not be
 * reached, 2 bad input (config, JSON, or arguments the tool's schema rejects; the field is named),
 * 3 not allowed.
 */
import { escapeJsonControls } from '../common/terminalText';
import { sanitizePrefix } from '../client/namespacing';
import { auditEntryFromCall } from '../policy/audit';
import { createAuthorizer } from '../policy/authorizer';
import { DEFAULT_POLICY_SETTINGS } from '../policy/types';
import { renderResultText } from '../router/results';
import { managerBackend } from '../router/backend';
import { ToolRouter } from '../router/router';
import type { ToolCallOutcome } from '../router/types';
import { openPolicy } from './permissions';
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
  const policy = await openPolicy(session.configFile, err);
  const router = new ToolRouter(managerBackend(session.manager), {
    guard: session.guard,
    authorize: createAuthorizer({
      store: policy.store,
      // The read-only shortcut is an editor setting; a pipeline gets the strict default.
      settings: () => DEFAULT_POLICY_SETTINGS,
      serverTools: (server) => session.manager.catalog(server)?.tools ?? [],
      identity: (server) => session.manager.identity(server),
      prompt: opts.yes ? async () => 'allowOnce' : undefined,
      unattended: `Tool calls from the CLI need approval: run again with --yes to allow this call, or \`switchboard allow ${name}\` to allow it from now on.`,
    }),
    onSchemaProblem: (server, tool, m) => err(`warning: ${server}/${tool}: ${m}`),
  });
  router.onDidCall((record) => void policy.audit.append(() => auditEntryFromCall(record)));
  try {
    await session.manager.reconcile(candidates);
    for (const s of candidates) {
      const state = session.manager.state(s.name);
      if (state?.kind === 'error') err(`${s.name}: ${state.message}${state.stderrTail.length ? `\n  stderr | ${state.stderrTail.join('\n  stderr | ')}` : ''}`);
    }
    const outcome = await router.call(name, args, { origin: 'cli' });
    if (opts.json) {
      out(escapeJsonControls(JSON.stringify(outcome.kind === 'ok' || outcome.kind === 'toolError'
        ? { outcome: outcome.kind, result: outcome.result }
        : { outcome: outcome.kind, message: outcome.message }, null, 2)));
    } else if (outcome.kind === 'ok' || outcome.kind === 'toolError') {
      out(renderResultText(outcome.result).trimEnd());
    } else {
      err(outcome.message);
    }
    return EXIT[outcome.kind];
  } finally {
    router.dispose();
    await policy.audit.close();
    await session.close();
  }
}
