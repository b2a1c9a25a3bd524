// Drives the real workbench UI: packages the built extension (.vsix), installs it into a fresh
// code-server the way a user would, then runs every out/test/ui/*.ui.js module, each in a fresh
// browser profile on the same editor. A module exports `async function run({ page, shotsDir,
// docsDir, repo, workspace, log })` and fails by throwing; one that takes a README image lists it
// in `export const docImages`.
//
//   node scripts/run-ui-tests.mjs [--workspace <dir>] [--untrusted] [--grep <text>] [--timeout <seconds>] [--docs <dir>]
//
// --workspace  folder to open (default: a fresh copy of test/ui/workspace/ or else of demo/, inside
//              .test-work/ so npx still finds the repo's node_modules)
// --grep       run only modules whose file name contains <text>
// --timeout    per-module limit (default 180 s)
// --docs       take the README's images (`npm run screenshots`): run the modules with `docImages`
//              and write those images into <dir>, failing when one is not written
// A test run (no --docs) writes only under .test-work/: it fails when git sees a file of the repo
// added, changed or deleted during the run. Counts go to SWITCHBOARD_TEST_RESULT when it is set.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  REPO, WORK, activationFailures, installExtension, killLeftovers, launchBrowser, leftoverProcesses, onInterrupt, openWorkbench, packageExtension,
  startCodeServer, stopProcess, workDir,
} from './editor.mjs';

const { values: opts } = parseArgs({
  options: {
    workspace: { type: 'string' }, untrusted: { type: 'boolean', default: false },
    grep: { type: 'string' }, timeout: { type: 'string', default: '180' }, docs: { type: 'string' },
  },
});

const UI_OUT = path.join(REPO, 'out', 'test', 'ui');
const WORKSPACE_TEMPLATES = [path.join(REPO, 'test', 'ui', 'workspace'), path.join(REPO, 'demo')];
const SHOTS = path.join(WORK, 'shots', 'ui');
const log = (msg) => console.log(`[ui] ${msg}`);
const seconds = (t0) => `${((Date.now() - t0) / 1000).toFixed(1)} s`;

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([promise, new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms / 1000} s`)), ms); })])
    .finally(() => clearTimeout(timer));
}

/** What git sees changed in the repo (tracked files, and untracked ones not ignored); null without git. */
function gitStatus() {
  const r = spawnSync('git', ['status', '--porcelain=v1', '--untracked-files=all'], { cwd: REPO, encoding: 'utf8' });
  return r.status === 0 ? r.stdout : null;
}

/** The lines of `after` that `before` did not have: files the run added, changed or deleted. */
function changedDuring(before, after) {
  if (before === null || after === null) return [];
  const had = new Set(before.split('\n'));
  return after.split('\n').filter((l) => l && !had.has(l));
}

async function main() {
  const T0 = Date.now();
  if (!fs.existsSync(path.join(REPO, 'dist', 'extension.js'))) throw new Error('dist/extension.js is missing: build first (node esbuild.js)');
  const load = (file) => createRequire(import.meta.url)(path.join(UI_OUT, file));
  const docsDir = opts.docs && path.resolve(opts.docs);
  const modules = (fs.existsSync(UI_OUT) ? fs.readdirSync(UI_OUT) : [])
    .filter((f) => f.endsWith('.ui.js') && (!opts.grep || f.includes(opts.grep)) && (!docsDir || load(f).docImages?.length)).sort();
  if (modules.length === 0) throw new Error(`no UI tests (*.ui.js) in ${path.relative(REPO, UI_OUT)}${opts.grep ? ` matching "${opts.grep}"` : ''}${docsDir ? ' with docImages' : ''}`);
  if (docsDir) fs.mkdirSync(docsDir, { recursive: true });
  const gitBefore = docsDir ? null : gitStatus();

  const runDir = workDir('ui');
  const trust = opts.untrusted ? 'untrusted' : 'trusted';
  let workspace = opts.workspace && path.resolve(opts.workspace);
  if (!workspace) {
    const template = WORKSPACE_TEMPLATES.find((d) => fs.existsSync(d));
    workspace = path.join(runDir, template ? path.basename(template) : 'workspace');
    if (template) fs.cpSync(template, workspace, { recursive: true });
    else fs.mkdirSync(workspace, { recursive: true });
  }
  if (!fs.existsSync(workspace)) throw new Error(`workspace folder ${workspace} does not exist`);
  log(`run folder ${runDir}; workspace ${workspace} (${trust})`);

  let t = Date.now();
  // Per run, so concurrent runs never install each other's half-written package.
  const vsix = await packageExtension(path.join(runDir, 'switchboard.vsix'));
  log(`packaged ${path.relative(REPO, vsix)} in ${seconds(t)}`);
  const dirs = { userDataDir: path.join(runDir, 'user-data'), extensionsDir: path.join(runDir, 'extensions'), home: path.join(runDir, 'home') };
  t = Date.now();
  await installExtension({ vsix, ...dirs });
  // The chat test needs a model; it is the one `npm start` offers.
  await installExtension({ vsix: await packageExtension(path.join(runDir, 'demo-model.vsix'), path.join(REPO, 'demo-model')), ...dirs });
  log(`installed (with the demo model) into ${dirs.extensionsDir} in ${seconds(t)}`);

  const cs = await startCodeServer({
    folder: workspace, trust, ...dirs, logFile: path.join(runDir, 'code-server.log'),
    // A clean picture: no Chat view beside the side bar.
    settings: { 'workbench.secondarySideBar.defaultVisibility': 'hidden' },
  });
  log(`code-server up in ${cs.startMs} ms on ${cs.url} (pid ${cs.child.pid})`);
  let browser;
  onInterrupt(async () => { await browser?.close().catch(() => {}); await stopProcess(cs.child); });

  fs.mkdirSync(SHOTS, { recursive: true });
  const results = [];
  try {
    for (const file of modules) {
      const name = file.replace(/\.ui\.js$/, '');
      const t1 = Date.now();
      browser = await launchBrowser({ profileDir: path.join(runDir, `browser-${name}`) });
      const { page } = browser;
      const consoleLog = fs.createWriteStream(path.join(runDir, `browser-console-${name}.log`));
      page.on('console', (m) => consoleLog.write(`[${m.type()}] ${m.text()}\n`));
      page.on('pageerror', (e) => consoleLog.write(`[pageerror] ${e.stack ?? e}\n`));
      try {
        const mod = load(file);
        if (typeof mod.run !== 'function') throw new Error(`${file} does not export run()`);
        await openWorkbench(page, { port: cs.port, folder: workspace, trust });
        const t2 = Date.now();
        await withTimeout(mod.run({ page, shotsDir: SHOTS, docsDir, repo: REPO, workspace, log: (m) => log(`  ${name}: ${m}`) }),
          Number(opts.timeout) * 1000, name);
        const missing = docsDir ? (mod.docImages ?? []).filter((f) => !(fs.statSync(path.join(docsDir, f), { throwIfNoEntry: false })?.mtimeMs >= t2)) : [];
        if (missing.length) throw new Error(`${file} did not write ${missing.join(', ')} into ${docsDir}`);
        if (docsDir) log(`  ${name}: wrote ${mod.docImages.map((f) => path.relative(REPO, path.join(docsDir, f))).join(', ')}`);
        results.push({ name, ok: true });
        log(`✔ ${name} (${seconds(t1)})`);
      } catch (e) {
        results.push({ name, ok: false, error: e });
        const shot = path.join(SHOTS, `${name}-failure.png`);
        await page.screenshot({ path: shot }).catch(() => {});
        log(`✘ ${name} (${seconds(t1)}): ${String(e?.message ?? e).split('\n')[0]}`);
        log(`  failure screenshot ${shot}`);
      } finally {
        consoleLog.end();
        await browser.close().catch(() => {});
      }
    }
  } finally {
    await stopProcess(cs.child);
  }
  // Servers get EOF on stdin when the extension host goes; whatever outlives that is a leak.
  const leftovers = killLeftovers(await leftoverProcesses({ dirs: [runDir] }), log);
  if (leftovers) results.push({ name: 'no server process outlives the editor', ok: false, error: `${leftovers} process(es) left running (killed now)` });
  const touched = changedDuring(gitBefore, gitStatus());
  if (touched.length) {
    results.push({ name: 'the UI tests leave the repository as it was', ok: false,
      error: `git sees these changed during the run (by a test, or by an edit meanwhile):\n${touched.join('\n')}` });
  }
  const failed = results.filter((r) => !r.ok);
  for (const r of failed) console.error(`\n[ui] ${r.name} failed:\n${r.error?.stack ?? r.error}`);
  for (const f of activationFailures(dirs.userDataDir)) log(`extension host: ${f}`);
  log(`screenshots in ${SHOTS}${docsDir ? ` and ${docsDir}` : ''}; logs in ${runDir}; total ${seconds(T0)}`);
  // Each module is one test; none can be skipped. The count line comes last, for scripts/test.mjs.
  const counts = { passed: results.length - failed.length, failed: failed.length, skipped: 0 };
  if (process.env.SWITCHBOARD_TEST_RESULT) fs.writeFileSync(process.env.SWITCHBOARD_TEST_RESULT, JSON.stringify({ ...counts, tests: results.map((r) => ({ title: r.name, state: r.ok ? 'passed' : 'failed' })) }) + '\n');
  console.log(`${counts.skipped} skipped`);
  console.log(`${counts.passed} passed, ${counts.failed} failed`);
  return failed.length ? 1 : 0;
}

main().then((code) => process.exit(code), (e) => {
  console.error(`[ui] ${e.stack ?? e}`);
  console.log('0 passed, 0 failed');
  process.exit(2);
});
