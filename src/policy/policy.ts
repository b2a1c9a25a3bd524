/**
 * The permission policy: tool annotations, user rules and settings in, allow / ask / deny out.
 * Pure and synchronous, so the router's hook, the VS Code prompt and the CLI all agree, and every
 * combination is tested without an editor.
 */
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { describeDefinitionChange, matchesPin } from './fingerprint';
import { ownPin, ruleTargets } from './rules';
import type { Decision, DefinitionChange, PolicySettings, Rule } from './types';

export interface PolicyInput {
  /** The server's config name. */
  server: string;
  /** The server's identity (config/identity.ts); without one, no allow rule applies. */
  identity: string | undefined;
  /** The tool as the server lists it now (raw name). */
  tool: Tool;
  /** Any rules; those for other servers and tools are ignored. */
  rules: readonly Rule[];
  settings: PolicySettings;
}

/**
 * Only an explicit `destructiveHint: true` counts. The MCP spec defaults the hint to true for
 * non-read-only tools, but taking that default would make every unannotated tool destructive and
 * server-wide allows meaningless; unannotated tools are asked about by default anyway.
 */
export const isDestructive = (tool: Tool): boolean => tool.annotations?.destructiveHint === true;

/** Read-only and not also claiming to be destructive: contradictory hints get the stricter reading. */
export const isReadOnly = (tool: Tool): boolean => tool.annotations?.readOnlyHint === true && !isDestructive(tool);

/**
 * What the MCP spec assumes of a tool: unless it says it is read-only, it may be destructive, and
 * only `destructiveHint: false` says otherwise. Stricter than `isDestructive`, which decides what
 * a server-wide rule covers; this one decides where a host's blanket yes cannot stand for the user.
 */
export const mayBeDestructive = (tool: Tool): boolean => !isReadOnly(tool) && tool.annotations?.destructiveHint !== false;

/** Whether an ask is about a yes that went stale: the tool changed since, or is new since its server was allowed. */
export const isStaleAsk = (decision: Decision): boolean =>
  decision.kind === 'ask' && (decision.reason === 'definitionChanged' || decision.reason === 'newTool');

/** How an allow rule stands against the tool's current definition. */
type PinCheck =
  | { ok: true }
  | { ok: false; reason: 'definitionChanged'; changed: DefinitionChange[] }
  | { ok: false; reason: 'newTool' };

function checkPin(rule: Rule, tool: Tool): PinCheck {
  const pin = ownPin(rule.pins, tool.name);
  if (!pin) return { ok: false, reason: 'newTool' };
  if (matchesPin(pin, tool)) return { ok: true };
  return { ok: false, reason: 'definitionChanged', changed: describeDefinitionChange(pin.definition, tool) };
}

/** Newest first, so a stale rule reported to the user is the one they granted last. */
const newestFirst = (a: Rule, b: Rule): number => b.createdAt.localeCompare(a.createdAt);

interface Stale { rule: Rule; check: Exclude<PinCheck, { ok: true }> }

/** The first allow rule whose pin still matches, else the newest one that went stale. */
function findAllow(rules: readonly Rule[], tool: Tool): { rule: Rule } | { stale?: Stale } {
  let stale: Stale | undefined;
  for (const rule of rules.length > 1 ? [...rules].sort(newestFirst) : rules) {
    const check = checkPin(rule, tool);
    if (check.ok) return { rule };
    stale ??= { rule, check };
  }
  return { stale };
}

function askForStale(stale: Stale, toolName: string, server: string): Decision {
  if (stale.check.reason === 'newTool') {
    // A tool rule lacking its own pin is malformed; treat it like the server case rather than trust it.
    const message = stale.rule.target.tool === undefined
      ? `"${toolName}" is a new tool since you allowed server "${server}".`
      : `The definition of "${toolName}" you allowed was not recorded.`;
    return { kind: 'ask', reason: 'newTool', message, rule: stale.rule };
  }
  return {
    kind: 'ask', reason: 'definitionChanged', rule: stale.rule, changed: stale.check.changed,
    message: `"${toolName}" changed since you allowed it.`,
  };
}

/**
 * Decides one call. In order:
 * 1. A deny rule for the tool or its server, in any scope, wins over everything.
 * 2. An allow rule for this exact tool applies if its pinned definition still matches.
 * 3. A tool with `destructiveHint: true` is asked about unless step 2 allowed it: a server-wide
 *    allow never covers it (the user agreed to a server, not to each destructive tool in it).
 * 4. A server-wide allow applies if it pinned this tool and the pin still matches; a tool the
 *    server did not list when it was allowed is asked about ("new tool since you allowed this
 *    server"), as is one whose definition changed.
 * 5. With `autoAllowReadOnly` on, a read-only (and not destructive) tool is allowed. This comes
 *    after the rules but is not blocked by a stale pin: the setting alone would allow the tool if
 *    the user had never answered, and a stale answer should not make things stricter than none.
 * 6. Otherwise ask, with the stale rule and what changed when steps 2 or 4 found one.
 *
 * Stale pins are never allowed through: the user agreed to a definition, not to a name.
 */
export function decide(input: PolicyInput): Decision {
  const { server, tool, settings } = input;
  const ref = { name: server, identity: input.identity };
  // One pass, no copies: this runs before every call the router sends.
  let toolDeny: Rule | undefined;
  let serverDeny: Rule | undefined;
  const toolAllows: Rule[] = [];
  const serverAllows: Rule[] = [];
  for (const r of input.rules) {
    if (!ruleTargets(r, ref, tool.name)) continue;
    const forTool = r.target.tool !== undefined;
    if (r.effect === 'deny') {
      if (forTool) toolDeny ??= r;
      else serverDeny ??= r;
    } else {
      (forTool ? toolAllows : serverAllows).push(r);
    }
  }

  const deny = toolDeny ?? serverDeny;
  if (deny) {
    const what = deny.target.tool === undefined ? `server "${server}"` : `"${tool.name}"`;
    return { kind: 'deny', rule: deny, message: `Denied by your rule for ${what} (${deny.scope}).` };
  }

  const byTool = findAllow(toolAllows, tool);
  if ('rule' in byTool) return { kind: 'allow', rule: byTool.rule, message: `Allowed by your rule for "${tool.name}" (${byTool.rule.scope}).` };

  if (isDestructive(tool)) {
    if (byTool.stale) return askForStale(byTool.stale, tool.name, server);
    return { kind: 'ask', reason: 'destructive', message: `"${tool.name}" says it may make destructive changes.` };
  }

  const byServer = findAllow(serverAllows, tool);
  if ('rule' in byServer) return { kind: 'allow', rule: byServer.rule, message: `Allowed by your rule for server "${server}" (${byServer.rule.scope}).` };

  if (settings.autoAllowReadOnly && isReadOnly(tool)) {
    return { kind: 'allow', message: `"${tool.name}" is read-only and read-only tools are allowed by your settings.` };
  }

  const stale = byTool.stale ?? byServer.stale;
  if (stale) return askForStale(stale, tool.name, server);
  return { kind: 'ask', reason: 'noRule', message: `Allow "${tool.name}" from server "${server}" to run?` };
}
