/**
 * The last known catalog of each server, kept between windows so a server's tools are listed
 * before it has started (and, with `onFirstUse`, without starting it at all).
 *
 * An entry belongs to one resolved configuration: its key is an HMAC of the configuration's
 * fingerprint, so a changed command, argument or env value never shows a stale catalog. Only the
 * catalog is stored, never an env, header or argument value; and since a resolved configuration
 * can hold a secret (an API key from an input), the HMAC's key is itself a secret the editor keeps
 * in SecretStorage: someone who can read the workspace state cannot test guesses against it.
 * Until it has that key the cache is inert (nothing read, nothing kept).
 * Writes are gathered (a burst of list_changed costs one write), and a server whose catalog is
 * larger than the cap is not kept at all: a cache must not make the workspace state huge.
 */
import {
  ImplementationSchema, PromptSchema, ResourceSchema, ResourceTemplateSchema, ServerCapabilitiesSchema, ToolSchema,
} from '@modelcontextprotocol/sdk/types.js';
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
  /** The HMAC key of the entries' keys, when known up front; see `setHashKey`. */
  hashKey?: string;
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
  private readonly _entries: Map<string, Entry>;
  /** Catalogs recorded since the last write; measured and stored when the write happens. */
  private readonly _pending = new Map<string, Entry>();
  private _keys = new WeakMap<ResolvedServer, string>();
  private _hashKey?: string;
  private _dirty = false;
  private _timer?: NodeJS.Timeout;
  private _writing: Promise<void> = Promise.resolve();

  constructor(private readonly _storage: CacheStorage, private readonly _opts: CatalogCacheOptions = {}) {
    this._entries = readStored(_storage.get());
    this._hashKey = _opts.hashKey;
  }

  /** Sets the HMAC key (from SecretStorage); entries made with another key no longer match. */
  setHashKey(key: string): void {
    this._hashKey = key;
    this._keys = new WeakMap();
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

/** The stored entries that still parse as catalogs; anything else (an old format, a hand edit) is ignored. */
function readStored(value: unknown): Map<string, Entry> {
  const entries = new Map<string, Entry>();
  if (!isObject(value) || value.format !== FORMAT || !isObject(value.servers)) return entries;
  for (const [name, entry] of Object.entries(value.servers)) {
    if (!isObject(entry) || typeof entry.key !== 'string') continue;
    const catalog = parseCatalog(entry.catalog);
    if (catalog) entries.set(name, { key: entry.key, catalog });
  }
  return entries;
}

/** Checked with the SDK's own schemas, so a cached catalog is as well-formed as a listed one. */
function parseCatalog(value: unknown): ServerCatalog | undefined {
  if (!isObject(value)) return undefined;
  const tools = ToolSchema.array().safeParse(value.tools);
  const resources = ResourceSchema.array().safeParse(value.resources);
  const templates = ResourceTemplateSchema.array().safeParse(value.resourceTemplates);
  const prompts = PromptSchema.array().safeParse(value.prompts);
  if (!tools.success || !resources.success || !templates.success || !prompts.success) return undefined;
  const info = ImplementationSchema.safeParse(value.serverInfo);
  const caps = ServerCapabilitiesSchema.safeParse(value.capabilities);
  return {
    serverInfo: info.success ? info.data : undefined,
    capabilities: caps.success ? caps.data : undefined,
    instructions: typeof value.instructions === 'string' ? value.instructions : undefined,
    protocolVersion: typeof value.protocolVersion === 'string' ? value.protocolVersion : undefined,
    tools: tools.data, resources: resources.data, resourceTemplates: templates.data, prompts: prompts.data,
  };
}
