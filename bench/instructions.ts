/**
 * Client-side cost of one stdio call in CPU instructions, layer by layer. Not part of
 * `npm run bench`: a tool for finding where the client's work goes. Instructions repeat where
 * wall and CPU time on these shared VMs do not (perf has no hardware counters here), but they
 * are not time: a call after an idle wait runs with cold caches, so what it touches counts as
 * much as how many instructions it runs.
 *
 *   node out/bench/instructions.js [switchboard|policy|router|manager|sdk|floor] [echo|everything] [seq|conc] [calls=10000]
 *
 * runs the contender twice under `valgrind --tool=callgrind` (only this process is traced, not
 * the server it spawns), once with no measured calls and once with `calls`, both after the same
 * warm-up, and prints the difference divided by `calls`. With 2,000 calls two runs differed by
 * 10 % (one GC more or less shows); with 10,000, by 3 % (about 2 minutes a figure).
 * `policy` is Switchboard without the audit log, `router` without the policy either, `manager`
 * the manager's connection alone (its short path for tool calls, src/client/toolCalls.ts).
 *
 * Anything paced by a timer costs ~50 × more per call here than at full speed (valgrind slows this
 * process, not its server): the audit log's 50 ms batch holds a few lines instead of hundreds.
 */
import { spawnSync } from 'node:child_process';
import { concurrent, layerContender, LAYERS, sequential, STDIO_SERVERS, type Contender, type Layer } from './callPath';

const IN_FLIGHT = 32;
const WARMUP = 2000;

function contender(kind: string, server: string): Contender {
  // Any other name is Switchboard with its audit log, as before the layers had names.
  const layer = (LAYERS as readonly string[]).includes(kind) ? kind as Layer : 'switchboard';
  return layerContender(layer, STDIO_SERVERS[server === 'everything' ? 1 : 0]);
}

/** The child: warm up, then make `calls` calls and exit. */
async function measured(kind: string, server: string, mode: string, calls: number): Promise<void> {
  const c = contender(kind, server);
  await c.start();
  await sequential(c, WARMUP);
  await concurrent(c, WARMUP, IN_FLIGHT);
  if (calls > 0) await (mode === 'conc' ? concurrent(c, calls, IN_FLIGHT) : sequential(c, calls));
  await c.stop();
}

function instructions(args: string[]): number {
  const r = spawnSync('valgrind', ['--tool=callgrind', '--callgrind-out-file=/dev/null', process.execPath, __filename, '--child', ...args], { encoding: 'utf8' });
  const m = /Collected : (\d+)/.exec(r.stderr);
  if (!m) throw new Error(`callgrind printed no total (is valgrind installed?):\n${r.stderr.slice(-2000)}`);
  return Number(m[1]);
}

async function main(): Promise<void> {
  const [kind = 'switchboard', server = 'echo', mode = 'seq', callsArg = '10000'] = process.argv.slice(2).filter((a) => a !== '--child');
  const calls = Number(callsArg);
  if (process.argv.includes('--child')) return measured(kind, server, mode, calls);
  const base = instructions([kind, server, mode, '0']);
  const full = instructions([kind, server, mode, String(calls)]);
  console.log(`${kind} ${server} ${mode}: ${Math.round((full - base) / calls)} instructions per call`);
}

main().catch((e: unknown) => { console.error(e); process.exitCode = 1; });
