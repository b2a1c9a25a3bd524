/**
 * Footprint: the shipped bundle and .vsix sizes (`npm run package`), and what the real extension
 * host measures (test/integration/bench/footprint.test.ts, run in code-server by the integration
 * harness): activation with no servers, heap with 10 servers, the tree's first level at 10,000 tools.
 * Then windows of one workspace in one editor state (cachedWindow1/2.test.ts): the first runs
 * 10 servers and caches their catalogs, each next one says when its servers tree first had tools.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '..', '..');

export interface HostFigures {
  loadMs: number; activateMs: number; heapNoServersMb: number; heap10ServersMb: number; heap10DeltaMb: number;
  tools: number; treeFirstLevelMs: number; treeToolsGroupMs: number; heap50ServersMb: number;
}

/** The next window: ms from the start of `activate()` until the servers tree had tools, and whether cached ones. */
export interface CachedWindowFigures { firstToolsMs: number; firstToolsCached: boolean; cachedTools: number; activateMs: number }

export interface Footprint {
  bundleKb: number; vsixKb: number; host?: HostFigures; hostError?: string;
  /** One per next window opened (CACHED_WINDOWS), each after the first window cached the catalogs. */
  cachedWindows?: CachedWindowFigures[]; cachedWindowError?: string;
}

/** How many times the next window is opened: each a round of the cached-catalog figure. */
const CACHED_WINDOWS = 3;

/** Runs one suite of test/integration in the extension host; its figures come back as JSON. */
function hostSuite(suite: string, runDir?: string): unknown {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-footprint-')), 'figures.json');
  try {
    execFileSync(process.execPath, [path.join(REPO, 'scripts', 'run-extension-tests.mjs'), '--suite', suite, ...(runDir ? ['--run-dir', runDir] : [])], {
      cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, SWITCHBOARD_BENCH_OUT: out }, timeout: 600_000,
    });
    return fs.existsSync(out) ? JSON.parse(fs.readFileSync(out, 'utf8')) : undefined;
  } finally {
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
  }
}

const hostFailure = (e: unknown) =>
  `the extension-host run failed (${e instanceof Error ? e.message.split('\n')[0] : String(e)}); run \`npm test\` once first, it installs code-server`;

export function footprint(): Footprint {
  execFileSync(process.execPath, [path.join(REPO, 'scripts', 'package.mjs')], { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] });
  const { name, version } = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { name: string; version: string };
  const kb = (f: string) => fs.statSync(path.join(REPO, f)).size / 1024;
  const result: Footprint = { bundleKb: kb(path.join('dist', 'extension.js')), vsixKb: kb(`${name}-${version}.vsix`) };
  try {
    result.host = hostSuite('footprint') as HostFigures;
  } catch (e) {
    result.hostError = hostFailure(e);
  }
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-windows-'));
  try {
    hostSuite('cachedWindow1', runDir);
    result.cachedWindows = [];
    for (let i = 0; i < CACHED_WINDOWS; i++) result.cachedWindows.push(hostSuite('cachedWindow2', runDir) as CachedWindowFigures);
  } catch (e) {
    result.cachedWindowError = hostFailure(e);
  } finally {
    fs.rmSync(runDir, { recursive: true, force: true });
  }
  return result;
}
