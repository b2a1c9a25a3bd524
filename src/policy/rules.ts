/**
 * Turning a user's answer into a rule, and keeping one rule per target and scope. Allow-once is an
 * answer, not a rule: it authorizes the call in hand and leaves nothing behind.
 */
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { randomUUID } from 'node:crypto';
import { pinTool } from './fingerprint';
import type { Answer, PinnedTools, Rule, RuleScope, RuleTarget } from './types';

/** Clock and id source, injectable so tests get stable rules. */
export interface RuleFactoryOptions {
  now?: () => Date;
  newId?: () => string;
}

const stamp = (options: RuleFactoryOptions) => ({
  id: (options.newId ?? randomUUID)(),
  createdAt: (options.now?.() ?? new Date()).toISOString(),
});

/** Pins every given tool by its raw name; a later duplicate name wins, as it would in a listing. */
export function pinTools(tools: readonly Tool[]): PinnedTools {
  const pins: PinnedTools = {};
  for (const tool of tools) pins[tool.name] = pinTool(tool);
  return pins;
}

/** An allow rule for one tool, pinned to the definition the user saw. */
export function allowToolRule(server: string, tool: Tool, scope: RuleScope, options: RuleFactoryOptions = {}): Rule {
  return { ...stamp(options), target: { server, tool: tool.name }, effect: 'allow', scope, pins: pinTools([tool]) };
}

/**
 * A server-wide allow rule pinned to every tool the server lists now: tools added or changed later
 * are asked about again, so allowing a server never silently extends to what it turns into.
 */
export function allowServerRule(server: string, tools: readonly Tool[], scope: RuleScope, options: RuleFactoryOptions = {}): Rule {
  return { ...stamp(options), target: { server }, effect: 'allow', scope, pins: pinTools(tools) };
}

/** A persistent (or session) denial of a tool or, without `target.tool`, of a whole server. */
export function denyRule(target: RuleTarget, scope: RuleScope, options: RuleFactoryOptions = {}): Rule {
  const copy: RuleTarget = target.tool === undefined ? { server: target.server } : { server: target.server, tool: target.tool };
  return { ...stamp(options), target: copy, effect: 'deny', scope };
}

/** What the prompt was about: the call's server and tool, and the server's tools right now. */
export interface AnswerContext {
  server: string;
  tool: Tool;
  /** Every tool the server lists now; pinned by "Always allow this server". */
  serverTools: readonly Tool[];
}

/**
 * The rule an answer leaves behind, or `undefined` for answers that only decide this call
 * (allow once, deny). "Deny" stays an answer so one refusal does not lock a tool away for good;
 * use `denyRule` for a deliberate, lasting denial.
 */
export function ruleForAnswer(answer: Answer, ctx: AnswerContext, options: RuleFactoryOptions = {}): Rule | undefined {
  switch (answer) {
    case 'allowOnce':
    case 'deny':
      return undefined;
    case 'allowSession':
      return allowToolRule(ctx.server, ctx.tool, 'session', options);
    case 'allowToolAlways':
      return allowToolRule(ctx.server, ctx.tool, 'always', options);
    case 'allowServerAlways': {
      // The tool being called is pinned even if the listing the caller passed is stale.
      const others = ctx.serverTools.filter((t) => t.name !== ctx.tool.name);
      return allowServerRule(ctx.server, [...others, ctx.tool], 'always', options);
    }
  }
}

/** Whether two targets name the same thing (a tool rule never matches a server rule). */
export function sameTarget(a: RuleTarget, b: RuleTarget): boolean {
  return a.server === b.server && a.tool === b.tool;
}

/**
 * `rules` with `rule` in place of any rule for the same target and scope, whatever its effect, and
 * of any rule with the same id: the latest answer is what the user means, and re-answering
 * refreshes pins instead of piling up near-duplicates that would each need revoking.
 */
export function upsertRule(rules: readonly Rule[], rule: Rule): Rule[] {
  const replaced = (r: Rule) => r.id === rule.id || (r.scope === rule.scope && sameTarget(r.target, rule.target));
  return [...rules.filter((r) => !replaced(r)), rule];
}

/** Whether a rule applies to calls of `tool` on `server` (ignoring pins). */
export function ruleTargets(rule: Rule, server: string, tool: string): boolean {
  return rule.target.server === server && (rule.target.tool === undefined || rule.target.tool === tool);
}
