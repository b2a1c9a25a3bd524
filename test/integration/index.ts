// extensionTestsPath entry, loaded inside the real extension host (scripts/run-extension-tests.mjs).
// VS Code calls run(): resolving means success, rejecting means failure. Three signals agree:
// the promise, the result file (SWITCHBOARD_TEST_RESULT) and the closing `N passed, N failed` line.
// As in every mocha stage (scripts/test-stage.cjs), `.only` and skipped tests are forbidden, a
// skipped test is counted as skipped, and a run with no test or a skipped one fails.
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

interface TestRecord { title: string; file?: string; state: 'passed' | 'failed' | 'skipped'; durationMs?: number; error?: string }
interface Result { passed: number; failed: number; skipped: number; suite: string | null; tests: TestRecord[]; error?: string }

/** Every *.test.js below `dir`, sorted so runs are reproducible. */
function testFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) return testFiles(p);
      return e.name.endsWith('.test.js') ? [p] : [];
    })
    .sort();
}

/** The smoke check that runs with every suite: the extension activates in this workspace and trust mode. */
const ALWAYS = 'activation.test.js';

/**
 * With SWITCHBOARD_TEST_SUITE set, keep the files in that suite subfolder (`untrusted/...`) or whose
 * name starts with it, plus ALWAYS; without it, everything except `untrusted/`, which needs an
 * untrusted workspace and runs on its own, and `bench/`.
 */
export function selectFiles(root: string, suite: string | undefined): string[] {
  const rel = (f: string) => path.relative(root, f).split(path.sep).join('/');
  const all = testFiles(root);
  // bench/ holds measurements, not tests: `npm run bench` runs it as its own suite.
  if (!suite) return all.filter((f) => !rel(f).startsWith('untrusted/') && !rel(f).startsWith('bench/'));
  return all.filter((f) => rel(f) === ALWAYS || rel(f).startsWith(`${suite}/`) || path.basename(f).startsWith(suite));
}

function writeResult(file: string | undefined, result: Result): void {
  if (!file) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
}

/** The skipped count, then the closing count line the runner reads last. */
function printCounts(result: Result): void {
  console.log(`${result.skipped} skipped`);
  console.log(`${result.passed} passed, ${result.failed} failed`);
}

export function run(): Promise<void> {
  const resultFile = process.env.SWITCHBOARD_TEST_RESULT;
  const suite = process.env.SWITCHBOARD_TEST_SUITE || undefined;
  const result: Result = { passed: 0, failed: 0, skipped: 0, suite: suite ?? null, tests: [] };
  const mocha = new Mocha({
    ui: 'bdd', timeout: 60000, color: false, reporter: 'spec', grep: process.env.SWITCHBOARD_TEST_GREP || undefined,
    forbidOnly: true, forbidPending: true,
  });
  const files = selectFiles(__dirname, suite);
  for (const f of files) mocha.addFile(f);
  console.log(`[integration] ${files.length} test file(s)${suite ? ` for suite "${suite}"` : ''}: ${files.map((f) => path.relative(__dirname, f)).join(', ')}`);

  return new Promise((resolve, reject) => {
    const fail = (e: unknown) => {
      result.error = String((e as Error)?.stack ?? e);
      writeResult(resultFile, result);
      printCounts(result);
      reject(e instanceof Error ? e : new Error(String(e)));
    };
    if (files.length === 0) return fail(new Error(`no integration test files found${suite ? ` for suite "${suite}"` : ''} under ${__dirname}`));
    try {
      const runner = mocha.run((failures) => {
        writeResult(resultFile, result);
        printCounts(result);
        if (result.failed > 0) reject(new Error(`${result.failed} integration test(s) failed`));
        else if (result.skipped > 0) reject(new Error(`${result.skipped} integration test(s) skipped; a skipped test fails the run`));
        else if (failures > 0) reject(new Error(`mocha reported ${failures} failure(s)`));
        else if (result.passed === 0) reject(new Error('no integration test ran'));
        else resolve();
      });
      const record = (t: Mocha.Runnable, state: TestRecord['state'], err?: Error) => result.tests.push({
        title: t.fullTitle(), file: t.file && path.relative(__dirname, t.file), state, durationMs: t.duration,
        ...(err ? { error: String(err.stack ?? err.message) } : {}),
      });
      runner.on('pass', (t) => { result.passed++; record(t, 'passed'); });
      // Hook failures count too: a broken before() fails its suite rather than passing silently.
      runner.on('fail', (t, err) => {
        // Under forbidPending mocha fails a skipped test as "Pending test forbidden": a skip, counted as one.
        if (t.type === 'test' && t.isPending() && /^Pending test forbidden/.test(err?.message ?? '')) { result.skipped++; record(t, 'skipped'); return; }
        result.failed++;
        record(t, 'failed', err);
      });
      runner.on('pending', (t) => { result.skipped++; record(t, 'skipped'); });
    } catch (e) {
      fail(e);
    }
  });
}
