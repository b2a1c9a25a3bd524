// The router against real fixture server processes: resolution, the schema guard in front of the
// server (the fixture's own stderr proves what reached it), authorization, progress, cancellation,
// and calls to different servers running side by side.
import assert from 'node:assert/strict';
import { managerBackend } from '../../src/router/backend';
import { ToolRouter } from '../../src/router/router';
import type { ModelPart } from '../../src/router/results';
import type { Authorizer, CallRecord, PendingToolCall } from '../../src/router/types';
import { assertProgressSteps, fixtureServer, testManager, waitFor } from './helpers';

describe('router (real fixture processes)', function () {
  this.timeout(30_000);
  const { manager, logs } = testManager();
  const records: CallRecord[] = [];
  let authorize: Authorizer | undefined;
  const router = new ToolRouter(managerBackend(manager), { authorize: (c, s) => (authorize ? authorize(c, s) : Promise.resolve({ allowed: true, by: 'policy' })) });
  router.onDidCall((r) => records.push(r));
  const calls = (server: string, tool: string) => logs.get(server)!.stderrLines.filter((l) => l.includes(` call ${tool} `));

  before(async () => {
    await manager.reconcile([
      fixtureServer('alpha', 'echo', { env: { FIXTURE_MEDIA: '1' } }), fixtureServer('beta', 'echo'),
      fixtureServer('gamma', 'echo', { requestTimeoutMs: 300 }), fixtureServer('dies', 'exit-at-start'),
    ]);
    assert.equal(manager.state('alpha')?.kind, 'running');
    assert.equal(manager.state('beta')?.kind, 'running');
    assert.equal(manager.state('dies')?.kind, 'error');
  });
  after(async () => { router.dispose(); await manager.stopAll(500); manager.dispose(); });
  beforeEach(() => { authorize = undefined; records.length = 0; });

  it('sends a namespaced call to its server and converts the result', async () => {
    const out = await router.call('beta_echo', { text: 'to beta' }, { origin: 'cli' });
    assert.equal(out.kind, 'ok');
    assert.deepEqual((out as { model: { parts: unknown[] } }).model.parts, [{ kind: 'text', text: 'to beta' }]);
    await waitFor(() => calls('beta', 'echo').some((l) => l.includes('"to beta"')), 5000, 'the call in beta\'s log');
    assert.ok(!calls('alpha', 'echo').some((l) => l.includes('"to beta"')), 'alpha never saw it');
    assert.equal(records.length, 1);
    assert.equal(records[0].server, 'beta');
    assert.equal(records[0].outcome, 'ok');
    assert.match(records[0].argsHash, /^[0-9a-f]{64}$/);
    assert.ok(!JSON.stringify(records[0]).includes('to beta'), 'the record holds no argument values');
  });

  it('answers an unknown tool at once, with near names', async () => {
    const out = await router.call('alpha_ecoh', {}, { origin: 'cli' });
    assert.equal(out.kind, 'unknownTool');
    assert.match((out as { message: string }).message, /No tool named "alpha_ecoh".*alpha_echo/);
  });

  it('rejects invalid arguments naming the field, and the server never sees them', async () => {
    const before = calls('alpha', 'add').length;
    const out = await router.call('alpha_add', { a: 1, b: 'two' }, { origin: 'chat' });
    assert.equal(out.kind, 'invalidArguments');
    assert.match((out as { message: string }).message, /argument "b" must be number/);
    const missing = await router.call('alpha_add', { a: 1 }, { origin: 'chat' });
    assert.match((missing as { message: string }).message, /missing required argument "b"/);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(calls('alpha', 'add').length, before);
    assert.deepEqual(records.map((r) => r.outcome), ['invalidArguments', 'invalidArguments']);
  });

  it('checks structured content against the output schema', async () => {
    const out = await router.call('alpha_add', { a: 2, b: 3 }, { origin: 'cli' });
    assert.equal(out.kind, 'ok');
    assert.deepEqual((out as { result: { structuredContent?: unknown } }).result.structuredContent, { sum: 5 });
  });

  it('passes tool errors through as errors', async () => {
    const out = await router.call('alpha_fail', { message: 'bad day' }, { origin: 'cli' });
    assert.equal(out.kind, 'toolError');
    assert.equal((out as { model: { isError: boolean } }).model.isError, true);
  });

  it('a denied call never reaches the server', async () => {
    authorize = async () => ({ allowed: false, by: 'user', reason: 'the user declined' });
    const out = await router.call('alpha_echo', { text: 'secret-denied' }, { origin: 'chat' });
    assert.equal(out.kind, 'denied');
    assert.match((out as { message: string }).message, /the user declined/);
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(!calls('alpha', 'echo').some((l) => l.includes('secret-denied')));
    assert.deepEqual(records[0].authorization, { allowed: false, by: 'user', reason: 'the user declined' });
  });

  it('converts every content kind a real server sends', async () => {
    const out = await router.call('alpha_media', {}, { origin: 'manual' });
    assert.equal(out.kind, 'ok');
    const parts = (out as { model: { parts: ModelPart[] } }).model.parts;
    assert.deepEqual(parts.map((p) => (p.kind === 'text' ? p.text : `${p.mimeType}:${Buffer.from(p.data).toString()}`)), [
      'media follows',
      'image/png:fixture-png',
      'audio/wav:fixture-wav',
      'Resource fixture://hello (text/plain):\nHello from the fixture',
      '[binary resource fixture://blob (application/octet-stream), 4 bytes]',
      'Resource link: fixture://item/7 "item 7" (text/plain)',
    ]);
  });

  it('asks the authorization hook with the whole pending call and records its answer', async () => {
    const asked: PendingToolCall[] = [];
    authorize = async (c) => { asked.push(c); return { allowed: true, by: 'user', rule: 'once' }; };
    assert.equal((await router.call('alpha_echo', { text: 'allowed' }, { origin: 'gateway' })).kind, 'ok');
    assert.equal(asked.length, 1);
    assert.deepEqual({ ...asked[0], tool: asked[0].tool.name }, { name: 'alpha_echo', server: 'alpha', tool: 'echo', args: { text: 'allowed' }, origin: 'gateway' });
    assert.deepEqual(records[0].authorization, { allowed: true, by: 'user', rule: 'once' });
    assert.equal(records[0].origin, 'gateway');
  });

  it('a cancellation while the hook is still asking ends the call at once, unsent', async () => {
    authorize = () => new Promise(() => undefined); // a prompt nobody answers
    const ac = new AbortController();
    const pending = router.call('alpha_echo', { text: 'never-asked-out' }, { origin: 'chat', signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    assert.equal((await pending).kind, 'cancelled');
    const pre = new AbortController();
    pre.abort();
    assert.equal((await router.call('alpha_echo', { text: 'never-asked-out' }, { origin: 'chat', signal: pre.signal })).kind, 'cancelled');
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(!calls('alpha', 'echo').some((l) => l.includes('never-asked-out')));
  });

  it('a call that outlives the server\'s request timeout fails with a clear message', async () => {
    const t0 = Date.now();
    const out = await router.call('gamma_slow', { ms: 5000 }, { origin: 'cli' });
    assert.equal(out.kind, 'failed');
    assert.match((out as { message: string }).message, /gamma_slow timed out/);
    assert.ok(Date.now() - t0 < 2000);
  });

  it('a tool of a server in error names the server and its error', async () => {
    const t0 = Date.now();
    const out = await router.call('dies_echo', { text: 'x' }, { origin: 'chat' });
    assert.equal(out.kind, 'serverNotRunning');
    assert.match((out as { message: string }).message, /MCP server "dies" is not running \(error: .*exit/i);
    assert.ok(Date.now() - t0 < 100);
  });

  it('passes progress notifications to the caller', async () => {
    const seen: number[] = [];
    const out = await router.call('alpha_progress', { steps: 3 }, { origin: 'chat', onProgress: (p) => seen.push(p.progress) });
    assert.equal(out.kind, 'ok');
    assertProgressSteps(seen, 3);
  });

  it('cancels a call: the server is told and the caller returns promptly', async () => {
    const ac = new AbortController();
    const t0 = Date.now();
    const pending = router.call('alpha_slow', { ms: 20_000 }, { origin: 'chat', signal: ac.signal });
    await waitFor(() => calls('alpha', 'slow').length > 0, 5000, 'the slow call to start');
    ac.abort();
    const out = await pending;
    assert.equal(out.kind, 'cancelled');
    assert.ok(Date.now() - t0 < 5000);
    await waitFor(() => logs.get('alpha')!.stderrLines.some((l) => l.includes('cancelled slow')), 5000, 'the server to hear the cancellation');
  });

  it('one slow server does not hold up calls to another', async () => {
    const slow = router.call('alpha_slow', { ms: 1500 }, { origin: 'chat' });
    const t0 = Date.now();
    const quick = await Promise.all([1, 2, 3].map((i) => router.call('beta_echo', { text: `q${i}` }, { origin: 'chat' })));
    const ms = Date.now() - t0;
    assert.ok(quick.every((o) => o.kind === 'ok'));
    assert.ok(ms < 1000, `beta answered in ${ms} ms while alpha was busy`);
    assert.equal((await slow).kind, 'ok');
  });

  it('a stopped server gives a clear error at once, and the index follows', async () => {
    await manager.stop('beta');
    const t0 = Date.now();
    const out = await router.call('beta_echo', { text: 'x' }, { origin: 'cli' });
    assert.equal(out.kind, 'serverNotRunning');
    assert.match((out as { message: string }).message, /MCP server "beta" is not running/);
    assert.ok(Date.now() - t0 < 100);
    await manager.start('beta');
    assert.equal((await router.call('beta_echo', { text: 'back' }, { origin: 'cli' })).kind, 'ok');
  });
});
