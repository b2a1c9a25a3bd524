/**
 * Finding and killing a server's whole process tree. `npx`, `uvx` and shell wrappers start the
 * real server as a grandchild that the SDK never sees, so killing only the direct child leaves
 * it running; we snapshot the descendants first (once a parent dies its children are re-parented
 * and can no longer be found) and kill them deepest-first.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';

export interface PsRow {
  pid: number;
  ppid: number;
}

/** Parses `ps -A -o pid=,ppid=` output: two numbers per line, surrounding blanks ignored. */
export function parsePsTable(text: string): PsRow[] {
  return text.split(/\r?\n/).flatMap((line) => {
    const m = /^\s*(\d+)\s+(\d+)\s*$/.exec(line);
    return m ? [{ pid: Number(m[1]), ppid: Number(m[2]) }] : [];
  });
}

/**
 * Parses Windows process tables. Our PowerShell command prints bare `pid,ppid` lines; the wmic
 * fallback (`/format:csv`) prints a header and orders the columns `Node,ParentProcessId,
 * ProcessId`, so when a header is present its names decide which column is which.
 */
export function parseWindowsTable(text: string): PsRow[] {
  const cells = (line: string) => line.split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines.map(cells).find((c) => c.includes('ProcessId') && c.includes('ParentProcessId'));
  const pidCol = header ? header.indexOf('ProcessId') : 0;
  const ppidCol = header ? header.indexOf('ParentProcessId') : 1;
  return lines.flatMap((line) => {
    const c = cells(line);
    if (!header && c.length !== 2) return [];
    const [pid, ppid] = [c[pidCol], c[ppidCol]];
    return /^\d+$/.test(pid ?? '') && /^\d+$/.test(ppid ?? '') ? [{ pid: Number(pid), ppid: Number(ppid) }] : [];
  });
}

/**
 * Parses one `/proc/<pid>/stat` line. The command name is in parentheses and may itself contain
 * spaces and parentheses, so the fields are read after the last `)`.
 */
export function parseProcStat(text: string): (PsRow & { state: string }) | undefined {
  const close = text.lastIndexOf(')');
  const m = /^\s*(\d+)\s/.exec(text);
  if (!m || close < 0) return undefined;
  const [state, ppid] = text.slice(close + 1).trim().split(/\s+/);
  if (!state || !/^\d+$/.test(ppid ?? '')) return undefined;
  return { pid: Number(m[1]), ppid: Number(ppid), state };
}

/**
 * Every descendant of `pid` (not `pid` itself), deepest first: each process comes after all of
 * its own descendants, so killing in this order never leaves a live child without its parent.
 */
export function descendantsOf(rows: readonly PsRow[], pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const r of rows) {
    if (r.pid === r.ppid) continue; // Windows' System Idle Process is its own parent.
    const list = children.get(r.ppid);
    if (list) list.push(r.pid);
    else children.set(r.ppid, [r.pid]);
  }
  const out: number[] = [];
  const seen = new Set<number>([pid]);
  const visit = (p: number) => {
    for (const c of children.get(p) ?? []) {
      if (seen.has(c)) continue; // A pid reused while the table was read could form a cycle.
      seen.add(c);
      visit(c);
      out.push(c);
    }
  };
  visit(pid);
  return out;
}

function run(command: string, args: string[], timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: timeoutMs, windowsHide: true, maxBuffer: 16 * 1024 * 1024 }, (err, stdout) => {
      if (err) reject(err);
      else resolve(stdout);
    });
  });
}

/** Linux without procps (slim containers) has no `ps`; /proc has the same information. */
async function readProcTable(): Promise<PsRow[]> {
  const rows: PsRow[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const row = parseProcStat(await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => ''));
    if (row) rows.push(row);
  }
  return rows;
}

async function readProcessTable(platform: NodeJS.Platform): Promise<PsRow[]> {
  if (platform === 'win32') {
    const ps = 'Get-CimInstance Win32_Process | ForEach-Object { "$($_.ProcessId),$($_.ParentProcessId)" }';
    try {
      return parseWindowsTable(await run('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', ps], 15000));
    } catch {
      // PowerShell can be blocked by policy; wmic is deprecated but still present on older Windows.
      return parseWindowsTable(await run('wmic', ['process', 'get', 'ProcessId,ParentProcessId', '/format:csv']));
    }
  }
  try {
    return parsePsTable(await run('ps', ['-A', '-o', 'pid=,ppid=']));
  } catch (e) {
    if (platform === 'linux') return readProcTable();
    throw e;
  }
}

/** Every process below `pid` (not `pid` itself), parents before children. */
export async function listDescendants(pid: number, platform: NodeJS.Platform = process.platform): Promise<number[]> {
  return descendantsOf(await readProcessTable(platform), pid);
}

export interface KillTreeOptions {
  platform?: NodeJS.Platform;
  /** Signal for POSIX systems; default SIGKILL. Windows always force-kills the tree. */
  signal?: NodeJS.Signals;
}

/** Kills `pid` and all its descendants; processes that are already gone are not an error. */
export async function killProcessTree(pid: number, opts: KillTreeOptions = {}): Promise<void> {
  const platform = opts.platform ?? process.platform;
  if (platform === 'win32') {
    try {
      await run('taskkill', ['/pid', String(pid), '/T', '/F']);
    } catch (e) {
      // taskkill exits with 128 when the process no longer exists.
      if ((e as { code?: unknown }).code !== 128) throw e;
    }
    return;
  }
  const tree = await listDescendants(pid, platform).catch(() => [] as number[]);
  let firstError: unknown;
  for (const p of [...tree, pid]) {
    try {
      process.kill(p, opts.signal ?? 'SIGKILL');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ESRCH') firstError ??= e;
    }
  }
  if (firstError) throw firstError;
}

/**
 * Whether `pid` still runs. EPERM means it exists but belongs to someone else. On Linux a zombie
 * (killed, not yet reaped — common for orphans in containers whose init does not reap) counts
 * as dead, since it holds no resources and will never answer.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (process.platform === 'linux') {
    try {
      return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.state !== 'Z';
    } catch {
      return false; // Vanished between the two checks.
    }
  }
  return true;
}
