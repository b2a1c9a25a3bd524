/**
 * The permission side of the product as the editor wires it, without the editor: the router over
 * a real manager, guarded by the real authorizer (rule store, host pins, the approvals an
 * "Always Allow" button pins), and a prompt that records what it was asked and answers as told.
 */
import type { McpClientManager } from '../../src/client/manager';
import { ApprovedCalls } from '../../src/policy/alwaysAllow';
import { createAuthorizer, type PermissionRequest } from '../../src/policy/authorizer';
import { HostPins } from '../../src/policy/hostPins';
import { RuleStore, type KeyValueStore } from '../../src/policy/ruleStore';
import type { Answer } from '../../src/policy/types';
import { managerBackend } from '../../src/router/backend';
import { ToolRouter } from '../../src/router/router';
import { SchemaGuard } from '../../src/router/schemaGuard';
import { testManager } from '../connection/helpers';
import { watchHost, type Figures } from './harness';

export interface PolicyKit {
  router: ToolRouter;
  store: RuleStore;
  hostPins: HostPins;
  approved: ApprovedCalls;
  /** Every prompt shown, in order. */
  asked: PermissionRequest[];
  /** What the next prompts answer; `undefined` dismisses them. */
  answer: Answer | undefined;
}

export interface PolicyKitOptions {
  /** Backs always and workspace rules and the host pins (a JSON file, as the CLI keeps them). */
  storage?: KeyValueStore;
  /** No prompt at all: an `ask` is refused, as in a pipeline. */
  unattended?: boolean;
}

export function policyKit(manager: McpClientManager, options: PolicyKitOptions = {}): PolicyKit {
  const store = new RuleStore({ always: options.storage, workspace: options.storage });
  const hostPins = new HostPins(options.storage);
  const approved = new ApprovedCalls((server) => manager.identity(server));
  const kit: PolicyKit = { store, hostPins, approved, asked: [], answer: 'deny', router: undefined! };
  const authorize = createAuthorizer({
    store, hostPins,
    settings: () => ({ autoAllowReadOnly: false }),
    serverTools: (server) => manager.catalog(server)?.tools ?? [],
    identity: (server) => manager.identity(server),
    prompt: options.unattended ? undefined : async (request) => { kit.asked.push(request); return kit.answer; },
  });
  kit.router = new ToolRouter(managerBackend(manager), { authorize: approved.wrap(authorize), guard: guardOf(manager) });
  return kit;
}

const guards = new WeakMap<McpClientManager, SchemaGuard>();
const guardOf = (manager: McpClientManager): SchemaGuard => guards.get(manager) ?? new SchemaGuard();

/**
 * A manager as the editor makes one: every SDK client and the router share one schema guard,
 * so each schema compiles once (a client of its own would build an Ajv per server).
 */
export function guardedManager(): McpClientManager {
  const guard = new SchemaGuard();
  const { manager } = testManager(undefined, undefined, { jsonSchemaValidator: () => guard });
  guards.set(manager, guard);
  return manager;
}

/** A stdio config that runs a built script with this Node. */
export function nodeScript(script: string, args: string[] = [], env: Record<string, string> = {}) {
  return { type: 'stdio' as const, command: process.execPath, args: [script, ...args], env };
}

/** The first text of a call's result, or the outcome's message. */
export function outcomeText(outcome: Awaited<ReturnType<ToolRouter['call']>>): string {
  if (outcome.kind === 'ok' || outcome.kind === 'toolError') return (outcome.result.content[0] as { text: string }).text;
  return outcome.message;
}

/**
 * Runs `attack` under the harness's watch and returns the figures. The watch stops even when the
 * attack throws: its sampling timer would otherwise keep mocha from exiting after a failure.
 */
export async function underWatch(attack: () => Promise<void>): Promise<Figures> {
  const w = watchHost();
  let figures: Figures | undefined;
  try {
    await attack();
  } finally {
    figures = w.stop();
  }
  return figures;
}
