/**
 * Where a sequential stdio call's time goes, per contender: the client's critical path (a
 * response's bytes arriving → the next request's write) and the round trip (that write → the
 * next response's bytes, which holds the server's work and both wake-ups). Not part of
 * `npm run bench`: a tool for telling client cost from server cost.
 *
 *   node out/bench/criticalPath.js [echo|everything] [floor,sdk,manager,router,policy,switchboard] [rounds=6]
 *
 * Its contenders share this process, so each runs on code the others warmed: a figure here is
 * a split of one contender's loop, not a verdict between contenders (the benchmark's call-path
 * rows run each in a process of its own, isolated.ts, for that). On 2026-12-02, when the manager's
 * calls still went through the SDK's Client, it showed the manager's client path about 4 µs shorter
 * than the bare SDK's, and the router's about 2.5 µs longer than the manager's.
 *
 * Contenders are pinned as in the benchmark (pinning.ts) and interleaved in blocks of 100 calls.
 * The hook tags every child process this process spawns, so run nothing else in it.
 */
import { ChildProcess } from 'node:child_process';
import { concurrent, layerContender, LAYERS, sequential, STDIO_SERVERS, type Layer } from './callPath';
import { pinSelf } from './pinning';
import { figure } from './stats';

/** When a child's stdout last delivered bytes, and a child's stdin was last written (ns). */
let lastData = 0n;
let lastWrite = 0n;
/** Where the current block's samples go (ns), or undefined between blocks. */
let sink: { critical: number[]; roundTrip: number[] } | undefined;

/**
 * Times every child's pipes from the outside, the same way for every contender: the SDK's
 * transport, ours and the floor all spawn through `ChildProcess.prototype.spawn`.
 */
function hookChildren(): void {
  // `spawn` on the prototype is Node's internal step behind child_process.spawn (untyped).
  const proto = ChildProcess.prototype as unknown as { spawn(this: ChildProcess, options: unknown): unknown };
  const spawn = proto.spawn;
  proto.spawn = function (this: ChildProcess, options: unknown) {
    const result = spawn.call(this, options);
    // Before the transport's own listener, so the time is the bytes' arrival, not their handling.
    this.stdout?.prependListener('data', () => {
      lastData = process.hrtime.bigint();
      if (sink && lastWrite) sink.roundTrip.push(Number(lastData - lastWrite));
    });
    const stdin = this.stdin;
    if (stdin) {
      const write = stdin.write.bind(stdin) as (...a: unknown[]) => boolean;
      stdin.write = ((...a: unknown[]) => {
        lastWrite = process.hrtime.bigint();
        if (sink && lastData) sink.critical.push(Number(lastWrite - lastData));
        return write(...a);
      }) as typeof stdin.write;
    }
    return result;
  };
}

const median = (values: number[]): number => figure(values).median;
const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

async function main(): Promise<void> {
  const [serverArg = 'echo', kindsArg = 'floor,sdk,manager,switchboard', roundsArg = '6'] = process.argv.slice(2);
  const server = STDIO_SERVERS[serverArg === 'everything' ? 1 : 0];
  const kinds = kindsArg.split(',') as Layer[];
  const unknown = kinds.filter((k) => !LAYERS.includes(k));
  if (unknown.length) throw new Error(`unknown contender ${unknown.join(', ')}; one of ${LAYERS.join(', ')}`);
  hookChildren();
  const rows = kinds.map(() => ({ wall: [] as number[], critical: [] as number[], roundTrip: [] as number[], criticalMean: [] as number[], roundTripMean: [] as number[] }));
  pinSelf(true);
  try {
    for (let r = 0; r < Number(roundsArg); r++) {
      const contenders = kinds.map((k) => layerContender(k, server, true));
      await Promise.all(contenders.map((c) => c.start()));
      try {
        for (const c of contenders) {
          await sequential(c, 2000);
          await concurrent(c, 2000, 32);
        }
        const blocks = contenders.map(() => ({ wall: 0, critical: [] as number[], roundTrip: [] as number[] }));
        for (let b = 0; b < 40; b++) {
          for (let k = 0; k < contenders.length; k++) {
            const i = (r + b + k) % contenders.length;
            sink = blocks[i];
            lastData = lastWrite = 0n;
            blocks[i].wall += await sequential(contenders[i], 100) / 40;
            sink = undefined;
          }
        }
        blocks.forEach((b, i) => {
          rows[i].wall.push(b.wall);
          rows[i].critical.push(median(b.critical) / 1000);
          rows[i].roundTrip.push(median(b.roundTrip) / 1000);
          rows[i].criticalMean.push(mean(b.critical) / 1000);
          rows[i].roundTripMean.push(mean(b.roundTrip) / 1000);
        });
      } finally {
        await Promise.all(contenders.map((c) => c.stop()));
      }
      process.stderr.write(`  round ${r + 1}/${roundsArg}\n`);
    }
  } finally {
    pinSelf(false);
  }
  console.log(`${server.label}, sequential calls: medians over rounds, µs per call`);
  // A call's median shows the common case; the mean adds the slow calls (a GC, a timer, a batch write), as wall time does.
  console.log('contender    | wall  | client critical path: median, mean | round trip: median, mean');
  kinds.forEach((k, i) => {
    const f = (key: keyof (typeof rows)[number]) => median(rows[i][key]).toFixed(1);
    console.log(`${k.padEnd(12)} | ${f('wall').padStart(5)} | ${f('critical').padStart(26)}, ${f('criticalMean').padStart(5)} | ${f('roundTrip').padStart(17)}, ${f('roundTripMean').padStart(5)}`);
  });
}

main().catch((e: unknown) => { console.error(e); process.exitCode = 1; });
