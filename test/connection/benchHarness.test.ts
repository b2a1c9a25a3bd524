// The benchmark's harness, which `npm test` does not otherwise run: contenders in processes of
// their own (bench/isolated.ts) driven block by block against real server processes, and the
// figures bench/timeSplit.ts takes. Small blocks, no timing asserted: only that the figures are there.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { isolated, type BlockFigures, type ContenderSpec } from '../../bench/isolated';
import { processCpuNs, sseParsing } from '../../bench/timeSplit';

function assertFigures(f: BlockFigures, label: string): void {
  assert.ok(f.us > 0 && Number.isFinite(f.us), `${label}: wall ${f.us}`);
  assert.ok(f.cpuUs > 0 && Number.isFinite(f.cpuUs), `${label}: client CPU ${f.cpuUs}`);
  // The server's CPU comes from /proc, so only Linux has it; elsewhere it is NaN and shown as a dash.
  if (process.platform === 'linux') assert.ok(f.serverCpuUs > 0, `${label}: server CPU ${f.serverCpuUs}`);
  assert.equal(f.conns, 0, `${label}: the connection made at start is kept for the calls`);
}

describe('benchmark harness (isolated contenders, real servers)', function () {
  this.timeout(60_000);

  const specs: ContenderSpec[] = [
    { group: 'stdio', kind: 'floor', server: 0, pinned: false },
    { group: 'stdio', kind: 'switchboard', server: 0, pinned: false },
    { group: 'stdio', kind: 'sdk', server: 0, pinned: false },
    { group: 'http', kind: 'switchboard', server: 0, pinned: false },
  ];
  for (const spec of specs) {
    it(`runs ${spec.kind} over ${spec.group} in a process of its own`, async () => {
      const runner = isolated(spec);
      await runner.start();
      try {
        assertFigures(await runner.sequentialBlock(50), `${spec.kind}/${spec.group}`);
        assert.ok((await runner.concurrentBlock(64, 8)) > 0);
      } finally {
        await runner.stop();
      }
    });
  }

  it('reports a failing contender instead of hanging', async () => {
    // A server that does not exist: building the contender throws in the child, and start() says why.
    const runner = isolated({ group: 'stdio', kind: 'sdk', server: 99, pinned: false });
    await assert.rejects(runner.start(), /reading 'args'/);
    await runner.stop();
  });

  it('reads a process\'s CPU time from /proc, and nothing for one that is gone or where there is no /proc', async () => {
    if (process.platform !== 'linux') {
      assert.equal(processCpuNs(process.pid), undefined);
      return;
    }
    const before = processCpuNs(process.pid)!;
    const until = Date.now() + 30;
    while (Date.now() < until) { /* burn a little CPU */ }
    assert.ok(processCpuNs(process.pid)! > before);
    const child = spawn(process.execPath, ['-e', '']);
    await new Promise((r) => child.once('exit', r));
    assert.equal(processCpuNs(child.pid), undefined);
  });

  it('times the SDK\'s SSE pipeline and the callback parser on the same answer', async () => {
    const p = await sseParsing(1, 50);
    for (const f of [p.bodyUs, p.sdkPipelineUs, p.callbackUs]) assert.ok(f.median > 0 && Number.isFinite(f.median));
  });
});
