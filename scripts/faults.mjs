// `npm run faults`: runs the adversarial suite (test/adversarial: hostile servers and plain faults,
// each a real process) and writes docs/RELIABILITY.md from the rows its tests record: what each
// attack did, the longest stall of the host's thread, how late its event loop got, and the memory.
//
//   node scripts/faults.mjs [--no-write]     (--no-write prints the table only)
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: opts } = parseArgs({ options: { 'no-write': { type: 'boolean' } } });

if (!fs.existsSync(path.join(REPO, 'node_modules', 'mocha'))) execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: REPO, stdio: 'inherit' });
const { ensureConnectionTools } = await import('./editor.mjs');
await ensureConnectionTools(); // nginx and openssl, for the proxy-restart fault
execFileSync(process.execPath, ['esbuild.js'], { cwd: REPO, stdio: 'inherit' });

const dir = path.join(REPO, 'out', 'test', 'adversarial');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.test.js')).sort().map((f) => path.join(dir, f));
const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sb-faults-')), 'rows.jsonl');
const run = spawnSync(process.execPath, [path.join(REPO, 'node_modules', 'mocha', 'bin', 'mocha.js'), '--forbid-only', '--forbid-pending', ...files], {
  cwd: REPO, stdio: 'inherit', env: { ...process.env, FAULTS_REPORT: report },
});
const rows = fs.existsSync(report) ? fs.readFileSync(report, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
if (run.status !== 0 || rows.length === 0) {
  console.error(`[faults] the suite ${run.status !== 0 ? `failed (exit ${run.status ?? run.signal})` : 'recorded no rows'}; docs/RELIABILITY.md left as it was`);
  process.exit(1);
}

const cell = (s) => String(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');
const growth = (f) => (f.peakRssMb - f.startRssMb).toFixed(1);
const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).stdout.trim() || 'unknown';
const table = [
  '| attack or fault | what happened | longest stall | latest event loop | memory growth (bound) |',
  '|---|---|---|---|---|',
  ...rows.map((r) => `| ${cell(r.attack)} | ${cell(r.outcome)} | ${r.figures.maxStallMs} ms | ${r.figures.maxLatenessMs} ms | +${growth(r.figures)} MB (< ${r.bounds.rssGrowthMb} MB) |`),
].join('\n');

const doc = `# Reliability: hostile servers and faults

Written by \`npm run faults\` (scripts/faults.mjs) from the adversarial suite, \`test/adversarial/\`,
which \`npm test\` runs too. Each row is one real server process doing its worst (or failing
plainly) while another, well-behaved server is called through the same router: the row is written
only when that server kept answering, the caller got one clear error, and the figures stayed within
their bounds.

- **Longest stall**: the longest the host's own thread ran without yielding to its event loop,
  measured every 10 ms as the lesser of how late the loop was and the CPU the process used
  meanwhile. Budget: under 100 ms (the extension host runs every extension and Copilot).
- **Latest event loop**: how late the loop got in wall time, whatever the cause; on a loaded machine
  this includes waiting for a core. Budget: under 1,000 ms, which still catches a blocking wait.
- **Memory growth**: the peak resident set during the attack over the one before it, and the
  attack's stated bound.

Run at ${commit} on ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, Node ${process.version}: ${rows.length} rows.

${table}
`;

console.log(`\n${table}\n`);
if (!opts['no-write']) {
  fs.writeFileSync(path.join(REPO, 'docs', 'RELIABILITY.md'), doc);
  console.log('[faults] wrote docs/RELIABILITY.md');
}
