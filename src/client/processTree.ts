/**
 * Finding and signalling a server's whole process tree. `npx`, `uvx` and shell wrappers start the
 * real server as a grandchild that the SDK never sees, and servers start helpers of their own;
 * some of those double-fork and call setsid(), leaving both the tree and the process group.
 *
 * On POSIX each stdio server leads its own process group and carries a random marker in its
 * environment, which every process it starts inherits. At each step of a stop a fresh snapshot
 * is taken right before signalling: the server, its descendants, the members of its group and
 * every process with the marker. A pid is only signalled if its start time still matches the
 * snapshot's, so a pid reused by an unrelated process in between is never hit.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';

export interface PsRow {
  pid: number;
  ppid: number;
}

/** One process as a snapshot saw it; `start` tells it from a later process that got its pid. */
export interface ProcessRow extends PsRow {
  pgid: number;
  start: string;
  /** A zombie: dead, not yet reaped. */
  zombie?: boolean;
  /** Carries the tree's environment marker (Linux only). */
  marked?: boolean;
}

/** Parses `ps -A -o pid=,ppid=` output: two numbers per line, surrounding blanks ignored. */
export function parsePsTable(text: string): PsRow[] {
  return text.split(/\r?\n/).flatMap((line) => {
    const m = /^\s*(\d+)\s+(\d+)\s*$/.exec(line);
    return m ? [{ pid: Number(m[1]), ppid: Number(m[2]) }] : [];
  });
}

/** Parses `ps -A -o pid=,ppid=,pgid=,stat=,lstart=`: three numbers, the state, then the start date. */
export function parsePsProcessTable(text: string): ProcessRow[] {
  return text.split(/\r?\n/).flatMap((line) => {
    const m = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(\S.*?)\s*$/.exec(line);
    return m ? [{ pid: Number(m[1]), ppid: Number(m[2]), pgid: Number(m[3]), start: m[5], zombie: m[4].startsWith('Z') }] : [];
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
 * spaces and parentheses, so the fields are read after the last `)`: state, ppid, pgrp, and the
 * start time in clock ticks as the 20th.
 */
export function parseProcStat(text: string): (PsRow & { state: string; pgid?: number; start?: string }) | undefined {
  const close = text.lastIndexOf(')');
  const m = /^\s*(\d+)\s/.exec(text);
  if (!m || close < 0) return undefined;
  const fields = text.slice(close + 1).trim().split(/\s+/);
  const [state, ppid, pgid] = fields;
  if (!state || !/^\d+$/.test(ppid ?? '')) return undefined;
  const row: PsRow & { state: string; pgid?: number; start?: string } = { pid: Number(m[1]), ppid: Number(ppid), state };
  if (/^\d+$/.test(pgid ?? '')) row.pgid = Number(pgid);
  if (/^\d+$/.test(fields[19] ?? '')) row.start = fields[19];
  return row;
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

/**
 * Every process from /proc (Linux has it even without procps), with start times; `marker` is
 * looked for in each one's environment, which fails quietly for other users' processes.
 */
async function readProcTable(marker?: string): Promise<ProcessRow[]> {
  const pids = (await readdir('/proc')).filter((e) => /^\d+$/.test(e));
  const rows = await Promise.all(pids.map(async (pid) => {
    const stat = parseProcStat(await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => ''));
    if (!stat) return undefined;
    const row: ProcessRow = { pid: stat.pid, ppid: stat.ppid, pgid: stat.pgid ?? -1, start: stat.start ?? '', zombie: stat.state === 'Z' };
    if (marker) row.marked = (await readFile(`/proc/${pid}/environ`).catch(() => undefined))?.includes(marker) ?? false;
    return row;
  }));
  return rows.filter((r): r is ProcessRow => r !== undefined);
}

/** A snapshot of every process: /proc on Linux, `ps` on other POSIX systems. */
export async function readProcessSnapshot(platform: NodeJS.Platform = process.platform, marker?: string): Promise<ProcessRow[]> {
  if (platform === 'linux') return readProcTable(marker);
  return parsePsProcessTable(await run('ps', ['-A', '-o', 'pid=,ppid=,pgid=,stat=,lstart=']));
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
  return readProcessSnapshot(platform);
}

/** Every process below `pid` (not `pid` itself), parents before children. */
export async function listDescendants(pid: number, platform: NodeJS.Platform = process.platform): Promise<number[]> {
  return descendantsOf(await readProcessTable(platform), pid);
}

/** One stdio server's process tree: its leader and the marker its processes inherit. */
export interface TreeRoot {
  pid: number;
  /** The leader's start time as a snapshot reads it, when known (Linux). */
  start?: string;
  /** `NAME=value` in the environment of every process the server starts. */
  marker?: string;
}

/**
 * The processes of `root`'s tree in a snapshot, children before their parents: the leader while
 * it is the same process, the members of its process group, every process with its marker, and
 * all their descendants. Not zombies, never `self`.
 *
 * `leaderUnreaped`: we have not reaped the leader yet, so its pid (and group id) cannot have been
 * given to another process. Once reaped, the leader counts only if its start time matches, and a
 * group is only ours while no other process holds the leader's pid: a group id cannot be reused
 * while the group has members, so a new holder of that pid means our group emptied first.
 */
export function treeMembers(rows: readonly ProcessRow[], root: TreeRoot, leaderUnreaped: boolean, self = process.pid): ProcessRow[] {
  const byPid = new Map(rows.map((r) => [r.pid, r]));
  const leader = byPid.get(root.pid);
  const leaderOurs = !!leader && (leaderUnreaped || (root.start !== undefined && leader.start === root.start));
  const groupOurs = leaderOurs || !leader;
  const seeds = rows.filter((r) => (r === leader && leaderOurs) || (groupOurs && r.pgid === root.pid) || r.marked);
  const out = new Map<number, ProcessRow>();
  for (const seed of seeds) {
    for (const pid of descendantsOf(rows, seed.pid)) out.set(pid, byPid.get(pid)!);
    out.set(seed.pid, seed);
  }
  out.delete(self);
  return [...out.values()].filter((r) => !r.zombie);
}

/** The start time of `pid` now, from /proc; undefined when it is gone. */
export function procStartTime(pid: number): string | undefined {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.start;
  } catch {
    return undefined;
  }
}

/**
 * Signals each process whose start time, read again right before its signal (`startOf`), still
 * matches the snapshot's: a process that ended since and left its pid to another is skipped.
 * Without `startOf` (no cheap way to read it) the snapshot is trusted. Returns the pids signalled.
 */
export function signalVerified(rows: readonly ProcessRow[], signal: NodeJS.Signals, startOf?: (pid: number) => string | undefined): number[] {
  const signalled: number[] = [];
  for (const r of rows) {
    if (startOf && startOf(r.pid) !== r.start) continue;
    try {
      process.kill(r.pid, signal);
      signalled.push(r.pid);
    } catch { /* gone, or not ours to signal */ }
  }
  return signalled;
}

export interface SignalTreeOptions {
  platform?: NodeJS.Platform;
  /** See treeMembers. */
  leaderUnreaped: boolean;
}

/**
 * Takes a snapshot now and signals `root`'s tree in it: the group at once while the leader is
 * unreaped, then every member found. The snapshot comes first, since killing a parent re-parents
 * its children and hides them from the walk. Windows has neither groups nor signals; `taskkill
 * /T` force-kills the tree below the leader. Returns how many processes were signalled.
 */
export async function signalTree(root: TreeRoot, signal: NodeJS.Signals, o: SignalTreeOptions): Promise<number> {
  const platform = o.platform ?? process.platform;
  if (platform === 'win32') {
    if (!o.leaderUnreaped) return 0;
    await taskkillTree(root.pid);
    return 1;
  }
  const members = treeMembers(await readProcessSnapshot(platform, root.marker).catch(() => []), root, o.leaderUnreaped);
  let group = 0;
  if (o.leaderUnreaped) {
    try {
      process.kill(-root.pid, signal);
      group = 1;
    } catch { /* not a group leader, or the group is gone */ }
  }
  return group + signalVerified(members, signal, platform === 'linux' ? procStartTime : undefined).length;
}

/** Whether any process of `root`'s tree is left, by a fresh snapshot. */
export async function treeAlive(root: TreeRoot, leaderUnreaped: boolean, platform: NodeJS.Platform = process.platform): Promise<boolean> {
  if (platform === 'win32') return leaderUnreaped;
  const rows = await readProcessSnapshot(platform, root.marker).catch(() => []);
  return treeMembers(rows, root, leaderUnreaped).length > 0;
}

async function taskkillTree(pid: number): Promise<void> {
  try {
    await run('taskkill', ['/pid', String(pid), '/T', '/F']);
  } catch (e) {
    // taskkill exits with 128 when the process no longer exists.
    if ((e as { code?: unknown }).code !== 128) throw e;
  }
}

export interface KillTreeOptions {
  platform?: NodeJS.Platform;
  /** Signal for POSIX systems; default SIGKILL. Windows always force-kills the tree. */
  signal?: NodeJS.Signals;
}

/** Kills `pid`, its group if it leads one, and all its descendants; processes already gone are not an error. */
export async function killProcessTree(pid: number, opts: KillTreeOptions = {}): Promise<void> {
  await signalTree({ pid }, opts.signal ?? 'SIGKILL', { platform: opts.platform, leaderUnreaped: true });
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
