import assert from 'node:assert/strict';
import type { ServerState } from '../../src/client/types';
import { signInCandidates } from '../../src/vscode/signInCandidates';

describe('vscode/signInCandidates', () => {
  it('offers remote servers only, those waiting for a sign-in first', () => {
    const servers: Record<string, { type: 'stdio' | 'http' | 'sse'; state: ServerState }> = {
      memory: { type: 'stdio', state: { kind: 'running' } },
      alpha: { type: 'http', state: { kind: 'running' } },
      zeta: { type: 'http', state: { kind: 'error', message: 'sign in', stderrTail: [], signIn: true } },
      legacy: { type: 'sse', state: { kind: 'stopped' } },
      broken: { type: 'http', state: { kind: 'error', message: 'down', stderrTail: [] } },
    };
    const registry = {
      names: () => Object.keys(servers),
      definition: (s: string) => ({ name: s, sourceKind: 'workspace' as const, config: { type: servers[s].type } as never }),
      state: (s: string) => servers[s].state,
    };
    assert.deepEqual(signInCandidates(registry), ['zeta', 'alpha', 'broken', 'legacy']);
    assert.deepEqual(signInCandidates({ ...registry, names: () => ['memory'] }), []);
  });
});
