/** Shapes shared by the router, the policy hook that guards it, and whoever audits its calls. */
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { ModelResult } from './results';

/** Where a call came from: the chat participant, Copilot through the gateway, the tree, the CLI. */
export type CallOrigin = 'chat' | 'gateway' | 'manual' | 'cli';

/** A call that resolved and validated, about to be authorized. */
export interface PendingToolCall {
  /** The namespaced name. */
  name: string;
  server: string;
  /** The tool's definition as the server lists it now (name is the server's own). */
  tool: Tool;
  args: Record<string, unknown>;
  origin: CallOrigin;
}

/** `rule` is the id of the stored rule that decided (or that the user's answer created). */
export type AuthorizationOutcome =
  | { allowed: true; by: 'policy' | 'user' | 'host'; rule?: string }
  | { allowed: false; by: 'policy' | 'user'; reason: string; rule?: string };

/** Answers synchronously when a rule or setting settles the call, so that call pays for no promise. */
export type Authorizer = (call: PendingToolCall, signal?: AbortSignal) => AuthorizationOutcome | Promise<AuthorizationOutcome>;

/**
 * How a call ended. Only `ok` and `toolError` reached the server and carry its result; every other
 * kind says why it never got there (or never came back), in words fit for a model and a user.
 */
export type ToolCallOutcome =
  | { kind: 'ok'; result: CallToolResult; model: ModelResult }
  | { kind: 'toolError'; result: CallToolResult; model: ModelResult }
  | { kind: 'invalidArguments'; message: string }
  | { kind: 'unknownTool'; message: string }
  | { kind: 'serverNotRunning'; message: string }
  | { kind: 'denied'; message: string; by: 'policy' | 'user' }
  | { kind: 'cancelled'; message: string }
  | { kind: 'failed'; message: string };

export type OutcomeKind = ToolCallOutcome['kind'];

/** One finished call, for the audit log: never the arguments or the result themselves. */
export interface CallRecord {
  /** ISO 8601, when the call started. */
  readonly time: string;
  name: string;
  server?: string;
  tool?: string;
  origin: CallOrigin;
  /** sha256 of the canonical JSON of the arguments; computed when first read (the audit log reads it after the call). */
  readonly argsHash: string;
  authorization?: AuthorizationOutcome;
  outcome: OutcomeKind;
  durationMs: number;
}

export interface CallOptions {
  origin: CallOrigin;
  signal?: AbortSignal;
  /** Progress notifications from the server, as they come. */
  onProgress?: (progress: { progress: number; total?: number; message?: string }) => void;
}
