import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { canonicalJson } from '../../src/config/diff';
import { AuditLog, auditEntryFromCall, formatAuditLine, type AuditEntry } from '../../src/policy/audit';
import type { CallRecord } from '../../src/router/types';

const hashArguments = (args: unknown) => createHash('sha256').update(canonicalJson(args)).digest('hex');
const SECRET = 'sk-live-DO-NOT-LOG-4242';

function entry(i: number, extra: Partial<AuditEntry> = {}): AuditEntry {
  return {
    time: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(), server: 'fs', tool: 'write', name: 'fs_write',
    origin: 'chat', argsHash: hashArguments({ i }), decision: 'allow', decidedBy: 'policy', rule: 'rule-1',
    outcome: 'ok', durationMs: i, ...extra,
  };
}

describe('policy/audit', () => {
  let dir: string;
  beforeEach(async () => { dir = await fs.mkdtemp(path.join(os.tmpdir(), 'switchboard-audit-')); });
  afterEach(async () => { await fs.rm(dir, { recursive: true, force: true }); });

  it('writes one JSON line per call, creating the directory on first write', async () => {
    const file = path.join(dir, 'logs', 'deep', 'audit.jsonl');
    const log = new AuditLog({ file });
    await log.append(entry(1));
    await log.append(entry(2, { decision: 'deny', rule: undefined, outcome: 'denied' }));
    const lines = (await fs.readFile(file, 'utf8')).trimEnd().split('\n');
    assert.equal(lines.length, 2);
    assert.deepEqual(Object.keys(JSON.parse(lines[0])), [
      'time', 'server', 'tool', 'name', 'origin', 'argsHash', 'decision', 'decidedBy', 'rule', 'outcome', 'durationMs',
    ]);
    const { rule: _omitted, ...second } = entry(2, { decision: 'deny', outcome: 'denied' });
    assert.deepEqual(JSON.parse(lines[1]), second);
    assert.deepEqual(await log.readRecent(1), [JSON.parse(lines[1])]);
  });

  it('does not interleave concurrent appends', async () => {
    const file = path.join(dir, 'audit.jsonl');
    const log = new AuditLog({ file });
    // Long lines make torn writes likely if anything ran concurrently.
    const pad = 'x'.repeat(20_000);
    await Promise.all(Array.from({ length: 50 }, (_, i) => log.append(entry(i, { name: `n${i}_${pad}` }))));
    const lines = (await fs.readFile(file, 'utf8')).trimEnd().split('\n');
    assert.equal(lines.length, 50);
    assert.deepEqual(lines.map((l) => (JSON.parse(l) as AuditEntry).durationMs), Array.from({ length: 50 }, (_, i) => i));
  });

  it('writes a burst of entries in one append, and flush() writes at once', async () => {
    const file = path.join(dir, 'audit.jsonl');
    // A batch window longer than mocha's timeout: only flush() can make these resolve in time.
    const log = new AuditLog({ file, batchMs: 3_600_000 });
    const made: number[] = [];
    const written = Promise.all(Array.from({ length: 20 }, (_, i) => log.append(() => { made.push(i); return entry(i); })));
    assert.deepEqual(made, [], 'entries are made when written, not when queued');
    await log.flush();
    await written;
    assert.equal(made.length, 20);
    const lines = (await fs.readFile(file, 'utf8')).trimEnd().split('\n');
    assert.deepEqual(lines.map((l) => (JSON.parse(l) as AuditEntry).durationMs), Array.from({ length: 20 }, (_, i) => i));
  });

  it('a throwing entry is reported and the rest of its batch is written', async () => {
    const file = path.join(dir, 'audit.jsonl');
    const errors: unknown[] = [];
    const log = new AuditLog({ file, onError: (e) => errors.push(e) });
    void log.append(entry(1));
    void log.append(() => { throw new Error('bad record'); });
    await log.append(entry(2));
    assert.equal(errors.length, 1);
    assert.deepEqual((await log.readRecent(10)).map((e) => e.durationMs), [1, 2]);
  });

  it('rotates to .1 at the size cap and reads across both files', async () => {
    const file = path.join(dir, 'audit.jsonl');
    const lineBytes = Buffer.byteLength(formatAuditLine(entry(10)));
    const log = new AuditLog({ file, maxBytes: lineBytes * 3 });
    for (let i = 10; i < 17; i++) await log.append(entry(i));
    const count = async (f: string) => (await fs.readFile(f, 'utf8')).trimEnd().split('\n').length;
    assert.equal(await count(file), 1);
    assert.equal(await count(`${file}.1`), 3);
    assert.ok((await fs.stat(file)).size <= lineBytes * 3);
    assert.deepEqual((await log.readRecent(3)).map((e) => e.durationMs), [14, 15, 16]);
    assert.deepEqual((await log.readRecent(100)).map((e) => e.durationMs), [13, 14, 15, 16]);
  });

  it('never writes argument values, even when handed a record carrying them', async () => {
    const file = path.join(dir, 'audit.jsonl');
    const log = new AuditLog({ file });
    const args = { token: SECRET, path: '/home/me/.ssh/id_rsa' };
    const record: CallRecord & { args: unknown; result: unknown } = {
      time: new Date().toISOString(), name: 'fs_write', server: 'fs', tool: 'write', origin: 'gateway',
      argsHash: hashArguments(args), authorization: { allowed: true, by: 'user' }, outcome: 'ok', durationMs: 3,
      args, result: { content: [{ type: 'text', text: SECRET }] },
    };
    await log.append(auditEntryFromCall(record));
    await log.append({ ...auditEntryFromCall(record), ...{ args } } as AuditEntry);
    const text = await fs.readFile(file, 'utf8');
    assert.ok(!text.includes(SECRET) && !text.includes('id_rsa'), text);
    const [first] = await log.readRecent(1);
    assert.equal(first.argsHash, hashArguments(args));
    assert.equal(first.decision, 'ask');
    assert.equal(first.decidedBy, 'user');
  });

  it('maps router records to decisions', () => {
    const base: CallRecord = { time: 't', name: 'n', origin: 'cli', argsHash: 'h', outcome: 'ok', durationMs: 0 };
    const pick = (r: CallRecord) => { const e = auditEntryFromCall(r); return [e.decision, e.decidedBy, e.rule]; };
    assert.deepEqual(pick({ ...base, outcome: 'unknownTool' }), [undefined, undefined, undefined]);
    assert.deepEqual(pick({ ...base, authorization: { allowed: true, by: 'policy', rule: 'r1' } }), ['allow', 'policy', 'r1']);
    assert.deepEqual(pick({ ...base, authorization: { allowed: true, by: 'host' } }), ['allow', 'host', undefined]);
    assert.deepEqual(pick({ ...base, outcome: 'denied', authorization: { allowed: false, by: 'policy', reason: 'x' } }), ['deny', 'policy', undefined]);
    assert.deepEqual(pick({ ...base, outcome: 'denied', authorization: { allowed: false, by: 'user', reason: 'x' } }), ['ask', 'user', undefined]);
  });

  it('reports a failed write through the callback and keeps going', async () => {
    // A regular file where the directory should be makes every write fail.
    const blocker = path.join(dir, 'blocker');
    await fs.writeFile(blocker, '');
    const errors: unknown[] = [];
    const bad = new AuditLog({ file: path.join(blocker, 'audit.jsonl'), onError: (e) => errors.push(e) });
    await bad.append(entry(1));
    await bad.append(entry(2));
    assert.equal(errors.length, 2);
    const throwingReporter = new AuditLog({ file: path.join(blocker, 'x.jsonl'), onError: () => { throw new Error('reporter'); } });
    await throwingReporter.append(entry(3));
  });

  it('starts a fresh line after a torn one and skips the torn one when reading back', async () => {
    const file = path.join(dir, 'audit.jsonl');
    await fs.writeFile(file, formatAuditLine(entry(1)) + '{"time":"2026-');
    const log = new AuditLog({ file });
    await log.append(entry(2));
    assert.deepEqual((await new AuditLog({ file }).readRecent(10)).map((e) => e.durationMs), [1, 2]);
  });

  it('formats a line as JSON.stringify would, one line whatever a server names its tool', () => {
    const hostile = 'a"b\\c\n{"x":1}\u2028é';
    const cases: AuditEntry[] = [
      entry(1),
      entry(2, { server: undefined, tool: undefined, decision: undefined, decidedBy: undefined, rule: undefined, outcome: 'unknownTool' }),
      entry(3, { server: hostile, tool: hostile, name: hostile, rule: hostile }),
    ];
    for (const e of cases) {
      const line = formatAuditLine(e);
      assert.ok(line.endsWith('}\n') && !line.slice(0, -1).includes('\n'), line);
      const ordered = Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined));
      assert.deepEqual(JSON.parse(line), ordered);
      assert.equal(line, JSON.stringify(JSON.parse(line)) + '\n');
    }
  });

  it('keeps writing to the file at its path when another process rotates it or appends a torn line', async () => {
    const file = path.join(dir, 'audit.jsonl');
    const log = new AuditLog({ file, checkOthersMs: 0 });
    await log.append(entry(1));
    // The CLI rotated the log while the editor held it open.
    await fs.rename(file, `${file}.1`);
    await log.append(entry(2));
    assert.deepEqual(await durations(file), [2]);
    assert.deepEqual(await durations(`${file}.1`), [1]);
    // Another writer appended a line and died half-way through the next one.
    await fs.appendFile(file, formatAuditLine(entry(3)) + '{"time":"2026-');
    await log.append(entry(4));
    assert.deepEqual(await durations(file), [2, 3, 4]);
    await log.close();
    await log.append(entry(5));
    await log.close();
    assert.deepEqual(await durations(file), [2, 3, 4, 5]);
  });
});

/** The durations of the whole lines of a file (torn ones skipped): which entries it holds. */
async function durations(file: string): Promise<number[]> {
  return (await fs.readFile(file, 'utf8')).split('\n').flatMap((l) => {
    try { return [(JSON.parse(l) as AuditEntry).durationMs]; } catch { return []; }
  });
}
