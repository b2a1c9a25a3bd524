/**
 * The router's authorization hook, built from the policy: rules and settings decide what they can,
 * and only an `ask` reaches a person (a prompt in the editor, `--yes` in the CLI). An answer that
 * lasts becomes a rule in the store, so the next call is decided without asking.
 *
 * Calls through the gateway are the exception to "we ask": VS Code's own confirmation card has
 * already been shown for them (asking again would stack two prompts on the user), so an `ask` is
 * settled by the host, except where VS Code cannot know better than us:
 * - deny rules still deny;
 * - a pinned allow that went stale (`definitionChanged`, `newTool`) is asked about by us, because
 *   VS Code does not know what the user agreed to;
 * - so is a tool whose definition changed since VS Code's card last let it run (hostPins.ts):
 *   VS Code remembers its answers by tool name and would not notice.
 * - and a tool that may be destructive (`mayBeDestructive`): VS Code settles its card for a whole
 *   server at once ("Allow Tools from <server>") and tells the gateway nothing of whether the card
 *   was shown for this call, so only our own dialog, naming the tool, can confirm it. The gateway
 *   serves such tools so that VS Code shows no card for them (gateway/catalog), and the user meets
 *   one prompt, ours.
 * VS Code skips its card for tools with `readOnlyHint`; the gateway serves the server's own hint
 * only while the policy itself allows read-only tools unasked, so every other `ask` that reaches
 * here through the gateway passed VS Code's card, or the user's yes to that very server.
 */
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { errorMessage } from '../common/async';
import type { ServerRef } from '../config/identity';
import type { AuthorizationOutcome, Authorizer, PendingToolCall } from '../router/types';
import type { HostPins } from './hostPins';
import { decide, isStaleAsk, mayBeDestructive } from './policy';
import type { RuleStore } from './ruleStore';
import { ruleForAnswer } from './rules';
import type { Answer, Decision, PolicySettings } from './types';

export type AskDecision = Extract<Decision, { kind: 'ask' }>;

/** What a prompt is shown: the call, why the policy asks, and what changed if that is why. */
export interface PermissionRequest {
  call: PendingToolCall;
  decision: AskDecision;
}

/**
 * Asks a person. `undefined` means the prompt was dismissed, which counts as a denial. Rejects
 * or ignores the signal as it likes: the router stops waiting when the call is cancelled.
 */
export type PermissionPrompt = (request: PermissionRequest, signal?: AbortSignal) => Promise<Answer | undefined>;

export interface AuthorizerOptions {
  store: RuleStore;
  settings: () => PolicySettings;
  /**
   * The identity of the server by this name now (config/identity.ts; the manager's `identity`):
   * rules and pins match it, never the name alone. Undefined for a server that is not configured.
   */
  identity: (server: string) => string | undefined;
  /** Every tool the server lists now, pinned by "Always allow this server". */
  serverTools: (server: string) => readonly Tool[];
  /** Absent where nobody can be asked: an `ask` is then refused with `unattended` as the reason. */
  prompt?: PermissionPrompt;
  /** Why an unattended `ask` is refused, e.g. how to allow the call next time. */
  unattended?: string;
  /** The definitions VS Code's card let through; without it a change behind VS Code's back goes unnoticed. */
  hostPins?: HostPins;
  /** Told when a lasting answer could not be saved (the call still goes ahead). */
  onProblem?: (message: string) => void;
}

/** Whether VS Code's own confirmation already stood for this ask (see the file comment). */
export function hostConfirmed(call: PendingToolCall, decision: AskDecision): boolean {
  if (call.origin !== 'gateway') return false;
  return !isStaleAsk(decision) && !mayBeDestructive(call.tool);
}

export const DECLINED = 'the user declined to run this tool';

/** Why an ask could not be put to anyone, as a statement (the decision's message is a question for `noRule`). */
function unattendedReason(call: PendingToolCall, decision: AskDecision): string {
  if (decision.reason === 'noRule') return `no rule allows "${call.tool.name}" from server "${call.server}".`;
  const changes = decision.changed?.map((c) => c.message).join('; ');
  return changes ? `${decision.message} (${changes})` : decision.message;
}

/** Origins whose calls VS Code's card approves: Copilot through the gateway, and @switchboard's card path. */
const carded = (origin: PendingToolCall['origin']) => origin === 'gateway' || origin === 'chat';

/** What a decision is made from, shared by the authorizer and previews of it. */
export type PolicySource = Pick<AuthorizerOptions, 'store' | 'settings' | 'hostPins' | 'identity'>;

/** The server a call goes to, as rules and pins know it, if it is configured. */
export function serverRef(options: Pick<AuthorizerOptions, 'identity'>, server: string): ServerRef | undefined {
  const identity = options.identity(server);
  return identity === undefined ? undefined : { name: server, identity };
}

/**
 * The policy's decision for a call, with the definition VS Code's card last let through taken
 * into account (see hostPins.ts): an ask the card would settle becomes "changed since VS Code
 * let it run" when the tool changed since. The chat participant previews with it.
 */
export function decideCall(options: PolicySource, call: Pick<PendingToolCall, 'server' | 'tool' | 'origin'>): Decision {
  const identity = options.identity(call.server);
  const decision = decide({ server: call.server, identity, tool: call.tool, rules: options.store.rulesFor(call.server), settings: options.settings() });
  if (decision.kind !== 'ask' || isStaleAsk(decision) || !carded(call.origin) || identity === undefined) return decision;
  const pin = options.hostPins?.check({ name: call.server, identity }, call.tool);
  if (pin?.kind !== 'changed') return decision;
  return { kind: 'ask', reason: 'definitionChanged', changed: pin.changed, message: `"${call.tool.name}" changed since VS Code's approval last let it run.` };
}

export function createAuthorizer(options: AuthorizerOptions): Authorizer {
  const decideNow = (call: PendingToolCall) => decideCall(options, call);
  /** Prompts are shown one at a time; see `ask`. */
  let prompts: Promise<unknown> = Promise.resolve();

  /**
   * Settles what the policy alone can settle; `undefined` means a person must be asked. Run again
   * after waiting for an earlier prompt, because that answer ("allow for this session") may have
   * settled this call too.
   */
  const settle = (call: PendingToolCall, decision: Decision): AuthorizationOutcome | undefined => {
    if (decision.kind === 'allow') return { allowed: true, by: 'policy', rule: decision.rule?.id };
    if (decision.kind === 'deny') return { allowed: false, by: 'policy', reason: decision.message, rule: decision.rule.id };
    if (hostConfirmed(call, decision)) {
      const ref = serverRef(options, call.server);
      if (ref) options.hostPins?.record(ref, call.tool);
      return { allowed: true, by: 'host' };
    }
    if (!options.prompt) {
      return { allowed: false, by: 'policy', reason: [unattendedReason(call, decision), options.unattended].filter(Boolean).join(' ') };
    }
    return undefined;
  };

  const ask = async (prompt: PermissionPrompt, call: PendingToolCall, signal?: AbortSignal): Promise<AuthorizationOutcome> => {
    const decision = decideNow(call);
    const settled = settle(call, decision);
    if (settled || decision.kind !== 'ask') return settled!;
    if (signal?.aborted) return { allowed: false, by: 'user', reason: 'the call was cancelled before it was approved' };
    // Taken before asking: a yes covers what the server was when the question was put, not what
    // it turned into while the prompt was open.
    const ref = serverRef(options, call.server);
    const serverTools = [...options.serverTools(call.server)];
    const answer = await prompt({ call, decision }, signal);
    if (!answer || answer === 'deny') return { allowed: false, by: 'user', reason: DECLINED };
    if (!ref || options.identity(call.server) !== ref.identity) {
      // The server was reconfigured while the prompt was open: this call may go, nothing lasts.
      return { allowed: true, by: 'user' };
    }
    // The user saw this definition and said yes: VS Code's later approvals stand for it.
    if (carded(call.origin)) options.hostPins?.record(ref, call.tool);
    const rule = ruleForAnswer(answer, { server: ref, tool: call.tool, serverTools });
    if (rule) {
      // The memory copy changes at once; a failed save only means the rule will not outlive this run.
      await options.store.upsert(rule).catch((e: unknown) => options.onProblem?.(`Your answer was not saved: ${errorMessage(e)}`));
    }
    return { allowed: true, by: 'user', rule: rule?.id };
  };

  return (call, signal) => {
    const settled = settle(call, decideNow(call));
    if (settled) return settled;
    // Several calls at once (a model's parallel tool calls) get one prompt after another, never a pile of dialogs.
    const turn = prompts.then(() => ask(options.prompt!, call, signal));
    prompts = turn.catch(() => undefined);
    return turn;
  };
}
