/**
 * Turns a byte stream into lines and keeps the last few for error reports, and bounds what a
 * server can make us log: long lines are cut and a flood is thinned to a steady rate, with a note
 * saying how much was dropped.
 */
import { StringDecoder } from 'node:string_decoder';
import type { ServerLog } from './types';

/** The longest line of a server's output that is kept whole; the rest of it is cut. */
export const MAX_LOG_LINE_CHARS = 8 * 1024;
/** Where LineSplitter cuts, leaving room for its note within MAX_LOG_LINE_CHARS. */
const SPLIT_AT_CHARS = MAX_LOG_LINE_CHARS - 64;

/** `line` cut to `max` characters, saying how much was left out. */
export function cutLine(line: string, max = MAX_LOG_LINE_CHARS): string {
  return line.length <= max ? line : `${line.slice(0, max)} … (${line.length - max} more characters cut)`;
}

/**
 * Splits chunks into complete lines (LF or CRLF); a trailing partial line waits for more data.
 * A line longer than `maxLine` is handed over cut as soon as it is that long, and the rest of it
 * up to its newline is dropped: a server that never writes a newline holds at most `maxLine`.
 */
export class LineSplitter {
  private _partial = '';
  /** The current line was already handed over cut; skip to its end. */
  private _cut = false;
  private readonly _decoder = new StringDecoder('utf8');

  constructor(private readonly _onLine: (line: string) => void, private readonly _maxLine = SPLIT_AT_CHARS) {}

  push(chunk: Buffer | string): void {
    const text = typeof chunk === 'string' ? chunk : this._decoder.write(chunk);
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      this._add(text.slice(start, nl));
      if (!this._cut) this._emit(this._partial);
      this._partial = '';
      this._cut = false;
      start = nl + 1;
    }
    this._add(text.slice(start));
  }

  /** Emits whatever is pending (at stream end). */
  flush(): void {
    if (this._partial && !this._cut) this._emit(this._partial);
    this._partial = '';
    this._cut = false;
  }

  private _add(piece: string): void {
    if (this._cut || !piece) return;
    this._partial += piece;
    if (this._partial.length > this._maxLine) {
      this._onLine(`${this._partial.slice(0, this._maxLine)} … (line cut at ${this._maxLine} characters)`);
      this._partial = '';
      this._cut = true;
    }
  }

  private _emit(line: string): void {
    this._onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
  }
}

/** A fixed-size ring of the most recent lines. */
export class LineTail {
  private _lines: string[] = [];

  constructor(private readonly _size = 20) {}

  push(line: string): void {
    this._lines.push(line);
    if (this._lines.length > this._size) this._lines.shift();
  }

  lines(): string[] {
    return [...this._lines];
  }

  clear(): void {
    this._lines = [];
  }
}

export interface LogBounds {
  /** Lines a second written on average; more are dropped. */
  linesPerSecond?: number;
  /** Lines that may come at once before the rate applies. */
  burst?: number;
  maxChars?: number;
  now?: () => number;
}

/**
 * A server's log that no server can flood: every line is cut to `maxChars`, and lines beyond a
 * steady rate (a token bucket: `burst` at once, `linesPerSecond` after) are dropped and counted.
 * The count is written as a warning at most once a second while the flood lasts, and a second
 * after it stops.
 */
export function boundedLog(log: ServerLog, bounds: LogBounds = {}): ServerLog {
  const { linesPerSecond = 200, burst = 1000, maxChars = MAX_LOG_LINE_CHARS, now = Date.now } = bounds;
  let tokens = burst;
  let last = now();
  let dropped = 0;
  let lastNote = 0;
  let timer: NodeJS.Timeout | undefined;
  const note = () => {
    clearTimeout(timer);
    timer = undefined;
    if (dropped === 0) return;
    log.warn(`… ${dropped} log lines dropped: the server wrote more than ${linesPerSecond} lines a second`);
    dropped = 0;
    lastNote = now();
  };
  const gate = (write: (line: string) => void) => (line: string) => {
    const t = now();
    tokens = Math.min(burst, tokens + ((t - last) / 1000) * linesPerSecond);
    last = t;
    if (tokens < 1) {
      dropped++;
      if (!timer) {
        timer = setTimeout(note, 1000);
        timer.unref();
      }
      return;
    }
    tokens--;
    if (dropped > 0 && t - lastNote >= 1000) note();
    write(cutLine(line, maxChars));
  };
  return {
    trace: gate((m) => log.trace(m)),
    debug: gate((m) => log.debug(m)),
    info: gate((m) => log.info(m)),
    warn: gate((m) => log.warn(m)),
    error: gate((m) => log.error(m)),
    stderr: gate((m) => log.stderr(m)),
    traceEnabled: log.traceEnabled && (() => log.traceEnabled!()),
  };
}
