// A legacy SSE server names a malformed endpoint (`http://[`). The CLI does not crash on it (the
// URL parser's TypeError used to escape from the stream's callback), and in the host the start
// fails at once, naming the endpoint, instead of waiting for its time-out.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fixturePath } from '../fixtures/spawn';
import { survived, watchHost } from './harness';
import { calmServer, hostWith, remoteServer, startHostile } from './remote';

const CLI = path.resolve(__dirname, '../../../dist/cli.js');
const MALFORMED = /the server named an endpoint that is not a valid URL: "http:\/\/\["/;

describe('attack: malformed SSE endpoint', function () {
  this.timeout(60_000);
  const stops: (() => Promise<void> | void)[] = [];
  afterEach(async () => { for (const s of stops.splice(0).reverse()) await s(); });

  it('malformed SSE endpoint: the CLI lists the other servers and names the bad one', async () => {
    const hostile = await startHostile('sseEndpoint');
    stops.push(() => hostile.stop());
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-sse-endpoint-'));
    stops.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    fs.writeFileSync(path.join(dir, 'servers.json'), JSON.stringify({
      servers: {
        legacy: { type: 'sse', url: hostile.url, startupTimeoutMs: 20_000 },
        calm: { type: 'stdio', command: process.execPath, args: [fixturePath('echo')] },
      },
    }));
    const started = Date.now();
    const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [CLI, 'list', '--config', 'servers.json'], { cwd: dir, env: { ...process.env, SWITCHBOARD_HOME: path.join(dir, 'home') }, timeout: 40_000 },
        (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }));
    });
    assert.equal(r.code, 0, `the CLI exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
    assert.doesNotMatch(r.stderr, /TypeError|Invalid URL/, 'no uncaught error');
    assert.match(r.stdout, /^calm: running/m);
    assert.match(r.stdout, /^legacy: .*not a valid URL: "http:\/\/\["/m);
    assert.ok(Date.now() - started < 15_000, 'it did not wait for the start-up time-out');
  });

  it('malformed SSE endpoint: the host fails the start at once, naming it', async () => {
    const hostile = await startHostile('sseEndpoint');
    stops.push(() => hostile.stop());
    const host = await hostWith([calmServer()]);
    stops.push(host.stop);
    const w = watchHost();
    const started = Date.now();
    await host.manager.reconcile([calmServer(), remoteServer('legacy', 'sse', hostile.url)]);
    const elapsed = Date.now() - started;
    const calm = await host.router.call('calm_echo', { text: 'still here' }, { origin: 'cli' });
    const figures = w.stop();
    const state = host.manager.state('legacy');
    assert.equal(state?.kind, 'error', JSON.stringify(state));
    assert.match((state as { message: string }).message, MALFORMED);
    assert.ok(elapsed < 5_000, `the start failed after ${elapsed} ms, not at once (its time-out is 20 s)`);
    assert.equal(calm.kind, 'ok');
    survived({ attack: 'malformed SSE endpoint', outcome: 'the start failed at once naming the endpoint; the CLI did not crash', figures, bounds: { rssGrowthMb: 32 } });
  });
});
