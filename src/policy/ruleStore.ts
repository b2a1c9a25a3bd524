/**
 * Where rules live: session rules in memory, workspace and always rules in a key-value store each
 * (VS Code's workspaceState / globalState, or a JSON file for the CLI). Stored data is validated on
 * load: a corrupt or hand-edited store loses its bad entries, never the extension.
 */
import { z } from 'zod';
import { errorMessage } from '../common/async';
import { Disposable, Emitter, type Event } from '../common/lifecycle';
import { pinsOf, upsertRule } from './rules';
import { RULE_SCOPES, type PinnedDefinition, type Rule, type RuleScope } from './types';

/** The part of a `vscode.Memento` the store needs; a JSON file implements it for the CLI. */
export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

/** Storage keys, one per scope, so a single file can back both persisted scopes. */
export const RULE_STORE_KEYS = {
  workspace: 'switchboard.permissions.workspace',
  always: 'switchboard.permissions.always',
} as const;

type PersistedScope = keyof typeof RULE_STORE_KEYS;

/**
 * Version 2 keys rules by server identity (config/identity.ts). Version 1 rules named only the
 * server, so a workspace server named like a user server would inherit them: on load, version 1
 * allow rules are dropped (with one note; the user is asked again) and version 1 deny rules are
 * kept for every server of that name, which can only be stricter. The migrated list is written
 * back at once, so the note is given once.
 */
const STORE_VERSION = 2;
const LEGACY_VERSION = 1;
const NO_RULES: readonly Rule[] = [];

export const pinSchema = z.object({
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  definition: z.object({
    description: z.string().optional(),
    inputSchema: z.looseObject({ type: z.literal('object') }),
    annotations: z.record(z.string(), z.unknown()).optional(),
  }),
});

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Tool name → pin, read through its entries into a record without a prototype: zod's own record
 * would assign each key, and a tool named `__proto__` would be lost on the way (or worse).
 */
export const pinsSchema = z.preprocess(
  (v) => (isRecord(v) ? Object.entries(v) : v),
  z.array(z.tuple([z.string(), pinSchema])),
).transform((entries) => pinsOf(entries as [string, PinnedDefinition][]));

const ruleSchema = z.object({
  id: z.string().min(1),
  target: z.object({ server: z.string().min(1), identity: z.string().min(1).optional(), tool: z.string().min(1).optional() }),
  effect: z.enum(['allow', 'deny']),
  scope: z.enum(['session', 'workspace', 'always']),
  pins: pinsSchema.optional(),
  createdAt: z.string().min(1),
});

const envelopeSchema = z.object({ version: z.number(), rules: z.array(z.unknown()) });

export interface RuleStoreOptions {
  /** Backs `workspace` rules; without it (no folder open) such rules cannot be added. */
  workspace?: KeyValueStore;
  /** Backs `always` rules; without it they last only as long as the store. */
  always?: KeyValueStore;
  /** Told about dropped entries and failed writes, in words fit for a log. */
  onProblem?: (message: string) => void;
}

/** Rules by scope, with one change event for any of them. */
export class RuleStore extends Disposable {
  private readonly _rules: Record<RuleScope, Rule[]> = { session: [], workspace: [], always: [] };
  private _byServer?: Map<string, Rule[]>;
  private readonly _backing: Partial<Record<PersistedScope, KeyValueStore>>;
  private readonly _onProblem: (message: string) => void;
  /** Writes per scope run one after another so an older list never lands after a newer one. */
  private readonly _writes: Record<PersistedScope, Promise<void>> = { workspace: Promise.resolve(), always: Promise.resolve() };

  private readonly _onDidChange = this._register(new Emitter<RuleScope>());
  /** Fired with the scope whose rules changed. */
  readonly onDidChange: Event<RuleScope> = this._onDidChange.event;

  constructor(options: RuleStoreOptions = {}) {
    super();
    this._backing = { workspace: options.workspace, always: options.always };
    this._onProblem = options.onProblem ?? (() => undefined);
    for (const scope of ['workspace', 'always'] as const) {
      const { rules, migrated } = this._load(scope);
      this._set(scope, rules);
      if (migrated) void this._persist(scope).catch(() => undefined);
    }
  }

  /** Every rule, session first, then workspace, then always. */
  list(): Rule[] {
    return [...this._rules.session, ...this._rules.workspace, ...this._rules.always];
  }

  /** Rules that name `server`, for the policy (which filters by tool itself). */
  rulesFor(server: string): readonly Rule[] {
    // Asked on every call: an index by server, rebuilt on the first lookup after a change.
    if (!this._byServer) {
      this._byServer = new Map();
      for (const rule of this.list()) {
        const list = this._byServer.get(rule.target.server);
        if (list) list.push(rule);
        else this._byServer.set(rule.target.server, [rule]);
      }
    }
    return this._byServer.get(server) ?? NO_RULES;
  }

  private _set(scope: RuleScope, rules: Rule[]): void {
    this._rules[scope] = rules;
    this._byServer = undefined;
  }

  /**
   * Adds `rule`, replacing any rule with the same target and scope (see `upsertRule`) and any rule
   * with the same id in another scope (so moving a rule between scopes is one call). The memory
   * copy changes at once, so the next decision sees it; the promise settles when it is persisted
   * and rejects if that failed (the rule then holds only until the store is reloaded).
   */
  async upsert(rule: Rule): Promise<Rule> {
    const parsed = ruleSchema.safeParse(rule);
    if (!parsed.success) throw new Error(`Invalid rule: ${z.prettifyError(parsed.error)}`);
    if (rule.scope !== 'session' && rule.scope !== 'always' && !this._backing[rule.scope]) {
      throw new Error('Workspace rules need an open workspace.');
    }
    const moved = RULE_SCOPES.filter((s) => s !== rule.scope && this._rules[s].some((r) => r.id === rule.id));
    for (const scope of moved) this._set(scope, this._rules[scope].filter((r) => r.id !== rule.id));
    this._set(rule.scope, upsertRule(this._rules[rule.scope], rule));
    for (const scope of [...moved, rule.scope]) this._onDidChange.fire(scope);
    await Promise.all([...moved, rule.scope].map((scope) => this._persist(scope)));
    return rule;
  }

  /** Removes the rule with `id`, whatever its scope; false if there was none. */
  async revoke(id: string): Promise<boolean> {
    for (const scope of RULE_SCOPES) {
      const before = this._rules[scope];
      const after = before.filter((r) => r.id !== id);
      if (after.length === before.length) continue;
      this._set(scope, after);
      this._onDidChange.fire(scope);
      await this._persist(scope);
      return true;
    }
    return false;
  }

  /** Forgets session rules (window reload, or the user asking to). */
  clearSession(): void {
    if (!this._rules.session.length) return;
    this._set('session', []);
    this._onDidChange.fire('session');
  }

  private _persist(scope: RuleScope): Promise<void> {
    if (scope === 'session') return Promise.resolve();
    const backing = this._backing[scope];
    if (!backing) return Promise.resolve();
    const run = this._writes[scope].then(async () => {
      try {
        // The list is read when the write runs, so queued writes always store the latest state.
        await backing.update(RULE_STORE_KEYS[scope], { version: STORE_VERSION, rules: this._rules[scope] });
      } catch (e) {
        this._onProblem(`Could not save ${scope} permission rules: ${errorMessage(e)}`);
        throw e;
      }
    });
    this._writes[scope] = run.catch(() => undefined);
    return run;
  }

  private _load(scope: PersistedScope): { rules: Rule[]; migrated?: boolean } {
    const backing = this._backing[scope];
    if (!backing) return { rules: [] };
    let raw: unknown;
    try {
      raw = backing.get<unknown>(RULE_STORE_KEYS[scope]);
    } catch (e) {
      this._onProblem(`Could not read ${scope} permission rules: ${errorMessage(e)}`);
      return { rules: [] };
    }
    if (raw === undefined) return { rules: [] };
    const envelope = envelopeSchema.safeParse(raw);
    const version = envelope.data?.version;
    if (!envelope.success || (version !== STORE_VERSION && version !== LEGACY_VERSION)) {
      this._onProblem(`Ignored stored ${scope} permission rules: unrecognized format.`);
      return { rules: [] };
    }
    const rules: Rule[] = [];
    envelope.data.rules.forEach((entry, index) => {
      const parsed = ruleSchema.safeParse(entry);
      if (!parsed.success) {
        this._onProblem(`Dropped stored ${scope} permission rule #${index}: ${z.prettifyError(parsed.error)}`);
      } else if (parsed.data.scope !== scope) {
        this._onProblem(`Dropped stored ${scope} permission rule #${index}: it says its scope is "${parsed.data.scope}".`);
      } else {
        rules.push(parsed.data as Rule);
      }
    });
    if (version === STORE_VERSION) return { rules };
    return { rules: this._migrate(scope, rules), migrated: true };
  }

  /** Version 1 → 2, see STORE_VERSION. */
  private _migrate(scope: PersistedScope, legacy: readonly Rule[]): Rule[] {
    // Version 1 targets never carried an identity, so the denies kept hold for the name.
    const denies = legacy.filter((r) => r.effect === 'deny');
    const dropped = legacy.length - denies.length;
    if (dropped) {
      this._onProblem(`Permission rules now belong to a server's identity (its name, where it is configured and what it runs), `
        + `not to its name alone: ${dropped} earlier ${scope} allow rule${dropped > 1 ? 's were' : ' was'} removed, and those tools ask again.`);
    }
    return denies;
  }
}
