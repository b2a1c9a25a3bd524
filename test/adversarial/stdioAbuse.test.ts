/**
 * Servers that abuse the stdio pipes: answers to requests never sent, a notification flood, a
 * server that stops reading its stdin, a 100 MB line on stdout, a stderr flood. Each runs beside
 * a well-behaved server that must keep answering, and is driven through the manager as the
 * editor and the CLI drive it (tool calls on the router's short path).
 */
import assert from 'node:assert/strict';
import type { DesiredServer } from '../../src/client/manager';
import { MAX_LOG_LINE_CHARS } from '../../src/client/lines';
import { MAX_INPUT_BACKLOG_BYTES, MAX_LINE_BYTES } from '../../src/client/stdioTransport';
import { fixtureServer, isAlive, resultTexts, testManager, waitFor, waitForState, type RecordedLog } from '../connection/helpers';
import { hostilePath, survived, watchHost } from './harness';

const abuse = (mode: string, extra: Partial<Extract<DesiredServer['config'], { type: 'stdio' }>> = {}): DesiredServer => ({
  name: mode, sourceKind: 'workspace',
  config: { type: 'stdio', command: process.execPath, args: [hostilePath('stdio-abuse'), mode], env: {}, ...extra },
});

/** The longest a written log line may be: the cut, plus the note saying so. */
const LINE_BOUND = MAX_LOG_LINE_CHARS + 64;

describe('adversarial: stdio abuse', function () {
  this.timeout(90_000);
  let manager: ReturnType<typeof testManager>['manager'];
  let logs: Map<string, RecordedLog>;

  beforeEach(async () => {
    ({ manager, logs } = testManager());
    await manager.reconcile([fixtureServer('steady', 'echo')]);
  });
  afterEach(async () => {
    await manager.stopAll(500);
    manager.dispose();
  });

  /** The well-behaved server answers, and how long it took. */
  async function steadyAnswers(): Promise<number> {
    const t = Date.now();
    const r = await manager.connection('steady')!.toolCalls!.callTool({ name: 'echo', arguments: { text: 'steady' } });
    assert.deepEqual(resultTexts(r), ['steady']);
    return Date.now() - t;
  }

  /** Keeps calling the well-behaved server for `ms`; the slowest answer. */
  async function steadyFor(ms: number): Promise<number> {
    let slowest = 0;
    for (const end = Date.now() + ms; Date.now() < end;) {
      slowest = Math.max(slowest, await steadyAnswers());
      await new Promise((r) => setTimeout(r, 50));
    }
    return slowest;
  }

  const longest = (log: RecordedLog) => Math.max(0, ...log.lines.map((l) => l.length));

  it('answers before asked', async () => {
    const w = watchHost();
    await manager.reconcile([fixtureServer('steady', 'echo'), abuse('early')]);
    assert.equal(manager.state('early')?.kind, 'running', JSON.stringify(manager.state('early')));
    assert.deepEqual(manager.catalog('early')!.tools.map((t) => t.name), ['echo'], 'a forged tools/list answer was taken');
    const conn = manager.connection('early')!;
    for (let i = 0; i < 5; i++) {
      assert.deepEqual(resultTexts(await conn.toolCalls!.callTool({ name: 'echo', arguments: { text: `short ${i}` } })), [`genuine: short ${i}`]);
      assert.deepEqual(resultTexts(await conn.client!.callTool({ name: 'echo', arguments: { text: `sdk ${i}` } })), [`genuine: sdk ${i}`]);
    }
    await steadyAnswers();
    const figures = w.stop();
    const log = logs.get('early')!;
    assert.ok(log.lines.some((l) => /answered a request it was not sent/.test(l)), 'the forged answers were reported');
    assert.ok(longest(log) <= LINE_BOUND, `a log line of ${longest(log)} characters`);
    survived({
      attack: 'answers before asked',
      outcome: 'forged answers to ids never sent (the next requests\' and calls\' ids) were dropped and reported, each log line cut; every call got its genuine answer',
      figures, bounds: { rssGrowthMb: 60 },
    });
  });

  /** Starts a flooding server beside the steady one and watches the host while the steady one is called for 4 s. */
  async function flooded(mode: string) {
    await manager.reconcile([fixtureServer('steady', 'echo'), abuse(mode)]);
    const w = watchHost();
    const slowest = await steadyFor(4000);
    return { log: logs.get(mode)!, w, slowest };
  }

  it('notification flood', async () => {
    const { log, w, slowest } = await flooded('flood');
    assert.deepEqual(resultTexts(await manager.connection('flood')!.toolCalls!.callTool({ name: 'echo', arguments: { text: 'x' } })), ['genuine: x']);
    const figures = w.stop();
    // Its count, from the stderr tail (the log itself was thinned).
    const sent = Math.max(0, ...manager.connection('flood')!.stderrTail.map((l) => Number(/abuse sent=(\d+)/.exec(l)?.[1] ?? 0)));
    // It writes as fast as the pipe takes: more than the client is handed (a burst of 2,000, then 500 a second).
    assert.ok(sent > 5000, `the flood got only ${sent} notifications out`);
    assert.ok(log.lines.some((l) => /dropped \d+ notifications: the server sent more than 500 a second/.test(l)), 'no note of the dropped notifications');
    // The log's bucket: 1,000 at once, then 200 a second, plus a note a second.
    assert.ok(log.lines.length < 1000 + 200 * 6 + 20, `${log.lines.length} log lines`);
    survived({
      attack: 'notification flood',
      outcome: `a server writing notifications as fast as its pipe took them got ${sent} out in about 4 s: past 500 a second they were dropped with a note and its output was not read for 100 ms at a time; the log got ${log.lines.length} lines; the other server's slowest answer took ${slowest} ms`,
      figures, bounds: { rssGrowthMb: 60 },
    });
  });

  it('never reads stdin', async () => {
    await manager.reconcile([fixtureServer('steady', 'echo'), abuse('deaf', { requestTimeoutMs: 3000 })]);
    const conn = manager.connection('deaf')!;
    const pid = conn.pid!;
    const w = watchHost();
    const text = 'z'.repeat(256 * 1024);
    const outcomes = await Promise.all(Array.from({ length: 100 }, () =>
      conn.toolCalls!.callTool({ name: 'echo', arguments: { text } }, { timeout: 3000 }).then(() => 'answered', (e: Error) => e.message)));
    await steadyAnswers();
    const figures = w.stop();
    const refused = outcomes.filter((m) => /not reading its input: \d+ MB of messages wait unread/.test(m)).length;
    const timedOut = outcomes.filter((m) => /Request timed out: the server has not read its input for \d+ s/.test(m)).length;
    assert.equal(refused + timedOut, outcomes.length, outcomes.find((m) => !/input/.test(m)));
    assert.ok(refused > 50, `${refused} refused`);
    const stopped = Date.now();
    await manager.stop('deaf');
    await waitFor(() => !isAlive(pid), 5000, 'the deaf server to be gone');
    survived({
      attack: 'never reads stdin',
      outcome: `25 MB of calls to a server that stopped reading: ${timedOut} timed out saying it was not reading, ${refused} were refused once ${MAX_INPUT_BACKLOG_BYTES / 1024 / 1024} MB waited; stop ended it in ${Date.now() - stopped} ms`,
      figures, bounds: { rssGrowthMb: 60 },
    });
  });

  it('100 MB stdout line', async () => {
    await manager.reconcile([fixtureServer('steady', 'echo'), abuse('long-line')]);
    const w = watchHost();
    const call = manager.connection('long-line')!.toolCalls!.callTool({ name: 'echo', arguments: { text: 'x' } });
    await assert.rejects(call, /Connection closed/);
    const state = await waitFor(() => { const s = manager.state('long-line'); return s?.kind !== 'running' ? s : undefined; }, 10_000, 'the connection to be closed');
    await steadyAnswers();
    const figures = w.stop();
    const lastError = 'lastError' in state ? state.lastError : 'message' in state ? state.message : '';
    assert.match(lastError, new RegExp(`line of more than ${MAX_LINE_BYTES / 1024 / 1024} MB without a newline`));
    survived({
      attack: '100 MB stdout line',
      outcome: `the line was dropped at ${MAX_LINE_BYTES / 1024 / 1024} MB and the connection closed with that reason; the pending call failed at once`,
      figures, bounds: { rssGrowthMb: 80 },
    });
  });

  it('stderr flood', async () => {
    const { log, w, slowest } = await flooded('stderr');
    const figures = w.stop();
    await waitForState(manager, 'stderr', 'running');
    assert.ok(log.stderrLines.some((l) => /line cut at/.test(l)), 'no long line was cut');
    assert.ok(longest(log) <= LINE_BOUND, `a log line of ${longest(log)} characters`);
    // Stderr is read at 1 MB a second, so the log's own bucket may or may not have had to drop lines.
    assert.ok(log.lines.length < 1000 + 200 * 6 + 20, `${log.lines.length} log lines`);
    assert.ok(manager.connection('stderr')!.stderrTail.every((l) => l.length <= LINE_BOUND));
    survived({
      attack: 'stderr flood',
      outcome: `short lines and 2 MB lines on stderr, as fast as the pipe took them (read at 1 MB a second after a 4 MB burst), for 4 s: the log got ${log.lines.length} lines, long ones cut at ${MAX_LOG_LINE_CHARS} characters, and at most 200 a second after a burst of 1,000; the other server's slowest answer took ${slowest} ms`,
      figures, bounds: { rssGrowthMb: 60 },
    });
  });
});
