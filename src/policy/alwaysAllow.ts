/**
 * "Always Allow" given after the fact: the button under a chat answer, for a call VS Code's card
 * let run. The rule pins the definition that was approved when the call ran, never what the
 * server lists when the button is clicked: a server that changes the tool in between must not get
 * the new version allowed unasked. If it did change, the rule covers only the approved version,
 * and the next call asks, saying what changed.
 */
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { ServerRef } from '../config/identity';
import type { Authorizer, PendingToolCall } from '../router/types';
import { definitionOf, describeDefinitionChange, matchesPin, pinTool } from './fingerprint';
import { allowToolRule, type RuleFactoryOptions } from './rules';
import type { DefinitionChange, Rule, RuleScope, ToolDefinition } from './types';

/** A tool call that was approved: the server as rules know it, and the definition it ran with. */
export interface ApprovedTool {
  server: ServerRef;
  /** The server's own tool name. */
  tool: string;
  definition: ToolDefinition;
}

/**
 * The rule for "Always Allow" on an approved call, and how the tool differs now from what was
 * approved (empty when it is the same, or when `current` is unknown: a stopped server).
 */
export function alwaysAllowApproved(
  approved: ApprovedTool, current: Tool | undefined, scope: RuleScope = 'always', options: RuleFactoryOptions = {},
): { rule: Rule; changed: DefinitionChange[] } {
  const rule = allowToolRule(approved.server, { ...approved.definition, name: approved.tool }, scope, options);
  const pin = pinTool(approved.definition);
  const changed = current && !matchesPin(pin, current) ? describeDefinitionChange(pin.definition, current) : [];
  return { rule, changed };
}

/** What the user is told when the tool changed between the call and the click. */
export function alwaysAllowChangedMessage(name: string, changed: readonly DefinitionChange[]): string {
  return `${name} changed after you approved it (${changed.map((c) => c.message).join('; ')}). `
    + 'Always Allow covers the version you approved, so the changed tool will ask before it runs.';
}

/** How many approved calls are remembered: the buttons that need them come right after their calls. */
const MAX_APPROVED = 64;

/**
 * The definition VS Code's card last let run, per namespaced tool name: what an "Always Allow"
 * button offered after the call may pin.
 */
export class ApprovedCalls {
  private readonly _byName = new Map<string, ApprovedTool>();

  /** `identity` is the manager's: who the server by this name is now. */
  constructor(private readonly _identity: (server: string) => string | undefined) {}

  /** `authorize`, with every call it lets run on VS Code's approval remembered. */
  wrap(authorize: Authorizer): Authorizer {
    return (call, signal) => {
      const outcome = authorize(call, signal);
      // The card's approval settles synchronously; a prompt of ours is no card.
      if (!(outcome instanceof Promise) && outcome.allowed && outcome.by === 'host') this._remember(call);
      return outcome;
    };
  }

  get(name: string): ApprovedTool | undefined {
    return this._byName.get(name);
  }

  private _remember(call: PendingToolCall): void {
    const identity = this._identity(call.server);
    if (identity === undefined) return;
    this._byName.delete(call.name);
    this._byName.set(call.name, { server: { name: call.server, identity }, tool: call.tool.name, definition: definitionOf(call.tool) });
    if (this._byName.size > MAX_APPROVED) this._byName.delete(this._byName.keys().next().value!);
  }
}
