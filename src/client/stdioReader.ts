/**
 * Reads a stdio server's stdout: one JSON-RPC message per line. Every line's bytes are sized up by
 * the MessageScanner as they arrive (messageBounds.ts), so a message over the bounds is refused
 * before it is parsed or even kept. Reading is cut by time: past READ_SLICE_MS in one turn of the
 * event loop the rest waits for the next turn, with stdout paused, so no server holds the host's
 * thread however much or however fast it writes. Notifications beyond a steady rate are dropped.
 */
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { Readable } from 'node:stream';
import { parseLine } from './jsonRpc';
import { MessageScanner } from './messageBounds';

/** A line longer than this is not a message we can take; the connection is closed. */
export const MAX_LINE_BYTES = 32 * 1024 * 1024;
/**
 * The longest we read the server's output in one turn of the event loop before letting the rest
 * of the host run: libuv hands over many chunks at once, and a flood of small messages in them
 * would otherwise hold the thread for as long as the flood lasts.
 */
const READ_SLICE_MS = 10;
/**
 * How much of a chunk is read between looks at the clock; a line counts as at least LINE_COST_BYTES
 * (its parse and hand-over). A long line is scanned this much at a time for the same reason: until
 * the scanner's loop is compiled (which a busy machine can delay), scanning a whole 64 KB chunk at
 * once could hold the thread for tens of ms.
 */
const SCAN_SLICE_BYTES = 16 * 1024;
const LINE_COST_BYTES = 512;
/** Notifications a second the client is handed (after a burst); a flood beyond is dropped and counted. */
const NOTIFICATIONS_PER_SECOND = 500;
const NOTIFICATION_BURST = 2000;
/** A flooding server is not read for this long once its notifications are being dropped. */
export const FLOOD_PAUSE_MS = 100;

/** Where the reader's results go. */
export interface ReaderSink {
  message(message: JSONRPCMessage): void;
  error(error: Error): void;
  /** The server broke the protocol (`why`): stdout is already destroyed; the connection must close. */
  fail(why: string): void;
}

export class StdoutReader {
  private _pending: Buffer[] = [];
  private _pendingBytes = 0;
  /** Sizes up the line being read as it arrives. */
  private readonly _scanner = new MessageScanner();
  private _failure?: string;
  /** When this turn of reading began; undefined between turns. */
  private _turnStart?: number;
  /** Reasons stdout is paused: the turn's time slice is used up, a flood is being dropped. */
  private _holds = 0;
  private _sliceHeld = false;
  /** The rest of a chunk whose turn ran out of time. */
  private _backlog?: Buffer;
  private _floodHeld = false;
  private _flooding = false;
  private _notifyTokens = NOTIFICATION_BURST;
  private _notifyRefilled = Date.now();
  private _notifyDropped = 0;
  private _notifyReported = 0;

  constructor(private readonly _stdout: Readable, private readonly _sink: ReaderSink) {}

  /** Why we closed the connection ourselves (the server broke the protocol), once we have. */
  get failure(): string | undefined { return this._failure; }

  /**
   * Reads a chunk. Past READ_SLICE_MS in this turn it stops, keeps the rest of the chunk and stops
   * reading until the next turn; while a flood of notifications is being dropped it stops for
   * FLOOD_PAUSE_MS, so the server waits on its pipe instead of taking the host's thread.
   */
  take(chunk: Buffer): void {
    if (this._turnStart === undefined) {
      this._turnStart = performance.now();
      setImmediate(() => this._nextTurn());
    }
    const rest = this._read(chunk);
    if (rest || performance.now() - this._turnStart > READ_SLICE_MS) {
      this._backlog = rest;
      if (!this._sliceHeld) {
        this._sliceHeld = true;
        this._hold();
      }
    }
    if (this._flooding && !this._floodHeld) {
      this._floodHeld = true;
      this._hold();
      setTimeout(() => {
        this._floodHeld = false;
        this._flooding = false;
        this._release();
      }, FLOOD_PAUSE_MS).unref();
    }
  }

  /** A new turn of the event loop: the rest of a cut chunk first, then reading again. */
  private _nextTurn(): void {
    this._turnStart = undefined;
    const backlog = this._backlog;
    this._backlog = undefined;
    if (backlog && !this._stdout.destroyed) this.take(backlog);
    if (this._sliceHeld && !this._backlog) {
      this._sliceHeld = false;
      this._release();
    }
  }

  private _hold(): void {
    if (this._holds++ === 0) this._stdout.pause();
  }

  private _release(): void {
    if (--this._holds === 0 && !this._stdout.destroyed) this._stdout.resume();
  }

  /** Hands over the chunk's lines; what is left when this turn's time is up comes back. */
  private _read(chunk: Buffer): Buffer | undefined {
    let start = 0;
    let nl = chunk.indexOf(10);
    let work = 0;
    while (start < chunk.length && this._failure === undefined) {
      const end = nl === -1 ? chunk.length : nl;
      if (end - start > SCAN_SLICE_BYTES) {
        this._more(chunk, start, start + SCAN_SLICE_BYTES);
        start += SCAN_SLICE_BYTES;
        work += SCAN_SLICE_BYTES;
      } else if (nl === -1) {
        this._more(chunk, start, end);
        start = end;
      } else {
        work += end - start + LINE_COST_BYTES;
        this._end(chunk, start, end);
        start = end + 1;
        nl = chunk.indexOf(10, start);
      }
      if (work >= SCAN_SLICE_BYTES) {
        work = 0;
        if (start < chunk.length && performance.now() - this._turnStart! > READ_SLICE_MS) return chunk.subarray(start);
      }
    }
    return undefined;
  }

  /** `chunk[start, end)` is part of a line whose end has not come yet. */
  private _more(chunk: Buffer, start: number, end: number): void {
    this._scanner.push(chunk, start, end);
    // A line already refused is only scanned to its end (for its id), never kept.
    if (!this._scanner.refusal) this._pending.push(chunk.subarray(start, end));
    else this._pending = [];
    this._pendingBytes += end - start;
    if (this._pendingBytes > MAX_LINE_BYTES) {
      this._pending = [];
      this._failure = `the server wrote a line of more than ${MAX_LINE_BYTES / 1024 / 1024} MB without a newline; the connection was closed`;
      this._stdout.destroy();
      this._sink.fail(this._failure);
    }
  }

  /** `chunk[start, nl)` ends a line. */
  private _end(chunk: Buffer, start: number, nl: number): void {
    this._scanner.push(chunk, start, nl);
    const piece = chunk.subarray(start, nl);
    const line = this._pending.length ? Buffer.concat([...this._pending, piece]) : piece;
    this._pending = [];
    this._pendingBytes = 0;
    if (this._scanner.refusal) this._refused();
    else this._line(line.toString('utf8'));
    this._scanner.reset();
  }

  /** A line over the message bounds: the request it answers fails now, and the log says why. */
  private _refused(): void {
    this._sink.error(new Error(`refused a message from the server: ${this._scanner.refusal}`));
    const answer = this._scanner.refusedAnswer();
    if (answer) this._sink.message(answer);
  }

  private _line(raw: string): void {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (!line.trim()) return;
    const message = parseLine(line);
    if (message instanceof Error) this._sink.error(message);
    else if (!('method' in message && !('id' in message)) || this._admitNotification()) this._sink.message(message);
  }

  /**
   * Whether a notification may go on to the client: a token bucket, so a flood costs us a parse
   * per message and no more. What was dropped is reported once a second.
   */
  private _admitNotification(): boolean {
    const now = Date.now();
    this._notifyTokens = Math.min(NOTIFICATION_BURST, this._notifyTokens + ((now - this._notifyRefilled) / 1000) * NOTIFICATIONS_PER_SECOND);
    this._notifyRefilled = now;
    if (this._notifyTokens >= 1) {
      this._notifyTokens--;
      return true;
    }
    this._notifyDropped++;
    this._flooding = true;
    if (now - this._notifyReported >= 1000) {
      this._notifyReported = now;
      this._sink.error(new Error(`dropped ${this._notifyDropped} notifications: the server sent more than ${NOTIFICATIONS_PER_SECOND} a second`));
      this._notifyDropped = 0;
    }
    return false;
  }
}
