/** Shared helpers for tests that run real server processes through the client core. */
import assert from 'node:assert/strict';
import { McpClientManager, type DesiredServer, type ManagerOptions } from '../../src/client/manager';
import { RestartPolicy } from '../../src/client/restartPolicy';
import type { ServerLog, ServerState } from '../../src/client/types';
import type { ServerConfig } from '../../src/config/types';
import { fixturePath } from '../fixtures/spawn';
import { isAlive } from '../../src/client/processTree';

export interface RecordedLog extends ServerLog { lines: string[]; stderrLines: string[] }

export function recordingLog(): RecordedLog {
  const lines: string[] = [];
  const stderrLines: string[] = [];
  const at = (level: string) => (m: string) => { lines.push(`${level} ${m}`); };
  return {
    lines, stderrLines,
    trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'),
    stderr: (l) => { stderrLines.push(l); lines.push(`stderr ${l}`); },
  };
}

/** The text parts of a tool result. */
export const resultTexts = (r: Record<string, unknown>): string[] => (r.content as { text: string }[]).map((c) => c.text);

/** A log with message tracing on, for tests that check what the traces (may not) hold. */
export function tracingLog(): RecordedLog {
  return { ...recordingLog(), traceEnabled: () => true };
}

export function fixtureServer(name: string, fixture: string, extra: Partial<Extract<ServerConfig, { type: 'stdio' }>> = {}): DesiredServer {
  return {
    name, sourceKind: 'workspace',
    config: { type: 'stdio', command: process.execPath, args: [fixturePath(fixture), ...(extra.args ?? [])], env: extra.env ?? {}, ...omit(extra, 'args', 'env') },
  };
}

function omit<T extends object>(o: T, ...keys: (keyof T)[]): Partial<T> {
  const copy = { ...o };
  for (const k of keys) delete copy[k];
  return copy;
}

export function testManager(
  logs = new Map<string, RecordedLog>(), policy?: () => RestartPolicy, extra: Partial<ManagerOptions> = {},
): { manager: McpClientManager; logs: Map<string, RecordedLog> } {
  const manager = new McpClientManager({
    ...extra,
    logFor: (s) => { let l = logs.get(s); if (!l) { l = recordingLog(); logs.set(s, l); } return l; },
    clientInfo: { name: 'switchboard-test', version: '0.0.0' },
    restartPolicy: policy ?? (() => new RestartPolicy({ baseDelayMs: 50 })),
    stopGraceMs: 2000,
  });
  return { manager, logs };
}

export async function waitFor<T>(fn: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function waitForState(manager: McpClientManager, server: string, kind: ServerState['kind'], timeoutMs = 15_000): Promise<ServerState> {
  return waitFor(() => { const s = manager.state(server); return s?.kind === kind ? s : undefined; }, timeoutMs, `${server} to be ${kind} (is ${JSON.stringify(manager.state(server))})`);
}

export { isAlive };

/**
 * Progress a caller saw from the fixture's `progress` tool: 1..steps in order, except that the
 * last one may be lost in the SDK client between the fixture and the router. When it arrives in
 * one chunk with the result, the response handler retires the token before the notification's
 * handler runs (modelcontextprotocol/typescript-sdk#2580, seen on a loaded CI machine).
 */
export function assertProgressSteps(seen: number[], steps: number): void {
  const all = Array.from({ length: steps }, (_, i) => i + 1);
  assert.ok(seen.length >= steps - 1, `saw progress ${JSON.stringify(seen)}, expected at least ${steps - 1} steps`);
  assert.deepEqual(seen, all.slice(0, seen.length));
}
