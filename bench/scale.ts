/**
 * Scale: 50 servers × 200 tools (10,000 tools) from a generating fixture, through the manager:
 * from one reconcile to every catalog listed (against 50 bare SDK clients in parallel), the
 * namespacing of all 10,000 names, heap held for it, and the router's lookup (the same per call
 * at 10,000 tools as at 200). Then 1,000 calls at once spread over 10 servers, through the router
 * against 10 bare SDK clients, bursts taking turns: all answered, none lost, and the throughput.
 */
import * as path from 'node:path';
import type { DesiredServer } from '../src/client/manager';
import { namespaceTools } from '../src/client/namespacing';
import type { ToolRouter } from '../src/router/router';
import { allowAllRouter, benchManager, sdkStdioClient } from './callPath';
import { msSince } from './stats';

const REPO = path.resolve(__dirname, '..', '..');
const SERVER = path.join(REPO, 'out', 'bench', 'servers', 'tools-sdk.js');
export const SERVERS = 50;
export const TOOLS = 200;
export const CALL_SERVERS = 10;
export const CALLS = 1000;

const desired = (n: number, tools = TOOLS): DesiredServer[] => Array.from({ length: n }, (_, i) =>
  ({ name: `srv${i}`, sourceKind: 'workspace', config: { type: 'stdio', command: process.execPath, args: [SERVER], env: { TOOL_COUNT: String(tools) } } }));

const gc = (): void => { (globalThis as { gc?: () => void }).gc?.(); };

export interface ScaleFigures {
  tools: number;
  /** ms from reconcile to all 50 listed; the SDK's 50 clients in parallel. */
  listed: number;
  sdkListed: number;
  /** ms to namespace every name (manager.tools() on a fresh catalog), and namespaceTools alone. */
  namespacing: number;
  /** MB of heap the 50 connections with their catalogs hold (after a GC, when --expose-gc). */
  heapMb: number;
  /** µs per router lookup at 10,000 tools, and at 200 (one server), and ms to build the index. */
  lookupUs: number;
  lookupSmallUs: number;
  indexMs: number;
  /** 1,000 calls at once over 10 servers: answered, and calls per second, for the router and the SDK. */
  answered: number;
  callsPerSec: number;
  sdkAnswered: number;
  sdkCallsPerSec: number;
}

/** µs per `resolve` over `names`, cycled, after one warm pass. */
function lookupCost(router: ToolRouter, names: string[]): number {
  const n = 200_000;
  for (let i = 0; i < names.length; i++) router.resolve(names[i]);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) if (!router.resolve(names[(i * 7919) % names.length])) throw new Error('lookup missed');
  return Number(process.hrtime.bigint() - t0) / 1000 / n;
}

async function sdkListed(): Promise<number> {
  const t0 = process.hrtime.bigint();
  const clients = await sdkClients(SERVERS);
  await Promise.all(clients.map((c) => c.listTools()));
  const t = msSince(t0);
  await Promise.all(clients.map((c) => c.close()));
  return t;
}

const BURSTS = 15;
/** Bursts each contender runs first, unmeasured: the first ones compile the call path on both sides. */
const WARM_BURSTS = 2;

type Caller = (server: number, i: number) => Promise<boolean>;

/**
 * `CALLS` calls at once, spread over the servers, from each contender in turn, `BURSTS` times
 * after `WARM_BURSTS` unmeasured (one burst lasts ~100 ms, too short to stand alone on a noisy
 * machine, hence so many): for each, the fewest answered and the calls per second of its median
 * burst.
 */
async function bursts(contenders: Caller[]): Promise<{ answered: number; perSec: number }[]> {
  const answered = contenders.map(() => CALLS);
  const seconds = contenders.map((): number[] => []);
  const burst = (c: number) => Promise.all(Array.from({ length: CALLS }, (_, i) => contenders[c](i % CALL_SERVERS, i).catch(() => false)));
  for (let b = 0; b < WARM_BURSTS; b++) for (let c = 0; c < contenders.length; c++) await burst(c);
  for (let b = 0; b < BURSTS; b++) {
    for (let k = 0; k < contenders.length; k++) {
      const c = (b + k) % contenders.length;
      const t0 = process.hrtime.bigint();
      const results = await burst(c);
      seconds[c].push(msSince(t0) / 1000);
      answered[c] = Math.min(answered[c], results.filter(Boolean).length);
    }
  }
  return contenders.map((_, c) => ({ answered: answered[c], perSec: CALLS / seconds[c].sort((x, y) => x - y)[BURSTS >> 1] }));
}

const sdkClients = (n: number) => Promise.all(desired(n).map((d) => sdkStdioClient(d.config!)));

export async function scale(): Promise<ScaleFigures> {
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  const manager = benchManager({ stopGraceMs: 2000 });
  const t0 = process.hrtime.bigint();
  await manager.reconcile(desired(SERVERS));
  const listed = msSince(t0);
  const running = manager.names().filter((n) => manager.state(n)?.kind === 'running').length;
  if (running !== SERVERS) throw new Error(`only ${running} of ${SERVERS} servers started`);
  const t1 = process.hrtime.bigint();
  const all = manager.tools();
  const namespacing = msSince(t1);
  if (all.length < SERVERS * TOOLS) throw new Error(`${all.length} tools listed`);
  gc();
  const heapMb = (process.memoryUsage().heapUsed - heap0) / 1024 / 1024;

  const router = allowAllRouter(manager);
  const t2 = process.hrtime.bigint();
  router.resolve(all[0].name);
  const indexMs = msSince(t2);
  const names = all.map((t) => t.name);
  const lookupUs = lookupCost(router, names);
  const lookupSmallUs = lookupCost(router, names.filter((n) => n.startsWith('srv0_')));

  router.dispose();
  await manager.stopAll(2000);
  manager.dispose();
  const sdk = await sdkListed();

  // The burst: a fresh set of 10 servers for each side, both up before either is timed.
  const small = benchManager({ stopGraceMs: 2000 });
  await small.reconcile(desired(CALL_SERVERS));
  const smallRouter = allowAllRouter(small);
  const clients = await sdkClients(CALL_SERVERS);
  const [viaRouter, viaSdk] = await bursts([
    async (s, i) => (await smallRouter.call(`srv${s}_tool_${i % TOOLS}`, { text: `c${i}` }, { origin: 'cli' })).kind === 'ok',
    async (s, i) => !(await clients[s].callTool({ name: `tool_${i % TOOLS}`, arguments: { text: `c${i}` } })).isError,
  ]);
  smallRouter.dispose();
  await Promise.all([small.stopAll(2000), ...clients.map((c) => c.close())]);
  small.dispose();

  return {
    tools: all.length, listed, sdkListed: sdk, namespacing, heapMb, lookupUs, lookupSmallUs, indexMs,
    answered: viaRouter.answered, callsPerSec: viaRouter.perSec, sdkAnswered: viaSdk.answered, sdkCallsPerSec: viaSdk.perSec,
  };
}

/** namespaceTools alone over 10,000 names, ms (the manager's share of `namespacing`). */
export function namespacingAlone(): number {
  const refs = Array.from({ length: SERVERS * TOOLS }, (_, i) => ({ server: `srv${Math.floor(i / TOOLS)}`, tool: `tool_${i % TOOLS}` }));
  namespaceTools(refs);
  const t0 = process.hrtime.bigint();
  namespaceTools(refs);
  return msSince(t0);
}
