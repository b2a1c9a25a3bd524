// What a test stage of scripts/test.mjs must show to pass, and how it runs mocha. A stage passes
// only when its runner exited 0, it reported counts, at least one test ran, none failed and none
// was skipped: a stage that ran nothing, a stray `.only` or an `it.skip` cannot pass by accident.
// CommonJS with Node built-ins only, so the driver (before `npm ci`) and the unit tests share it.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..');

/** Every *.test.js below `dir`, sorted. */
function testFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return testFiles(p);
    return e.name.endsWith('.test.js') ? [p] : [];
  }).sort();
}

/**
 * Judges a finished stage. `counts` is `{ passed, failed, skipped }` as the runner reported it
 * (null when it reported none); `output` is the tail of its output, searched for why it stopped.
 * Returns `{ ok, note }`.
 */
function judge({ code, counts, output = '' }) {
  if (!counts) {
    const why = output.split('\n').map((l) => l.trim()).find((l) => /forbidden|^\w*Error\b/.test(l));
    return { ok: false, note: `exited ${code} without counts${why ? `: ${why}` : ''}` };
  }
  const skipped = counts.skipped ?? 0;
  const problems = [];
  if (counts.passed + counts.failed + skipped === 0) problems.push('no tests ran');
  if (skipped) problems.push(`${skipped} skipped (a skipped test fails the stage)`);
  if (code !== 0 && !counts.failed && !problems.length) problems.push(`exited ${code}`);
  return { ok: code === 0 && !counts.failed && !problems.length, note: problems.join('; ') || undefined };
}

/** Runs a command, collecting its output; the driver passes its own (teeing, timed, in a process group). */
function collect(cmd, args, { cwd = REPO } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
}

/**
 * Mocha over every *.test.js below `dir`, with `.only` and pending tests forbidden; the counts come
 * from the summary reporter's JSON file `summary`. Resolves with `{ ok, counts, note }`.
 */
async function runMocha(dir, { summary, exec = collect }) {
  const files = testFiles(dir);
  if (files.length === 0) return { ok: false, counts: null, note: `no test files in ${path.relative(REPO, dir) || dir}` };
  fs.rmSync(summary, { force: true });
  const r = await exec(process.execPath, [path.join(REPO, 'node_modules', 'mocha', 'bin', 'mocha.js'),
    '--forbid-only', '--forbid-pending',
    '--reporter', path.join(REPO, 'scripts', 'mocha-summary-reporter.cjs'), '--reporter-option', `output=${summary}`,
    ...files]);
  let counts = null;
  try { counts = JSON.parse(fs.readFileSync(summary, 'utf8')); } catch { /* judged below */ }
  return { ...judge({ code: r.code, counts, output: r.output }), counts };
}

module.exports = { judge, runMocha, testFiles };
