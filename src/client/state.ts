/** Small helpers over the `ServerState` union, so callers never switch on strings ad hoc. */
import type { ServerState } from './types';

export const stopped = (reason?: Extract<ServerState, { kind: 'stopped' }>['reason']): ServerState => ({ kind: 'stopped', reason });
export const starting = (): ServerState => ({ kind: 'starting' });
export const running = (): ServerState => ({ kind: 'running' });
export const errored = (message: string, stderrTail: string[] = []): ServerState => ({ kind: 'error', message, stderrTail });

/** True while the connection owns (or is about to own) a process or socket. */
export function isActive(state: ServerState): boolean {
  return state.kind === 'starting' || state.kind === 'running' || state.kind === 'restarting';
}

/** One short line for status bars, tree descriptions and the CLI. */
export function describeState(state: ServerState): string {
  switch (state.kind) {
    case 'stopped':
      switch (state.reason) {
        case 'disabled': return 'disabled';
        case 'untrusted': return 'not started: workspace is not trusted';
        default: return 'stopped';
      }
    case 'starting': return 'starting…';
    case 'running': return 'running';
    case 'restarting': return `restarting in ${Math.round(state.delayMs / 100) / 10}s (attempt ${state.attempt}): ${state.lastError}`;
    case 'error': return `error: ${state.message}`;
  }
}
