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
 *
 * The server's process tree is stopped as a whole (processTree.ts): on POSIX the server leads its
 * own process group and, on Linux, marks its tree through an environment variable.
 */
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { Readable, Writable } from 'node:stream';
import spawn from 'cross-spawn';
import { sleep } from '../common/async';
import { parseLine } from './jsonRpc';
import { MessageScanner } from './messageBounds';
import { processTreePlan } from './platform';
import { procStartTime, signalTree, treeAlive, type TreeRoot } from './processTree';

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
const POLL_MS = 100;
/** The environment variable that marks a server's tree; each launch gets its own random value. */
export const TREE_MARKER_ENV = 'MCP_SWITCHBOARD_TREE';
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
  /** The spawned process, kept after it closed: whether it is reaped decides what may be signalled. */
  private _proc?: ChildProcessWithoutNullStreams;
  private _tree?: TreeRoot;
  private _stopping?: Promise<void>;
  private readonly _plan = processTreePlan(process.platform);
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
    const plan = this._plan;
    const marker = plan.procfs ? randomBytes(12).toString('hex') : undefined;
    return new Promise((resolve, reject) => {
      const child = spawn(this._params.command, this._params.args ?? [], {
        env: marker ? { ...this._params.env, [TREE_MARKER_ENV]: marker } : this._params.env,
        cwd: this._params.cwd, stdio: ['pipe', 'pipe', 'pipe'], shell: false, windowsHide: process.platform === 'win32', detached: plan.ownGroup,
      }) as ChildProcessWithoutNullStreams;
      this._child = child;
      this._proc = child;
      child.once('error', (e) => {
        reject(e);
        this.onerror?.(e);
      });
      child.once('spawn', () => {
        const pid = child.pid!;
        this._tree = { pid, start: plan.procfs ? procStartTime(pid) : undefined, marker: marker && `${TREE_MARKER_ENV}=${marker}` };
        if (plan.ownGroup) killGroupOnExit(pid, true);
        resolve();
      });
      child.once('exit', (code, signal) => {
        this._exit = code !== null ? `with code ${code}` : `on ${signal}`;
        killGroupOnExit(child.pid!, false);
      });
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

  /** The SDK's close: a staged stop with the default grace period. */
  close(): Promise<void> {
    return this.stop(CLOSE_STEP_MS);
  }

  /**
   * Staged stop of the whole tree: close stdin, give the server `graceMs` to exit, SIGTERM what is
   * left of its tree and give it a moment, then SIGKILL. Each signal goes to a fresh snapshot
   * (processTree.ts), so helpers the server started, or that left its group, go too. With no
   * grace the tree is killed at once. Stopping again returns the same stop; `kill()` cuts it short.
   */
  stop(graceMs: number): Promise<void> {
    this._stopping ??= this._stop(graceMs);
    return this._stopping;
  }

  /** SIGKILL to the whole tree now (a second stop, or a grace period that ran out). */
  async kill(): Promise<void> {
    if (this._tree) await signalTree(this._tree, 'SIGKILL', { leaderUnreaped: this._unreaped() }).catch(() => undefined);
  }

  private async _stop(graceMs: number): Promise<void> {
    const child = this._proc;
    const tree = this._tree;
    if (!child || !tree) return;
    try { child.stdin.end(); } catch { /* already gone */ }
    await this._untilExit(graceMs);
    // No grace (a failed start, a removed server): straight to SIGKILL.
    if (this._plan.politeSignal && graceMs > 0) {
      const signalled = await signalTree(tree, 'SIGTERM', { leaderUnreaped: this._unreaped() }).catch(() => 1);
      if (signalled === 0 || await this._untilTreeGone(tree, CLOSE_STEP_MS)) return;
    }
    await this.kill();
    await this._untilExit(CLOSE_STEP_MS);
  }

  /** Node reaps the child when it reports its exit; until then its pid and group id are still ours. */
  private _unreaped(): boolean {
    const c = this._proc;
    return !!c && c.exitCode === null && c.signalCode === null;
  }

  private async _untilExit(ms: number): Promise<void> {
    const c = this._proc;
    if (!c || !this._unreaped()) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      c.once('exit', done);
      function done() { clearTimeout(timer); c!.off('exit', done); resolve(); }
    });
  }

  private async _untilTreeGone(tree: TreeRoot, ms: number): Promise<boolean> {
    const end = Date.now() + ms;
    for (;;) {
      if (!await treeAlive(tree, this._unreaped()).catch(() => true)) return true;
      if (Date.now() >= end) return false;
      await sleep(POLL_MS);
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

/**
 * Server groups whose leader we have not reaped yet. Each server has its own session, so when the
 * host ends (or crashes) nothing signals them: the 'exit' hook kills them. The leader's stdin
 * closes then too, which is all a host killed outright can do.
 */
const liveGroups = new Set<number>();
let exitHookInstalled = false;

function killGroupOnExit(pgid: number, live: boolean): void {
  if (!live) {
    liveGroups.delete(pgid);
    return;
  }
  liveGroups.add(pgid);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const g of liveGroups) {
      try { process.kill(-g, 'SIGKILL'); } catch { /* gone */ }
    }
  });
}
