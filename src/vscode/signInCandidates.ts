/**
 * The servers Sign In and Sign Out offer when run without a server (from the palette): only remote
 * ones (http, sse), since a stdio server has no sign-in, and those waiting for a sign-in first.
 */
import type { McpClientManager } from '../client/manager';

type Registry = Pick<McpClientManager, 'names' | 'definition' | 'state'>;

export function signInCandidates(registry: Registry): string[] {
  const waiting = (s: string) => { const st = registry.state(s); return st?.kind === 'error' && !!st.signIn; };
  return registry.names()
    .filter((s) => { const type = registry.definition(s)?.config.type; return type === 'http' || type === 'sse'; })
    .sort((a, b) => Number(waiting(b)) - Number(waiting(a)) || a.localeCompare(b));
}
