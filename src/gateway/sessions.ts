/**
 * The gateway's open sessions, with their ends: a session nobody uses expires, and when the table
 * is full the least recently used one makes room, so clients that never send DELETE (a crashed
 * client, a window reload) cannot lock everyone else out. A session counts as in use while one of
 * its requests is open, its GET stream included: a connected client that is merely quiet keeps it.
 * No SDK here; the gateway says how a session is closed.
 */
import type { ServerResponse } from 'node:http';

/** Why a session left the table other than by its client's DELETE. */
export type SessionEnd = 'idle' | 'evicted';

export interface SessionEntry<T> {
  readonly id: string;
  /** The server whose endpoint it was opened on. */
  readonly server: string;
  readonly value: T;
  lastSeen: number;
  /** Requests of it still open (a GET stream stays open for as long as the client listens). */
  open: number;
  /** Of those, the GET streams, which carry list_changed to the client. */
  streams: number;
}

export interface SessionTableOptions<T> {
  /** How many sessions may be open; asked each time a session opens. */
  max: () => number;
  /** A session with no open request for this long is closed. */
  idleMs: number;
  /** Called for a session that expired or made room; it is out of the table already. */
  onEnd: (entry: SessionEntry<T>, why: SessionEnd) => void;
  now?: () => number;
}

export class SessionTable<T> {
  private readonly _entries = new Map<string, SessionEntry<T>>();
  private readonly _now: () => number;

  constructor(private readonly _opts: SessionTableOptions<T>) {
    this._now = _opts.now ?? Date.now;
  }

  get size(): number {
    return this._entries.size;
  }

  get(id: string): SessionEntry<T> | undefined {
    return this._entries.get(id);
  }

  values(): IterableIterator<SessionEntry<T>> {
    return this._entries.values();
  }

  add(id: string, server: string, value: T): SessionEntry<T> {
    const entry: SessionEntry<T> = { id, server, value, lastSeen: this._now(), open: 0, streams: 0 };
    this._entries.set(id, entry);
    return entry;
  }

  /** Removes a session that closed by itself; `false` when it was not (or no longer) here. */
  delete(id: string, value: T): boolean {
    if (this._entries.get(id)?.value !== value) return false;
    return this._entries.delete(id);
  }

  /** Counts the request as open until its response closes; both ends count as use. */
  track(entry: SessionEntry<T>, res: ServerResponse, stream: boolean): void {
    entry.open++;
    if (stream) entry.streams++;
    entry.lastSeen = this._now();
    res.once('close', () => {
      entry.open--;
      if (stream) entry.streams--;
      entry.lastSeen = this._now();
    });
  }

  /** Whether a client of the server's endpoint listens for list_changed now. */
  listening(server: string): boolean {
    for (const e of this._entries.values()) if (e.server === server && e.streams > 0) return true;
    return false;
  }

  /** Ends the sessions idle for `idleMs` or more. */
  sweep(): void {
    const cutoff = this._now() - this._opts.idleMs;
    for (const e of [...this._entries.values()]) {
      if (e.open === 0 && e.lastSeen <= cutoff) this._end(e, 'idle');
    }
  }

  /** Before a new session: when full, ends the least recently used one (an idle one before one in use). */
  makeRoom(): void {
    this.sweep();
    while (this._entries.size > 0 && this._entries.size >= this._opts.max()) {
      let lru: SessionEntry<T> | undefined;
      for (const e of this._entries.values()) if (!lru || usedLess(e, lru)) lru = e;
      this._end(lru!, 'evicted');
    }
  }

  private _end(entry: SessionEntry<T>, why: SessionEnd): void {
    this._entries.delete(entry.id);
    this._opts.onEnd(entry, why);
  }
}

/** Idle before in use, then the one seen longest ago. */
function usedLess(a: SessionEntry<unknown>, b: SessionEntry<unknown>): boolean {
  const busyA = a.open > 0;
  const busyB = b.open > 0;
  return busyA !== busyB ? !busyA : a.lastSeen < b.lastSeen;
}
