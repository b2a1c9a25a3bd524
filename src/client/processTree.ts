/**
 * Process-tree cleanup. `npx`, shell wrappers and servers that fork leave grandchildren the SDK's
 * stdio transport does not know about; stopping a server must end all of them.
 */
import { execFile } from 'node:child_process';

export interface PsRow { pid: number; ppid: number }

/** Parses `ps -A -o pid=,ppid=` output. */
export function parsePsTable(text: string): PsRow[] {
  return text.split('\n').flatMap((line) => {
    const m = /^\s*(\d+)\s+(\d+)\s*$/.exec(line);
    return m ? [{ pid: Number(m[1]), ppid: Number(m[2]) }] : [];
  });
}

/** Parses `ProcessId,ParentProcessId` CSV rows as printed by PowerShell's Get-CimInstance. */
export function parseWindowsTable(text: string): PsRow[] {
  return text.split(/\r?\n/).flatMap((line) => {
    const m = /^\s*"?(\d+)"?\s*,\s*"?(\d+)"?\s*$/.exec(line);
    return m ? [{ pid: Number(m[1]), ppid: Number(m[2]) }] : [];
  });
}

/** Every descendant of `pid`, deepest first (so killing in order never orphans a live child). */
export function descendantsOf(rows: readonly PsRow[], pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const r of rows) {
    if (r.pid === r.ppid) continue;
    const list = children.get(r.ppid);
    if (list) list.push(r.pid); else children.set(r.ppid, [r.pid]);
  }
  const out: number[] = [];
  const seen = new Set<number>([pid]);
  const visit = (p: number) => {
    for (const c of children.get(p) ?? []) {
      if (seen.has(c)) continue;
      seen.add(c);
      visit(c);
      out.push(c);
    }
  };
  visit(pid);
  return out;
}

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: 5000, windowsHide: true, maxBuffer: 16 * 1024 * 1024 }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
  });
}

export async function listDescendants(pid: number, platform: NodeJS.Platform = process.platform): Promise<number[]> {
  if (platform === 'win32') {
    const out = await run('powershell.exe', ['-NoProfile', '-Command',
      'Get-CimInstance Win32_Process | ForEach-Object { "$($_.ProcessId),$($_.ParentProcessId)" }']);
    return descendantsOf(parseWindowsTable(out), pid);
  }
  return descendantsOf(parsePsTable(await run('ps', ['-A', '-o', 'pid=,ppid='])), pid);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but is not ours — treat as alive, and never try to kill it.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Kills `pid` and everything below it: taskkill /T on Windows, SIGKILL deepest-first elsewhere. */
export async function killProcessTree(pid: number, opts: { platform?: NodeJS.Platform } = {}): Promise<void> {
  const platform = opts.platform ?? process.platform;
  if (platform === 'win32') {
    await run('taskkill', ['/pid', String(pid), '/T', '/F']).catch(() => undefined);
    return;
  }
  const tree = await listDescendants(pid, platform).catch(() => [] as number[]);
  for (const p of [...tree, pid]) {
    try { process.kill(p, 'SIGKILL'); } catch { /* already gone (ESRCH) */ }
  }
}
