// Mocha reporter for scripts/test.mjs: the usual spec output on the console, plus a JSON summary
// ({passed, failed, skipped, tests}) written to --reporter-option output=<file>, so the counts do
// not depend on parsing console text. Under --forbid-pending mocha fails a skipped test (`it.skip`,
// `this.skip()`) as "Pending test forbidden": that is counted as skipped, which fails the stage.
const fs = require('fs');
const path = require('path');
const Mocha = require('mocha');

class SpecWithSummary extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const output = (options.reporterOption || options.reporterOptions || {}).output;
    const summary = { passed: 0, failed: 0, skipped: 0, tests: [] };
    const record = (t, state, err) => summary.tests.push({
      title: t.fullTitle(), file: t.file, state, durationMs: t.duration,
      ...(err ? { error: String(err.stack || err.message || err) } : {}),
    });
    runner.on('pass', (t) => { summary.passed++; record(t, 'passed'); });
    // Hook failures arrive here too, so a broken before() is counted, not silently skipped.
    runner.on('fail', (t, err) => {
      if (t.type === 'test' && t.isPending() && /^Pending test forbidden/.test(String(err && err.message))) { summary.skipped++; record(t, 'skipped'); return; }
      summary.failed++;
      record(t, 'failed', err);
    });
    runner.on('pending', (t) => { summary.skipped++; record(t, 'skipped'); });
    runner.once('end', () => {
      if (!output) return;
      fs.mkdirSync(path.dirname(output), { recursive: true });
      fs.writeFileSync(output, JSON.stringify(summary, null, 2) + '\n');
    });
  }
}

module.exports = SpecWithSummary;
