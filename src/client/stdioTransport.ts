/**
 * The stdio client transport: the server as a child process, one JSON-RPC message per line on
 * its stdin and stdout. It does what the SDK's StdioClientTransport does (cross-spawn, so `.cmd`
 * shims such as `npx` start on Windows; stdin closed, then SIGTERM, then SIGKILL on close) with
 * two differences that matter on every call:
 *
 * - A line is checked only for the JSON-RPC envelope, by shape (jsonRpc.ts). The SDK's transport
 *   parses every message with its full zod schema and then parses the same result again with the
 *   request's own schema; that second parse (in the SDK's Protocol, which we keep) is the one that matters.
 * - Lines are cut from the chunks as they come, without concatenating a growing buffer per chunk.
 * - Messages sent in the same tick after the first go out together in one write (`_coalesce`).
 *
 * It also keeps what the connection wants to tell the user: the exit code or signal, and stderr
 * handed over as it arrives from the moment of spawn (none of it is lost before `start()`).
 */
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import spawn from 'cross-spawn';
import { parseLine } from './jsonRpc';
import { MessageScanner } from './messageBounds';

export interface StdioParams {
  command: string;
  args?: string[];
  /** The whole environment of the child (already merged; see platform.ts). */
  env: Record<string, string>;
  cwd?: string;
  onStderr?: (chunk: Buffer) => void;
}

/** A line longer than this is not a message we can take; the connection is closed. */
const MAX_LINE_BYTES = 64 * 1024 * 1024;
const CLOSE_STEP_MS = 2000;
/**
 * A chunk larger than this is read in slices, one per turn of the event loop: until the scanner's
 * loop is compiled (which a busy machine can delay), scanning a whole 64 KB chunk at once could
 * hold the host's thread for tens of ms.
 */
const SLICE_BYTES = 16 * 1024;

export class StdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private _child?: ChildProcessWithoutNullStreams;
  private _pending: Buffer[] = [];
  private _pendingBytes = 0;
  /** Sizes up the line being read as it arrives; see messageBounds.ts. */
  private readonly _scanner = new MessageScanner();
  private _exit?: string;
  /** A message went out in this tick already; see `_coalesce`. */
  private _inTick = false;

  constructor(private readonly _params: StdioParams) {}

  /** The child's pid once spawned. */
  get pid(): number | undefined { return this._child?.pid; }

  /** How the process ended (`with code 1`, `on SIGTERM`), once it has. */
  get exit(): string | undefined { return this._exit; }

  start(): Promise<void> {
    if (this._child) throw new Error('already started');
    return new Promise((resolve, reject) => {
      const child = spawn(this._params.command, this._params.args ?? [], {
        env: this._params.env, cwd: this._params.cwd, stdio: ['pipe', 'pipe', 'pipe'], shell: false, windowsHide: process.platform === 'win32',
      }) as ChildProcessWithoutNullStreams;
      this._child = child;
      child.once('error', (e) => {
        reject(e);
        this.onerror?.(e);
      });
      child.once('spawn', () => resolve());
      child.once('exit', (code, signal) => { this._exit = code !== null ? `with code ${code}` : `on ${signal}`; });
      child.once('close', () => {
        this._child = undefined;
        this.onclose?.();
      });
      child.stdin.on('error', (e) => this.onerror?.(e));
      child.stdout.on('error', (e) => this.onerror?.(e));
      child.stdout.on('data', (chunk: Buffer) => this._take(chunk, child.stdout));
      if (this._params.onStderr) child.stderr.on('data', this._params.onStderr);
      else child.stderr.resume();
    });
  }

  send(message: JSONRPCMessage): Promise<void> {
    const stdin = this._child?.stdin;
    if (!stdin) return Promise.reject(new Error('Not connected'));
    this._coalesce(stdin);
    return new Promise((resolve) => {
      if (stdin.write(`${JSON.stringify(message)}\n`)) resolve();
      else stdin.once('drain', resolve);
    });
  }

  /**
   * The first message of a tick is written at once, so the server starts on it; the ones sent
   * after it in the same tick (a model's parallel calls, a burst) are held and go out together
   * at the end of the tick as one `writev`. Writing each on its own cost a system call apiece:
   * 1,000 calls at once over 10 servers ran 3-20 % slower than with them coalesced.
   */
  private _coalesce(stdin: Writable): void {
    if (!this._inTick) {
      this._inTick = true;
      process.nextTick(() => {
        this._inTick = false;
        // Nothing else corks our child's stdin, so the stream's own count says whether we did.
        if (stdin.writableCorked) stdin.uncork();
      });
    } else if (!stdin.writableCorked) {
      stdin.cork();
    }
  }

  /** Closes stdin and waits for the process; SIGTERM after 2 s, SIGKILL 2 s later. */
  async close(): Promise<void> {
    const child = this._child;
    if (!child) return;
    const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
    const step = () => Promise.race([closed, new Promise<void>((r) => setTimeout(r, CLOSE_STEP_MS).unref())]);
    try { child.stdin.end(); } catch { /* already gone */ }
    await step();
    for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
      if (child.exitCode !== null || child.signalCode !== null) break;
      try { child.kill(signal); } catch { /* already gone */ }
      if (signal === 'SIGTERM') await step();
    }
  }

  /** Reads `chunk`, a large one slice by slice with the stream paused meanwhile (order is kept). */
  private _take(chunk: Buffer, stdout: Readable): void {
    if (chunk.length <= SLICE_BYTES) return this._read(chunk);
    stdout.pause();
    const next = (from: number) => {
      this._read(chunk.subarray(from, from + SLICE_BYTES));
      if (from + SLICE_BYTES < chunk.length) setImmediate(next, from + SLICE_BYTES);
      else stdout.resume();
    };
    next(0);
  }

  private _read(chunk: Buffer): void {
    let start = 0;
    for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
      this._scanner.push(chunk, start, nl);
      const piece = chunk.subarray(start, nl);
      const line = this._pending.length ? Buffer.concat([...this._pending, piece]) : piece;
      this._pending = [];
      this._pendingBytes = 0;
      start = nl + 1;
      if (this._scanner.refusal) this._refused();
      else this._line(line.toString('utf8'));
      this._scanner.reset();
    }
    if (start < chunk.length) {
      this._scanner.push(chunk, start, chunk.length);
      // A line already refused is only scanned to its end (for its id), never kept.
      if (!this._scanner.refusal) this._pending.push(chunk.subarray(start));
      else this._pending = [];
      this._pendingBytes += chunk.length - start;
      if (this._pendingBytes > MAX_LINE_BYTES) {
        this._pending = [];
        this._pendingBytes = 0;
        this.onerror?.(new Error(`the server wrote a line of more than ${MAX_LINE_BYTES / 1024 / 1024} MB without a newline`));
        void this.close();
      }
    }
  }

  /** A line over the message bounds: the request it answers fails now, and the log says why. */
  private _refused(): void {
    this.onerror?.(new Error(`refused a message from the server: ${this._scanner.refusal}`));
    const answer = this._scanner.refusedAnswer();
    if (answer) this.onmessage?.(answer);
  }

  private _line(raw: string): void {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (!line.trim()) return;
    const message = parseLine(line);
    if (message instanceof Error) this.onerror?.(message);
    else this.onmessage?.(message);
  }
}
