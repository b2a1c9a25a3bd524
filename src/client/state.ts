/** Small helpers over the `ServerState` union, so callers never switch on strings ad hoc. */
import type { Redactor } from '../common/redact';
import type { ServerState } from './types';

export const stopped = (reason?: Extract<ServerState, { kind: 'stopped' }>['reason']): ServerState => ({ kind: 'stopped', reason });
export const starting = (): ServerState => ({ kind: 'starting' });
export const running = (): ServerState => ({ kind: 'running' });
export const errored = (message: string, stderrTail: string[] = []): ServerState => ({ kind: 'error', message, stderrTail });
/** A remote server that wants an OAuth sign-in the user has not given yet: not a fault, a step to take. */
export const needsSignIn = (message: string): ServerState => ({ kind: 'error', message, stderrTail: [], signIn: true });

/** `state` with its messages (an error, its stderr tail, a restart's last error) passed through `redact`. */
export function redactState(state: ServerState, redact: Redactor): ServerState {
  switch (state.kind) {
    case 'error': return { ...state, message: redact(state.message), stderrTail: state.stderrTail.map(redact) };
    case 'restarting': return { ...state, lastError: redact(state.lastError) };
    default: return state;
  }
}

/** True while the connection owns (or is about to own) a process or socket. */
export function isActive(state: ServerState): boolean {
  return state.kind === 'starting' || state.kind === 'running' || state.kind === 'restarting';
}

/**
 * True when the server will run without anyone asking again: it waits for its first use, or its
 * start is under way. Its cached catalog then stands in for the live one, and a call waits for it.
 */
export function waitsToRun(state: ServerState): boolean {
  return state.kind === 'starting' || (state.kind === 'stopped' && state.reason === 'onFirstUse');
}

/** One short line for status bars, tree descriptions and the CLI. */
export function describeState(state: ServerState): string {
  switch (state.kind) {
    case 'stopped':
      switch (state.reason) {
        case 'disabled': return 'disabled';
        case 'untrusted': return 'not started: workspace is not trusted';
        case 'onFirstUse': return 'not started — starts on first use';
        default: return 'stopped';
      }
    case 'starting': return 'starting…';
    case 'running': return 'running';
    case 'restarting': return `restarting in ${Math.round(state.delayMs / 100) / 10}s (attempt ${state.attempt}): ${state.lastError}`;
    case 'error': return state.signIn ? 'needs sign-in' : `error: ${state.message}`;
  }
}

/** `describeState` plus, for a failure, the server's last stderr lines: what a failed call reports. */
export function describeFailure(state: ServerState, lines = 3): string {
  const tail = state.kind === 'error' ? state.stderrTail.slice(-lines) : [];
  return tail.length ? `${describeState(state)}; its last stderr lines: ${tail.join(' | ')}` : describeState(state);
}
