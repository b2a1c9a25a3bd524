/**
 * Contenders of the call-path rows, each in a process of its own, driven block by block from the
 * benchmark's process.
 *
 * Why: contenders in one process share V8's inline caches and the CPU's caches. Code that two of
 * them run (the SDK's Protocol, zod) sees both one's objects and the other's, and each block
 * starts on what the others left behind, so the company a contender keeps moves its figure. Same
 * code, same machine, Switchboard/SDK over the stdio echo fixture measured 1.00 × beside three more
 * Switchboard-like contenders and 1.04-1.07 × beside the SDK and the floor alone. In an extension
 * host Switchboard runs alone, and so does every contender here: each its own Node process (its
 * main thread pinned where the in-process run pinned it, pinning.ts), started afresh every round.
 *
 * The benchmark's process only says "run a block" and waits; every figure (wall time, this
 * client's CPU, its server's CPU, connections opened) is taken inside the contender's process.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { concurrent, layerContender, sequential, STDIO_SERVERS, type Contender, type Layer } from './callPath';
import { floorHttp, HTTP_SERVERS, rawSdkHttp, switchboardHttp } from './httpPath';
import { pinSelf } from './pinning';
import { connectionsOpened, processCpuNs } from './timeSplit';

/** One sequential block's figures, per call: wall µs, this client's CPU µs, its server's CPU µs (NaN if unknown), connections opened. */
export interface BlockFigures { us: number; cpuUs: number; serverCpuUs: number; conns: number }

/** What a round drives: a contender in this process or in one of its own. */
export interface Runner {
  start(): Promise<void>;
  sequentialBlock(n: number): Promise<BlockFigures>;
  /** µs per call (wall time / n) with `inFlight` calls running at once. */
  concurrentBlock(n: number, inFlight: number): Promise<number>;
  stop(): Promise<void>;
}

export interface RoundSettings {
  /** Sequential calls measured per contender, in blocks of `block`. */
  calls: number;
  /** Calls with `inFlight` at once measured per contender, in blocks of 500 (0: none). */
  concCalls: number;
  /** Calls each contender makes one by one and then `inFlight` at a time before anything is measured. */
  warmup: number;
  inFlight: number;
  block: number;
}

/** Per contender, per call: sequential wall µs, with-calls-in-flight wall µs, client CPU µs, server CPU µs, connections. */
export interface RoundFigures { seq: number[]; conc: number[]; cpu: number[]; serverCpu: number[]; conns: number[] }

const CONC_BLOCK = 500;

/**
 * One round: every contender started afresh and warmed up, then their calls run in interleaved
 * blocks (sequential ones, then ones with calls in flight, from each in turn, in an order that
 * rotates with the round and the block), so all of them meet the same moments of a noisy shared
 * machine.
 */
export async function interleavedRound(makers: (() => Runner)[], roundNo: number, s: RoundSettings): Promise<RoundFigures> {
  const runners = makers.map((make) => make());
  await Promise.all(runners.map((c) => c.start()));
  try {
    // Warm both ways of calling, so what is measured is the steady state (optimized code on both
    // sides of the pipe), not how soon V8 gets round to compiling each contender's own code.
    for (const c of runners) {
      await c.sequentialBlock(s.warmup);
      await c.concurrentBlock(s.warmup, s.inFlight);
    }
    // Per contender, summed over its sequential blocks: wall time; its client's CPU, which the
    // machine's scheduling noise (that dominates wall time) barely touches; and its server's CPU and
    // the connections opened (timeSplit.ts): where the rest of a call's time goes. µs per call × calls.
    const zero = () => runners.map(() => 0);
    const seq = zero();
    const cpu = zero();
    const serverCpu = zero();
    const conns = zero();
    const conc = zero();
    const blocks = Math.ceil(s.calls / s.block);
    const concBlocks = Math.ceil(s.concCalls / CONC_BLOCK);
    for (let b = 0; b < blocks; b++) {
      for (let k = 0; k < runners.length; k++) {
        const i = (roundNo + b + k) % runners.length;
        const f = await runners[i].sequentialBlock(s.block);
        seq[i] += f.us * s.block;
        cpu[i] += f.cpuUs * s.block;
        serverCpu[i] += f.serverCpuUs * s.block;
        conns[i] += f.conns * s.block;
      }
    }
    for (let b = 0; b < concBlocks; b++) {
      for (let k = 0; k < runners.length; k++) {
        const i = (roundNo + b + k) % runners.length;
        conc[i] += await runners[i].concurrentBlock(CONC_BLOCK, s.inFlight) * CONC_BLOCK;
      }
    }
    const perCall = (t: number) => t / (blocks * s.block);
    return { seq: seq.map(perCall), conc: conc.map((t) => t / Math.max(1, concBlocks * CONC_BLOCK)), cpu: cpu.map(perCall), serverCpu: serverCpu.map(perCall), conns: conns.map(perCall) };
  } finally {
    await Promise.all(runners.map((c) => c.stop()));
  }
}

/**
 * A contender the child can build from plain data: one of the call-path rows' three, or over
 * stdio any of Switchboard's layers (callPath.ts `LAYERS`, for layers.ts).
 */
export type ContenderSpec =
  | { group: 'stdio'; kind: Layer; server: number; pinned: boolean }
  | { group: 'http'; kind: 'switchboard' | 'sdk' | 'floor'; server: number; pinned: boolean };

/** Runs a contender here, measuring each block from this process. */
export function inProcess(c: Contender): Runner {
  return {
    start: () => c.start(),
    async sequentialBlock(n) {
      const pid = c.serverPid?.();
      const serverBefore = processCpuNs(pid) ?? NaN;
      const connsBefore = connectionsOpened();
      const before = process.cpuUsage();
      const us = await sequential(c, n);
      const used = process.cpuUsage(before);
      return {
        us, cpuUs: (used.user + used.system) / n, conns: (connectionsOpened() - connsBefore) / n,
        serverCpuUs: ((processCpuNs(pid) ?? NaN) - serverBefore) / 1000 / n,
      };
    },
    concurrentBlock: (n, inFlight) => concurrent(c, n, inFlight),
    stop: () => c.stop(),
  };
}

type Order = { op: 'start' | 'stop' } | { op: 'seq'; n: number } | { op: 'conc'; n: number; inFlight: number };
type Request = Order & { id: number };
type Reply = { id: number; result?: unknown; error?: string };

/** Runs a contender in a child process of its own (this file, forked). */
export function isolated(spec: ContenderSpec): Runner {
  let child: ChildProcess | undefined;
  /** Why the child can take no more orders, once it has exited or its channel failed. */
  let gone: Error | undefined;
  let next = 0;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const end = (why: Error) => {
    gone ??= why;
    for (const w of waiting.values()) w.reject(gone);
    waiting.clear();
  };
  const ask = <T>(request: Order): Promise<T> => new Promise((resolve, reject) => {
    if (gone || !child) return reject(gone ?? new Error('not started'));
    const id = ++next;
    waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
    child.send({ ...request, id });
  });
  return {
    async start() {
      child = fork(__filename, ['--contender', JSON.stringify(spec)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      child.on('message', (m: Reply) => {
        const w = waiting.get(m.id);
        waiting.delete(m.id);
        if (m.error !== undefined) w?.reject(new Error(m.error));
        else w?.resolve(m.result);
      });
      child.on('error', (e) => end(e));
      child.once('exit', (code, signal) => end(new Error(`the ${spec.kind} contender's process exited (${code ?? signal})`)));
      await ask({ op: 'start' });
    },
    sequentialBlock: (n) => ask<BlockFigures>({ op: 'seq', n }),
    concurrentBlock: (n, inFlight) => ask<number>({ op: 'conc', n, inFlight }),
    async stop() {
      if (!child || gone) return;
      const exited = new Promise((r) => child!.once('exit', r));
      await ask({ op: 'stop' });
      child.disconnect();
      await exited;
    },
  };
}

function build(spec: ContenderSpec): Contender {
  if (spec.group === 'stdio') return layerContender(spec.kind, STDIO_SERVERS[spec.server], spec.pinned);
  const server = HTTP_SERVERS[spec.server];
  return spec.kind === 'switchboard' ? switchboardHttp(server) : spec.kind === 'sdk' ? rawSdkHttp(server) : floorHttp();
}

/**
 * Prints each kind of process warning once. The SDK's HTTP client transports hand every request
 * the same AbortSignal, and past undici's 1,500 listeners on it Node warns, with a stack trace, at
 * every further request: one run printed 23,793 of them, and the SDK's rows paid for writing them
 * out. Node still builds each warning, as it would in any program using those transports.
 */
export function warnOnce(): void {
  const seen = new Set<string>();
  process.removeAllListeners('warning');
  process.on('warning', (w) => {
    const kind = `${w.name}: ${w.message.replace(/\d+/g, 'N')}`;
    if (seen.has(kind)) return;
    seen.add(kind);
    process.stderr.write(`${w.name}: ${w.message} (further ones of this kind are not printed)\n`);
  });
}

/** The child: builds its contender, pins its main thread when asked, and runs what it is told. */
function serve(spec: ContenderSpec): void {
  warnOnce();
  // The benchmark went away (done, or killed): nothing here may outlive it.
  process.once('disconnect', () => process.exit(0));
  // Built on the first order, so a contender that cannot be built answers it with the reason.
  let runner: Runner | undefined;
  process.on('message', (m: Request) => {
    const run = async (): Promise<unknown> => {
      runner ??= inProcess(build(spec));
      switch (m.op) {
        case 'start':
          if (spec.pinned) pinSelf(true);
          return runner.start();
        case 'seq': return runner.sequentialBlock(m.n);
        case 'conc': return runner.concurrentBlock(m.n, m.inFlight);
        case 'stop': return runner.stop();
      }
    };
    run().then(
      (result) => process.send!({ id: m.id, result: result ?? null }),
      (e: unknown) => process.send!({ id: m.id, error: e instanceof Error ? e.stack ?? e.message : String(e) }),
    );
  });
}

const at = process.argv.indexOf('--contender');
if (at !== -1) serve(JSON.parse(process.argv[at + 1]) as ContenderSpec);
