/**
 * Where a sequential call's time goes, per contender, taken around the same blocks as the
 * call-path rows: the contender process's CPU (the client), the server process's CPU, and the TCP
 * connections the contender opened.
 *
 * The issue's question for Streamable HTTP ("the SDK's round trip is 4.8 ms against 0.9 ms for a
 * plain HTTP round trip: client or server, connection setup, SSE parsing?") is answered by these
 * columns, plus `sseParsing()`, which times the SDK client's per-response SSE pipeline on its own.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import { createParser } from 'eventsource-parser';
import { figure, pairedDiff, type Figure } from './stats';

// The SDK's Streamable HTTP client parses with this. Its subpath export has no types under our
// module resolution, so the type comes from the file behind it.
const { EventSourceParserStream } = require('eventsource-parser/stream') as typeof import('eventsource-parser/dist/stream');

/**
 * CPU time (ns) the process has used so far, all its threads summed, from the scheduler's own
 * accounting (`/proc/<pid>/task/<tid>/schedstat`, nanoseconds, where `/proc/<pid>/stat` counts
 * in 10 ms ticks). Undefined off Linux or once the process is gone. Threads that ended before the
 * read are missed, which for a server's GC helpers between two reads of a block is nothing.
 */
export function processCpuNs(pid: number | undefined): number | undefined {
  if (pid === undefined || process.platform !== 'linux') return undefined;
  try {
    let total = 0;
    for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
      const text = fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8');
      total += Number(text.slice(0, text.indexOf(' ')));
    }
    return total;
  } catch {
    return undefined;
  }
}

let connects = 0;
let hooked = false;

/**
 * How many TCP connections this process has opened so far. The first call wraps
 * `net.Socket.prototype.connect`, which both Node's http agents and undici's `fetch` go through,
 * so every HTTP client here is counted the same way. Benchmark processes only.
 */
export function connectionsOpened(): number {
  if (!hooked) {
    hooked = true;
    const connect = net.Socket.prototype.connect as (...a: unknown[]) => net.Socket;
    (net.Socket.prototype as unknown as { connect: (...a: unknown[]) => net.Socket }).connect = function (this: net.Socket, ...a: unknown[]) {
      connects++;
      return connect.apply(this, a);
    };
  }
  return connects;
}

/** One POST's answer as the SDK's Streamable HTTP server writes it: one `message` event. */
const EVENT = Buffer.from('event: message\ndata: {"result":{"content":[{"type":"text","text":"hello 1234"}]},"jsonrpc":"2.0","id":1234}\n\n');

/** The body of one response, as `fetch` hands it over: a byte stream with one chunk. */
const body = () => new ReadableStream<Uint8Array>({ start(c) { c.enqueue(new Uint8Array(EVENT)); c.close(); } });

async function drain<T>(stream: ReadableStream<T>): Promise<number> {
  const reader = stream.getReader();
  let n = 0;
  while (!(await reader.read()).done) n++;
  return n;
}

export interface SseParsing {
  /** Reading the body stream alone (what any `fetch` client pays). */
  bodyUs: Figure;
  /** The SDK client's path: the body through `TextDecoderStream` and `EventSourceParserStream`, per response. */
  sdkPipelineUs: Figure;
  /** Ours: a response's bytes decoded as Node's `setEncoding` does and fed to eventsource-parser's callback parser. */
  callbackUs: Figure;
}

/**
 * Per-response cost of turning an SSE answer into a message, the SDK client's way (two web
 * TransformStreams built for every response) against a callback parser, on the same bytes.
 */
export async function sseParsing(rounds = 5, n = 2000): Promise<SseParsing> {
  const time = async (once: () => Promise<unknown>): Promise<number> => {
    for (let i = 0; i < 200; i++) await once();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await once();
    return Number(process.hrtime.bigint() - t0) / 1000 / n;
  };
  const runs = { bodyUs: [] as number[], sdkPipelineUs: [] as number[], callbackUs: [] as number[] };
  for (let r = 0; r < rounds; r++) {
    runs.bodyUs.push(await time(() => drain(body())));
    runs.sdkPipelineUs.push(await time(() => drain(body().pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream()))));
    runs.callbackUs.push(await time(async () => {
      // As httpRequests.ts reads a response: `setEncoding('utf8')` (a StringDecoder) and a parser per response.
      let events = 0;
      const parser = createParser({ onEvent: () => { events++; } });
      parser.feed(new StringDecoder('utf8').write(EVENT));
      return events;
    }));
  }
  return { bodyUs: figure(runs.bodyUs), sdkPipelineUs: figure(runs.sdkPipelineUs), callbackUs: figure(runs.callbackUs) };
}

/** One figure per round for each contender. */
export interface PerContender { switchboard: number[]; sdk: number[]; floor: number[] }

/** What `splitTable` needs of a sequential call-path row. */
export interface SplitRow { scenario: string; wall: PerContender; cpu: PerContender; serverCpu: PerContender; conns: PerContender }

const CONTENDERS = [['switchboard', 'Switchboard'], ['sdk', 'raw SDK'], ['floor', 'floor']] as const;

/** The median of per-round values. */
const m = (values: number[]): number => figure(values).median;

/** The median as text, with a dash where a figure could not be taken (NaN). */
const med = (values: number[], digits = 0): string => (Number.isFinite(m(values)) ? m(values).toFixed(digits) : '—');

/** A row per scenario and contender: µs per sequential call of wall time, the client's CPU and the server's, and connections opened. */
export function splitTable(rows: SplitRow[]): string {
  const lines = [
    '| scenario | contender | wall | client CPU | server CPU | TCP connections opened per 1000 calls |',
    '|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    for (const [key, name] of CONTENDERS) {
      lines.push(`| ${r.scenario} | ${name} | ${med(r.wall[key])} µs | ${med(r.cpu[key])} µs | ${med(r.serverCpu[key])} µs | ${med(r.conns[key].map((c) => c * 1000), 1)} |`);
    }
  }
  return lines.join('\n');
}

/**
 * What the stdio row's split shows: the two processes' CPU against the wall time, and the
 * server's share of it, which no client can shorten.
 */
export function stdioFindings(rows: SplitRow[]): string {
  const r = rows.find((x) => x.scenario.startsWith('stdio, echo fixture') && x.scenario.includes('sequential'));
  if (!r || !Number.isFinite(m(r.serverCpu.sdk))) return '';
  const sum = (key: keyof PerContender) => m(r.cpu[key]) + m(r.serverCpu[key]);
  const share = (key: keyof PerContender) => `${((m(r.serverCpu[key]) / m(r.wall[key])) * 100).toFixed(0)} %`;
  const idle = 1 - sum('sdk') / m(r.wall.sdk);
  return [
    `In the stdio echo row the two processes' CPU adds up to ${sum('sdk').toFixed(0)} µs of the SDK's ${m(r.wall.sdk).toFixed(0)} µs a call and`,
    `${sum('switchboard').toFixed(0)} µs of Switchboard's ${m(r.wall.switchboard).toFixed(0)} µs: ${idle > 0.1 ? `for ${(idle * 100).toFixed(0)} % of the SDK's call neither runs (wake-ups)` : 'almost always one of them is running'}. The server's`,
    `CPU is ${share('sdk')} of the SDK's wall time and ${share('switchboard')} of Switchboard's (the hand-written floor server: ${share('floor')}).`,
  ].join('\n');
}

/** The SSE parsing figures as a table. */
export function sseTable(p: SseParsing): string {
  const us = (f: Figure) => `${f.median.toFixed(1)} µs (${f.min.toFixed(1)}–${f.max.toFixed(1)})`;
  return [
    '| per response (one `message` event) | time |',
    '|---|---|',
    `| reading a \`fetch\` body stream of one chunk, nothing else | ${us(p.bodyUs)} |`,
    `| the SDK client's way: that body through \`TextDecoderStream\` and \`EventSourceParserStream\` | ${us(p.sdkPipelineUs)} |`,
    `| Switchboard's way: the bytes through a \`StringDecoder\` into eventsource-parser's callback parser | ${us(p.callbackUs)} |`,
  ].join('\n');
}

/**
 * What the split says about the HTTP transports, in words with this run's figures: the issue's
 * question (client or server side, connection setup, SSE parsing) for the echo fixture.
 */
export function httpFindings(rows: SplitRow[], sse: SseParsing | undefined): string {
  const row = (prefix: string) => rows.find((r) => r.scenario.startsWith(prefix) && r.scenario.includes('sequential'));
  const http = row('Streamable HTTP, echo fixture');
  const legacy = row('legacy SSE, echo fixture');
  if (!http) return '';
  const us = (values: number[]) => `${m(values).toFixed(0)} µs`;
  const perK = (values: number[]) => (m(values) * 1000).toFixed(1);
  const out = [
    '### Where the Streamable HTTP and SSE time goes',
    '',
    'The issue measured the SDK\'s Streamable HTTP echo round trip at about 4.8 ms against 0.9 ms for a plain',
    'HTTP round trip, and asked where the difference goes. For the echo fixture (the SDK\'s own server behind',
    '`node:http`, the same program for both clients), this run:',
    '',
    `- **Connection setup**: per 1000 sequential calls the SDK's client opened ${perK(http.conns.sdk)} TCP connections, Switchboard's`,
    `  ${perK(http.conns.switchboard)} and the \`fetch\` floor ${perK(http.conns.floor)}: each keeps its connection alive, so no call pays for a new one.`,
    `- **Server side**: the SDK's server used ${us(http.serverCpu.sdk)} of CPU per call answering the SDK's client and`,
    `  ${us(http.serverCpu.switchboard)} answering Switchboard's, against ${us(http.serverCpu.floor)} for the hand-written floor server (its`,
    '  Streamable HTTP transport writes every answer as an SSE stream, and parses every request with its schemas).',
    `- **Client side**: the SDK's client used ${us(http.cpu.sdk)} of CPU per call, Switchboard's ${us(http.cpu.switchboard)} (its own \`node:http\``,
    `  transport, with the router, policy and audit log on top), and a bare \`fetch\` with a JSON answer ${us(http.cpu.floor)}.`,
    '  The SDK\'s transport pays for undici\'s `fetch` on every request, and for every SSE answer it builds a',
    '  `TextDecoderStream` and an `EventSourceParserStream` and reads the event through both.',
  ];
  if (sse) {
    out.push(
      `  Timed alone (table below), that pipeline costs ${sse.sdkPipelineUs.median.toFixed(0)} µs per answer, of which ${sse.bodyUs.median.toFixed(0)} µs is reading the body`,
      `  stream any \`fetch\` client reads; the callback parser Switchboard feeds from \`node:http\` takes ${sse.callbackUs.median.toFixed(1)} µs.`,
    );
  }
  const cpuSaved = pairedDiff(http.cpu.sdk, http.cpu.switchboard).median;
  const wallSaved = pairedDiff(http.wall.sdk, http.wall.switchboard).median;
  out.push(
    '',
    `So where the SDK is slow, the cost is mostly on the client side: on the same server Switchboard's calls take`,
    `${us(http.wall.switchboard)} against the SDK's ${us(http.wall.sdk)}, and its client uses ${cpuSaved.toFixed(0)} µs less CPU per call, ${cpuSaved >= wallSaved ? 'as much as or more than' : `${((cpuSaved / wallSaved) * 100).toFixed(0)} % of`}`,
    `the ${wallSaved.toFixed(0)} µs saved in wall time (part of the SDK client's work overlaps the server's). What is left over the floor's`,
    `round trip is the SDK server's own work, ${pairedDiff(http.serverCpu.sdk, http.serverCpu.floor).median.toFixed(0)} µs more CPU per call than the hand-written server, which no client can take away.`,
  );
  if (legacy) {
    out.push(
      '',
      `Legacy SSE: each call is a \`POST /messages\` (answered 202, no body) and the result arrives on the long-lived`,
      `\`GET /sse\` stream. The SDK's client sends the POST with \`fetch\` (one \`AbortSignal\` for all of them, to which undici adds a`,
      'listener per request that only goes with the request\'s garbage: Node warns of a leak after 1,500 calls) and reads the',
      `stream through the \`eventsource\` package: ${us(legacy.cpu.sdk)} of client CPU per call, against ${us(legacy.cpu.switchboard)} for Switchboard's \`node:http\` POST and callback`,
      `parser; the server used ${us(legacy.serverCpu.sdk)} and ${us(legacy.serverCpu.switchboard)} per call. Connections opened per 1000 calls: SDK ${perK(legacy.conns.sdk)},`,
      `Switchboard ${perK(legacy.conns.switchboard)}.`,
    );
  }
  if (sse) out.push('', sseTable(sse));
  return out.join('\n');
}
