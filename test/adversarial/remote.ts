/** What the attacks by remote (HTTP) servers share: starting a hostile server, a manager and a router around it. */
import * as path from 'node:path';
import type { DesiredServer, ManagerOptions } from '../../src/client/manager';
import { managerBackend } from '../../src/router/backend';
import { ToolRouter } from '../../src/router/router';
import { fixtureServer, testManager } from '../connection/helpers';
import { fixturePath, startHttpFixture, type HttpFixture } from '../fixtures/spawn';
import { hostilePath } from './harness';

/** Starts the hostile HTTP server `name` (test/adversarial/servers) as a process, like the HTTP fixtures. */
export function startHostile(name: string, args: string[] = []): Promise<HttpFixture> {
  // The fixtures' launcher takes a name below out/test/fixtures; a relative one reaches ours.
  return startHttpFixture(path.relative(path.dirname(fixturePath('x')), hostilePath(name)).replace(/\.js$/, ''), args);
}

export const remoteServer = (name: string, type: 'http' | 'sse', url: string, extra: { requestTimeoutMs?: number; startupTimeoutMs?: number } = {}): DesiredServer =>
  ({ name, sourceKind: 'user', config: { type, url, headers: {}, startupTimeoutMs: 20_000, ...extra } });

/** A well-behaved stdio server beside the hostile one: it must keep answering. */
export const calmServer = (): DesiredServer => fixtureServer('calm', 'echo');

/** A manager and a router (every call allowed) over `servers`; `stop()` ends both. */
export async function hostWith(servers: DesiredServer[], extra: Partial<ManagerOptions> = {}) {
  const { manager, logs } = testManager(undefined, undefined, extra);
  const router = new ToolRouter(managerBackend(manager), { authorize: async () => ({ allowed: true, by: 'policy' }) });
  await manager.reconcile(servers);
  const stop = async () => { router.dispose(); await manager.stopAll(500); manager.dispose(); };
  return { manager, router, logs, stop };
}

/** The message of a router outcome, whatever its kind (its start: a flood that got through is not printed whole). */
export const outcomeText = (o: { kind: string }): string => `${o.kind}: ${(o as { message?: string }).message ?? JSON.stringify(o)}`.slice(0, 500);
