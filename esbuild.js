// Builds the two shipped bundles (extension, CLI) and transpiles sources + tests to out/ for mocha.
// Type-checking is deliberately separate (`npm run typecheck`): esbuild only strips types.
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const watch = process.argv.includes('--watch');
const production = !process.argv.includes('--dev');

/** Every .ts file below a folder (tests, fixtures, sources), for the unbundled out/ tree. */
function tsFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return tsFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/**
 * zod's `z.locales` namespace holds every translation of its error messages (a quarter of our
 * bundle, parsed at every activation). We never switch locale, and zod registers English itself,
 * so the bundles get a namespace with English alone.
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) => {
      if (!/[\\/]node_modules[\\/]zod[\\/]/.test(args.importer)) return undefined;
      return { path: path.join(args.resolveDir, '..', 'locales', 'en.js'), namespace: 'zod-locales' };
    });
    build.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};`, resolveDir: path.dirname(args.path), loader: 'js',
    }));
  },
};

/**
 * For `import * as vscode from 'vscode'`, esbuild gives every importing file its own copy of the
 * API object as a namespace (a getter for each of its several hundred members): about 1 ms a file
 * on activation, twenty times over. Resolving 'vscode' to one module that re-exports it makes that
 * copy once; the files then read the members from it.
 */
const vscodeOnce = {
  name: 'vscode-once',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, (args) => (args.namespace === 'vscode-once'
      ? { path: 'vscode', external: true }
      : { path: 'vscode', namespace: 'vscode-once' }));
    build.onLoad({ filter: /.*/, namespace: 'vscode-once' }, () => ({ contents: "export * from 'vscode';", loader: 'js' }));
  },
};

const bundle = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: production,
  sourcemap: production ? false : 'linked',
  logLevel: 'warning',
  // jsonc-parser's `main` is a UMD build whose dynamic requires esbuild cannot follow; its ESM
  // `module` build bundles cleanly. The SDK resolves through its exports map (`require` condition).
  mainFields: ['module', 'main'],
  conditions: ['require', 'node'],
  plugins: [zodEnglishOnly],
};

/** The shipped extension; test/unit/activationPath.test.ts builds it too, to check what activation loads. */
const extension = {
  ...bundle, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], plugins: [...bundle.plugins, vscodeOnce],
};

async function main() {
  const builds = [
    extension,
    { ...bundle, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
    {
      // Tests and fixtures run unbundled from out/ so each file keeps its own module identity.
      entryPoints: [...tsFiles('src'), ...tsFiles('test'), ...tsFiles('bench')],
      outdir: 'out', outbase: '.', platform: 'node', target: 'node20', format: 'cjs',
      sourcemap: 'inline', logLevel: 'warning',
      // `import()` of our own modules (the lazy parts of activation) becomes a `require` in a
      // promise, as in the bundle; left as is, Node would resolve './x' as an ES module and fail.
      supported: { 'dynamic-import': false },
    },
  ];
  if (watch) {
    for (const b of builds) await (await esbuild.context(b)).watch();
    console.log('[esbuild] watching');
    return;
  }
  // Let every build finish before reporting, so a failing bundle never leaves out/ half-written.
  const results = await Promise.allSettled(builds.map((b) => esbuild.build(b)));
  const failed = results.filter((r) => r.status === 'rejected');
  if (failed.length) {
    for (const f of failed) console.error(f.reason?.message ?? f.reason);
    process.exit(1);
  }
  fs.chmodSync('dist/cli.js', 0o755);
}

if (require.main === module) main().catch((e) => { console.error(e); process.exit(1); });

module.exports = { extension };
