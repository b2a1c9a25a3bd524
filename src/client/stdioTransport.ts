/**
 * The stdio client transport: the server as a child process, one JSON-RPC message per line on
 * its stdin and stdout. It does what the SDK's StdioClientTransport does (cross-spawn, so `.cmd`
 * shims such as `npx` start on Windows; stdin closed, then SIGTERM, then SIGKILL on close) with
 * two differences that matter on every call:
 *
 * - A line is checked only for the JSON-RPC envelope, by shape (jsonRpc.ts). The SDK's transport
 *   parses every message with its full zod schema and then parses the same result again with the
 *   request's own schema; that second parse (in the SDK's Protocol, which we keep) is the one that matters.
 * - Lines are cut from the chunks as they come, without concatenating a growing buffer per chunk,
 *   and sized up as they arrive; reading is cut by time, so no flood holds the host (stdioReader.ts).
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
import { processTreePlan } from './platform';
import { procStartTime, signalTree, treeAlive, type TreeRoot } from './processTree';
import { FLOOD_PAUSE_MS, StdoutReader } from './stdioReader';

export { MAX_LINE_BYTES } from './stdioReader';

export interface StdioParams {
  command: string;
  args?: string[];
  /** The whole environment of the child (already merged; see platform.ts). */
  env: Record<string, string>;
  cwd?: string;
  onStderr?: (chunk: Buffer) => void;
}

/**
 * Messages waiting in the server's stdin beyond this are refused rather than buffered: a server
 * that stops reading would otherwise hold every later message in our memory.
 */
export const MAX_INPUT_BACKLOG_BYTES = 8 * 1024 * 1024;
const CLOSE_STEP_MS = 2000;
const POLL_MS = 100;
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
  private _reader?: StdoutReader;
  private _exit?: string;
  /** A message went out in this tick already; see `_coalesce`. */
  private _inTick = false;
  /** Resolves when the server has read what waits in its stdin (or stdin closed). */
  private _drained?: Promise<void>;
  /** When stdin last filled up, while it stays full. */
  private _blockedSince?: number;
  private _stderrBudget = STDERR_BURST_BYTES;
  private _stderrRefilled = Date.now();

  constructor(private readonly _params: StdioParams) {}

  /** The child's pid once spawned. */
  get pid(): number | undefined { return this._child?.pid; }

  /** How the process ended (`with code 1`, `on SIGTERM`), once it has. */
  get exit(): string | undefined { return this._exit; }

  /** Why we closed the connection ourselves (the server broke the protocol), once we have. */
  get failure(): string | undefined { return this._reader?.failure; }

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
      const reader = new StdoutReader(child.stdout, {
        message: (m) => this.onmessage?.(m),
        error: (e) => this.onerror?.(e),
        fail: (why) => {
          this.onerror?.(new Error(why));
          void this.stop(0);
        },
      });
      this._reader = reader;
      child.stdout.on('data', (chunk: Buffer) => reader.take(chunk));
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
