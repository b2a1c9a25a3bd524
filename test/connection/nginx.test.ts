// Remote servers the way they are deployed: behind Debian's nginx terminating TLS (certificates
// from a CA made for the run), with the proxy settings of docs/nginx/mcp.conf, in front of the
// Streamable HTTP fixture and the legacy SSE fixture. The client trusts the CA through `tls.ca`,
// never by turning verification off; restarting nginx mid-call is survived by resumption
// (Last-Event-ID). Everything listens on 127.0.0.1.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DesiredServer, McpClientManager } from '../../src/client/manager';
import { RestartPolicy } from '../../src/client/restartPolicy';
import type { RemoteServerConfig } from '../../src/config/types';
import { startHttpFixture, type HttpFixture } from '../fixtures/spawn';
import { makeTestCa, type TestCa } from './certificates';
import { assertProgressSteps, testManager, waitFor, type RecordedLog, resultTexts } from './helpers';
import { startNginx, type NginxProxy } from './nginx';

const assertRunning = (m: McpClientManager, ...servers: string[]) => {
  for (const s of servers) assert.equal(m.state(s)?.kind, 'running', `${s}: ${JSON.stringify(m.state(s))}`);
};
const errorOf = (m: McpClientManager, server: string) => {
  const s = m.state(server)!;
  assert.equal(s.kind, 'error', `${server}: ${JSON.stringify(s)}`);
  return (s as { message: string }).message;
};

describe('behind nginx as a TLS reverse proxy (Debian nginx on 127.0.0.1)', function () {
  this.timeout(60_000);
  let dir: string;
  let ca: TestCa;
  let otherCa: TestCa;
  let web: HttpFixture;
  let legacy: HttpFixture;
  let proxy: NginxProxy;
  const stops: (() => Promise<void> | void)[] = [];

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-nginx-'));
    ca = await makeTestCa(path.join(dir, 'ca'));
    otherCa = await makeTestCa(path.join(dir, 'other-ca'), 'Some other CA');
    web = await startHttpFixture('http', [], { env: { ...process.env, FIXTURE_LIST_CHANGED: '1' } });
    legacy = await startHttpFixture('sse');
    proxy = await startNginx({ dir: path.join(dir, 'nginx'), certificate: ca, mcpPort: web.port, ssePort: legacy.port });
  });
  afterEach(async function () {
    for (const s of stops.splice(0).reverse()) await s();
    if (this.currentTest?.state === 'failed') console.log(`nginx error.log:\n${proxy.errorLog()}`);
  });
  after(async () => {
    await proxy?.stop();
    await web?.stop();
    await legacy?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const manager = (policy?: () => RestartPolicy) => {
    const logs = new Map<string, RecordedLog>();
    const { manager: m } = testManager(logs, policy);
    stops.push(async () => { await m.stopAll(1000); m.dispose(); });
    return { m, logs };
  };
  const remote = (name: string, urlPath: string, extra: Partial<RemoteServerConfig> = {}, origin = proxy.origin): DesiredServer => ({
    name, sourceKind: 'user', config: { type: 'http', url: `${origin}${urlPath}`, headers: {}, startupTimeoutMs: 20_000, ...extra },
  });
  const trusted = () => ({ tls: { ca: ca.caFile } });

  it('connects over https with the CA from tls.ca, to Streamable HTTP and (after the fallback) legacy SSE', async () => {
    const { m } = manager();
    await m.reconcile([remote('web', '/mcp', trusted()), remote('legacy', '/sse', trusted())]);
    assertRunning(m, 'web', 'legacy');
    for (const [name, kind] of [['web', 'http'], ['legacy', 'sse']] as const) {
      assert.equal(m.connection(name)!.transportKind, kind);
      assert.ok(m.catalog(name)!.tools.some((t) => t.name === 'echo'), `${name} lists its tools`);
      const client = m.connection(name)!.client!;
      assert.deepEqual(resultTexts(await client.callTool({ name: 'echo', arguments: { text: `${name} over tls` } })), [`${name} over tls`]);
      const sums = await Promise.all([1, 2, 3].map((i) => client.callTool({ name: 'add', arguments: { a: i, b: 100 } })));
      assert.deepEqual(sums.map((r) => resultTexts(r)[0]), ['101', '102', '103']);
    }
    // What the server behind the proxy sees: the name asked for, https, and the session header passed through.
    const client = m.connection('web')!.client!;
    const seen = JSON.parse(resultTexts(await client.callTool({ name: 'headers', arguments: {} }))[0]) as Record<string, string>;
    assert.equal(seen.host, '127.0.0.1');
    assert.equal(seen['x-forwarded-proto'], 'https');
    assert.equal(seen['x-forwarded-for'], '127.0.0.1');
    assert.equal(seen['mcp-session-id'], client.transport!.sessionId);
  });

  it('refuses the certificate without the right CA at once, saying what to configure', async () => {
    const { m, logs } = manager();
    const t0 = Date.now();
    await m.reconcile([
      remote('web', '/mcp'), remote('legacy', '/sse', { type: 'sse' }), remote('wrong', '/mcp', { tls: { ca: otherCa.caFile } }),
    ]);
    assert.ok(Date.now() - t0 < 10_000, `took ${Date.now() - t0} ms: a certificate error must not wait for the start-up timeout`);
    const untrusted = /^the TLS certificate of 127\.0\.0\.1:\d+ is not trusted \(unable to verify the first certificate, UNABLE_TO_VERIFY_LEAF_SIGNATURE\); /;
    for (const name of ['web', 'legacy']) {
      const message = errorOf(m, name);
      assert.match(message, untrusted);
      assert.match(message, /set "tls": \{ "ca": "<that CA's PEM file>" \} for this server$/);
      assert.ok(logs.get(name)!.lines.includes(`error failed to start: ${message}`), `${name}'s log says why`);
    }
    assert.match(errorOf(m, 'wrong'), untrusted);
    assert.ok(errorOf(m, 'wrong').endsWith(`neither the usual authorities nor the CA file "${otherCa.caFile}" (tls.ca) signed it`), errorOf(m, 'wrong'));
  });

  it('names a CA file it cannot use', async () => {
    const garbage = path.join(dir, 'not-a-cert.pem');
    fs.writeFileSync(garbage, 'this is no certificate\n');
    const broken = path.join(dir, 'broken.pem');
    fs.writeFileSync(broken, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    const missing = path.join(dir, 'missing.pem');
    const { m } = manager();
    await m.reconcile([
      remote('missing', '/mcp', { tls: { ca: missing } }), remote('garbage', '/mcp', { tls: { ca: garbage } }),
      remote('broken', '/sse', { type: 'sse', tls: { ca: broken } }),
    ]);
    assert.match(errorOf(m, 'missing'), new RegExp(`^could not read the CA file "${missing}" \\(tls\\.ca\\): ENOENT`));
    assert.equal(errorOf(m, 'garbage'), `the CA file "${garbage}" (tls.ca) holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
    assert.match(errorOf(m, 'broken'), new RegExp(`^certificate 1 in the CA file "${broken}" \\(tls\\.ca\\) cannot be read: `));
  });

  it('passes each event on as it happens and keeps long streams open: progress for seconds, then list_changed on the GET stream', async () => {
    const { m } = manager();
    await m.reconcile([remote('web', '/mcp', trusted()), remote('legacy', '/sse', trusted())]);
    assertRunning(m, 'web', 'legacy');
    const steps = 6;
    const intervalMs = 700;
    // Both at once: about 4 s of events on a POST's stream (Streamable HTTP) and on the one long GET stream (legacy SSE).
    await Promise.all(['web', 'legacy'].map(async (name) => {
      const arrivals: { progress: number; at: number }[] = [];
      const result = await m.connection(name)!.client!.callTool({ name: 'progress', arguments: { steps, intervalMs } }, undefined,
        { onprogress: (p) => arrivals.push({ progress: p.progress, at: Date.now() }), timeout: 30_000 });
      const done = Date.now();
      assert.deepEqual(resultTexts(result), [`done ${steps} steps`]);
      assertProgressSteps(arrivals.map((a) => a.progress), steps);
      // A buffering proxy would hold the events and deliver them together with the result.
      assert.ok(done - arrivals[0].at > (steps - 2) * intervalMs, `${name}: the first progress came ${done - arrivals[0].at} ms before the result`);
    }));
    // The GET stream has been open, through the proxy, since the session started.
    await m.connection('web')!.client!.callTool({ name: 'add_tool', arguments: { name: 'late' } });
    await waitFor(() => m.catalog('web')?.tools.some((t) => t.name === 'late'), 10_000, 'list_changed to arrive and the new tool to be listed');
  });

  it('gets going again when nginx restarts under open streams', async () => {
    // The product's restart delay (500 ms), not the test manager's 50 ms, which would race nginx coming back.
    const { m } = manager(() => new RestartPolicy());
    await m.reconcile([remote('web', '/mcp', trusted()), remote('legacy', '/sse', trusted())]);
    assertRunning(m, 'web', 'legacy');
    const first = m.connection('legacy')!.client;
    const session = m.connection('web')!.client!.transport!.sessionId;
    await proxy.stop();
    await proxy.start();
    // Streamable HTTP keeps its session: the GET stream is reopened and hears the server again. A
    // notification sent before it is back is lost (the fixture keeps no event store), so ask again until one arrives.
    const web = m.connection('web')!.client!;
    let attempt = 0;
    await waitFor(async () => {
      const name = `after_restart_${++attempt}`;
      await web.callTool({ name: 'add_tool', arguments: { name } });
      return waitFor(() => m.catalog('web')?.tools.some((t) => t.name === name), 1500).then(() => true, () => false);
    }, 15_000, 'list_changed on the reopened GET stream');
    assert.equal(web.transport!.sessionId, session);
    // Legacy SSE loses its session with its stream; the restart policy connects a new one.
    await waitFor(() => m.state('legacy')?.kind === 'running' && m.connection('legacy')!.client !== first, 15_000,
      `legacy SSE to reconnect (is ${JSON.stringify(m.state('legacy'))})`);
    assert.deepEqual(resultTexts(await m.connection('legacy')!.client!.callTool({ name: 'echo', arguments: { text: 'again' } })), ['again']);
  });

  it('resumes a tool call whose stream an nginx restart cut, from its Last-Event-ID', async () => {
    // A server that keeps its events (the SDK's event store, retry 200 ms), behind an nginx of its own.
    const resumable = await startHttpFixture('http', [], { env: { ...process.env, FIXTURE_RESUMABLE: '1' } });
    stops.push(() => resumable.stop());
    const own = await startNginx({ dir: path.join(dir, 'nginx-resume'), certificate: ca, mcpPort: resumable.port, ssePort: legacy.port });
    stops.push(() => own.stop());
    const { m } = manager();
    await m.reconcile([remote('web', '/mcp', trusted(), own.origin)]);
    assertRunning(m, 'web');
    const client = m.connection('web')!.client!;
    const session = client.transport!.sessionId;
    const steps = 10;
    const seen: number[] = [];
    let restart: Promise<number> | undefined;
    const result = await client.callTool({ name: 'progress', arguments: { steps, intervalMs: 300 } }, undefined, {
      timeout: 30_000,
      onprogress: (p) => {
        seen.push(p.progress);
        const t0 = Date.now();
        if (p.progress === 3) restart = own.stop().then(() => own.start()).then(() => Date.now() - t0);
      },
    });
    assert.ok(restart, 'nginx was restarted during the call');
    const downMs = await restart;
    assert.deepEqual(resultTexts(result), [`done ${steps} steps`], `nginx was down for ${downMs} ms`);
    // Every step once and in order: the ones sent while nginx was down came from the event store.
    assertProgressSteps(seen, steps);
    assert.match(resumable.stderr(), /GET stream, Last-Event-ID (?!none)\S+/, 'the stream was resumed from the last event seen');
    assert.equal(client.transport!.sessionId, session, 'the session survived');
    assert.deepEqual(resultTexts(await client.callTool({ name: 'echo', arguments: { text: 'after the restart' } })), ['after the restart']);
  });
});
