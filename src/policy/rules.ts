/**
 * Turning a user's answer into a rule, and keeping one rule per target and scope. Allow-once is an
 * answer, not a rule: it authorizes the call in hand and leaves nothing behind.
 */
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { randomUUID } from 'node:crypto';
import type { ServerRef } from '../config/identity';
import { pinTool } from './fingerprint';
import type { Answer, PinnedDefinition, PinnedTools, Rule, RuleScope, RuleTarget } from './types';

/** Clock and id source, injectable so tests get stable rules. */
export interface RuleFactoryOptions {
  now?: () => Date;
  newId?: () => string;
}

const stamp = (options: RuleFactoryOptions) => ({
  id: (options.newId ?? randomUUID)(),
  createdAt: (options.now?.() ?? new Date()).toISOString(),
});

/**
 * A pins record without a prototype: tool names come from servers, and one named `__proto__` or
 * `constructor` must be a key like any other, never a way into `Object.prototype`.
 */
export function pinsOf(entries: Iterable<readonly [string, PinnedDefinition]>): PinnedTools {
  const pins = Object.create(null) as PinnedTools;
  for (const [name, pin] of entries) pins[name] = pin;
  return pins;
}

/** The pin for `tool`, if the record has one of its own. */
export const ownPin = (pins: PinnedTools | undefined, tool: string): PinnedDefinition | undefined =>
  pins && Object.hasOwn(pins, tool) ? pins[tool] : undefined;

/** Pins every given tool by its raw name; a later duplicate name wins, as it would in a listing. */
export function pinTools(tools: readonly Tool[]): PinnedTools {
  return pinsOf(tools.map((tool) => [tool.name, pinTool(tool)] as const));
}

const serverTarget = (server: ServerRef): RuleTarget => ({ server: server.name, identity: server.identity });

/** An allow rule for one tool, pinned to the definition the user saw. */
export function allowToolRule(server: ServerRef, tool: Tool, scope: RuleScope, options: RuleFactoryOptions = {}): Rule {
  return { ...stamp(options), target: { ...serverTarget(server), tool: tool.name }, effect: 'allow', scope, pins: pinTools([tool]) };
}

/**
 * A server-wide allow rule pinned to every tool the server lists now: tools added or changed later
 * are asked about again, so allowing a server never silently extends to what it turns into.
 */
export function allowServerRule(server: ServerRef, tools: readonly Tool[], scope: RuleScope, options: RuleFactoryOptions = {}): Rule {
  return { ...stamp(options), target: serverTarget(server), effect: 'allow', scope, pins: pinTools(tools) };
}

/** A persistent (or session) denial of a tool or, without `target.tool`, of a whole server. */
export function denyRule(target: RuleTarget, scope: RuleScope, options: RuleFactoryOptions = {}): Rule {
  const copy: RuleTarget = { server: target.server };
  if (target.identity !== undefined) copy.identity = target.identity;
  if (target.tool !== undefined) copy.tool = target.tool;
  return { ...stamp(options), target: copy, effect: 'deny', scope };
}

/** What the prompt was about: the call's server and tool, and the server's tools when it was asked. */
export interface AnswerContext {
  server: ServerRef;
  tool: Tool;
  /** Every tool the server listed when the prompt was shown; pinned by "Always allow this server". */
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
  return a.server === b.server && a.identity === b.identity && a.tool === b.tool;
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

/**
 * Whether a rule applies to calls of `tool` on `server` (ignoring pins). Rules match the server's
 * identity, so a workspace server named like a user server never picks up the user's rules; a
 * deny rule without an identity (stored before identities) holds for every server of its name.
 */
export function ruleTargets(rule: Rule, server: ServerRef | { name: string; identity?: string }, tool: string): boolean {
  const { target } = rule;
  if (target.server !== server.name || (target.tool !== undefined && target.tool !== tool)) return false;
  if (target.identity === undefined) return rule.effect === 'deny';
  return target.identity === server.identity;
}
