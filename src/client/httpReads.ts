/**
 * Reading what a remote server sends, within limits: every body and every SSE event has a byte
 * cap and a deadline. A server that sends more, or never finishes, has the socket closed on it and
 * the read fails with an error that says which limit and whose answer; nothing it sends past the
 * cap is kept.
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

/** One JSON-RPC answer (a JSON body, or one SSE event): room for a large tool result, not for a flood. */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
/** How long one answer may take to arrive once it has begun. */
export const MESSAGE_DEADLINE_MS = 120_000;
/** Enough of an error body to say what went wrong, never a whole page. */
const MAX_ERROR_BODY = 2048;
const ERROR_BODY_DEADLINE_MS = 10_000;

export interface ReadLimits {
  maxBytes: number;
  deadlineMs: number;
  /** Whose answer, for the error: "the answer from https://host". */
  what: string;
}

/** A read stopped at a limit. */
export class ReadLimitError extends Error {
  constructor(readonly limit: 'size' | 'deadline', message: string) {
    super(message);
  }
}

export const formatBytes = (n: number): string => (n >= 1024 * 1024 ? `${+(n / 1024 / 1024).toFixed(1)} MB` : `${+(n / 1024).toFixed(1)} KB`);

export const tooLarge = ({ what, maxBytes }: Pick<ReadLimits, 'what' | 'maxBytes'>): ReadLimitError =>
  new ReadLimitError('size', `${what} was larger than ${formatBytes(maxBytes)}; stopped reading it`);

export const tooSlow = ({ what, deadlineMs }: Pick<ReadLimits, 'what' | 'deadlineMs'>): ReadLimitError =>
  new ReadLimitError('deadline', `${what} did not arrive within ${deadlineMs < 1000 ? `${deadlineMs} ms` : `${Math.round(deadlineMs / 1000)} s`}; stopped reading it`);

/** A whole body, or a ReadLimitError once it passes `maxBytes` or `deadlineMs` (the stream is destroyed then). */
export function readBody(res: Readable, limits: ReadLimits): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const fail = (e: Error) => {
      clearTimeout(timer);
      chunks.length = 0;
      res.destroy();
      reject(e);
    };
    const timer = setTimeout(() => fail(tooSlow(limits)), limits.deadlineMs);
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limits.maxBytes) fail(tooLarge(limits));
      else chunks.push(chunk);
    });
    res.once('end', () => { clearTimeout(timer); resolve(Buffer.concat(chunks)); });
    res.once('error', fail);
    res.once('close', () => { if (!res.readableEnded) fail(new Error(`${limits.what} ended before it was complete`)); });
  });
}

/** The start of a response body, for an error message. */
export async function readCapped(res: Readable): Promise<string> {
  let text = '';
  res.setEncoding('utf8');
  const timer = setTimeout(() => res.destroy(), ERROR_BODY_DEADLINE_MS);
  try {
    for await (const chunk of res) {
      text += chunk as string;
      if (text.length > MAX_ERROR_BODY) {
        res.destroy();
        return `${text.slice(0, MAX_ERROR_BODY)}…`;
      }
    }
  } catch { /* what arrived is enough */ } finally {
    clearTimeout(timer);
  }
  return text;
}

export interface EventHandlers {
  onEvent(event: EventSourceMessage): void;
  /** Runs once, however the stream ends; `error` when it was stopped at a limit or a handler threw. */
  onEnd(error?: Error): void;
  onRetry?(ms: number): void;
}

/**
 * Feeds a response's body to an SSE parser. One event may hold `maxBytes` and must be complete
 * `deadlineMs` after its first byte; a stream without events (comments keep it alive) may go on
 * for as long as the server likes. A handler that throws ends the stream with its error rather
 * than escaping into the socket's event.
 */
export function readEvents(res: Readable, limits: ReadLimits, { onEvent, onEnd, onRetry }: EventHandlers): void {
  let ended = false;
  let timer: NodeJS.Timeout | undefined;
  const end = (error?: Error) => {
    if (ended) return;
    ended = true;
    clearTimeout(timer);
    if (error) res.destroy();
    onEnd(error);
  };
  const settled = () => { clearTimeout(timer); timer = undefined; };
  const guard = <A extends unknown[]>(fn: (...a: A) => void) => (...a: A) => {
    settled();
    try {
      fn(...a);
    } catch (e) {
      end(e instanceof Error ? e : new Error(String(e)));
    }
  };
  const parser = createParser({
    onEvent: guard(onEvent),
    onRetry: guard((ms: number) => onRetry?.(ms)),
    onComment: guard(() => undefined),
    onError: (e) => { if (e.type === 'max-buffer-size-exceeded') end(tooLarge(limits)); },
    maxBufferSize: limits.maxBytes,
  });
  // Bytes without a line break are held as they came and decoded once a break arrives: a line
  // that never ends then costs no string building, only the bytes up to the cap.
  const decoder = new StringDecoder('utf8');
  let held: Buffer[] = [];
  let heldBytes = 0;
  res.on('data', (chunk: Buffer) => {
    if (ended) return;
    timer ??= setTimeout(() => end(tooSlow(limits)), limits.deadlineMs);
    if (!chunk.includes(LF) && !chunk.includes(CR)) {
      heldBytes += chunk.length;
      if (heldBytes > limits.maxBytes) end(tooLarge(limits));
      else held.push(chunk);
      return;
    }
    const text = decoder.write(held.length ? Buffer.concat([...held, chunk]) : chunk);
    held = [];
    heldBytes = 0;
    parser.feed(text);
  });
  res.once('end', () => end());
  res.once('close', () => end());
  res.once('error', () => end());
}

const LF = 0x0a;
const CR = 0x0d;
