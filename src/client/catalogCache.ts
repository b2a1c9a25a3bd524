/**
 * The last known catalog of each server, kept between windows so a server's tools are listed
 * before it has started (and, with `onFirstUse`, without starting it at all).
 *
 * An entry belongs to one resolved configuration: its key is an HMAC of the configuration's
 * fingerprint, so a changed command, argument or env value never shows a stale catalog. Only the
 * catalog is stored, never an env, header or argument value; and since a resolved configuration
 * can hold a secret (an API key from an input), the HMAC's key is itself a secret the editor keeps
 * in SecretStorage: someone who can read the workspace state cannot test guesses against it.
 * Until it has that key the cache is inert (nothing read, nothing kept): `open` gives it the key
 * and reads what is stored.
 * Writes are gathered (a burst of list_changed costs one write), and a server whose catalog is
 * larger than the cap is not kept at all: a cache must not make the workspace state huge.
 */
import { createHmac } from 'node:crypto';
import type { IDisposable } from '../common/lifecycle';
import { fingerprint } from '../config/diff';
import type { ResolvedServer, ServerCatalog } from './types';

/** Where the cache lives: one JSON value. The editor backs it with `workspaceState`. */
export interface CacheStorage {
  get(): unknown;
  set(value: unknown): void | PromiseLike<void>;
}

export interface CatalogCacheOptions {
  /** A server whose stored entry would be larger is not kept. Default 2 MB. */
  maxEntryBytes?: number;
  /** How long changes are gathered before they are written. Default 2 s. */
  writeDelayMs?: number;
  /** Told about entries left out and writes that failed. */
  onProblem?: (message: string) => void;
}

export const DEFAULT_MAX_ENTRY_BYTES = 2 * 1024 * 1024;
const FORMAT = 1;

interface Entry { key: string; catalog: ServerCatalog }
interface Stored { format: typeof FORMAT; servers: Record<string, Entry> }

/** The cache key of a server's configuration: an HMAC of its fingerprint, never the values. */
export function cacheKey(server: ResolvedServer, hashKey: string): string {
  return createHmac('sha256', hashKey).update(fingerprint(server)).digest('hex');
}

/** See the file comment. */
export class CatalogCache implements IDisposable {
  private _entries = new Map<string, Entry>();
  /** Catalogs recorded since the last write; measured and stored when the write happens. */
  private readonly _pending = new Map<string, Entry>();
  private _keys = new WeakMap<ResolvedServer, string>();
  private _hashKey?: string;
  private _read?: Promise<void>;
  private _dirty = false;
  private _timer?: NodeJS.Timeout;
  private _writing: Promise<void> = Promise.resolve();

  constructor(private readonly _storage: CacheStorage, private readonly _opts: CatalogCacheOptions = {}) {}

  /**
   * Keys entries with `hashKey` (the secret from SecretStorage) from now on, having read the stored
   * catalogs the first time; entries made with another key do not match. Until the first call
   * resolves the cache is inert.
   */
  async open(hashKey: string): Promise<void> {
    // Nothing can be added while there is no key, so what is read replaces nothing.
    this._read ??= readStored(this._storage.get()).then((entries) => { this._entries = entries; });
    await this._read;
    this._hashKey = hashKey;
    this._keys = new WeakMap();
  }

  /**
   * What the last window stored, by server name, before the cache is open and whatever the
   * configuration says now: for the tree's first paint at activation, which cannot wait for the
   * secret key, the configuration and the SDK's schemas (several hundred ms in an extension host).
   * Read synchronously, at each call, and checked only for the shape the tree shows: names and
   * arrays. Nothing here reaches a model or a server; `get` is what counts once the configuration
   * is applied.
   */
  lastKnown(): ReadonlyMap<string, ServerCatalog> {
    return readLastKnown(this._storage.get());
  }

  /** The cached catalog of exactly this configuration, if there is one. */
  get(server: ResolvedServer): ServerCatalog | undefined {
    const key = this._key(server);
    if (key === undefined) return undefined;
    const entry = this._pending.get(server.name) ?? this._entries.get(server.name);
    return entry?.key === key ? entry.catalog : undefined;
  }

  /** Remembers a server's live catalog; written after `writeDelayMs`, with whatever else changed by then. */
  set(server: ResolvedServer, catalog: ServerCatalog): void {
    const key = this._key(server);
    if (key === undefined) return;
    this._pending.set(server.name, { key, catalog: catalogOnly(catalog) });
    this._schedule();
  }

  /** Forgets every server not in `names`: those no longer configured. */
  retain(names: Iterable<string>): void {
    const keep = new Set(names);
    for (const map of [this._entries, this._pending]) {
      for (const name of [...map.keys()]) {
        if (keep.has(name)) continue;
        map.delete(name);
        this._dirty = true;
      }
    }
    if (this._dirty) this._schedule();
  }

  /** Writes what is pending now; resolves when the storage has it. */
  flush(): Promise<void> {
    clearTimeout(this._timer);
    this._timer = undefined;
    if (!this._dirty && !this._pending.size) return this._writing;
    const max = this._opts.maxEntryBytes ?? DEFAULT_MAX_ENTRY_BYTES;
    for (const [name, entry] of this._pending) {
      const bytes = Buffer.byteLength(JSON.stringify(entry), 'utf8');
      if (bytes <= max) {
        this._entries.set(name, entry);
      } else {
        // An older, smaller catalog would be stale, so nothing is kept for this server.
        this._entries.delete(name);
        this._opts.onProblem?.(`catalog of "${name}" not cached: ${Math.ceil(bytes / 1024)} KB is above the ${Math.floor(max / 1024)} KB limit`);
      }
    }
    this._pending.clear();
    this._dirty = false;
    const value: Stored = { format: FORMAT, servers: Object.fromEntries(this._entries) };
    this._writing = this._writing
      .then(() => this._storage.set(value))
      .then(undefined, (e: unknown) => this._opts.onProblem?.(`catalog cache not written: ${e instanceof Error ? e.message : String(e)}`));
    return this._writing;
  }

  dispose(): void {
    void this.flush();
  }

  private _key(server: ResolvedServer): string | undefined {
    if (this._hashKey === undefined) return undefined;
    let key = this._keys.get(server);
    if (key === undefined) {
      key = cacheKey(server, this._hashKey);
      this._keys.set(server, key);
    }
    return key;
  }

  /** The first change starts the clock and later ones ride along, so a steady stream still gets written. */
  private _schedule(): void {
    this._dirty = true;
    if (this._timer) return;
    this._timer = setTimeout(() => void this.flush(), this._opts.writeDelayMs ?? 2000);
    this._timer.unref?.();
  }
}

/** Only the catalog's own fields, whatever else the object carries. */
function catalogOnly(c: ServerCatalog): ServerCatalog {
  return {
    serverInfo: c.serverInfo, capabilities: c.capabilities, instructions: c.instructions, protocolVersion: c.protocolVersion,
    tools: c.tools, resources: c.resources, resourceTemplates: c.resourceTemplates, prompts: c.prompts,
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The stored value's entries by server name, if it is in our format; none otherwise (an old format, a hand edit). */
function storedServers(value: unknown): [string, unknown][] {
  return isObject(value) && value.format === FORMAT && isObject(value.servers) ? Object.entries(value.servers) : [];
}

/** The stored entries that still parse as catalogs; anything else (an old format, a hand edit) is ignored. */
async function readStored(value: unknown): Promise<Map<string, Entry>> {
  const entries = new Map<string, Entry>();
  const stored = storedServers(value).filter((e): e is [string, Record<string, unknown> & { key: string }] => isObject(e[1]) && typeof e[1].key === 'string');
  if (!stored.length) return entries;
  // Only now, with catalogs to check: the SDK's schemas cost more to load than the rest of the extension.
  const { parseCatalog } = await import('./catalogCheck');
  for (const [name, entry] of stored) {
    const catalog = parseCatalog(entry.catalog);
    if (catalog) entries.set(name, { key: entry.key, catalog });
  }
  return entries;
}

const optionalString = (v: unknown) => v === undefined || typeof v === 'string';
/** A list whose items have the string fields the tree shows (`keys`), and strings or nothing for title and description. */
const named = (list: unknown, ...keys: string[]): boolean => Array.isArray(list) && list.every((item) =>
  isObject(item) && keys.every((k) => typeof item[k] === 'string') && optionalString(item.title) && optionalString(item.description)
  && (item.arguments === undefined || named(item.arguments, 'name')));

/** The stored catalogs whose lists hold what the tree shows (see `lastKnown`). */
function readLastKnown(value: unknown): Map<string, ServerCatalog> {
  const out = new Map<string, ServerCatalog>();
  for (const [name, entry] of storedServers(value)) {
    const c = isObject(entry) && isObject(entry.catalog) ? entry.catalog : undefined;
    if (!c || !named(c.tools, 'name') || !named(c.resources, 'name', 'uri') || !named(c.resourceTemplates, 'name', 'uriTemplate') || !named(c.prompts, 'name')) continue;
    out.set(name, catalogOnly(c as unknown as ServerCatalog));
  }
  return out;
}
