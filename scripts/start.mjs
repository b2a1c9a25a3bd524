// `npm start`: the extension in a real VS Code in the browser, on the demo/ workspace.
// Installs what is missing (npm ci, Node 24 + code-server), builds, packages the extension and
// installs it into a persistent editor profile under .test-work/start/, then serves code-server on
// 127.0.0.1 until Ctrl-C.
//
//   PORT=8080 npm start        (default: a free port)
//   DEMO_MODEL=0 npm start     (without the rule-based demo model in the Chat view)
//
// Workspace trust is disabled for this session (`--disable-workspace-trust`): trusted folders are
// remembered by the browser, not the server, so this is how demo/ opens trusted in any browser.
import fs from 'node:fs';
import path from 'node:path';
import {
  REPO, WORK, ensureEditorTools, ensureNodeModules, installExtension, onInterrupt, packageExtension, run,
  startCodeServer, stopProcess,
} from './editor.mjs';

const DEMO = path.join(REPO, 'demo');
const DEMO_MODEL = path.join(REPO, 'demo-model');
const HOME = path.join(WORK, 'start');
const log = (msg) => console.log(`[start] ${msg}`);

async function main() {
  const t0 = Date.now();
  if (!fs.existsSync(DEMO)) throw new Error(`${DEMO} does not exist: the demo workspace is missing from this checkout`);
  await ensureNodeModules();
  log('building (node esbuild.js)');
  await run(process.execPath, ['esbuild.js']);
  await ensureEditorTools();
  const dirs = { userDataDir: path.join(HOME, 'user-data'), extensionsDir: path.join(HOME, 'extensions'), home: path.join(HOME, 'home') };
  await installExtension({ vsix: await packageExtension(path.join(HOME, 'switchboard.vsix')), ...dirs });
  // Without Copilot (nothing can sign in here) the Chat view has no model; this rule-based one lets
  // @switchboard's tool calls and approval cards be tried. DEMO_MODEL=0 leaves it out.
  if (process.env.DEMO_MODEL !== '0') await installExtension({ vsix: await packageExtension(path.join(HOME, 'demo-model.vsix'), DEMO_MODEL), ...dirs });
  log(`extension${process.env.DEMO_MODEL !== '0' ? ' and the demo model' : ''} installed into ${dirs.extensionsDir}`);

  const port = process.env.PORT ? Number(process.env.PORT) : undefined;
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) throw new Error(`PORT="${process.env.PORT}" is not a port number`);
  const cs = await startCodeServer({ folder: DEMO, trust: 'disabled', port, ...dirs, logFile: path.join(HOME, 'code-server.log') });
  let stopping = false;
  onInterrupt(() => { stopping = true; return stopProcess(cs.child); });
  const url = `${cs.url}?folder=${encodeURIComponent(DEMO).replace(/%2F/g, '/')}`;
  const rule = '═'.repeat(Math.max(60, url.length + 4));
  console.log(`\n${rule}\n  MCP Switchboard is running in VS Code (code-server) at:\n\n    ${url}\n\n  Ctrl-C to stop. Editor log: ${path.relative(REPO, path.join(HOME, 'code-server.log'))}\n${rule}\n`);
  log(`ready in ${((Date.now() - t0) / 1000).toFixed(1)} s (code-server pid ${cs.child.pid})`);
  const code = await new Promise((resolve) => cs.child.once('exit', (c, sig) => resolve(c ?? (sig ? 1 : 0))));
  if (stopping) return new Promise(() => {}); // onInterrupt exits once the stop completes
  log(`code-server exited on its own (${code}); see ${path.join(HOME, 'code-server.log')}`);
  return code || 1;
}

main().then((code) => process.exit(code), (e) => {
  console.error(`[start] ${e.stack ?? e}`);
  process.exit(1);
});
