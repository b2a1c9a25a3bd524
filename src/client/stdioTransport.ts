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
import type { Writable } from 'node:stream';
import spawn from 'cross-spawn';
import { sleep } from '../common/async';
import { parseMessage } from './jsonRpc';
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
export const MAX_LINE_BYTES = 32 * 1024 * 1024;
/**
 * Messages waiting in the server's stdin beyond this are refused rather than buffered: a server
 * that stops reading would otherwise hold every later message in our memory.
 */
export const MAX_INPUT_BACKLOG_BYTES = 8 * 1024 * 1024;
const CLOSE_STEP_MS = 2000;
const POLL_MS = 100;
/**
 * The longest we read the server's output in one turn of the event loop before letting the rest
 * of the host run: libuv hands over many chunks at once, and a flood of small messages in them
 * would otherwise hold the thread for as long as the flood lasts.
 */
const READ_SLICE_MS = 10;
/** Notifications a second the client is handed (after a burst); a flood beyond is dropped and counted. */
const NOTIFICATIONS_PER_SECOND = 500;
const NOTIFICATION_BURST = 2000;
/** A flooding server is not read for this long once its notifications are being dropped. */
const FLOOD_PAUSE_MS = 100;
/** Stderr read a second (after a burst); a server that writes more waits on its pipe. */
const STDERR_BYTES_PER_SECOND = 1024 * 1024;
const STDERR_BURST_BYTES = 4 * 1024 * 1024;
/** The environment variable that marks a server's tree; each launch gets its own random value. */
export const TREE_MARKER_ENV = 'MCP_SWITCHBOARD_TREE';

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
  private _exit?: string;
  /** A message went out in this tick already; see `_coalesce`. */
  private _inTick = false;
  /** Resolves when the server has read what waits in its stdin (or stdin closed). */
  private _drained?: Promise<void>;
  /** When stdin last filled up, while it stays full. */
  private _blockedSince?: number;
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
  private _stderrBudget = STDERR_BURST_BYTES;
  private _stderrRefilled = Date.now();
  private _notifyTokens = NOTIFICATION_BURST;
  private _notifyRefilled = Date.now();
  private _notifyDropped = 0;
  private _notifyReported = 0;

  constructor(private readonly _params: StdioParams) {}

  /** The child's pid once spawned. */
  get pid(): number | undefined { return this._child?.pid; }

  /** How the process ended (`with code 1`, `on SIGTERM`), once it has. */
  get exit(): string | undefined { return this._exit; }

  /** Why we closed the connection ourselves (the server broke the protocol), once we have. */
  get failure(): string | undefined { return this._failure; }

  /** What a call that timed out should know: the server has not been reading its input. */
  inputStall(): string | undefined {
    const stdin = this._child?.stdin;
    if (this._blockedSince === undefined || !stdin) return undefined;
    const seconds = Math.round((Date.now() - this._blockedSince) / 1000);
    return `the server has not read its input for ${seconds} s (${Math.ceil(stdin.writableLength / 1024)} KB wait unread)`;
  }

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
      child.stdout.on('data', (chunk: Buffer) => this._onData(child, chunk));
      if (this._params.onStderr) child.stderr.on('data', (chunk: Buffer) => this._onStderr(child, chunk));
      else child.stderr.resume();
    });
  }

  send(message: JSONRPCMessage): Promise<void> {
    const stdin = this._child?.stdin;
    if (!stdin) return Promise.reject(new Error('Not connected'));
    if (stdin.writableLength > MAX_INPUT_BACKLOG_BYTES) {
      return Promise.reject(new Error(`the server is not reading its input: ${Math.round(stdin.writableLength / 1024 / 1024)} MB of messages wait unread, so no more are sent`));
    }
    this._coalesce(stdin);
    if (stdin.write(`${JSON.stringify(message)}\n`)) return Promise.resolve();
    this._blockedSince ??= Date.now();
    this._drained ??= new Promise<void>((resolve) => {
      const done = () => {
        stdin.off('drain', done).off('close', done);
        this._drained = undefined;
        this._blockedSince = undefined;
        resolve();
      };
      stdin.on('drain', done).on('close', done);
    });
    return this._drained;
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

  /**
   * Reads a chunk. Past READ_SLICE_MS in this turn it stops, keeps the rest of the chunk and stops
   * reading until the next turn; while a flood of notifications is being dropped it stops for
   * FLOOD_PAUSE_MS, so the server waits on its pipe instead of taking the host's thread.
   */
  private _onData(child: ChildProcessWithoutNullStreams, chunk: Buffer): void {
    if (this._turnStart === undefined) {
      this._turnStart = performance.now();
      setImmediate(() => this._nextTurn(child));
    }
    const rest = this._read(chunk);
    if (rest || performance.now() - this._turnStart > READ_SLICE_MS) {
      this._backlog = rest;
      if (!this._sliceHeld) {
        this._sliceHeld = true;
        this._hold(child);
      }
    }
    if (this._flooding && !this._floodHeld) {
      this._floodHeld = true;
      this._hold(child);
      setTimeout(() => {
        this._floodHeld = false;
        this._flooding = false;
        this._release(child);
      }, FLOOD_PAUSE_MS).unref();
    }
  }

  /** A new turn of the event loop: the rest of a cut chunk first, then reading again. */
  private _nextTurn(child: ChildProcessWithoutNullStreams): void {
    this._turnStart = undefined;
    const backlog = this._backlog;
    this._backlog = undefined;
    if (backlog && this._child) this._onData(child, backlog);
    if (this._sliceHeld && !this._backlog) {
      this._sliceHeld = false;
      this._release(child);
    }
  }

  /**
   * Hands stderr over as it comes, up to STDERR_BYTES_PER_SECOND after a burst; beyond that it is
   * not read for FLOOD_PAUSE_MS at a time, so a server flooding it waits instead of the host.
   */
  private _onStderr(child: ChildProcessWithoutNullStreams, chunk: Buffer): void {
    const now = Date.now();
    this._stderrBudget = Math.min(STDERR_BURST_BYTES, this._stderrBudget + ((now - this._stderrRefilled) / 1000) * STDERR_BYTES_PER_SECOND);
    this._stderrRefilled = now;
    this._stderrBudget -= chunk.length;
    this._params.onStderr!(chunk);
    if (this._stderrBudget < 0 && !child.stderr.isPaused()) {
      child.stderr.pause();
      setTimeout(() => { if (!child.stderr.destroyed) child.stderr.resume(); }, FLOOD_PAUSE_MS).unref();
    }
  }

  private _hold(child: ChildProcessWithoutNullStreams): void {
    if (this._holds++ === 0) child.stdout.pause();
  }

  private _release(child: ChildProcessWithoutNullStreams): void {
    if (--this._holds === 0 && !child.stdout.destroyed) child.stdout.resume();
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
      this.onerror?.(new Error(`dropped ${this._notifyDropped} notifications: the server sent more than ${NOTIFICATIONS_PER_SECOND} a second`));
      this._notifyDropped = 0;
    }
    return false;
  }

  /** Hands over the chunk's lines; what is left when this turn's time is up comes back. */
  private _read(chunk: Buffer): Buffer | undefined {
    if (this._failure !== undefined) return undefined;
    let start = 0;
    let count = 0;
    for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, nl);
      const line = this._pending.length ? Buffer.concat([...this._pending, piece]) : piece;
      this._pending = [];
      this._pendingBytes = 0;
      start = nl + 1;
      this._line(line.toString('utf8'));
      if (++count % 32 === 0 && start < chunk.length && performance.now() - this._turnStart! > READ_SLICE_MS) return chunk.subarray(start);
    }
    if (start < chunk.length) {
      this._pending.push(chunk.subarray(start));
      this._pendingBytes += chunk.length - start;
      if (this._pendingBytes > MAX_LINE_BYTES && this._failure === undefined) {
        this._pending = [];
        this._pendingBytes = 0;
        this._failure = `the server wrote a line of more than ${MAX_LINE_BYTES / 1024 / 1024} MB without a newline; the connection was closed`;
        this.onerror?.(new Error(this._failure));
        this._child?.stdout.destroy();
        void this.stop(0);
      }
    }
    return undefined;
  }

  private _line(raw: string): void {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (!line.trim()) return;
    const message = parseMessage(line);
    if (message instanceof Error) this.onerror?.(message);
    else if (!('method' in message && !('id' in message)) || this._admitNotification()) this.onmessage?.(message);
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
