/**
 * Pings a connection that has been quiet for a while (MCP's `ping`): a server that stopped
 * answering (a hung process, a dead socket a proxy still holds open) is noticed within one
 * interval plus the timeout instead of at the next tool call, and restarted like a crashed one.
 * A busy connection is not pinged: its traffic already shows it is alive.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { errorMessage } from '../common/async';
import { toDisposable, type IDisposable } from '../common/lifecycle';

export const DEFAULT_PING_INTERVAL_MS = 30_000;
export const DEFAULT_PING_TIMEOUT_MS = 10_000;

export interface HealthCheckOptions {
  client: Client;
  /** When the connection last carried a message, either way (ms since the epoch). */
  lastActivity: () => number;
  intervalMs: number;
  timeoutMs: number;
  onLost: (reason: string) => void;
}

export function watchHealth({ client, lastActivity, intervalMs, timeoutMs, onLost }: HealthCheckOptions): IDisposable {
  if (intervalMs <= 0) return toDisposable(() => undefined);
  let pinging = false;
  let stopped = false;
  const timer = setInterval(() => {
    if (pinging || Date.now() - lastActivity() < intervalMs) return;
    pinging = true;
    client.ping({ timeout: timeoutMs }).then(
      () => undefined,
      (e: unknown) => { if (!stopped) onLost(`no answer to a ping within ${Math.round(timeoutMs / 100) / 10} s (${errorMessage(e)})`); },
    ).finally(() => { pinging = false; });
  }, Math.max(50, Math.min(intervalMs, 5000)));
  timer.unref();
  return toDisposable(() => { stopped = true; clearInterval(timer); });
}
