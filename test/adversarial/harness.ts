/**
 * What every attack in the adversarial suite measures while a hostile server does its worst: the
 * longest stall of this process's event loop (the extension host's thread, in the editor) and the
 * peak memory. An attack is survived when the stall stays under STALL_BUDGET_MS, memory under the
 * attack's stated bound, the other servers keep answering, and the user gets one clear error.
 *
 * With FAULTS_REPORT set to a file, each attack appends its row (JSON lines) for `npm run faults`,
 * which turns them into docs/RELIABILITY.md.
 */
import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import * as path from 'node:path';
import type { DesiredServer } from '../../src/client/manager';

/** The longest the host's own thread may run without yielding during an attack: a frame of typing. */
export const STALL_BUDGET_MS = 100;
/**
 * The longest the event loop may be late in wall time. On a loaded machine the process can wait
 * for a core without doing anything wrong, so this budget is wider; it still catches a thread
 * blocked in a synchronous wait (a spawnSync, a blocking read), which uses no CPU.
 */
export const LATENESS_BUDGET_MS = 1000;

export interface Figures {
  /**
   * The longest stall the host caused itself, in ms: for each moment the event loop was late, the
   * lesser of how late it was and the CPU the process used meanwhile.
   */
  maxStallMs: number;
  /** The longest the event loop was late in wall time, in ms, whatever the cause. */
  maxLatenessMs: number;
  /** Peak resident set and heap in use while watching, in MB. */
  peakRssMb: number;
  peakHeapMb: number;
  /** RSS when watching began, so a bound can be stated as growth. */
  startRssMb: number;
}

export interface HostWatch {
  /** Stops watching and returns the figures. */
  stop(): Figures;
}

const MB = 1024 * 1024;
const TICK_MS = 10;

/**
 * Starts measuring. A 10 ms timer notes how late each of its ticks comes and how much CPU the
 * process used since the last one; memory is sampled on the same ticks and once more at `stop()`
 * (a stall long enough to hide a peak between samples already fails the budget).
 */
export function watchHost(): HostWatch {
  const start = process.memoryUsage();
  let peakRss = start.rss;
  let peakHeap = start.heapUsed;
  let maxStall = 0;
  let maxLate = 0;
  let lastWall = performance.now();
  let lastCpu = process.cpuUsage();
  const sample = () => {
    const wall = performance.now();
    const cpu = process.cpuUsage();
    const late = wall - lastWall - TICK_MS;
    if (late > 0) {
      const cpuMs = (cpu.user - lastCpu.user + cpu.system - lastCpu.system) / 1000;
      maxLate = Math.max(maxLate, late);
      maxStall = Math.max(maxStall, Math.min(late, cpuMs));
    }
    lastWall = wall;
    lastCpu = cpu;
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const timer = setInterval(sample, TICK_MS);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return {
        maxStallMs: round(maxStall),
        maxLatenessMs: round(maxLate),
        peakRssMb: round(peakRss / MB),
        peakHeapMb: round(peakHeap / MB),
        startRssMb: round(start.rss / MB),
      };
    },
  };
}

export interface Bounds {
  /** Growth of the resident set over the attack, in MB. */
  rssGrowthMb: number;
  /** The stall budget; STALL_BUDGET_MS unless the attack states otherwise. */
  stallMs?: number;
}

/** Fails the test when the attack stalled the host or grew it past its bound. */
export function assertWithin(f: Figures, bounds: Bounds): void {
  const stall = bounds.stallMs ?? STALL_BUDGET_MS;
  assert.ok(f.maxStallMs < stall, `the host's thread ran ${f.maxStallMs} ms without yielding (budget ${stall} ms)`);
  assert.ok(f.maxLatenessMs < LATENESS_BUDGET_MS, `the event loop was ${f.maxLatenessMs} ms late (budget ${LATENESS_BUDGET_MS} ms)`);
  const growth = f.peakRssMb - f.startRssMb;
  assert.ok(growth < bounds.rssGrowthMb, `memory grew ${growth.toFixed(1)} MB (bound ${bounds.rssGrowthMb} MB)`);
}

export interface Row {
  /** Short name of the attack or fault, as the table shows it. */
  attack: string;
  /** What happened, in one sentence a user would understand. */
  outcome: string;
  figures: Figures;
  bounds: Bounds;
}

/** Checks the bounds, then appends the row to FAULTS_REPORT when set. */
export function survived(row: Row): void {
  const f = row.figures;
  console.log(`      ${row.attack}: stall ${f.maxStallMs} ms (late ${f.maxLatenessMs} ms), rss +${(f.peakRssMb - f.startRssMb).toFixed(1)} MB (peak ${f.peakRssMb} MB)`);
  assertWithin(row.figures, row.bounds);
  const file = process.env.FAULTS_REPORT;
  if (file) appendFileSync(file, JSON.stringify(row) + '\n');
}

/** Absolute path of a built hostile server, e.g. `hostilePath('regex')` → …/out/test/adversarial/servers/regex.js. */
export function hostilePath(name: string): string {
  return path.join(__dirname, 'servers', `${name}.js`);
}

const round = (n: number) => Math.round(n * 10) / 10;

/** A hostile server as the manager starts it: this Node running `hostilePath(file)` with `args`. */
export function hostileServer(name: string, file: string, args: string[] = [], env: Record<string, string> = {}): DesiredServer {
  return { name, sourceKind: 'workspace', config: { type: 'stdio', command: process.execPath, args: [hostilePath(file), ...args], env } };
}
