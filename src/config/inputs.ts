/**
 * Answers to `${input:id}` variables: asked once, then remembered. Password answers live only in
 * the secret store, others in the workspace's own state; neither is written to a file or setting.
 *
 * An answer is kept under a key made of where the input is declared (this workspace's config
 * file, or the user's settings) and what was asked (its id, type, description, options): another
 * workspace that declares an input with the same id asks its own question, and a changed question
 * is asked again. Secrets stored by name alone, before this, are never handed out: they are
 * deleted the first time their id is asked for, and the user is asked again.
 */
import { sha256Hex } from '../common/hash';
import { canonicalJson } from './diff';
import type { ConfigSource, InputDefinition } from './types';

/** The part of VS Code's SecretStorage the store uses. */
export interface SecretStore {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
}

/** The part of a Memento (workspace state) the store uses. */
export interface AnswerStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

/** Asks the user for an input on behalf of `server`; undefined when they cancel. */
export type AskInput = (def: InputDefinition, server: string) => Promise<string | undefined>;

/** Where secrets were kept by input id alone (shared by every workspace). */
export const LEGACY_SECRET_PREFIX = 'switchboard.input.';
const SECRET_PREFIX = 'switchboard.input.v2.';
/** Workspace-state key of the non-secret answers, by input key. */
export const ANSWERS_KEY = 'switchboard.inputs.v2';

/**
 * The key an answer is kept under: the declaring scope (the user's settings, or this workspace's
 * config file and folder) and the question (id, type, description, password, options).
 */
export function inputKey(def: InputDefinition, source: ConfigSource): string {
  const scope = source.kind === 'user' ? { scope: 'user' } : { scope: 'workspace', file: source.file, folder: source.workspaceFolder ?? null };
  const question = { id: def.id, type: def.type, description: def.description ?? null, password: def.password === true, options: def.options ?? null };
  return sha256Hex(canonicalJson({ ...scope, question }));
}

export class InputStore {
  constructor(private readonly _secrets: SecretStore, private readonly _answers: AnswerStore, private readonly _ask: AskInput) {}

  /**
   * The saved answer, or asks the user; undefined when they cancel or `id` is not declared in
   * `config` (the inputs of the file the server is defined in).
   */
  async resolve(id: string, config: { source: ConfigSource; inputs: readonly InputDefinition[] }, server: string): Promise<string | undefined> {
    const def = config.inputs.find((i) => i.id === id);
    if (!def) return undefined;
    const key = inputKey(def, config.source);
    const saved = def.password ? await this._secrets.get(SECRET_PREFIX + key) : this._saved(key);
    if (saved !== undefined) return saved;
    if (def.password) await this._secrets.delete(LEGACY_SECRET_PREFIX + id);
    const value = await this._ask(def, server);
    if (value === undefined) return undefined;
    if (def.password) await this._secrets.store(SECRET_PREFIX + key, value);
    else await this._answers.update(ANSWERS_KEY, Object.fromEntries([...Object.entries(this._all()), [key, value]]));
    return value;
  }

  private _all(): Record<string, unknown> {
    const all = this._answers.get<unknown>(ANSWERS_KEY);
    return typeof all === 'object' && all !== null && !Array.isArray(all) ? all as Record<string, unknown> : {};
  }

  private _saved(key: string): string | undefined {
    const all = this._all();
    const value = Object.hasOwn(all, key) ? all[key] : undefined;
    return typeof value === 'string' ? value : undefined;
  }
}
