import assert from 'node:assert/strict';
import { RestartPolicy } from '../../src/client/restartPolicy';
import { StdioTransport } from '../../src/client/stdioTransport';
import type { CatalogChange, ServerState } from '../../src/client/types';
import { fixtureServer, isAlive, recordingLog, testManager, waitFor, waitForState } from './helpers';

describe('stdio connections (real fixture processes)', function () {
  this.timeout(30_000);
  const managers: { dispose(): void; stopAll(ms?: number): Promise<void> }[] = [];
  const create = (...args: Parameters<typeof testManager>) => { const r = testManager(...args); managers.push(r.manager); return r; };
  afterEach(async () => { for (const m of managers.splice(0)) { await m.stopAll(500); m.dispose(); } });

  it('handshakes and lists tools, resources, templates and prompts; stderr goes line by line to the log', async () => {
    const { manager, logs } = create();
    await manager.reconcile([fixtureServer('echo', 'echo', { env: { FIXTURE_STDERR_LINES: '3' } })]);
    assert.equal(manager.state('echo')?.kind, 'running');
    const c = manager.catalog('echo')!;
    assert.ok(c.tools.some((t) => t.name === 'echo'), 'echo tool listed');
    assert.ok(c.resources.some((r) => r.uri === 'fixture://hello'));
    assert.ok(c.resourceTemplates.some((t) => t.uriTemplate === 'fixture://item/{id}'));
    assert.ok(c.prompts.some((p) => p.name === 'greet'));
    assert.ok(c.serverInfo?.name);
    const stderr = logs.get('echo')!.stderrLines;
    await waitFor(() => stderr.some((l) => /started/.test(l)), 5000, 'start line');
    assert.ok(stderr.filter((l) => /\d/.test(l)).length >= 3, `numbered stderr lines: ${stderr.join(' | ')}`);
    assert.ok(stderr.every((l) => !l.includes('\n')));
    assert.deepEqual(manager.tools().filter((t) => t.tool.name === 'echo').map((t) => t.name), ['echo_echo']);
  });

  it('logs every protocol message at trace level, only while trace is on', async () => {
    const logs = new Map<string, ReturnType<typeof recordingLog>>();
    const traced = recordingLog();
    let on = true;
    traced.traceEnabled = () => on;
    logs.set('traced', traced);
    const { manager } = create(logs);
    await manager.reconcile([fixtureServer('traced', 'echo')]);
    const trace = () => traced.lines.filter((l) => l.startsWith('trace '));
    assert.ok(trace().some((l) => /▶ .*"method":"initialize"/.test(l)), 'outgoing initialize');
    assert.ok(trace().some((l) => /◀ .*"serverInfo"/.test(l)), 'incoming initialize result');
    assert.ok(trace().some((l) => /▶ .*"method":"notifications\/initialized"/.test(l)));
    assert.ok(trace().some((l) => /▶ .*"method":"tools\/list"/.test(l)));
    on = false;
    const before = trace().length;
    await manager.connection('traced')!.client!.callTool({ name: 'echo', arguments: { text: 'quiet' } });
    assert.equal(trace().length, before, 'nothing traced while trace is off');
  });

  it('follows pagination cursors for every list', async () => {
    const { manager } = create();
    await manager.reconcile([fixtureServer('paged', 'echo', { env: { FIXTURE_PAGE_SIZE: '2', FIXTURE_TOOL_COUNT: '9' } })]);
    const tools = manager.catalog('paged')!.tools.map((t) => t.name);
    for (let i = 0; i < 9; i++) assert.ok(tools.includes(`t${i}`), `t${i} in ${tools}`);
    assert.equal(new Set(tools).size, tools.length);
  });

  it('passes configured env and keeps the inherited PATH', async () => {
    const { manager } = create();
    await manager.reconcile([fixtureServer('env', 'echo', { env: { SB_TEST_VALUE: 'hello' } })]);
    const conn = manager.connection('env')!;
    const r = await conn.client!.callTool({ name: 'env', arguments: { names: ['SB_TEST_VALUE', 'PATH'] } });
    const text = (r.content as { type: string; text: string }[])[0].text;
    const env = JSON.parse(text) as Record<string, string>;
    assert.equal(env.SB_TEST_VALUE, 'hello');
    assert.ok(env.PATH && env.PATH.length > 0);
  });

  it('reports a server that exits at start with the tail of its stderr, and does not retry it', async () => {
    const { manager } = create();
    const states: ServerState[] = [];
    manager.onDidChangeState((e) => states.push(e.state));
    await manager.reconcile([fixtureServer('dies', 'exit-at-start')]);
    const s = manager.state('dies')!;
    assert.equal(s.kind, 'error');
    assert.ok((s as { stderrTail: string[] }).stderrTail.some((l) => l.includes('boom')), JSON.stringify(s));
    assert.match((s as { message: string }).message, /exited with code 1 before completing the MCP handshake/);
    assert.ok(!states.some((x) => x.kind === 'restarting'));
  });

  it('restarts a server that crashes mid-call, with backoff', async () => {
    const { manager } = create();
    await manager.reconcile([fixtureServer('crashy', 'echo')]);
    const before = manager.connection('crashy')!.pid!;
    const seen: ServerState[] = [];
    manager.onDidChangeState((e) => seen.push(e.state));
    await assert.rejects(manager.connection('crashy')!.client!.callTool({ name: 'crash', arguments: {} }));
    await waitForState(manager, 'crashy', 'running');
    const restarting = seen.find((s) => s.kind === 'restarting') as Extract<ServerState, { kind: 'restarting' }>;
    assert.ok(restarting, 'went through restarting');
    assert.equal(restarting.attempt, 1);
    assert.notEqual(manager.connection('crashy')!.pid, before);
    assert.equal(isAlive(before), false);
  });

  it('gives up after 5 crashes within 3 minutes and shows the last stderr lines', async () => {
    const { manager } = create(undefined, () => new RestartPolicy({ baseDelayMs: 10 }));
    await manager.reconcile([fixtureServer('loop', 'echo')]);
    for (let i = 0; i < 5; i++) {
      await waitForState(manager, 'loop', 'running');
      await manager.connection('loop')!.client!.callTool({ name: 'crash', arguments: {} }).catch(() => undefined);
      await waitFor(() => manager.state('loop')!.kind !== 'running', 5000, 'crash noticed');
    }
    const s = await waitForState(manager, 'loop', 'error');
    assert.match((s as { message: string }).message, /crashed 5 times/);
    assert.ok((s as { stderrTail: string[] }).stderrTail.length > 0);
  });

  it('times out a server that never answers initialize, and stop kills its whole process tree', async () => {
    const { manager, logs } = create();
    await manager.reconcile([fixtureServer('hang', 'hang', { startupTimeoutMs: 1500 })]);
    const s = manager.state('hang')!;
    assert.equal(s.kind, 'error');
    assert.match((s as { message: string }).message, /did not finish starting within 2s/);
    const line = logs.get('hang')!.stderrLines.find((l) => /grandchild=\d+/.test(l));
    assert.ok(line, 'grandchild pid logged');
    const grandchild = Number(/grandchild=(\d+)/.exec(line!)![1]);
    await waitFor(() => !isAlive(grandchild), 5000, 'grandchild to be killed');
  });

  it('stop escalates to killing a server that ignores stdin close and SIGTERM', async () => {
    const { manager, logs } = create();
    await manager.reconcile([fixtureServer('stubborn', 'hang', { startupTimeoutMs: 20_000 })], { autoStart: false });
    void manager.start('stubborn');
    const line = await waitFor(() => logs.get('stubborn')?.stderrLines.find((l) => /grandchild=\d+/.test(l)), 10_000, 'grandchild line');
    const grandchild = Number(/grandchild=(\d+)/.exec(line)![1]);
    const pid = manager.connection('stubborn')!.pid!;
    await manager.stop('stubborn');
    assert.equal(manager.state('stubborn')?.kind, 'stopped');
    await waitFor(() => !isAlive(pid) && !isAlive(grandchild), 5000, 'process tree gone');
  });

  it('sends the messages of one tick after the first in one write, all of them, in order', async () => {
    // A raw child that counts the chunks it reads after the first message, and reports them when asked.
    const child = `let chunks = 0, rest = '', ids = [];
      process.stdin.on('data', (d) => { chunks++; const parts = (rest + d).split('\\n'); rest = parts.pop();
        for (const l of parts) { const m = JSON.parse(l); if (m.method === 'report') process.stdout.write(JSON.stringify({ jsonrpc: '2.0', method: 'counts', params: { chunks, ids } }) + '\\n'); else { ids.push(m.id); if (ids.length === 1) chunks = 0; } } });`;
    const transport = new StdioTransport({ command: process.execPath, args: ['-e', child], env: { PATH: process.env.PATH ?? '' } });
    const report = new Promise<{ chunks: number; ids: number[] }>((resolve) => {
      transport.onmessage = (m) => resolve((m as unknown as { params: { chunks: number; ids: number[] } }).params);
    });
    await transport.start();
    try {
      // The first goes out at once; the server has read it before the other 199 are written.
      await transport.send({ jsonrpc: '2.0', id: 0, method: 'ping' });
      await new Promise((r) => setTimeout(r, 200));
      const sent = Array.from({ length: 199 }, (_, i) => transport.send({ jsonrpc: '2.0', id: i + 1, method: 'ping' }));
      await Promise.all(sent);
      await new Promise((r) => setTimeout(r, 200));
      await transport.send({ jsonrpc: '2.0', id: 999, method: 'report' });
      const counts = await report;
      assert.deepEqual(counts.ids, Array.from({ length: 200 }, (_, i) => i));
      // Counted after the first message: one write of 199 lines (about 10 KB) reaches a reader in a chunk
      // or two, and the report is one more; a write per message would be up to 199.
      assert.ok(counts.chunks <= 4, `the 199 messages of one tick and the report arrived in ${counts.chunks} chunks`);
    } finally {
      await transport.close();
    }
  });

  it('survives non-JSON lines on stdout', async () => {
    const { manager } = create();
    await manager.reconcile([fixtureServer('garbage', 'garbage')]);
    assert.equal(manager.state('garbage')?.kind, 'running');
    const r = await manager.connection('garbage')!.client!.callTool({ name: 'echo', arguments: { text: 'still fine' } });
    assert.equal((r.content as { text: string }[])[0].text, 'still fine');
  });

  it('reads a message of several megabytes that arrives in many chunks', async () => {
    const { manager } = create();
    await manager.reconcile([fixtureServer('big', 'echo')]);
    const text = 'x'.repeat(3 * 1024 * 1024);
    const r = await manager.connection('big')!.client!.callTool({ name: 'echo', arguments: { text } });
    assert.equal((r.content as { text: string }[])[0].text.length, text.length);
  });

  it('waits for a slow starter within its startup timeout', async () => {
    const { manager } = create();
    await manager.reconcile([fixtureServer('slow', 'echo', { env: { FIXTURE_STARTUP_DELAY_MS: '1200' }, startupTimeoutMs: 10_000 })]);
    assert.equal(manager.state('slow')?.kind, 'running');
  });

  it('refreshes only the list a list-changed notification names', async () => {
    const { manager } = create();
    await manager.reconcile([fixtureServer('dyn', 'list-changed')]);
    const changes: CatalogChange[] = [];
    manager.onDidChangeCatalog((c) => changes.push(c));
    await manager.connection('dyn')!.client!.callTool({ name: 'add_tool', arguments: { name: 'fresh' } });
    await waitFor(() => manager.catalog('dyn')!.tools.some((t) => t.name === 'fresh'), 5000, 'new tool');
    assert.deepEqual(changes.map((c) => c.kinds), [['tools']]);
    assert.ok(manager.tools().some((t) => t.name === 'dyn_fresh'));
  });

  it('a timed-out request is cancelled on the server', async () => {
    const { manager, logs } = create();
    const server = fixtureServer('slowcall', 'echo', { requestTimeoutMs: 300 });
    await manager.reconcile([server]);
    const conn = manager.connection('slowcall')!;
    await assert.rejects(conn.client!.callTool({ name: 'slow', arguments: { ms: 5000 } }, undefined, conn.requestOptions()), /timed out/i);
    await waitFor(() => logs.get('slowcall')!.stderrLines.some((l) => /cancelled slow/.test(l)), 5000, 'server saw the cancellation');
  });

  it('reconcile restarts only changed servers and stops removed ones', async () => {
    const { manager } = create();
    const a = fixtureServer('a', 'echo');
    const b = fixtureServer('b', 'echo');
    await manager.reconcile([a, b]);
    const pidA = manager.connection('a')!.pid!;
    const pidB = manager.connection('b')!.pid!;
    const changedB = fixtureServer('b', 'echo', { env: { CHANGED: '1' } });
    const r1 = await manager.reconcile([a, changedB]);
    assert.deepEqual(r1, { added: [], removed: [], changed: ['b'], unchanged: ['a'] });
    assert.equal(manager.connection('a')!.pid, pidA, 'a untouched');
    assert.notEqual(manager.connection('b')!.pid, pidB);
    await waitFor(() => !isAlive(pidB), 5000, 'old b gone');
    const pidB2 = manager.connection('b')!.pid!;
    const r2 = await manager.reconcile([a]);
    assert.deepEqual(r2.removed, ['b']);
    await waitFor(() => !isAlive(pidB2), 5000, 'removed b gone');
    assert.deepEqual(manager.names(), ['a']);
  });

  it('stopAll leaves no child process behind', async () => {
    const { manager } = create();
    await manager.reconcile([fixtureServer('x', 'echo'), fixtureServer('y', 'echo'), fixtureServer('z', 'hang', { startupTimeoutMs: 20_000 })], { autoStart: false });
    void manager.startAll();
    await waitForState(manager, 'x', 'running');
    await waitForState(manager, 'y', 'running');
    await waitFor(() => manager.connection('z')!.pid, 5000, 'z spawned');
    const pids = ['x', 'y', 'z'].map((n) => manager.connection(n)!.pid!);
    await manager.stopAll(500);
    await waitFor(() => pids.every((p) => !isAlive(p)), 5000, 'all servers gone');
  });
});
