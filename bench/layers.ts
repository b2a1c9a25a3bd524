/**
 * What each of Switchboard's layers costs on a sequential stdio call, each contender in a process
 * of its own (isolated.ts), pinned and interleaved as in the benchmark: wall time, client and server CPU
 * per call, and both as ratios to the bare SDK taken round by round. Not part of `npm run bench`:
 * the figures behind its section "What the stdio rows measure".
 *
 *   node out/bench/layers.js [echo|everything] [sdk,manager,router,policy,switchboard] [rounds=8]
 *
 * `manager` is the connection's own path for tool calls (src/client/toolCalls.ts) on our stdio
 * transport; `router` adds the router and its schema guard with an allow-all hook; `policy` the
 * permission policy with an allow rule; `switchboard` the audit log too.
 */
import { LAYERS, STDIO_SERVERS, type Layer } from './callPath';
import { interleavedRound, isolated } from './isolated';
import { figure, pairedRatio, show } from './stats';

/** Sequential calls measured per contender and round, as in the benchmark; as many before, to warm up. */
const CALLS = 2000;

async function main(): Promise<void> {
  const [serverArg = 'echo', kindsArg = 'sdk,manager,router,policy,switchboard', roundsArg = '8'] = process.argv.slice(2);
  const server = serverArg === 'everything' ? 1 : 0;
  const kinds = kindsArg.split(',') as Layer[];
  const unknown = kinds.filter((k) => !LAYERS.includes(k));
  if (unknown.length || !kinds.includes('sdk')) throw new Error(`contenders are ${LAYERS.join(', ')}, sdk among them`);
  const wall = kinds.map(() => [] as number[]);
  const cpu = kinds.map(() => [] as number[]);
  const serverCpu = kinds.map(() => [] as number[]);
  for (let r = 0; r < Number(roundsArg); r++) {
    const makers = kinds.map((kind) => () => isolated({ group: 'stdio', kind, server, pinned: true }));
    const m = await interleavedRound(makers, r, { calls: CALLS, concCalls: 0, warmup: CALLS, inFlight: 32, block: 100 });
    kinds.forEach((_, i) => { wall[i].push(m.seq[i]); cpu[i].push(m.cpu[i]); serverCpu[i].push(m.serverCpu[i]); });
    process.stderr.write(`  round ${r + 1}/${roundsArg}\n`);
  }
  const sdk = kinds.indexOf('sdk');
  console.log(`${STDIO_SERVERS[server].label}, sequential calls, each contender in its own process: medians over rounds, µs per call`);
  console.log('| contender | wall | client CPU | server CPU | wall / SDK | client CPU / SDK | server CPU / SDK |\n|---|---|---|---|---|---|---|');
  kinds.forEach((k, i) => {
    const m = (values: number[]) => figure(values).median.toFixed(1);
    const r = (values: number[][]) => show(pairedRatio(values[i], values[sdk]), '×', 2);
    console.log(`| ${k} | ${m(wall[i])} | ${m(cpu[i])} | ${m(serverCpu[i])} | ${r(wall)} | ${r(cpu)} | ${r(serverCpu)} |`);
  });
}

main().catch((e: unknown) => { console.error(e); process.exitCode = 1; });
