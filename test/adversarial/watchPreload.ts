/**
 * Loaded with `node --require` into a process a test runs (the CLI), so an attack on that process
 * is measured there: from the end of its module loading until it exits, the figures of
 * `watchHost()` are appended as one JSON line to the file in HOST_WATCH_FILE.
 */
import { appendFileSync } from 'node:fs';
import { watchHost } from './harness';

const file = process.env.HOST_WATCH_FILE;
if (file) {
  setImmediate(() => {
    const watch = watchHost();
    process.once('exit', () => appendFileSync(file, `${JSON.stringify(watch.stop())}\n`));
  });
}
