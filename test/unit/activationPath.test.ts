/**
 * What the bundle evaluates when VS Code loads it: every module reached from src/extension.ts by
 * static imports. zod, Ajv and the MCP SDK cost several times the rest of the extension to
 * evaluate, so they (and jsonc-parser, which only the config editing needs) must only be reached
 * through `import()`: esbuild then wraps them to run on first need. One static import of them
 * anywhere on this path would put them back into every window's activation.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { build, type Metafile } from 'esbuild';

const REPO = path.resolve(__dirname, '..', '..', '..');
const { extension } = require(path.join(REPO, 'esbuild.js')) as { extension: Parameters<typeof build>[0] };


/** Every input reached from `entry` without crossing a dynamic `import()`. */
function staticallyReached(meta: Metafile, entry: string): Set<string> {
  const reached = new Set<string>();
  const todo = [entry];
  for (let file = todo.pop(); file !== undefined; file = todo.pop()) {
    if (reached.has(file)) continue;
    reached.add(file);
    for (const imp of meta.inputs[file]?.imports ?? []) {
      if (!imp.external && imp.kind !== 'dynamic-import') todo.push(imp.path);
    }
  }
  return reached;
}

const packageOf = (file: string): string | undefined => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1];

describe('activation path', function () {
  this.timeout(60_000);

  it('loads none of its packages with the bundle: zod, Ajv, the SDK and jsonc-parser wait for their first use', async () => {
    const { metafile } = await build({ ...extension, absWorkingDir: REPO, write: false, minify: false, metafile: true, logLevel: 'silent' });
    const reached = staticallyReached(metafile, 'src/extension.ts');
    const packages = [...new Set([...reached].map(packageOf).filter((p): p is string => !!p))].sort();
    assert.deepEqual(packages, []);
    // And the lazy parts are still in the one bundle, not left out of it.
    const bundled = new Set(Object.keys(metafile.inputs).map(packageOf));
    for (const p of ['zod', 'ajv', '@modelcontextprotocol/sdk', 'jsonc-parser']) assert.ok(bundled.has(p), `${p} is bundled`);
  });
});
