// The faults a server can have without meaning harm, each survived the way the hostile ones are:
// the host never stalls, memory stays bounded, the other server keeps answering through the router,
// and the caller gets one clear error. `npm run faults` turns the rows into docs/RELIABILITY.md.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { McpClientManager } from '../../src/client/manager';
import { RestartPolicy } from '../../src/client/restartPolicy';
import { parseConfigText } from '../../src/config/parse';
import { managerBackend } from '../../src/router/backend';
import { ToolRouter } from '../../src/router/router';
import type { ToolCallOutcome } from '../../src/router/types';
import { makeTestCa } from '../connection/certificates';
import { fixtureServer, testManager, waitFor, waitForState } from '../connection/helpers';
import { startNginx } from '../connection/nginx';
import { fixturePath, startHttpFixture } from '../fixtures/spawn';
import { survived, watchHost } from './harness';

const message = (o: ToolCallOutcome): string => ('message' in o ? o.message : o.kind);
const text = (o: ToolCallOutcome): string => {
  assert.ok(o.kind === 'ok', `expected an answer, got ${o.kind}: ${message(o)}`);
  return o.model.parts.map((p) => ('text' in p ? p.text : '')).join('');
};

describe('faults (real server processes)', function () {
  this.timeout(60_000);
  let manager: McpClientManager;
  let router: ToolRouter;
  let logs: ReturnType<typeof testManager>['logs'];
  const logsOf = (server: string) => logs.get(server)?.stderrLines ?? [];
  const stops: (() => Promise<void> | void)[] = [];

  const start = async (...servers: Parameters<McpClientManager['reconcile']>[0]) => {
    ({ manager, logs } = testManager(undefined, () => new RestartPolicy({ baseDelayMs: 100 })));
    router = new ToolRouter(managerBackend(manager), { authorize: () => ({ allowed: true, by: 'policy' }) });
    stops.push(async () => { router.dispose(); await manager.stopAll(1000); manager.dispose(); });
    await manager.reconcile([fixtureServer('bystander', 'echo'), ...servers]);
    await waitForState(manager, 'bystander', 'running');
  };
  const call = (name: string, args: Record<string, unknown> = {}) => router.call(name, args, { origin: 'cli' });
  /** The well-behaved server still answers, through the same router. */
  const bystanderAnswers = async () => assert.equal(text(await call('bystander_echo', { text: 'still here' })), 'still here');

  afterEach(async () => { for (const s of stops.splice(0).reverse()) await s(); });

  it('crash mid-call: the call fails naming the exit, the server restarts', async () => {
    await start(fixtureServer('crashy', 'echo'));
    const w = watchHost();
    const out = await call('crashy_crash');
    assert.equal(out.kind, 'failed');
    assert.match(message(out), /crashy/);
    await bystanderAnswers();
    await waitForState(manager, 'crashy', 'running');
    assert.equal(text(await call('crashy_echo', { text: 'back' })), 'back');
    survived({ attack: 'crash mid-call', outcome: 'the call failed with the server named; restarted with backoff; answers again', figures: w.stop(), bounds: { rssGrowthMb: 32 } });
  });

  it('kill -9 mid-call: the call fails at once, not at its timeout', async () => {
    await start(fixtureServer('victim', 'echo'));
    const w = watchHost();
    const pending = call('victim_slow', { ms: 20_000 });
    await new Promise((r) => setTimeout(r, 200));
    const t0 = Date.now();
    process.kill(manager.connection('victim')!.pid!, 'SIGKILL');
    const out = await pending;
    assert.equal(out.kind, 'failed');
    assert.ok(Date.now() - t0 < 5000, `failed ${Date.now() - t0} ms after the kill`);
    await bystanderAnswers();
    await waitForState(manager, 'victim', 'running');
    survived({ attack: 'kill -9 mid-call', outcome: 'the pending call failed at once; the server restarted', figures: w.stop(), bounds: { rssGrowthMb: 32 } });
  });

  it('hang at start: an error naming the startup timeout, the other server unaffected', async () => {
    const w = watchHost();
    await start(fixtureServer('hang', 'hang', { startupTimeoutMs: 1500 }));
    const s = manager.state('hang')!;
    assert.equal(s.kind, 'error');
    assert.match((s as { message: string }).message, /did not finish starting/);
    await bystanderAnswers();
    survived({ attack: 'hang at start', outcome: 'error after the startup timeout, with the stderr tail; the process tree was killed', figures: w.stop(), bounds: { rssGrowthMb: 32 } });
  });

  it('hang mid-call: the call times out with a clear message', async () => {
    await start(fixtureServer('frozen', 'echo', { env: { FIXTURE_FREEZE: '1' }, requestTimeoutMs: 1000 }));
    const w = watchHost();
    assert.equal(text(await call('frozen_freeze')), 'freezing');
    await waitFor(() => manager.connection('frozen') && logsOf('frozen').some((l) => l.includes('frozen')), 5000, 'the server to hang');
    const out = await call('frozen_echo', { text: 'anyone?' });
    assert.equal(out.kind, 'failed');
    assert.match(message(out), /timed out|did not answer/i);
    await bystanderAnswers();
    survived({ attack: 'hang mid-call', outcome: 'the next call failed at its request timeout; the others answered meanwhile', figures: w.stop(), bounds: { rssGrowthMb: 32 } });
  });

  it('exit at start: an error with the tail of its stderr, no restart loop', async () => {
    const w = watchHost();
    await start(fixtureServer('dies', 'exit-at-start'));
    const s = manager.state('dies') as { kind: string; stderrTail?: string[] };
    assert.equal(s.kind, 'error');
    assert.ok(s.stderrTail?.some((l) => l.includes('boom')));
    await bystanderAnswers();
    survived({ attack: 'exit at start', outcome: 'error with its last stderr lines, not retried', figures: w.stop(), bounds: { rssGrowthMb: 32 } });
  });

  it('garbage on stdout: the lines are skipped, calls keep working', async () => {
    await start(fixtureServer('noisy', 'garbage'));
    const w = watchHost();
    for (let i = 0; i < 20; i++) assert.equal(text(await call('noisy_echo', { text: `n${i}` })), `n${i}`);
    await bystanderAnswers();
    survived({ attack: 'garbage stdout', outcome: 'non-protocol lines logged and skipped; every call answered', figures: w.stop(), bounds: { rssGrowthMb: 32 } });
  });

  it('1,000 concurrent calls: all answered, in bounded memory', async () => {
    await start(fixtureServer('busy', 'echo'));
    const w = watchHost();
    const outs = await Promise.all(Array.from({ length: 1000 }, (_, i) => call('busy_echo', { text: `c${i}` })));
    outs.forEach((o, i) => assert.equal(text(o), `c${i}`));
    await bystanderAnswers();
    survived({ attack: '1,000 concurrent calls', outcome: 'all 1,000 answered, each with its own result', figures: w.stop(), bounds: { rssGrowthMb: 96 } });
  });

  it('invalid config: the error names line and field, the valid servers run on', async () => {
    await start(fixtureServer('steady', 'echo'));
    const pid = manager.connection('steady')!.pid;
    const file = path.join(os.tmpdir(), 'sb-faults', '.vscode', 'switchboard.json');
    const parsed = parseConfigText(`{
  "servers": {
    "steady": { "command": ${JSON.stringify(process.execPath)}, "args": [${JSON.stringify(fixturePath('echo'))}] },
    "broken": { "command": "node", "args": 5 }
  }
}`, { kind: 'workspace', file, workspaceFolder: path.dirname(path.dirname(file)) });
    const w = watchHost();
    const broken = parsed.invalidServers.find((s) => s.name === 'broken');
    assert.ok(broken, JSON.stringify(parsed));
    assert.equal(broken.errors[0].range.line, 4);
    assert.match(broken.errors[0].message, /args/);
    await manager.reconcile([fixtureServer('bystander', 'echo'), fixtureServer('steady', 'echo')]);
    assert.equal(manager.connection('steady')!.pid, pid, 'steady was not restarted');
    await bystanderAnswers();
    survived({ attack: 'invalid config', outcome: 'the broken entry reported at its line and field; the running servers untouched', figures: w.stop(), bounds: { rssGrowthMb: 16 } });
  });

  it('SSE drop and resume: a call whose stream is cut still gets its answer', async () => {
    const fx = await startHttpFixture('http', [], { env: { ...process.env, FIXTURE_RESUMABLE: '1' } });
    stops.push(() => fx.stop());
    await start({ name: 'web', sourceKind: 'user', config: { type: 'http', url: fx.url, headers: {}, startupTimeoutMs: 20_000 } });
    const w = watchHost();
    assert.equal(text(await call('web_interrupted', { ms: 300 })), 'answered 300 ms after the cut');
    assert.match(fx.stderr(), /Last-Event-ID (?!none)\S+/);
    await bystanderAnswers();
    survived({ attack: 'SSE drop and resume', outcome: 'the stream was resumed from its Last-Event-ID and the call answered', figures: w.stop(), bounds: { rssGrowthMb: 32 } });
  });

  it('proxy restart: the remote server gets going again behind a restarted nginx', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-faults-nginx-'));
    stops.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const ca = await makeTestCa(path.join(dir, 'ca'));
    const web = await startHttpFixture('http');
    stops.push(() => web.stop());
    const legacy = await startHttpFixture('sse');
    stops.push(() => legacy.stop());
    const proxy = await startNginx({ dir: path.join(dir, 'nginx'), certificate: ca, mcpPort: web.port, ssePort: legacy.port });
    stops.push(() => proxy.stop());
    await start({ name: 'proxied', sourceKind: 'user', config: { type: 'http', url: `${proxy.origin}/mcp`, headers: {}, tls: { ca: ca.caFile }, startupTimeoutMs: 20_000 } });
    await waitForState(manager, 'proxied', 'running');
    const w = watchHost();
    await proxy.stop();
    const down = await call('proxied_echo', { text: 'while down' });
    assert.notEqual(down.kind, 'ok');
    await proxy.start();
    await waitFor(async () => (await call('proxied_echo', { text: 'after' })).kind === 'ok', 20_000, 'a call through the restarted proxy');
    await bystanderAnswers();
    survived({ attack: 'proxy restart', outcome: 'calls failed clearly while nginx was down and answered once it was back', figures: w.stop(), bounds: { rssGrowthMb: 32 } });
  });
});
