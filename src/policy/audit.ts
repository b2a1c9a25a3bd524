/**
 * The audit log: one JSON line per tool call, saying who called what, how it was authorized and
 * how it ended. Never the arguments or the result — they may hold secrets — only a hash of the
 * arguments, enough to tell two calls apart or match a call someone reports.
 *
 * Logging must never break a call: writes are queued one after another (lines never interleave),
 * batched (see `batchMs`), and a failure goes to `onError` instead of the caller.
 */
import { promises as fs } from 'node:fs';
import type { CallOrigin, CallRecord, OutcomeKind } from '../router/types';
import { RotatingFile } from './rotatingFile';

/** One line of the log. Field order here is the order in the file. */
export interface AuditEntry {
  /** ISO 8601. */
  time: string;
  /** Absent when the namespaced name matched no server. */
  server?: string;
  /** The server's own tool name. */
  tool?: string;
  /** The namespaced name the caller used. */
  name: string;
  origin: CallOrigin;
  /** sha256 of the arguments' canonical JSON. */
  argsHash: string;
  /** What the policy said; absent when the call ended before authorization (unknown tool, bad arguments). */
  decision?: 'allow' | 'ask' | 'deny';
  /** Who settled it: the policy alone, the user answering a prompt, or the host's own confirmation. */
  decidedBy?: 'policy' | 'user' | 'host';
  /** Id of the rule that allowed or denied the call. */
  rule?: string;
  outcome: OutcomeKind;
  durationMs: number;
}

/**
 * The log line for a router call record. A call the user answered counts as `ask` whatever they
 * answered (the outcome says whether it ran); the host's own confirmation counts as `allow`.
 */
export function auditEntryFromCall(record: CallRecord): AuditEntry {
  const entry: AuditEntry = {
    time: record.time, server: record.server, tool: record.tool, name: record.name, origin: record.origin,
    argsHash: record.argsHash, outcome: record.outcome, durationMs: record.durationMs,
  };
  const auth = record.authorization;
  if (auth) {
    entry.decidedBy = auth.by;
    entry.decision = auth.by === 'user' ? 'ask' : auth.allowed ? 'allow' : 'deny';
    if (auth.rule) entry.rule = auth.rule;
  }
  return entry;
}

/**
 * Only the known fields, in the interface's order, so an entry built with extra properties cannot
 * leak them. Written out by hand because it runs for every call and is three times faster than
 * JSON.stringify of the entry: the strings a server, a caller or the config can choose (server,
 * tool, name, rule) are JSON-escaped; the rest are ours alone: an ISO time, a hex hash, the
 * string unions of the type and a number.
 */
export function formatAuditLine(e: AuditEntry): string {
  let line = `{"time":"${e.time}"`;
  if (e.server !== undefined) line += `,"server":${JSON.stringify(e.server)}`;
  if (e.tool !== undefined) line += `,"tool":${JSON.stringify(e.tool)}`;
  line += `,"name":${JSON.stringify(e.name)},"origin":"${e.origin}","argsHash":"${e.argsHash}"`;
  if (e.decision !== undefined) line += `,"decision":"${e.decision}"`;
  if (e.decidedBy !== undefined) line += `,"decidedBy":"${e.decidedBy}"`;
  if (e.rule !== undefined) line += `,"rule":${JSON.stringify(e.rule)}`;
  return `${line},"outcome":"${e.outcome}","durationMs":${Number.isFinite(e.durationMs) ? e.durationMs : 0}}\n`;
}

export interface AuditLogOptions {
  /** The log file; its directory is created on the first write. */
  file: string;
  /** Size at which the file is moved to `<file>.1` (replacing the previous one). Default 5 MB. */
  maxBytes?: number;
  /** Told about every failed write; the entry is then lost, the call unaffected. */
  onError?: (error: unknown) => void;
  /**
   * How long an entry may wait for others to share its write. Default 50 ms: a burst of calls
   * costs one append instead of a stat, a read and an append each, which on a busy machine
   * competed with the calls themselves. `flush()` writes at once.
   */
  batchMs?: number;
  /** How often, at most, to look for what other writers did to the file (rotated it, appended). Default 1 s. */
  checkOthersMs?: number;
}

export const DEFAULT_AUDIT_MAX_BYTES = 5 * 1024 * 1024;
export const DEFAULT_AUDIT_BATCH_MS = 50;
const MAX_BATCH = 2000;

/** An entry, or how to make it: a router record is turned into its line only once written, off the call path. */
export type AuditSource = AuditEntry | (() => AuditEntry);

/**
 * Appends audit entries to a file; see the file comment. Entries that arrive while a write is
 * under way go out together in the next one: a burst of calls costs one append, not one each.
 */
export class AuditLog {
  private _queue: Promise<void> = Promise.resolve();
  private _pending: AuditSource[] = [];
  /** The write that will take `_pending`, once queued; it waits for `_timer` or `flush()`. */
  private _next?: Promise<void>;
  private _timer?: ReturnType<typeof setTimeout>;
  private _release?: () => void;
  private readonly _out: RotatingFile;

  constructor(private readonly _options: AuditLogOptions) {
    this._out = new RotatingFile(_options.file, _options.maxBytes ?? DEFAULT_AUDIT_MAX_BYTES, _options.checkOthersMs);
  }

  get file(): string { return this._options.file; }

  /** Queues one line. The promise resolves once it is written or has failed; it never rejects. */
  append(entry: AuditSource): Promise<void> {
    this._pending.push(entry);
    // A long burst writes as it goes rather than holding megabytes of lines for one write.
    if (this._pending.length === MAX_BATCH) void this.flush();
    if (!this._next) {
      let release!: () => void;
      const due = new Promise<void>((resolve) => { release = resolve; });
      this._timer = setTimeout(release, this._options.batchMs ?? DEFAULT_AUDIT_BATCH_MS);
      this._release = release;
      this._next = this._queue = this._queue.then(() => due).then(() => {
        this._next = this._release = undefined;
        const batch = this._pending;
        this._pending = [];
        return this._writeBatch(batch);
      }).catch((e: unknown) => this._report(e));
    }
    return this._next;
  }

  /** Writes what is waiting now; resolves when every line queued so far has been written (or has failed). */
  flush(): Promise<void> {
    clearTimeout(this._timer);
    this._release?.();
    return this._queue;
  }

  /** Writes what is waiting and closes the file (an append later reopens it). */
  async close(): Promise<void> {
    await this.flush();
    await this._out.close();
  }

  /**
   * The last `n` entries, oldest first, across the current file and the rotated one. Lines that
   * are not valid JSON (a torn write after a crash) are skipped.
   */
  async readRecent(n: number): Promise<AuditEntry[]> {
    await this.flush();
    if (n <= 0) return [];
    let entries = await readEntries(this.file);
    if (entries.length < n) entries = [...await readEntries(`${this.file}.1`), ...entries];
    return entries.slice(-n);
  }

  private _report(e: unknown): void {
    try { this._options.onError?.(e); } catch { /* a faulty reporter must not break the queue */ }
  }

  private async _writeBatch(batch: readonly AuditSource[]): Promise<void> {
    // Joined once at the end: appending to one string builds a chain the writer has to flatten.
    const lines: string[] = [];
    for (const source of batch) {
      try {
        lines.push(formatAuditLine(typeof source === 'function' ? source() : source));
      } catch (e) {
        this._report(e);
      }
    }
    if (lines.length) await this._out.append(lines.join(''));
  }

}

async function readEntries(file: string): Promise<AuditEntry[]> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const entries: AuditEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try { entries.push(JSON.parse(line) as AuditEntry); } catch { /* torn line */ }
  }
  return entries;
}
