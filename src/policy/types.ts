/**
 * Shapes of the permission policy: the rules a user's answers leave behind, the settings that
 * widen the default, and the decision the policy hands to whoever guards a call. Everything here
 * is plain JSON-friendly data so rules can live in a Memento or a file unchanged.
 */
import type { Tool } from '@modelcontextprotocol/sdk/types.js';

export type RuleEffect = 'allow' | 'deny';

/**
 * How long a rule lasts: `session` until the window (or CLI process) ends, `workspace` in this
 * workspace's storage, `always` in the user's global storage.
 */
export type RuleScope = 'session' | 'workspace' | 'always';

export const RULE_SCOPES: readonly RuleScope[] = ['session', 'workspace', 'always'];

/** What a rule applies to. Names are the server's config name and the server's own tool name. */
export interface RuleTarget {
  /** The config name, shown to people; matching goes by `identity`. */
  server: string;
  /**
   * The server's identity (config/identity.ts): name, source and launch definition. An allow rule
   * without one covers nothing; a deny rule without one (from before identities) holds for every
   * server of that name, which can only be stricter.
   */
  identity?: string;
  /** The raw tool name as the server lists it (not namespaced); absent = the whole server. */
  tool?: string;
}

/** The parts of a tool definition that are pinned: what the user was shown when they agreed. */
export interface ToolDefinition {
  description?: string;
  inputSchema: Tool['inputSchema'];
  annotations?: Tool['annotations'];
}

/**
 * One pinned definition. The snapshot is kept next to its hash so that, when the server later
 * changes the tool, the prompt can say what changed rather than only that something did.
 */
export interface PinnedDefinition {
  /** sha256 (hex) of the snapshot's canonical JSON. */
  hash: string;
  definition: ToolDefinition;
}

/**
 * Raw tool name → the definition pinned for it. Names come from servers, so these records have no
 * prototype (see `pinsOf`) and are read with `ownPin`.
 */
export type PinnedTools = Record<string, PinnedDefinition>;

/**
 * A stored permission. Allow rules carry `pins`: one entry for a tool rule, one per tool the
 * server had when a server-wide rule was granted. An allow rule without a pin for a tool never
 * covers that tool (the policy fails closed). Deny rules ignore pins: a denial holds whatever the
 * tool turns into.
 */
export interface Rule {
  id: string;
  target: RuleTarget;
  effect: RuleEffect;
  scope: RuleScope;
  pins?: PinnedTools;
  /** ISO 8601. */
  createdAt: string;
}

/** User settings that change the policy's defaults. */
export interface PolicySettings {
  /**
   * Allow tools that declare `readOnlyHint: true` (and not `destructiveHint: true`) without asking.
   * Off by default: hints come from the server and are not proof of anything.
   */
  autoAllowReadOnly: boolean;
}

export const DEFAULT_POLICY_SETTINGS: Readonly<PolicySettings> = Object.freeze({ autoAllowReadOnly: false });

/** One readable difference between a pinned definition and the current one. */
export interface DefinitionChange {
  part: 'description' | 'inputSchema' | 'annotations';
  /** E.g. `input schema: property "path" added`, `annotations: destructiveHint false → true`. */
  message: string;
}

/**
 * Why the policy wants the user asked:
 * - `noRule`: nothing allows or denies this tool (the default for every tool);
 * - `destructive`: the tool says `destructiveHint: true` and only a rule for this exact tool covers it;
 * - `definitionChanged`: an allow rule pinned a different definition of this tool;
 * - `newTool`: the server was allowed as a whole, but this tool did not exist then.
 */
export type AskReason = 'noRule' | 'destructive' | 'definitionChanged' | 'newTool';

/** The policy's verdict for one call. */
export type Decision =
  /** `rule` is absent when the read-only setting allowed the call. */
  | { kind: 'allow'; rule?: Rule; message: string }
  /** `rule` is the allow rule that no longer applies, if any; `changed` says how the tool moved on. */
  | { kind: 'ask'; reason: AskReason; message: string; rule?: Rule; changed?: DefinitionChange[] }
  | { kind: 'deny'; rule: Rule; message: string };

/** What the user can answer when asked. Only some answers leave a rule behind. */
export type Answer = 'allowOnce' | 'allowSession' | 'allowToolAlways' | 'allowServerAlways' | 'deny';
