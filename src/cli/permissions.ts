/**
 * The CLI's permission rules and audit log, in the user data folder (see `userData.ts`):
 * `permissions.json` holds `always` rules, and `workspace` rules keyed by the config file they
 * were granted for (the CLI's notion of a workspace); `audit.jsonl` gets one line per call.
 *
 * The editor keeps its own rules in VS Code's storage: a pipeline should not silently inherit
 * what someone clicked in a window, nor the other way round.
 *
 * Subcommands: `allow`, `deny`, `permissions`, `revoke`.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { escapeJsonControls } from '../common/terminalText';
import type { ServerRef } from '../config/identity';
import { AuditLog } from '../policy/audit';
import { JsonFileStore } from '../policy/fileStore';
import { allowServerRule, allowToolRule, denyRule } from '../policy/rules';
import { RuleStore, type KeyValueStore } from '../policy/ruleStore';
import type { Rule, RuleScope } from '../policy/types';
import { configPathOf } from './loadConfig';
import { openSession, type CliSession } from './session';
import { userDataDir } from './userData';

export interface CliPolicy {
  store: RuleStore;
  audit: AuditLog;
  dir: string;
}

/** A view of `inner` whose keys carry `suffix`, so one file holds every config's workspace rules. */
function suffixedKeys(inner: KeyValueStore, suffix: string): KeyValueStore {
  return {
    get: <T>(key: string) => inner.get<T>(`${key}:${suffix}`),
    update: (key, value) => inner.update(`${key}:${suffix}`, value),
  };
}

export async function openPolicy(configFile: string, err: (line: string) => void): Promise<CliPolicy> {
  const dir = userDataDir({ platform: process.platform, env: process.env, home: os.homedir() });
  const file = await JsonFileStore.open(path.join(dir, 'permissions.json'), { onProblem: (m) => err(`warning: ${m}`) });
  const store = new RuleStore({
    always: file, workspace: suffixedKeys(file, path.resolve(configFile)), onProblem: (m) => err(`warning: ${m}`),
  });
  const audit = new AuditLog({ file: path.join(dir, 'audit.jsonl'), onError: (e) => err(`warning: could not write the audit log: ${String(e)}`) });
  return { store, audit, dir };
}

export interface PermissionOptions { config?: string; json?: boolean; verbose?: boolean; scope?: string }

const describeRule = (r: Rule): string =>
  `${r.id}  ${r.effect.padEnd(5)} ${r.scope.padEnd(9)} ${r.target.tool ? `${r.target.server}/${r.target.tool}` : `${r.target.server} (whole server)`}  ${r.createdAt}`;

function parseScope(scope: string | undefined): RuleScope | { error: string } {
  const s = scope ?? 'always';
  return s === 'always' || s === 'workspace' ? s : { error: `--scope must be "always" or "workspace", not "${s}"` };
}

/**
 * `allow <tool|server>` and `deny <tool|server>`: a name that is a configured server means the
 * whole server; anything else is a namespaced tool. Allowing connects the server to pin what is
 * being allowed (the user agrees to a definition, not to a name).
 */
export async function runGrant(
  effect: 'allow' | 'deny', target: string | undefined, opts: PermissionOptions, out: (l: string) => void, err: (l: string) => void,
): Promise<number> {
  if (!target) { err(`usage: switchboard ${effect} <namespaced-tool | server> [--scope always|workspace] [--config FILE]`); return 2; }
  const scope = parseScope(opts.scope);
  if (typeof scope !== 'string') { err(scope.error); return 2; }
  const session = await openSession(opts, err);
  if ('error' in session) { err(session.error); return 2; }
  try {
    const policy = await openPolicy(session.configFile, err);
    const server = session.servers.find((s) => s.name === target);
    let rule: Rule | { error: string };
    if (server && effect === 'deny') rule = denyRule({ server: server.name, identity: server.identity }, scope);
    else rule = await ruleFromServers(session, target, server?.name, effect, scope);
    if ('error' in rule) { err(rule.error); return 1; }
    await policy.store.upsert(rule);
    out(`${rule.effect === 'allow' ? 'allowed' : 'denied'}: ${describeRule(rule)}`);
    if (rule.effect === 'allow' && rule.pins) out(`pinned: ${Object.keys(rule.pins).sort().join(', ')}`);
    return 0;
  } finally {
    await session.close();
  }
}

async function ruleFromServers(
  session: CliSession, target: string, server: string | undefined, effect: 'allow' | 'deny', scope: RuleScope,
): Promise<Rule | { error: string }> {
  await session.manager.reconcile(server ? session.servers.filter((s) => s.name === server) : session.servers);
  if (server) {
    const state = session.manager.state(server);
    if (state?.kind !== 'running') return { error: `${server} is not running (${state?.kind ?? 'unknown'}); its tools cannot be pinned.` };
    return allowServerRule(refOf(session, server), session.manager.catalog(server)?.tools ?? [], scope);
  }
  const found = session.manager.tools().find((t) => t.name === target);
  if (!found) return { error: `no running server offers a tool named "${target}" (see \`switchboard list\`)` };
  const ref = refOf(session, found.server);
  return effect === 'allow' ? allowToolRule(ref, found.tool, scope) : denyRule({ server: ref.name, identity: ref.identity, tool: found.tool.name }, scope);
}

/** A running server as rules know it (a running server is configured, so it has an identity). */
function refOf(session: CliSession, server: string): ServerRef {
  return { name: server, identity: session.manager.identity(server)! };
}

/** `permissions`: every rule the CLI would apply for this config, with the ids `revoke` takes. */
export async function runPermissions(opts: PermissionOptions, out: (l: string) => void, err: (l: string) => void): Promise<number> {
  const policy = await openPolicy(configPathOf(opts.config), err);
  const rules = policy.store.list();
  if (opts.json) out(escapeJsonControls(JSON.stringify(rules, null, 2)));
  else if (!rules.length) out(`no rules (stored in ${policy.dir})`);
  else for (const r of rules) out(describeRule(r));
  return 0;
}

export async function runRevoke(id: string | undefined, opts: PermissionOptions, out: (l: string) => void, err: (l: string) => void): Promise<number> {
  if (!id) { err('usage: switchboard revoke <rule-id> [--config FILE]'); return 2; }
  const policy = await openPolicy(configPathOf(opts.config), err);
  if (!(await policy.store.revoke(id))) { err(`no rule with id ${id} (see \`switchboard permissions\`)`); return 1; }
  out(`revoked ${id}`);
  return 0;
}
