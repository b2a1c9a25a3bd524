import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  descendantsOf, isAlive, killProcessTree, listDescendants, parseProcStat, parsePsProcessTable, parsePsTable, parseWindowsTable,
  procStartTime, signalVerified, treeMembers, type ProcessRow,
} from '../../src/client/processTree';

async function waitUntil(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('processTree: parsing', () => {
  // ps on macOS right-aligns and pads; Linux procps does the same with different widths.
  const ps = '    1     0\n   10     1\n   11    10\n   12    11\n   13    10\n   99     1\n  PID  PPID\n\n';

  it('parses ps output and skips anything that is not two numbers', () => {
    assert.deepEqual(parsePsTable(ps).map((r) => r.pid), [1, 10, 11, 12, 13, 99]);
    assert.deepEqual(parsePsTable('12 1\r\n13 12\r\n'), [{ pid: 12, ppid: 1 }, { pid: 13, ppid: 12 }]);
  });

  it('finds every descendant, deepest first', () => {
    const rows = parsePsTable(ps);
    assert.deepEqual(descendantsOf(rows, 10), [12, 11, 13]);
    assert.deepEqual(descendantsOf(rows, 12), []);
    assert.deepEqual(descendantsOf(rows, 12345), []);
  });

  it('survives self-parented rows and cycles', () => {
    assert.deepEqual(descendantsOf([{ pid: 0, ppid: 0 }, { pid: 4, ppid: 0 }], 0), [4]);
    assert.deepEqual(descendantsOf([{ pid: 2, ppid: 3 }, { pid: 3, ppid: 2 }], 2), [3]);
  });

  it('parses the PowerShell pid,ppid lines', () => {
    assert.deepEqual(parseWindowsTable('4,0\r\n400,4\r\n"500","400"\r\n'), [{ pid: 4, ppid: 0 }, { pid: 400, ppid: 4 }, { pid: 500, ppid: 400 }]);
  });

  it('parses wmic CSV by its header, whatever the column order', () => {
    const wmic = '\r\n\r\nNode,ParentProcessId,ProcessId\r\nHOST,0,4\r\nHOST,4,400\r\nHOST,400,500\r\n';
    assert.deepEqual(parseWindowsTable(wmic), [{ pid: 4, ppid: 0 }, { pid: 400, ppid: 4 }, { pid: 500, ppid: 400 }]);
    const csv = '"ProcessId","ParentProcessId"\r\n"8","4"\r\n';
    assert.deepEqual(parseWindowsTable(csv), [{ pid: 8, ppid: 4 }]);
    assert.deepEqual(descendantsOf(parseWindowsTable(wmic), 4), [500, 400]);
  });

  it('parses /proc stat lines, including command names with spaces and parentheses', () => {
    assert.deepEqual(parseProcStat('42 (node) S 7 42 42 0 -1'), { pid: 42, ppid: 7, state: 'S', pgid: 42 });
    assert.deepEqual(parseProcStat('43 (my (odd) name) Z 42 1 1'), { pid: 43, ppid: 42, state: 'Z', pgid: 1 });
    const full = '5402 (bash) S 5388 5402 5388 34816 5402 4194304 1 2 3 4 5 6 7 8 20 0 1 0 987654 8192 100';
    assert.deepEqual(parseProcStat(full), { pid: 5402, ppid: 5388, state: 'S', pgid: 5402, start: '987654' });
    assert.equal(parseProcStat(''), undefined);
  });
});

describe('processTree: which processes are the tree', () => {
  const row = (pid: number, ppid: number, pgid: number, start = `t${pid}`, extra: Partial<ProcessRow> = {}): ProcessRow => ({ pid, ppid, pgid, start, ...extra });
  // 100 leads the group; 101 is its child; 102 stayed in the group after its parent exited (ppid 1);
  // 103 took a session of its own but carries the marker; 104 is its child; 900 is unrelated.
  const rows = [row(1, 0, 1), row(100, 50, 100), row(101, 100, 100), row(102, 1, 100), row(103, 1, 103, 't103', { marked: true }), row(104, 103, 103), row(900, 1, 900), row(50, 1, 50)];
  const pids = (r: ProcessRow[]) => r.map((x) => x.pid).sort((a, b) => a - b);

  it('takes the leader, its descendants, its group, marked processes and theirs; never the host', () => {
    assert.deepEqual(pids(treeMembers(rows, { pid: 100, start: 't100' }, true, 50)), [100, 101, 102, 103, 104]);
    assert.deepEqual(pids(treeMembers(rows, { pid: 100 }, true, 101)), [100, 102, 103, 104], 'self left out');
  });

  it('after the leader is reaped: the group while nobody holds its pid, never a new holder of the pid', () => {
    const gone = rows.filter((r) => r.pid !== 100);
    assert.deepEqual(pids(treeMembers(gone, { pid: 100, start: 't100' }, false)), [101, 102, 103, 104]);
    const reused = [...gone.map((r) => (r.pgid === 100 ? { ...r, pgid: 777 } : r)), row(100, 1, 100, 'later'), row(105, 100, 100, 't105')];
    assert.deepEqual(pids(treeMembers(reused, { pid: 100, start: 't100' }, false)), [103, 104], 'only the marked ones are still ours');
  });

  it('leaves out zombies', () => {
    assert.deepEqual(pids(treeMembers([row(100, 1, 100), row(101, 100, 100, 't101', { zombie: true })], { pid: 100 }, true)), [100]);
  });

  it('parses ps rows with group, state and start date', () => {
    const ps = '  100     1   100 Ss   Mon Dec  7 23:17:13 2026\n  101   100   100 Z    Mon Dec  7 23:17:14 2026\n';
    assert.deepEqual(parsePsProcessTable(ps), [
      { pid: 100, ppid: 1, pgid: 100, start: 'Mon Dec  7 23:17:13 2026', zombie: false },
      { pid: 101, ppid: 100, pgid: 100, start: 'Mon Dec  7 23:17:14 2026', zombie: true },
    ]);
  });
});

describe('processTree: real processes', function () {
  this.timeout(15_000);
  const started: number[] = [];
  afterEach(() => {
    for (const pid of started.splice(0)) {
      try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
    }
  });

  /** A `node -e` parent that starts a grandchild and prints its pid. */
  async function spawnTree(): Promise<{ parent: number; grandchild: number }> {
    const script = `
      const c = require('child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e6)'], { stdio: 'ignore' });
      console.log('grandchild=' + c.pid);
      setInterval(() => {}, 1e6);`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    started.push(child.pid!);
    const grandchild = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /grandchild=(\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.once('exit', () => reject(new Error('tree parent exited early')));
    });
    started.push(grandchild);
    return { parent: child.pid!, grandchild };
  }

  it('lists the grandchild as a descendant', async () => {
    const { parent, grandchild } = await spawnTree();
    assert.deepEqual(await listDescendants(parent), [grandchild]);
    assert.ok((await listDescendants(process.pid)).includes(grandchild));
  });

  it('kills the whole tree', async () => {
    const { parent, grandchild } = await spawnTree();
    assert.ok(isAlive(parent) && isAlive(grandchild));
    await killProcessTree(parent);
    await waitUntil(() => !isAlive(parent) && !isAlive(grandchild), 5000, 'tree to die');
  });

  it('does not fail for a process that is already gone', async () => {
    const { parent, grandchild } = await spawnTree();
    await killProcessTree(parent);
    await waitUntil(() => !isAlive(parent) && !isAlive(grandchild), 5000, 'tree to die');
    await killProcessTree(parent);
  });

  it('never signals a pid that another process took since the snapshot', async () => {
    // A process the snapshot never saw, holding a pid the snapshot listed for an earlier process.
    const bystander = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e6)'], { stdio: 'ignore' });
    started.push(bystander.pid!);
    // Where there is no /proc, the reader stands in for one: the bystander's real start is 'now'.
    const startOf = process.platform === 'linux' ? procStartTime : (pid: number) => (pid === bystander.pid ? 'now' : undefined);
    await waitUntil(() => startOf(bystander.pid!) !== undefined, 5000, 'bystander start time');
    const stale: ProcessRow = { pid: bystander.pid!, ppid: process.pid, pgid: bystander.pid!, start: `${startOf(bystander.pid!)}-earlier` };
    assert.deepEqual(signalVerified([stale], 'SIGKILL', startOf), []);
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(isAlive(bystander.pid!), 'the bystander was signalled');
    const fresh: ProcessRow = { ...stale, start: startOf(bystander.pid!)! };
    assert.deepEqual(signalVerified([fresh], 'SIGKILL', startOf), [bystander.pid]);
    await waitUntil(() => !isAlive(bystander.pid!), 5000, 'bystander killed once the snapshot matches');
  });

  it('isAlive is true for us and false for a pid that cannot exist', () => {
    assert.equal(isAlive(process.pid), true);
    assert.equal(isAlive(2 ** 22 + 1), false);
  });
});
