/**
 * Start-up: 10 stdio servers (server-everything) from nothing to usable, through Switchboard's
 * manager (one reconcile, as at activation) against ten bare SDK clients connecting in parallel.
 * Then what a later window sees: the catalogs cached by the first run listed before any server is
 * up, and with `autoStart: onFirstUse` the first call starting only the server it needs.
 */
import { CatalogCache, type CacheStorage } from '../src/client/catalogCache';
import type { DesiredServer } from '../src/client/manager';
import { allowAllRouter, benchManager, sdkStdioClient, stdioConfig, STDIO_SERVERS } from './callPath';
import { msSince } from './stats';

export const SERVER_COUNT = 10;
const EVERYTHING = STDIO_SERVERS.find((s) => s.label === 'server-everything')!;

const desired = (): DesiredServer[] => Array.from({ length: SERVER_COUNT }, (_, i) =>
  ({ name: `s${i}`, sourceKind: 'workspace', config: stdioConfig(EVERYTHING) }));

/** A window's cache over the shared storage, opened with its key as the editor opens it. */
async function openCache(storage: CacheStorage): Promise<CatalogCache> {
  const cache = new CatalogCache(storage, { writeDelayMs: 60_000 });
  await cache.open('bench');
  return cache;
}

export interface StartFigures { first: number; all: number }

/** Switchboard: one reconcile of ten servers; ms to the first running and to all running. */
export async function switchboardStart(storage?: CacheStorage): Promise<StartFigures> {
  const cache = storage && await openCache(storage);
  const manager = benchManager({ catalogCache: cache });
  const t0 = process.hrtime.bigint();
  let first: number | undefined;
  const sub = manager.onDidChangeState(({ state }) => { if (state.kind === 'running') first ??= msSince(t0); });
  await manager.reconcile(desired());
  const all = msSince(t0);
  sub.dispose();
  const running = manager.names().filter((n) => manager.state(n)?.kind === 'running').length;
  if (running !== SERVER_COUNT) throw new Error(`only ${running} of ${SERVER_COUNT} servers started`);
  await cache?.flush();
  await manager.stopAll(1000);
  manager.dispose();
  return { first: first!, all };
}

/** The bare SDK: ten clients connecting in parallel, each listing its tools (as a host must). */
export async function sdkStart(): Promise<StartFigures> {
  const t0 = process.hrtime.bigint();
  let first: number | undefined;
  const clients = await Promise.all(desired().map(async (d) => {
    const client = await sdkStdioClient(d.config!);
    await client.listTools();
    first ??= msSince(t0);
    return client;
  }));
  const all = msSince(t0);
  await Promise.all(clients.map((c) => c.close()));
  return { first: first!, all };
}

export interface LaterWindow {
  /** ms from creating the manager over the stored cache to every server's tools listed. */
  cachedListed: number;
  toolsListed: number;
  /** ms from there to the answer of a first call, which starts its one server. */
  firstCall: number;
  /** Servers running after that call (the others still wait for their first use). */
  runningAfter: number;
}

/** A later window with `onFirstUse`: the cache lists everything at once, a call starts one server. */
export async function laterWindow(storage: CacheStorage): Promise<LaterWindow> {
  const t0 = process.hrtime.bigint();
  const cache = await openCache(storage);
  const manager = benchManager({ catalogCache: cache });
  await manager.reconcile(desired(), { autoStart: 'onFirstUse' });
  const toolsListed = manager.tools().length;
  const cachedListed = msSince(t0);
  const router = allowAllRouter(manager);
  const t1 = process.hrtime.bigint();
  const out = await router.call('s3_echo', { message: 'first' }, { origin: 'cli' });
  const firstCall = msSince(t1);
  if (out.kind !== 'ok') throw new Error(`first call: ${out.kind}`);
  const runningAfter = manager.names().filter((n) => manager.state(n)?.kind === 'running').length;
  router.dispose();
  await manager.stopAll(1000);
  manager.dispose();
  return { cachedListed, toolsListed, firstCall, runningAfter };
}
