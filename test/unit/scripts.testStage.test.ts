// The test driver cannot pass by accident: scripts/test-stage.cjs (what scripts/test.mjs runs for
// each mocha stage) on a folder of real mocha files fails a stray `.only`, a skipped test (static or
// at run time), a folder without tests and a test file without tests, and passes a good one.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// The exclusive and skipping calls the fixtures need, spelled so that no scan of this repository
// mistakes them for a stray `.only` or skip in our own tests: they are written to temp folders.
const IT_ONLY = ['it', 'only'].join('.');
const IT_SKIP = ['it', 'skip'].join('.');
const DESCRIBE_SKIP = ['describe', 'skip'].join('.');

interface Counts { passed: number; failed: number; skipped?: number }
interface StageResult { ok: boolean; counts: Counts | null; note?: string }
const stage = require('../../../scripts/test-stage.cjs') as {
  runMocha(dir: string, opts: { summary: string }): Promise<StageResult>;
  judge(r: { code: number; counts: Counts | null; output?: string }): { ok: boolean; note?: string };
};

describe('scripts: test stage', function () {
  this.timeout(30000);
  let root: string;
  before(() => { root = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-stage-')); });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  /** A folder holding `files` (name → source), run as a stage. */
  async function run(name: string, files: Record<string, string>): Promise<StageResult> {
    const dir = path.join(root, name);
    fs.mkdirSync(dir, { recursive: true });
    for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), text);
    return stage.runMocha(dir, { summary: path.join(root, `${name}.json`) });
  }
  const passing = "it('passes', () => {});\n";

  it('passes a folder whose tests all pass', async () => {
    const r = await run('good', { 'a.test.js': passing, 'b.test.js': passing });
    assert.deepEqual({ ok: r.ok, passed: r.counts?.passed, failed: r.counts?.failed, skipped: r.counts?.skipped }, { ok: true, passed: 2, failed: 0, skipped: 0 });
  });

  it('fails a stray .only, naming it', async () => {
    const r = await run('only', { 'a.test.js': passing, 'b.test.js': `${IT_ONLY}('is the only one', () => {});\n` });
    assert.equal(r.ok, false);
    assert.match(r.note ?? '', /\.only.*forbidden/);
  });

  for (const [kind, source] of [
    ['it.skip', `it('runs', () => {});\n${IT_SKIP}('is skipped', () => {});\n`],
    ['a test without a body', "it('runs', () => {});\nit('is pending');\n"],
    ['this.skip() at run time', "it('runs', () => {});\nit('skips itself', function () { this.skip(); });\n"],
    ['this.skip() in a before hook', "describe('s', () => { before(function () { this.skip(); }); it('a', () => {}); });\nit('runs', () => {});\n"],
  ]) {
    it(`fails a skipped test (${kind}) and counts it as skipped`, async () => {
      const r = await run(kind.replace(/\W+/g, '-'), { 'a.test.js': source });
      assert.equal(r.ok, false);
      assert.equal(r.counts?.failed, 0, 'a skipped test is counted as skipped, not as failed');
      assert.ok((r.counts?.skipped ?? 0) >= 1, `skipped count ${r.counts?.skipped}`);
      assert.match(r.note ?? '', /skipped/);
    });
  }

  it('fails describe.skip, which mocha refuses while loading', async () => {
    const r = await run('describe-skip', { 'a.test.js': `${passing}${DESCRIBE_SKIP}('later', () => { it('a', () => {}); });\n` });
    assert.equal(r.ok, false);
    assert.match(r.note ?? '', /Pending test forbidden/);
  });

  it('fails a folder with no test files', async () => {
    const r = await run('empty', { 'helpers.js': 'module.exports = {};\n' });
    assert.equal(r.ok, false);
    assert.match(r.note ?? '', /no test files/);
  });

  it('fails test files that define no test', async () => {
    const r = await run('no-tests', { 'a.test.js': "describe('nothing yet', () => {});\n" });
    assert.equal(r.ok, false);
    assert.match(r.note ?? '', /no tests ran/);
  });

  it('fails a failing test, and a runner that reports no counts', async () => {
    const r = await run('failing', { 'a.test.js': `${passing}it('fails', () => { throw new Error('no'); });\n` });
    assert.deepEqual({ ok: r.ok, failed: r.counts?.failed }, { ok: false, failed: 1 });
    assert.equal(stage.judge({ code: 1, counts: null, output: 'Error: `.only` forbidden by --forbid-only' }).ok, false);
    assert.equal(stage.judge({ code: 0, counts: { passed: 0, failed: 0 } }).ok, false, 'an editor runner that ran nothing');
    assert.equal(stage.judge({ code: 0, counts: { passed: 3, failed: 0, skipped: 1 } }).ok, false, 'an editor runner with a skipped test');
    assert.equal(stage.judge({ code: 2, counts: { passed: 3, failed: 0 } }).ok, false, 'a runner that exited non-zero');
  });
});
