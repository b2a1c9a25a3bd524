// Runs the integration suite (out/test/integration/index.js) inside the real extension host of
// code-server, driven by headless Chromium through the smoke-test driver.
//
//   node scripts/run-extension-tests.mjs [--workspace <dir>] [--untrusted] [--suite <name>]
//                                        [--grep <pattern>] [--timeout <seconds>] [--run-dir <dir>]
//
// --workspace  folder to open (default: a fresh copy of test/integration/workspace/, or an empty one)
// --run-dir    keep the editor's state (user data, browser profile, workspace, the port, which the
//              browser keeps its storage and the workbench its secrets by) in this folder and reuse
//              what an earlier run left there: a second run is the same user's next window
// --untrusted  workspace trust enabled and the folder not trusted (Restricted Mode)
// --suite      sets SWITCHBOARD_TEST_SUITE (a subfolder or file prefix of test/integration/);
//              `--suite untrusted` implies --untrusted
// --grep       sets SWITCHBOARD_TEST_GREP, passed to mocha's grep
// Any other environment (SWITCHBOARD_*) reaches the extension host unchanged.
// Exit code 0 only when the host reported success, the result file exists, and it counts at least one
// test and no failed or skipped one.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs, format } from 'node:util';
import {
  REPO, WORK, activationFailures, installExtension, isNoise, killLeftovers, launchBrowser, leftoverProcesses, listProcesses, onInterrupt, openWorkbench, packageExtension, remoteUri,
  startCodeServer, stopProcess, workDir,
} from './editor.mjs';

const { values: opts } = parseArgs({
  options: {
    workspace: { type: 'string' }, untrusted: { type: 'boolean', default: false }, suite: { type: 'string' },
    grep: { type: 'string' }, 'run-dir': { type: 'string' }, timeout: { type: 'string', default: process.env.SWITCHBOARD_TEST_TIMEOUT ?? '900' },
  },
});

// Fixture servers started by the suites carry this argument (test/integration/helpers.ts), so a run
// can prove it left none running.
const PROCESS_MARKER = process.env.SWITCHBOARD_PROCESS_MARKER ?? '--sb-integration-marker';
const TESTS_ENTRY = path.join(REPO, 'out', 'test', 'integration', 'index.js');
const WORKSPACE_TEMPLATE = path.join(REPO, 'test', 'integration', 'workspace');
const FAKE_MODEL = path.join(REPO, 'test', 'fake-model');
const log = (msg) => console.log(`[integration] ${msg}`);

async function main() {
  const T0 = Date.now();
  for (const f of [TESTS_ENTRY, path.join(REPO, 'dist', 'extension.js')]) {
    if (!fs.existsSync(f)) throw new Error(`${path.relative(REPO, f)} is missing: build first (node esbuild.js)`);
  }
  const suite = opts.suite ?? process.env.SWITCHBOARD_TEST_SUITE ?? '';
  const trust = opts.untrusted || suite === 'untrusted' ? 'untrusted' : 'trusted';
  const label = [suite || 'all', trust].join('-');
  const runDir = opts['run-dir'] ? path.resolve(opts['run-dir']) : workDir('integration', `${label}-`);
  fs.mkdirSync(runDir, { recursive: true });
  const resultFile = path.resolve(process.env.SWITCHBOARD_TEST_RESULT ?? path.join(runDir, 'result.json'));
  fs.rmSync(resultFile, { force: true });

  let workspace = opts.workspace && path.resolve(opts.workspace);
  if (!workspace) {
    workspace = path.join(runDir, 'workspace');
    // With --run-dir an earlier run's workspace is kept: the next window opens the same folder.
    if (!fs.existsSync(workspace)) {
      if (fs.existsSync(WORKSPACE_TEMPLATE)) fs.cpSync(WORKSPACE_TEMPLATE, workspace, { recursive: true });
      else fs.mkdirSync(workspace, { recursive: true });
    }
  }
  if (!fs.existsSync(workspace)) throw new Error(`workspace folder ${workspace} does not exist`);
  log(`run folder ${runDir}`);
  log(`workspace ${workspace} (${trust})${suite ? `, suite "${suite}"` : ''}${opts.grep ? `, grep "${opts.grep}"` : ''}`);

  // The scripted language model the chat suites talk to, installed as a user would install it:
  // code-server loads only one extensionDevelopmentPath, and that one is ours.
  const dirs = { userDataDir: path.join(runDir, 'user-data'), extensionsDir: path.join(runDir, 'extensions'), home: path.join(runDir, 'home') };
  await installExtension({ vsix: await packageExtension(path.join(runDir, 'fake-model.vsix'), FAKE_MODEL), ...dirs });
  const portFile = opts['run-dir'] ? path.join(runDir, 'port') : undefined;
  const port = portFile && fs.existsSync(portFile) ? Number(fs.readFileSync(portFile, 'utf8')) : undefined;
  const cs = await startCodeServer({
    folder: workspace, trust, port,
    ...dirs,
    extraArgs: ['--vscode-option', 'enable-smoke-test-driver'], logFile: path.join(runDir, 'code-server.log'),
    env: {
      SWITCHBOARD_TEST_RESULT: resultFile, SWITCHBOARD_TEST_SUITE: suite, SWITCHBOARD_WORKSPACE_TRUST: trust,
      ...(opts.grep ? { SWITCHBOARD_TEST_GREP: opts.grep } : {}),
    },
  });
  log(`code-server up in ${cs.startMs} ms on ${cs.url} (pid ${cs.child.pid})`);
  if (portFile) fs.writeFileSync(portFile, String(cs.port));
  const since = listProcesses().find((p) => p.pid === cs.child.pid)?.start ?? 0;
  let browser;
  onInterrupt(async () => { await browser?.close().catch(() => {}); await stopProcess(cs.child); });
  browser = await launchBrowser({ profileDir: path.join(runDir, 'browser') });
  let hostExit = 'none';
  try {
    const { page } = browser;
    const consoleLog = fs.createWriteStream(path.join(runDir, 'browser-console.log'));
    page.on('console', (m) => consoleLog.write(`[${m.type()}] ${m.text()}\n`));
    let resolveExit;
    const exited = new Promise((r) => { resolveExit = r; });
    // The workbench forwards the extension host's console (mocha's output) and its exit code here.
    const hostLog = fs.createWriteStream(path.join(runDir, 'host.log'));
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const text = format(...(Array.isArray(args) ? args : [args]));
      hostLog.write(`[${type}] ${text}\n`);
      if (!isNoise(text)) process.stdout.write(type === 'error' ? `[host error] ${text}\n` : `${text}\n`);
    });
    await page.exposeFunction('codeAutomationExit', (code) => resolveExit(code));
    const t1 = Date.now();
    await openWorkbench(page, {
      port: cs.port, folder: workspace, trust,
      payload: [
        ['extensionDevelopmentPath', remoteUri(cs.port, REPO)],
        ['extensionTestsPath', remoteUri(cs.port, TESTS_ENTRY)],
        ['skipWelcome', 'true'],
      ],
    });
    const timeoutMs = Number(opts.timeout) * 1000;
    hostExit = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), timeoutMs))]);
    log(`extension host finished after ${((Date.now() - t1) / 1000).toFixed(1)} s: ${hostExit === 'timeout' ? `TIMEOUT after ${opts.timeout} s` : `exit ${hostExit}`}`);
    const shots = path.join(WORK, 'shots');
    fs.mkdirSync(shots, { recursive: true });
    const shot = path.join(shots, `integration-${label}.png`);
    await page.screenshot({ path: shot }).then(() => log(`screenshot ${shot}`), (e) => log(`screenshot failed: ${e.message}`));
  } finally {
    await browser.close().catch(() => {});
    await stopProcess(cs.child);
  }
  // Servers get EOF on stdin when the extension host goes; whatever outlives that is a leak.
  const leftovers = killLeftovers(await leftoverProcesses({ dirs: [runDir], marker: PROCESS_MARKER, sinceTicks: since }), log);

  let result = null;
  try { result = JSON.parse(fs.readFileSync(resultFile, 'utf8')); } catch { /* judged below */ }
  const problems = [];
  if (leftovers) problems.push(`${leftovers} server process(es) outlived the editor (killed now)`);
  if (hostExit !== 0) problems.push(`extension host exit ${hostExit}`);
  if (!result) problems.push(`no result file at ${resultFile}`);
  else {
    if (result.error) problems.push(`runner error: ${result.error.split('\n')[0]}`);
    if (result.failed > 0) problems.push(`${result.failed} failed test(s)`);
    if (result.skipped > 0) problems.push(`${result.skipped} skipped test(s): ${result.tests.filter((t) => t.state === 'skipped').map((t) => t.title).join('; ')}`);
    if (result.passed + result.failed + (result.skipped ?? 0) === 0) problems.push('no tests ran');
  }
  if (problems.length) for (const f of activationFailures(path.join(runDir, 'user-data'))) log(`extension host: ${f}`);
  log(`result file ${resultFile}; logs in ${runDir}; total ${((Date.now() - T0) / 1000).toFixed(1)} s`);
  for (const p of problems) log(`FAILURE: ${p}`);
  // The last line is the count, for scripts/test.mjs and humans alike; the skipped count before it.
  console.log(`${result?.skipped ?? 0} skipped`);
  console.log(`${result?.passed ?? 0} passed, ${result?.failed ?? 0} failed`);
  return problems.length ? 1 : 0;
}

main().then((code) => process.exit(code), (e) => {
  console.error(`[integration] ${e.stack ?? e}`);
  console.log('0 passed, 0 failed');
  process.exit(2);
});
