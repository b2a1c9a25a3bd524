// `npm run package`: a production build and a .vsix that holds only the bundle, media, manifest,
// README, CHANGELOG and LICENSE (checked here, so a stray file fails the command).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args) => execFileSync(cmd, args, { cwd: REPO, stdio: 'inherit' });

if (!fs.existsSync(path.join(REPO, 'node_modules', '@vscode', 'vsce'))) run('npm', ['ci', '--no-audit', '--no-fund']);
run(process.execPath, ['esbuild.js']);
const { version, name } = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
const out = path.join(REPO, `${name}-${version}.vsix`);
// The bundle has no runtime dependencies left to ship; README links stay relative (see README).
run(process.execPath, [path.join(REPO, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--no-rewrite-relative-links', '-o', out]);

// python3 is on every machine we build on; unzip is not.
const listing = execFileSync('python3', ['-c', 'import sys, zipfile; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))', out], { encoding: 'utf8' })
  .split('\n').filter(Boolean);
const allowed = [/^extension\/dist\/extension\.js$/, /^extension\/media\//, /^extension\/package\.json$/, /^extension\/(readme|changelog)\.md$/i,
  /^extension\/LICENSE(\.txt)?$/i, /^\[Content_Types\]\.xml$/, /^extension\.vsixmanifest$/];
const unexpected = listing.filter((f) => !f.endsWith('/') && !allowed.some((re) => re.test(f)));
if (unexpected.length) {
  console.error(`unexpected files in the .vsix:\n  ${unexpected.join('\n  ')}`);
  process.exit(1);
}
const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
console.log(`${path.relative(REPO, out)}: ${kb(fs.statSync(out).size)}, bundle ${kb(fs.statSync(path.join(REPO, 'dist', 'extension.js')).size)}, ${listing.length} entries`);
