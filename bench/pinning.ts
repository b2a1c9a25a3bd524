/**
 * CPU pinning for the stdio call-path rows: this process's main thread on one CPU and every
 * server process on another, the same for each contender.
 *
 * Why: a sequential stdio call is two process wake-ups, and what they cost depends on where the
 * scheduler put the two processes. Sharing a CPU, the client's write to the pipe often lets the
 * server run inside that write (a CPU profile shows the write taking 10–40 µs); on two CPUs, the
 * write wakes the other one. Each round's fresh processes land one way or the other for the whole
 * round, so one round's ratio was 0.86 × and another's 1.48 × with the same code. Pinned, every
 * contender gets the same placement and the ratio measures the clients.
 *
 * Linux only (taskset, from util-linux), with at least two CPUs allowed to this process;
 * `BENCH_PIN=0` turns it off.
 */
import { spawnSync } from 'node:child_process';

/** The CPUs this process may run on, as taskset lists them ("0,1", "0-3"), or undefined without taskset. */
function allowedCpus(): string | undefined {
  if (process.platform !== 'linux' || process.env.BENCH_PIN === '0') return undefined;
  const r = spawnSync('taskset', ['-c', '-p', String(process.pid)], { encoding: 'utf8' });
  return r.status === 0 ? /list:\s*(\S+)/.exec(r.stdout)?.[1] : undefined;
}

/** "0,2-3" → [0, 2, 3]. */
function expand(list: string): number[] {
  return list.split(',').flatMap((part) => {
    const [a, b = a] = part.split('-').map(Number);
    return Array.from({ length: b - a + 1 }, (_, i) => a + i);
  });
}

const ALLOWED = allowedCpus();
const CPUS = ALLOWED ? expand(ALLOWED) : [];

/** Whether pinning is on for this run, decided once. */
export const PINNING = CPUS.length >= 2;

/** Pins this process's main thread to the first allowed CPU (`true`) or gives it back all of them (`false`). */
export function pinSelf(pinned: boolean): void {
  if (!PINNING) return;
  const cpus = pinned ? String(CPUS[0]) : ALLOWED!;
  // The main thread only (`-p` without `-a`): V8's and libuv's worker threads keep every CPU.
  const r = spawnSync('taskset', ['-c', '-p', cpus, String(process.pid)], { stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`taskset -c -p ${cpus} failed`);
}

/** How to start a server process: through taskset onto the second allowed CPU when pinning, else as is. */
export function serverCommand(command: string, args: string[], pinned: boolean): { command: string; args: string[] } {
  return pinned && PINNING ? { command: 'taskset', args: ['-c', String(CPUS[1]), command, ...args] } : { command, args };
}
