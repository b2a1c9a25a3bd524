// `npm run screenshots`: the README's images (docs/images/*.png), taken by the UI flows that show
// them, in a real VS Code, on the demo workspace. The only command that writes docs/images/: the
// UI tests (`npm test`) take the same pictures into .test-work/shots/ui/ and change nothing tracked.
//
//   npm run screenshots            (then look at `git diff --stat docs/images` and commit what you want)
import path from 'node:path';
import { REPO, ensureEditorTools, ensureNodeModules, run } from './editor.mjs';

await ensureNodeModules();
await ensureEditorTools();
await run(process.execPath, ['esbuild.js']);
await run(process.execPath, [path.join(REPO, 'scripts', 'run-ui-tests.mjs'), '--docs', path.join(REPO, 'docs', 'images')]);
