/**
 * A `KeyValueStore` in one JSON file, for the CLI (e.g. `~/.config/mcp-switchboard/permissions.json`;
 * the caller picks the path). Read once when opened, like a Memento, and rewritten whole on each
 * update through a temporary file and a rename, so a crash mid-write leaves the old file intact.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { errorMessage } from '../common/async';
import type { KeyValueStore } from './ruleStore';

export interface JsonFileStoreOptions {
  /** Told when the file exists but cannot be used; the store then starts empty. */
  onProblem?: (message: string) => void;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** See the file comment. Open with `JsonFileStore.open`. */
export class JsonFileStore implements KeyValueStore {
  private _queue: Promise<void> = Promise.resolve();

  private constructor(readonly file: string, private _data: Record<string, unknown>) {}

  /**
   * Loads `file` (a missing file is an empty store). A file that is not a JSON object is moved
   * aside to `<file>.corrupt` and reported, so the next write does not destroy what a person may
   * want to recover, and the store starts empty.
   */
  static async open(file: string, options: JsonFileStoreOptions = {}): Promise<JsonFileStore> {
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return new JsonFileStore(file, {});
      options.onProblem?.(`Could not read ${file}: ${errorMessage(e)}`);
      return new JsonFileStore(file, {});
    }
    try {
      const data: unknown = JSON.parse(text);
      if (isRecord(data)) return new JsonFileStore(file, data);
      throw new Error('not a JSON object');
    } catch (e) {
      const aside = `${file}.corrupt`;
      await fs.rename(file, aside).catch(() => undefined);
      options.onProblem?.(`Ignored ${file} (${errorMessage(e)}); moved it to ${aside}.`);
      return new JsonFileStore(file, {});
    }
  }

  /** A copy, as with a Memento: callers cannot change the store by mutating what they got. */
  get<T>(key: string): T | undefined {
    const value = this._data[key];
    return value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as T);
  }

  /** Sets `key` (`undefined` removes it) and writes the file; writes never overlap. */
  update(key: string, value: unknown): Promise<void> {
    const next = { ...this._data };
    if (value === undefined) delete next[key];
    else next[key] = JSON.parse(JSON.stringify(value)) as unknown;
    this._data = next;
    const run = this._queue.then(() => this._write());
    this._queue = run.catch(() => undefined);
    return run;
  }

  private async _write(): Promise<void> {
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      // Owner-only: the rules say which tools may run unattended, worth keeping from other users.
      await fs.writeFile(temp, JSON.stringify(this._data, null, 2) + '\n', { encoding: 'utf8', mode: 0o600 });
      await fs.rename(temp, this.file);
    } catch (e) {
      await fs.rm(temp, { force: true }).catch(() => undefined);
      throw e;
    }
  }
}
