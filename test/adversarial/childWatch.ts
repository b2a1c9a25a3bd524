/**
 * For attacks on a process the test starts (the CLI): the process measures itself with
 * `watchHost()` (see watchPreload.ts) and the test reads back the worst of its runs.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Figures } from './harness';

/** Node arguments that make a process measure itself into `file`, and the environment it needs. */
export function childWatch(file: string): { execArgv: string[]; env: Record<string, string> } {
  return { execArgv: ['--require', path.join(__dirname, 'watchPreload.js')], env: { HOST_WATCH_FILE: file } };
}

/**
 * The worst figures of every run recorded in `file`: the longest stall, and the run whose memory
 * grew most. Fails unless `runs` processes reported.
 */
export function readChildFigures(file: string, runs: number): Figures {
  const all = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Figures);
  if (all.length !== runs) throw new Error(`${all.length} of ${runs} runs reported their figures`);
  const growth = (f: Figures) => f.peakRssMb - f.startRssMb;
  const worst = all.reduce((a, b) => (growth(b) > growth(a) ? b : a));
  return { ...worst, maxStallMs: Math.max(...all.map((f) => f.maxStallMs)), peakHeapMb: Math.max(...all.map((f) => f.peakHeapMb)) };
}
