import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  descendantsOf, isAlive, killProcessTree, listDescendants, parseProcStat, parsePsTable, parseWindowsTable,
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
    assert.deepEqual(parseProcStat('42 (node) S 7 42 42 0 -1'), { pid: 42, ppid: 7, state: 'S' });
    assert.deepEqual(parseProcStat('43 (my (odd) name) Z 42 1 1'), { pid: 43, ppid: 42, state: 'Z' });
    assert.equal(parseProcStat(''), undefined);
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

  it('isAlive is true for us and false for a pid that cannot exist', () => {
    assert.equal(isAlive(process.pid), true);
    assert.equal(isAlive(2 ** 22 + 1), false);
  });
});
