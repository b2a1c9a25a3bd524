/** Medians, spreads and the markdown table every benchmark writes. */
export interface Figure { median: number; min: number; max: number }

export function figure(values: readonly number[]): Figure {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

/** `12.3 µs (11.9–13.0)`: the median with its min–max spread over the rounds. */
export function show(f: Figure | undefined, unit: string, digits = 1): string {
  if (!f) return '—';
  return `${f.median.toFixed(digits)} ${unit} (${f.min.toFixed(digits)}–${f.max.toFixed(digits)})`;
}

/** Ratios taken round by round (same round, same machine load), then their median and spread. */
export function pairedRatio(a: readonly number[], b: readonly number[]): Figure {
  return figure(a.map((v, i) => v / b[i]));
}

/** Differences taken round by round (same round, same load), then their median and spread. */
export function pairedDiff(a: readonly number[], b: readonly number[]): Figure {
  return figure(a.map((v, i) => v - b[i]));
}

/** Milliseconds since `t0` (a `process.hrtime.bigint()`). */
export const msSince = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;
