/**
 * Servers that leave helpers behind when stopped: one double-forks (the helper is re-parented
 * away from the server but stays in its process group), one also calls setsid() (the helper
 * leaves the group too). Stop must end every process of the tree, and only those: a process the
 * test started beside the servers is never signalled.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { listDescendants, parseProcStat } from '../../src/client/processTree';
import { fixtureServer, isAlive, resultTexts, testManager, waitFor } from '../connection/helpers';
import { hostilePath, survived, watchHost } from './harness';

const statOf = (pid: number) => parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'))!;

describe('adversarial: helpers that outlive their server', function () {
  this.timeout(60_000);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-forking-'));
  const { manager } = testManager();
  let bystander: ChildProcess;
  const helpers: number[] = [];

  before(async () => {
    // Started by the test, not by any server: nothing may signal it.
    bystander = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e6)'], { stdio: 'ignore' });
    await manager.reconcile([fixtureServer('steady', 'echo')]);
  });

  after(async () => {
    await manager.stopAll(500);
    manager.dispose();
    for (const pid of [...helpers, bystander.pid!]) {
      try { process.kill(pid, 'SIGKILL'); } catch { /* gone, as it should be */ }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  async function attack(mode: 'double-fork' | 'setsid', attackName: string, escapes: (helper: number, server: number) => void) {
    const pidFile = path.join(dir, `${mode}.pid`);
    const hostile = { ...fixtureServer(mode, 'echo'), config: { type: 'stdio' as const, command: process.execPath, args: [hostilePath('forking'), mode, pidFile], env: {} } };
    await manager.reconcile([fixtureServer('steady', 'echo'), hostile]);
    assert.equal(manager.state(mode)?.kind, 'running', JSON.stringify(manager.state(mode)));
    const server = manager.connection(mode)!.pid!;
    const helper = await waitFor(() => { try { return Number(readFileSync(pidFile, 'utf8')) || undefined; } catch { return undefined; } }, 10_000, 'the helper pid');
    helpers.push(helper);
    assert.ok(isAlive(helper));
    // The attack is real: no walk from the server's pid reaches the helper.
    assert.ok(!(await listDescendants(server)).includes(helper), 'the helper was re-parented');
    escapes(helper, server);

    const w = watchHost();
    const stopped = Date.now();
    await manager.stop(mode);
    const figures = w.stop();
    await waitFor(() => !isAlive(helper) && !isAlive(server), 5000, 'the server and its helper to be gone');
    const took = Date.now() - stopped;
    assert.ok(isAlive(bystander.pid!), 'the bystander process was signalled');
    assert.deepEqual(resultTexts(await manager.connection('steady')!.client!.callTool({ name: 'echo', arguments: { text: 'still here' } })), ['still here']);
    survived({
      attack: attackName,
      outcome: `stop ended the server and its helper (re-parented, ignoring SIGTERM) in ${took} ms; the other server kept answering, a bystander process was not signalled`,
      figures, bounds: { rssGrowthMb: 40 },
    });
  }

  it('double-forked helper survives stop', async () => {
    await attack('double-fork', 'double-forked helper survives stop', (helper, server) => {
      assert.equal(statOf(helper).pgid, server, 'the helper stays in the server\'s process group');
    });
  });

  it('setsid helper', async () => {
    await attack('setsid', 'setsid helper', (helper, server) => {
      assert.notEqual(statOf(helper).pgid, server, 'the helper left the server\'s process group');
      assert.equal(statOf(helper).pgid, helper, 'the helper leads a session of its own');
    });
  });
});
