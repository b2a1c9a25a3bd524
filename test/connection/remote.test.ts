import assert from 'node:assert/strict';
import type { DesiredServer } from '../../src/client/manager';
import { startHttpFixture } from '../fixtures/spawn';
import { testManager } from './helpers';

const remote = (name: string, type: 'http' | 'sse', url: string, headers: Record<string, string> = {}): DesiredServer =>
  ({ name, sourceKind: 'user', config: { type, url, headers, startupTimeoutMs: 10_000 } });

describe('remote connections (real HTTP fixtures on 127.0.0.1)', function () {
  this.timeout(30_000);
  const stops: (() => Promise<void> | void)[] = [];
  afterEach(async () => { for (const s of stops.splice(0).reverse()) await s(); });
  const manager = () => { const { manager: m } = testManager(); stops.push(async () => { await m.stopAll(500); m.dispose(); }); return m; };

  it('connects over Streamable HTTP', async () => {
    const fx = await startHttpFixture('http');
    stops.push(() => fx.stop());
    const m = manager();
    await m.reconcile([remote('web', 'http', fx.url)]);
    assert.equal(m.state('web')?.kind, 'running', JSON.stringify(m.state('web')));
    assert.equal(m.connection('web')!.transportKind, 'http');
    const r = await m.connection('web')!.client!.callTool({ name: 'echo', arguments: { text: 'over http' } });
    assert.equal((r.content as { text: string }[])[0].text, 'over http');
  });

  it('falls back to legacy SSE when the server answers the first POST with 4xx', async () => {
    const fx = await startHttpFixture('sse');
    stops.push(() => fx.stop());
    const m = manager();
    await m.reconcile([remote('legacy', 'http', fx.url)]);
    assert.equal(m.state('legacy')?.kind, 'running', JSON.stringify(m.state('legacy')));
    assert.equal(m.connection('legacy')!.transportKind, 'sse');
    const r = await m.connection('legacy')!.client!.callTool({ name: 'echo', arguments: { text: 'over sse' } });
    assert.equal((r.content as { text: string }[])[0].text, 'over sse');
  });

  it('uses SSE directly for type "sse"', async () => {
    const fx = await startHttpFixture('sse');
    stops.push(() => fx.stop());
    const m = manager();
    await m.reconcile([remote('legacy2', 'sse', fx.url)]);
    assert.equal(m.connection('legacy2')!.transportKind, 'sse');
  });

  it('names a 401 clearly instead of falling back', async () => {
    const fx = await startHttpFixture('http', ['--require-auth']);
    stops.push(() => fx.stop());
    const m = manager();
    await m.reconcile([remote('locked', 'http', fx.url)]);
    const s = m.state('locked')!;
    assert.equal(s.kind, 'error');
    assert.match((s as { message: string }).message, /requires authorization \(HTTP 401\)/);
  });

  it('sends configured headers (an Authorization header gets through a 401-guarded server)', async () => {
    const fx = await startHttpFixture('http', ['--require-auth']);
    stops.push(() => fx.stop());
    const m = manager();
    await m.reconcile([remote('keyed', 'http', fx.url, { Authorization: 'Bearer test-token' })]);
    assert.equal(m.state('keyed')?.kind, 'running', JSON.stringify(m.state('keyed')));
  });

  it('reports an unreachable server as an error', async () => {
    const m = manager();
    await m.reconcile([remote('nowhere', 'http', 'http://127.0.0.1:9/mcp')]);
    assert.equal(m.state('nowhere')?.kind, 'error');
  });
});
