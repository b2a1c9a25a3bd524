/**
 * Decides what a crash of a running server means, in the spirit of vscode-languageclient's
 * ErrorHandler: restart with exponential backoff, but give up after too many crashes in a short
 * window so a server stuck in a crash loop does not burn CPU and spam the user.
 */

export interface RestartPolicyOptions {
  /** Crashes tolerated within `windowMs` before giving up. */
  maxCrashes: number;
  windowMs: number;
  /** First backoff delay; doubles with every crash still inside the window. */
  baseDelayMs: number;
  maxDelayMs: number;
  now: () => number;
}

export type CrashAction =
  | { action: 'restart'; attempt: number; delayMs: number }
  | { action: 'stop'; message: string };

export const DEFAULT_RESTART_POLICY: RestartPolicyOptions = {
  maxCrashes: 5,
  windowMs: 3 * 60_000,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  now: () => Date.now(),
};

export class RestartPolicy {
  private readonly _opts: RestartPolicyOptions;
  private _crashes: number[] = [];

  constructor(opts: Partial<RestartPolicyOptions> = {}) {
    this._opts = { ...DEFAULT_RESTART_POLICY, ...opts };
  }

  /** Record a crash and say whether to restart (and after how long) or stop for good. */
  onCrash(): CrashAction {
    const now = this._opts.now();
    this._crashes = this._crashes.filter((t) => now - t < this._opts.windowMs);
    this._crashes.push(now);
    const count = this._crashes.length;
    if (count >= this._opts.maxCrashes) {
      const minutes = Math.round(this._opts.windowMs / 60_000);
      return { action: 'stop', message: `crashed ${count} times in the last ${minutes} minutes; not restarting again` };
    }
    const delayMs = Math.min(this._opts.baseDelayMs * 2 ** (count - 1), this._opts.maxDelayMs);
    return { action: 'restart', attempt: count, delayMs };
  }

  /** A user-initiated start forgets past crashes: they asked for a fresh chance. */
  reset(): void {
    this._crashes = [];
  }
}
