// A real VS Code for tests and `npm start`: code-server (VS Code with the real Node extension
// host, from npm) on Node 24, driven by Debian's Chromium through playwright-core.
// Why this route and not @vscode/test-electron: see /work/shared/REAL-EDITOR.md (only the npm
// registry and Debian packages are reachable, so no editor or Electron download at test time).
//
// Tools are cached outside the repo, keyed by versions; run state lives in <repo>/.test-work/.
// The Debian packages the connection tests need (nginx and openssl, for the TLS proxy) are
// installed here too, the same way as Chromium.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const WORK = path.join(REPO, '.test-work');

const NODE_MAJOR = 24;
const CODE_SERVER_VERSION = '4.139.1';
export const CHROMIUM = '/usr/bin/chromium';
const EDITOR_APT = { packages: ['chromium', 'libkrb5-dev', 'libsecret-1-dev', 'libx11-dev', 'libxkbfile-dev'], files: [CHROMIUM] };
// test/connection/nginx.ts and certificates.ts run these binaries at these paths.
const CONNECTION_APT = { packages: ['nginx', 'openssl'], files: ['/usr/sbin/nginx', '/usr/bin/openssl'] };
const POLICY_RC = '/usr/sbin/policy-rc.d';

/** The version-keyed tools folder: a new Node or code-server version gets a fresh install. */
export const TOOLS = path.join(
  process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'),
  'mcp-switchboard', `editor-node${NODE_MAJOR}-cs${CODE_SERVER_VERSION}`,
);
const NODE24_DIR = path.join(TOOLS, 'node24');
export const NODE24_BIN = path.join(NODE24_DIR, 'node_modules', 'node', 'bin');
// The `node` package keeps the real binary and headers in a platform package next to its wrapper.
const NODE24_HOME = path.join(NODE24_DIR, 'node_modules', 'node', 'node_modules', `node-${process.platform}-${process.arch}`);
const CS_DIR = path.join(TOOLS, 'code-server');
export const CODE_SERVER_ENTRY = path.join(CS_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/** Prints one progress line with the seconds since `t0`. */
export function progress(t0, msg) {
  console.log(`[editor ${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s] ${msg}`);
}

/** Runs a command with inherited output (minus npm's harmless `nodedir` warning); rejects on failure. */
export function run(cmd, args, { cwd = REPO, env = process.env, quiet = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail = [];
    const onData = (stream) => (d) => {
      for (const line of String(d).split('\n')) {
        if (!line || /Unknown (user|env) config "nodedir"/.test(line)) continue;
        tail.push(line); if (tail.length > 40) tail.shift();
        if (!quiet) stream.write(`  ${line}\n`);
      }
    };
    child.stdout.on('data', onData(process.stdout));
    child.stderr.on('data', onData(process.stderr));
    child.on('error', reject);
    child.on('close', (code, signal) => code === 0 ? resolve()
      : reject(new Error(`${cmd} ${args.join(' ')} failed (${signal ?? code}) in ${cwd}\n${tail.join('\n')}`)));
  });
}

/** Awaits `promise`, printing a line every 30 s so a long silent step does not look hung. */
async function withHeartbeat(t0, what, promise) {
  const beat = setInterval(() => progress(t0, `  still ${what}...`), 30000);
  try { return await promise; } finally { clearInterval(beat); }
}

function aptMissing(packages) {
  return packages.filter((p) => {
    const r = spawnSync('dpkg', ['-s', p], { encoding: 'utf8' });
    return r.status !== 0 || !/^Status: install ok installed/m.test(r.stdout);
  });
}

/** Installs whichever of `packages` is missing (or all, when one of `files` is); idempotent. */
async function ensureAptPackages(t0, { packages, files }) {
  const missing = aptMissing(packages);
  if (missing.length === 0 && files.every((f) => fs.existsSync(f))) { progress(t0, `apt packages present (${packages.join(' ')})`); return; }
  if (process.getuid?.() !== 0) throw new Error(`missing Debian packages ${missing.join(' ')}: run as root or install them with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // Another apt run (e.g. a provisioning step) may hold the lock: wait for it instead of failing.
  const lock = ['-o', 'DPkg::Lock::Timeout=600'];
  // Installing nginx starts Debian's nginx service (port 80, every interface) unless policy-rc.d
  // says no (exit 101), as container images do; the tests run their own nginx and need none.
  const ownPolicy = !fs.existsSync(POLICY_RC);
  if (ownPolicy) fs.writeFileSync(POLICY_RC, '#!/bin/sh\n# mcp-switchboard scripts/editor.mjs: no services started by this apt-get run\nexit 101\n', { mode: 0o755 });
  progress(t0, `apt-get install ${missing.join(' ')}`);
  try {
    await withHeartbeat(t0, 'running apt-get', (async () => {
      await run('apt-get', [...lock, 'update'], { env, quiet: true });
      await run('apt-get', [...lock, 'install', '-y', ...(missing.length ? missing : packages)], { env, quiet: true });
    })());
  } finally {
    if (ownPolicy) fs.rmSync(POLICY_RC, { force: true });
  }
  progress(t0, 'apt packages installed');
}

/** nginx and openssl for the connection tests' TLS reverse proxy; seconds when present. */
export async function ensureConnectionTools() {
  await ensureAptPackages(Date.now(), CONNECTION_APT);
}

/** Installs `spec` into a fresh `dir` unless its marker says a previous install completed. */
export async function ensureNpmInstall(t0, { dir, spec, env, probe }) {
  const marker = path.join(dir, '.installed');
  if (fs.existsSync(marker) && fs.existsSync(probe)) { progress(t0, `${spec} cached in ${dir}`); return; }
  // A marker is written only after success, so anything else here is a broken half-install.
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: path.basename(dir), private: true }) + '\n');
  progress(t0, `npm install ${spec} (in ${dir})`);
  await withHeartbeat(t0, `installing ${spec}`,
    run('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error', spec], { cwd: dir, env }));
  if (!fs.existsSync(probe)) throw new Error(`npm install ${spec} finished but ${probe} is missing`);
  fs.writeFileSync(marker, new Date().toISOString() + '\n');
  progress(t0, `${spec} installed`);
}

/**
 * Environment that runs Node 24 (and npm under it) and builds native modules against its headers.
 * The outer `npm test` (on the system Node) leaves its own `npm_*` variables behind; the inner npm
 * would take `npm_config_user_agent` as config and hand code-server's postinstall a "node/v20"
 * user agent, which it rejects. So they are dropped and the inner npm sets its own.
 */
export function node24Env(extra = {}) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && k !== 'NODE'));
  return { ...env, PATH: `${NODE24_BIN}${path.delimiter}${process.env.PATH}`, npm_config_nodedir: NODE24_HOME, ...extra };
}

/**
 * Makes sure Chromium, Node 24 and code-server are installed; idempotent, seconds when cached.
 * Cold: about 5-6 minutes (apt packages, `npm install node@24`, code-server's native builds).
 */
export async function ensureEditorTools() {
  const t0 = Date.now();
  progress(t0, `editor tools in ${TOOLS}`);
  await ensureAptPackages(t0, EDITOR_APT);
  const v = await ensureNode24(t0);
  await ensureNpmInstall(t0, { dir: CS_DIR, spec: `code-server@${CODE_SERVER_VERSION}`, env: node24Env(), probe: CODE_SERVER_ENTRY });
  progress(t0, `editor tools ready (node ${v}, code-server ${CODE_SERVER_VERSION})`);
}

/** Node 24 from npm (the `node` package) in the tools folder; returns its version. */
export async function ensureNode24(t0 = Date.now()) {
  await ensureNpmInstall(t0, { dir: NODE24_DIR, spec: `node@${NODE_MAJOR}`, env: process.env, probe: path.join(NODE24_BIN, 'node') });
  const v = spawnSync(path.join(NODE24_BIN, 'node'), ['-v'], { encoding: 'utf8' }).stdout.trim();
  if (!v.startsWith(`v${NODE_MAJOR}.`)) throw new Error(`${NODE24_BIN}/node reports "${v}", expected v${NODE_MAJOR}`);
  return v;
}

/** Whether node_modules is missing or older than package-lock.json (npm writes .package-lock.json last). */
export function nodeModulesStale() {
  const hidden = path.join(REPO, 'node_modules', '.package-lock.json');
  if (!fs.existsSync(hidden)) return true;
  return fs.statSync(hidden).mtimeMs < fs.statSync(path.join(REPO, 'package-lock.json')).mtimeMs;
}

/** `npm ci` when node_modules is missing or stale; returns whether it ran. */
export async function ensureNodeModules() {
  if (!nodeModulesStale()) return false;
  console.log('[editor] node_modules missing or older than package-lock.json: npm ci');
  await run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: REPO });
  return true;
}

/** A TCP port that is free on 127.0.0.1 right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

/**
 * A fresh folder under .test-work/<group>/ (never in the real HOME or /tmp). Older run folders
 * beyond the newest `keep` are removed once they are an hour old, so repeated runs do not pile up.
 */
export function workDir(group, prefix = 'run-', keep = 5) {
  const base = path.join(WORK, group);
  fs.mkdirSync(base, { recursive: true });
  const old = fs.readdirSync(base, { withFileTypes: true }).filter((e) => e.isDirectory())
    .map((e) => ({ dir: path.join(base, e.name), mtime: fs.statSync(path.join(base, e.name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime).slice(keep);
  for (const { dir, mtime } of old) if (Date.now() - mtime > 3600000) fs.rmSync(dir, { recursive: true, force: true });
  return fs.mkdtempSync(path.join(base, prefix));
}

/** HOME and XDG_* pointing into `home`, so code-server and Chromium leave the real home alone. */
export function isolatedHomeEnv(home) {
  for (const d of ['.local/share', '.config', '.cache']) fs.mkdirSync(path.join(home, d), { recursive: true });
  return { HOME: home, XDG_DATA_HOME: path.join(home, '.local/share'), XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_CACHE_HOME: path.join(home, '.cache') };
}

/**
 * User settings for a workspace-trust mode.
 * - 'trusted': trust enabled; the folder is marked trusted in the browser before the workbench
 *   loads (see `seedTrustedFolders`), so the extension sees `isTrusted === true`.
 * - 'untrusted': trust enabled, nothing trusted, no start-up prompt (in smoke-test mode the prompt
 *   would be auto-confirmed, i.e. trusted), so the window opens in Restricted Mode.
 * - 'disabled': `--disable-workspace-trust`, everything counts as trusted.
 */
export function trustSettings(trust) {
  if (trust === 'disabled') return {};
  return {
    'security.workspace.trust.enabled': true,
    'security.workspace.trust.startupPrompt': 'never',
    'security.workspace.trust.banner': trust === 'untrusted' ? 'always' : 'never',
    'security.workspace.trust.emptyWindow': false,
    'security.workspace.trust.untrustedFiles': 'open',
  };
}

/** Writes User/settings.json into a code-server user-data dir. */
function writeUserSettings(userDataDir, settings) {
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2) + '\n');
}

/**
 * Starts code-server on 127.0.0.1 and resolves once it listens (about 1-2 s).
 * @param {object} o
 * @param {string} [o.folder] workspace folder opened by default
 * @param {string} o.userDataDir @param {string} o.extensionsDir
 * @param {'trusted'|'untrusted'|'disabled'} [o.trust='trusted'] workspace-trust mode (see trustSettings)
 * @param {object} [o.settings] extra user settings merged over the defaults
 * @param {string[]} [o.extraArgs] @param {object} [o.env] @param {string} [o.logFile]
 * @param {number} [o.port] fixed port (default: a free one) @param {string} [o.home] isolated HOME
 * @returns {Promise<{child, port, url, startMs, log: () => string}>}
 */
export async function startCodeServer({ folder, userDataDir, extensionsDir, trust = 'trusted', settings = {}, extraArgs = [],
  env = {}, logFile, port, home, timeoutMs = 60000 }) {
  port ??= await freePort();
  home ??= path.join(path.dirname(userDataDir), 'home');
  fs.mkdirSync(extensionsDir, { recursive: true });
  if (!fs.existsSync(path.join(userDataDir, 'User', 'settings.json'))) {
    writeUserSettings(userDataDir, { 'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off',
      'extensions.autoCheckUpdates': false, 'extensions.autoUpdate': false, 'workbench.tips.enabled': false,
      // Run workspaces live under the repo's .test-work/: no "open the parent repository?" toast.
      'git.openRepositoryInParentFolders': 'never',
      ...trustSettings(trust), ...settings });
  }
  // An explicit config file, so code-server does not generate one with a password in HOME.
  const config = path.join(path.dirname(userDataDir), 'code-server.yaml');
  fs.writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const args = [CODE_SERVER_ENTRY, '--config', config, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
    '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir,
    '--disable-telemetry', '--disable-update-check', '--ignore-last-opened',
    ...(trust === 'disabled' ? ['--disable-workspace-trust'] : []), ...extraArgs, ...(folder ? [folder] : [])];
  const t0 = Date.now();
  const child = spawn(path.join(NODE24_BIN, 'node'), args, {
    cwd: folder ?? REPO,
    env: { ...process.env, PATH: `${NODE24_BIN}${path.delimiter}${process.env.PATH}`, ...isolatedHomeEnv(home), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = logFile ? fs.createWriteStream(logFile) : null;
  let buf = '';
  const onData = (d) => { buf += d; out?.write(d); };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  child.once('exit', () => out?.end());
  await new Promise((resolve, reject) => {
    const done = (err) => {
      clearTimeout(timer); clearInterval(poll); child.off('exit', onExit);
      if (err) reject(err); else resolve();
    };
    const onExit = (code, sig) => done(new Error(`code-server exited (${sig ?? code}) before listening:\n${buf}`));
    const timer = setTimeout(() => { child.kill('SIGKILL'); done(new Error(`code-server did not listen within ${timeoutMs} ms:\n${buf}`)); }, timeoutMs);
    const poll = setInterval(() => { if (/HTTP server listening on/.test(buf)) done(); }, 50);
    child.once('exit', onExit);
  });
  return { child, port, url: `http://127.0.0.1:${port}/`, startMs: Date.now() - t0, log: () => buf };
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
export async function stopProcess(child, graceMs = 10000) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await gone;
  clearTimeout(timer);
}

/** playwright-core from the project's node_modules (never `npx playwright install`). */
export function playwright() {
  return createRequire(path.join(REPO, 'package.json'))('playwright-core');
}

/**
 * Debian's Chromium, headless, with a throw-away profile under .test-work/.
 * @returns {Promise<{context, page, profileDir, close: () => Promise<void>}>}
 */
export async function launchBrowser({ profileDir, home, viewport = { width: 1400, height: 900 } } = {}) {
  profileDir ??= workDir('browser', 'profile-');
  home ??= path.join(profileDir, 'home');
  const context = await playwright().chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM, headless: true, viewport, args: CHROMIUM_ARGS,
    env: { ...process.env, ...isolatedHomeEnv(home) },
  });
  const page = context.pages()[0] ?? await context.newPage();
  return { context, page, profileDir, close: () => context.close() };
}

/** The `vscode-remote://` form of a server-side path, as the payload URL expects it. */
export function remoteUri(port, p) {
  return `vscode-remote://127.0.0.1:${port}${path.resolve(p)}`;
}

/**
 * Marks folders trusted in the browser before the workbench loads. The web workbench keeps the
 * trusted-folder list (`content.trust.model.key`, application-shared scope) in the browser's
 * IndexedDB for this origin, not on the server, so a fresh profile trusts nothing. Same-origin
 * page first (the health check), then the write, then the workbench.
 */
export async function seedTrustedFolders(page, port, folders) {
  await page.goto(`http://127.0.0.1:${port}/healthz`);
  const uriTrustInfo = folders.map((f) => ({
    uri: { scheme: 'vscode-remote', authority: `127.0.0.1:${port}`, path: path.resolve(f) }, trusted: true,
  }));
  await page.evaluate(async (value) => {
    const db = await new Promise((resolve, reject) => {
      const req = indexedDB.open('vscode-web-state-db-global-shared');
      req.onupgradeneeded = () => req.result.createObjectStore('ItemTable');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    await new Promise((resolve, reject) => {
      const tx = db.transaction('ItemTable', 'readwrite');
      tx.objectStore('ItemTable').put(value, 'content.trust.model.key');
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    });
    db.close();
  }, JSON.stringify({ uriTrustInfo }));
}

/**
 * Opens the workbench on `folder`; with `payload` (e.g. extensionDevelopmentPath) it is passed the
 * way the smoke-test driver expects. Seeds trust first when `trust` is 'trusted'.
 */
export async function openWorkbench(page, { port, folder, trust = 'trusted', payload }) {
  if (trust === 'trusted' && folder) await seedTrustedFolders(page, port, [folder]);
  let url = `http://127.0.0.1:${port}/`;
  const query = [];
  if (folder) query.push(`folder=${encodeURIComponent(path.resolve(folder))}`);
  if (payload) query.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
  if (query.length) url += `?${query.join('&')}`;
  await page.goto(url, { timeout: 60000 });
  return url;
}

/**
 * Packages the built extension into a .vsix with vsce (under Node 24: vsce 4 needs Node >= 22).
 * Dependencies are bundled into dist/ by esbuild, hence --no-dependencies; .vscodeignore decides the rest.
 */
export async function packageExtension(outFile = path.join(WORK, 'switchboard.vsix'), dir = REPO) {
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.rmSync(outFile, { force: true });
  // Relative README links stay as they are: this .vsix is installed locally, never published, and
  // vsce cannot derive absolute URLs from a non-GitHub repository URL.
  const args = [path.join(REPO, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies',
    '--no-rewrite-relative-links', '-o', outFile];
  // Test-only extensions have no license or repository; vsce would stop to ask.
  if (dir !== REPO) args.push('--skip-license', '--allow-missing-repository');
  await run(path.join(NODE24_BIN, 'node'), args, { cwd: dir, env: node24Env(), quiet: true });
  return outFile;
}

/** Installs a .vsix into an extensions dir with code-server's own CLI (replacing the same version). */
export async function installExtension({ vsix, extensionsDir, userDataDir, home }) {
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.mkdirSync(userDataDir, { recursive: true });
  const config = path.join(path.dirname(userDataDir), 'code-server.yaml');
  if (!fs.existsSync(config)) fs.writeFileSync(config, 'auth: none\ncert: false\n');
  await run(path.join(NODE24_BIN, 'node'), [CODE_SERVER_ENTRY, '--config', config, '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir, '--install-extension', vsix, '--force'],
  { env: { ...node24Env(), ...isolatedHomeEnv(home ?? path.join(path.dirname(userDataDir), 'home')) }, quiet: true });
}

/** Lines the workbench logs in every offline session; kept in the log files, not on the console. */
const NOISE = [/^\[AgentHost\] No signed-in session/, /^\[ChatModelSelection\]/, /ENOTFOUND open-vsx\.org/,
  /authentication provider 'github'/, /^\[AccountPolicyGate\]/, /^(Creating a socket|Resolv(ing|ed) connection token)/];
export const isNoise = (text) => NOISE.some((re) => re.test(text));

/** Runs `cleanup` once on Ctrl-C / SIGTERM before exiting, so no editor or browser is left behind. */
export function onInterrupt(cleanup) {
  let done = false;
  const handler = async (signal) => {
    if (done) return;
    done = true;
    console.log(`\n[editor] ${signal}: stopping...`);
    try { await cleanup(); } finally { process.exit(signal === 'SIGINT' ? 130 : 143); }
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}

/** Linux process table from /proc: pid, parent pid, start time (clock ticks since boot), cwd, command line. */
export function listProcesses() {
  const procs = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      // Fields after the parenthesised command name: state ppid ... starttime is field 22 overall.
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmd = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ').trim();
      let cwd = null;
      try { cwd = fs.readlinkSync(`/proc/${name}/cwd`); } catch { /* not ours to read */ }
      procs.push({ pid: Number(name), ppid: Number(rest[1]), start: Number(rest[19]), cwd, cmd });
    } catch { /* exited meanwhile */ }
  }
  return procs;
}

/**
 * What a finished run left running, after giving servers `graceMs` to exit on stdin EOF: processes
 * working inside one of `dirs` (only folders the run created, never a shared one), or carrying
 * `marker` on their command line,
 * started since `sinceTicks` and not under another live code-server (a concurrent run).
 */
export async function leftoverProcesses({ dirs = [], marker, sinceTicks = 0, graceMs = 10000 }) {
  const inside = (cwd) => cwd && dirs.some((d) => cwd === d || cwd.startsWith(d + path.sep));
  const find = () => {
    const procs = listProcesses();
    const byPid = new Map(procs.map((p) => [p.pid, p]));
    const underOtherEditor = (p) => {
      for (let a = byPid.get(p.ppid); a; a = byPid.get(a.ppid)) if (a.cmd.includes(CODE_SERVER_ENTRY)) return true;
      return false;
    };
    return procs.filter((p) => p.pid !== process.pid && (inside(p.cwd)
      || (marker && p.cmd.includes(marker) && p.start >= sinceTicks && !underOtherEditor(p))));
  };
  const deadline = Date.now() + graceMs;
  let left = find();
  while (left.length && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    left = find();
  }
  return left;
}

/** Reports and SIGKILLs what `leftoverProcesses` found; returns how many there were. */
export function killLeftovers(leftovers, log) {
  for (const p of leftovers) {
    log(`left running after the editor stopped: pid ${p.pid} (cwd ${p.cwd}): ${p.cmd}`);
    try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone */ }
  }
  return leftovers.length;
}

/**
 * "Activating extension X failed" entries (with their error line) from the extension host logs of a
 * code-server user-data dir: the first thing to read when a view never shows up.
 */
export function activationFailures(userDataDir) {
  const logs = path.join(userDataDir, 'logs');
  if (!fs.existsSync(logs)) return [];
  const found = [];
  for (const session of fs.readdirSync(logs)) {
    const dir = path.join(logs, session);
    for (const host of fs.existsSync(dir) && fs.statSync(dir).isDirectory() ? fs.readdirSync(dir) : []) {
      const file = path.join(dir, host, 'remoteexthost.log');
      if (!host.startsWith('exthost') || !fs.existsSync(file)) continue;
      const lines = fs.readFileSync(file, 'utf8').split('\n');
      lines.forEach((l, i) => {
        if (/\[error\] Activating extension .* failed/.test(l)) found.push(`${l.replace(/^.*\[error\] /, '')} ${(lines[i + 1] ?? '').replace(/^.*\[error\] /, '')}`);
      });
    }
  }
  return found;
}
