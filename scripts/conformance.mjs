// `npm run conformance`: every client scenario of the official MCP conformance suite
// (@modelcontextprotocol/conformance, which needs Node 22 or newer: it runs on the Node 24 the
// editor tools install) against `switchboard conformance`, our client core behind the CLI.
// Writes the table to docs/CONFORMANCE.md and ends with `N passed, N failed` (scenarios).
//
// The suite's scenario servers listen on every interface; a preload binds them to 127.0.0.1.
// A scenario passes when it made at least one check and none failed (a client that does nothing
// "passes" a scenario with zero checks; that is not counted as a pass here). Scenarios listed in
// test/conformance/expected-failures.json are known not to pass yet: they are counted as skipped,
// and, as a skipped test does in every stage, fail the run; one that starts passing fails it too
// (so the list cannot go stale). A run of no scenario fails.
//
// Options: --scenario <name> (repeatable), --keep (leave the result folders), --no-write.
// The counts also go to SWITCHBOARD_TEST_RESULT ({ passed, failed, skipped }) when it is set.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { NODE24_BIN, REPO, TOOLS, WORK, ensureNode24, ensureNpmInstall, node24Env } from './editor.mjs';

const VERSION = '0.1.16';
const DIR = path.join(path.dirname(TOOLS), `conformance-${VERSION}`);
const ENTRY = path.join(DIR, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');
const PRELOAD = path.join(REPO, 'test', 'conformance', 'loopback-sync.cjs');
const EXPECTED = path.join(REPO, 'test', 'conformance', 'expected-failures.json');
const DOC = path.join(REPO, 'docs', 'CONFORMANCE.md');
const CLI = path.join(REPO, 'dist', 'cli.js');
const PARALLEL = 3;

const { values: opts } = parseArgs({ options: { scenario: { type: 'string', multiple: true }, keep: { type: 'boolean' }, 'no-write': { type: 'boolean' } } });
const log = (m) => console.log(`[conformance] ${m}`);
const node24 = path.join(NODE24_BIN, 'node');

/** Runs the suite's CLI on Node 24, collecting its output. */
function suite(args, { timeoutMs = 120_000 } = {}) {
  return new Promise((resolve) => {
    const child = spawn(node24, [ENTRY, ...args], {
      cwd: REPO, env: node24Env({ NODE_OPTIONS: `--require ${PRELOAD}` }), stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, out }); });
  });
}

/** `conformance list`'s client section: `  - name [versions]`. */
async function clientScenarios() {
  const { out } = await suite(['list']);
  const section = out.split(/Client scenarios.*\n/)[1] ?? '';
  return [...section.matchAll(/^\s*-\s+(\S+)\s+\[([^\]]*)\]/gm)].map((m) => ({ name: m[1], versions: m[2] }));
}

async function runScenario({ name, versions }, outRoot) {
  const dir = path.join(outRoot, name.replace(/\//g, '_'));
  const t0 = Date.now();
  // The suite splits --command on spaces; the CLI path is given relative to the repo for that reason.
  const command = `${/\s/.test(process.execPath) ? 'node' : process.execPath} ${path.relative(REPO, CLI)} conformance`;
  const { code, out } = await suite(['client', '--command', command, '--scenario', name, '-o', dir, '--timeout', '30000']);
  const checks = readChecks(dir);
  const count = (s) => checks.filter((c) => c.status === s).length;
  const failed = checks.filter((c) => c.status === 'FAILURE');
  const r = { name, versions, passed: count('SUCCESS'), failed: failed.length, warnings: count('WARNING'), ms: Date.now() - t0, exit: code };
  r.ok = r.failed === 0 && r.passed > 0 && code === 0;
  r.why = failed.map((c) => `${c.id}: ${c.errorMessage ?? c.description}`).slice(0, 3).join('; ')
    || (r.passed === 0 ? 'no check ran' : code !== 0 ? `the suite exited ${code}` : '');
  if (!r.ok) r.output = out.split('\n').filter((l) => !/\bINFO\b/.test(l)).slice(-25).join('\n');
  return r;
}

/** The scenario's checks.json, somewhere under `dir` (a name with a slash nests a folder). */
function readChecks(dir) {
  if (!fs.existsSync(dir)) return [];
  const file = fs.readdirSync(dir, { recursive: true }).map(String).find((f) => path.basename(f) === 'checks.json');
  return file ? JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) : [];
}

function writeDoc(results, expected) {
  const rows = results.map((r) => `| \`${r.name}\` | ${r.versions} | ${r.passed} | ${r.failed} | ${r.warnings} | ${r.ok ? 'pass' : expected.has(r.name) ? '**not yet** (expected)' : '**FAIL**'} |`);
  const passing = results.filter((r) => r.ok).length;
  const notes = results.filter((r) => !r.ok).map((r) => `- \`${r.name}\`: ${r.why || 'failed'}`);
  const text = `# MCP conformance (client)

Written by \`npm run conformance\` on ${new Date().toISOString().slice(0, 10)}: every client scenario of
[\`@modelcontextprotocol/conformance\`](https://www.npmjs.com/package/@modelcontextprotocol/conformance) ${VERSION}
against \`switchboard conformance <url>\` (src/cli/conformance.ts), which drives the same client
core as the extension (manager, transports, router, schema guard, policy) and answers as a user
would (src/cli/conformanceUser.ts). \`npm test\` runs the same thing as its \`conformance\` stage.

A scenario passes when it ran at least one check and none failed. Checks counted: passed, failed,
warnings (a warning is a SHOULD the suite could not confirm).

**${passing} of ${results.length} scenarios pass.**

| scenario | spec versions | passed | failed | warnings | result |
|---|---|---:|---:|---:|---|
${rows.join('\n')}
${notes.length ? `\n## Not passing yet\n\n${notes.join('\n')}\n` : ''}`;
  fs.writeFileSync(DOC, text);
}

async function main() {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run \`node esbuild.js\` first`);
  const t0 = Date.now();
  await ensureNode24(t0);
  await ensureNpmInstall(t0, { dir: DIR, spec: `@modelcontextprotocol/conformance@${VERSION}`, env: node24Env(), probe: ENTRY });
  let scenarios = await clientScenarios();
  if (!scenarios.length) throw new Error('`conformance list` named no client scenario');
  if (opts.scenario) scenarios = scenarios.filter((s) => opts.scenario.includes(s.name));
  if (!scenarios.length) throw new Error(`no client scenario named ${opts.scenario.join(', ')}`);
  const expected = new Set(fs.existsSync(EXPECTED) ? JSON.parse(fs.readFileSync(EXPECTED, 'utf8')).scenarios ?? [] : []);
  const outRoot = fs.mkdtempSync(path.join(fs.existsSync(WORK) ? WORK : os.tmpdir(), 'conformance-'));
  log(`${scenarios.length} client scenarios; results in ${outRoot}`);

  const results = [];
  const queue = [...scenarios];
  await Promise.all(Array.from({ length: PARALLEL }, async () => {
    for (let s = queue.shift(); s; s = queue.shift()) {
      const r = await runScenario(s, outRoot);
      results.push(r);
      const mark = r.ok ? '✔' : expected.has(r.name) ? '·' : '✘';
      log(`${mark} ${r.name}: ${r.passed} passed, ${r.failed} failed, ${r.warnings} warnings (${(r.ms / 1000).toFixed(1)} s)${r.ok ? '' : ` — ${r.why}`}`);
    }
  }));
  results.sort((a, b) => scenarios.indexOf(scenarios.find((s) => s.name === a.name)) - scenarios.indexOf(scenarios.find((s) => s.name === b.name)));
  if (!opts['no-write'] && !opts.scenario) writeDoc(results, expected);

  const regressions = results.filter((r) => !r.ok && !expected.has(r.name));
  const stale = results.filter((r) => r.ok && expected.has(r.name));
  for (const r of regressions) console.error(`\n[conformance] ${r.name} failed:\n${r.output}`);
  for (const r of stale) console.error(`[conformance] ${r.name} passes now: remove it from ${path.relative(REPO, EXPECTED)}`);
  if (!opts.keep && !regressions.length) fs.rmSync(outRoot, { recursive: true, force: true });
  const bad = regressions.length + stale.length;
  const skipped = results.filter((r) => !r.ok && expected.has(r.name));
  for (const r of skipped) console.error(`[conformance] ${r.name} is skipped (listed in ${path.relative(REPO, EXPECTED)}): ${r.why}`);
  log(`${results.filter((r) => r.ok).length} of ${results.length} pass; ${skipped.length} expected failures; total ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const counts = { passed: results.filter((r) => r.ok && !expected.has(r.name)).length, failed: bad, skipped: skipped.length };
  if (process.env.SWITCHBOARD_TEST_RESULT) fs.writeFileSync(process.env.SWITCHBOARD_TEST_RESULT, JSON.stringify(counts) + '\n');
  console.log(`${counts.skipped} skipped`);
  console.log(`${counts.passed} passed, ${counts.failed} failed`);
  return bad || skipped.length ? 1 : 0;
}

main().then((code) => process.exit(code), (e) => {
  console.error(`[conformance] ${e.stack ?? e}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
});
