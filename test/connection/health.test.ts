// Connections that go bad, against real servers: a stdio server that hangs after starting is
// found by the idle ping and restarted (its frozen process killed); a remote server that goes
// away is retried until it is back; an HTTP server that forgets our session (404) gets a new
// session at once, not a crash restart.
import assert from 'node:assert/strict';
import type { DesiredServer } from '../../src/client/manager';
import { isAlive } from '../../src/client/processTree';
import { RestartPolicy } from '../../src/client/restartPolicy';
import { startHttpFixture } from '../fixtures/spawn';
import { fixtureServer, testManager, waitFor, waitForState, resultTexts } from './helpers';


describe('health: hung servers and expired sessions (real processes)', function () {
  this.timeout(30_000);
  const stops: (() => Promise<void> | void)[] = [];
  afterEach(async () => { for (const s of stops.splice(0).reverse()) await s(); });
  const manager = (ping?: { intervalMs: number; timeoutMs: number }, policy?: () => RestartPolicy) => {
    const { manager: m, logs } = testManager(undefined, policy, { ping });
    stops.push(async () => { await m.stopAll(1000); m.dispose(); });
    return { m, logs };
  };

  it('pings a quiet connection and restarts a server that stopped answering', async () => {
    const { m, logs } = manager({ intervalMs: 200, timeoutMs: 300 });
    await m.reconcile([fixtureServer('frozen', 'echo', { env: { FIXTURE_FREEZE: '1' } })]);
    const first = m.connection('frozen')!.pid!;
    assert.deepEqual(resultTexts(await m.connection('frozen')!.client!.callTool({ name: 'freeze', arguments: {} })), ['freezing']);
    await waitFor(() => m.connection('frozen')?.pid !== first && m.state('frozen')?.kind === 'running', 10_000, 'a new process after the failed ping');
    assert.match(logs.get('frozen')!.lines.join('\n'), /the server stopped answering: no answer to a ping within 0\.3 s/);
    await waitFor(() => !isAlive(first), 5000, 'the frozen process to be killed');
    assert.deepEqual(resultTexts(await m.connection('frozen')!.client!.callTool({ name: 'echo', arguments: { text: 'back' } })), ['back']);
  });

  it('does not ping a server that keeps answering within the interval', async () => {
    const { m, logs } = manager({ intervalMs: 60_000, timeoutMs: 100 });
    await m.reconcile([fixtureServer('calm', 'echo')]);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(m.state('calm')?.kind, 'running');
    assert.doesNotMatch(logs.get('calm')!.lines.join('\n'), /ping/);
  });

  it('keeps trying a remote server that went away after running, and is back when it is', async () => {
    const first = await startHttpFixture('sse');
    const { port, url } = first;
    // The product's restart delays (from 500 ms): the test manager's 50 ms spend all five tries
    // in under a second, before a loaded machine has the fixture listening again.
    const { m, logs } = manager(undefined, () => new RestartPolicy());
    await m.reconcile([{ name: 'flaky', sourceKind: 'user', config: { type: 'sse', url, headers: {} } }]);
    assert.equal(m.state('flaky')?.kind, 'running');
    await first.stop();
    // Its restarts fail while nothing listens: retried under the crash policy, not an error to fix.
    await waitFor(() => logs.get('flaky')!.lines.some((l) => l.startsWith('error failed to start')), 10_000, 'a failed restart');
    assert.notEqual(m.state('flaky')?.kind, 'error', JSON.stringify(m.state('flaky')));
    const back = await startHttpFixture('sse', [], { port });
    stops.push(() => back.stop());
    await waitForState(m, 'flaky', 'running', 20_000);
    assert.deepEqual(resultTexts(await m.connection('flaky')!.client!.callTool({ name: 'echo', arguments: { text: 'back' } })), ['back']);
  });

  it('starts a new session at once when the server forgot ours (HTTP 404)', async () => {
    const fx = await startHttpFixture('http');
    stops.push(() => fx.stop());
    const { m, logs } = manager();
    const desired: DesiredServer = { name: 'web', sourceKind: 'user', config: { type: 'http', url: fx.url, headers: {} } };
    await m.reconcile([desired]);
    const client = m.connection('web')!.client!;
    const old = client.transport!.sessionId!;
    // The server ends the session behind our back (as a restarted server would have forgotten it).
    await fetch(fx.url, { method: 'DELETE', headers: { 'mcp-session-id': old } });
    await assert.rejects(client.callTool({ name: 'echo', arguments: { text: 'lost' } }), /ended the session/);
    await waitForState(m, 'web', 'running');
    await waitFor(() => m.connection('web')?.client?.transport?.sessionId && m.connection('web')!.client!.transport!.sessionId !== old, 10_000, 'a new session');
    assert.deepEqual(resultTexts(await m.connection('web')!.client!.callTool({ name: 'echo', arguments: { text: 'again' } })), ['again']);
    const lines = logs.get('web')!.lines.join('\n');
    assert.match(lines, /the server ended the session; starting a new one/);
    assert.doesNotMatch(lines, /unexpectedly/, 'not reported as a crash');
  });
});
