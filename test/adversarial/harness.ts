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
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { DesiredServer } from '../../src/client/manager';

/** The longest main-thread stall an attack may cause: a frame of typing in the editor. */
export const STALL_BUDGET_MS = 100;

export interface Figures {
  /** The longest event-loop stall seen while watching, in ms. */
  maxStallMs: number;
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

/**
 * Starts measuring. Memory is sampled every 20 ms and once more at `stop()`: a stall long enough
 * to hide a peak between samples already fails the stall budget.
 */
export function watchHost(): HostWatch {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const start = process.memoryUsage();
  let peakRss = start.rss;
  let peakHeap = start.heapUsed;
  const sample = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const timer = setInterval(sample, 20);
  return {
    stop() {
      clearInterval(timer);
      sample();
      delay.disable();
      return {
        maxStallMs: round(delay.max / 1e6),
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
  assert.ok(f.maxStallMs < stall, `the event loop stalled ${f.maxStallMs} ms (budget ${stall} ms)`);
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
  assertWithin(row.figures, row.bounds);
  const file = process.env.FAULTS_REPORT;
  if (file) appendFileSync(file, JSON.stringify(row) + '\n');
}

/** Absolute path of a built hostile server, e.g. `hostilePath('regex')` → …/out/test/adversarial/servers/regex.js. */
export function hostilePath(name: string): string {
  return path.join(__dirname, 'servers', `${name}.js`);
}

const round = (n: number) => Math.round(n * 10) / 10;

/** A stdio server entry running the built hostile server `name` with `args`, for `McpClientManager.reconcile`. */
export function hostileServer(server: string, name: string, args: string[] = []): DesiredServer {
  return { name: server, sourceKind: 'workspace', config: { type: 'stdio', command: process.execPath, args: [hostilePath(name), ...args], env: {} } };
}
