/**
 * Loaded with `node --require` into a CLI process a test runs, so an attack on that process is
 * measured there, by `watchHost()`, and its figures appended as one JSON line to the file in
 * HOST_WATCH_FILE at exit.
 *
 * The watch begins once the CLI has started its first server: the servers' text arrives from then
 * on, while what comes before (loading the CLI, reading the config, setting up the client) is
 * the CLI's own start, which no server has any say in. The in-process attacks leave it out too,
 * by starting a well-behaved server before they watch.
 */
import { appendFileSync } from 'node:fs';
import { watchHost } from './harness';

const file = process.env.HOST_WATCH_FILE;
if (file) {
  // The module object itself (an ES import would get a copy), so the CLI's calls come through here.
  const childProcess = require('node:child_process') as typeof import('node:child_process');
  const spawn = childProcess.spawn;
  let watching = false;
  childProcess.spawn = function (this: unknown, ...args: unknown[]) {
    if (!watching) {
      watching = true;
      setImmediate(() => {
        const watch = watchHost();
        process.once('exit', () => appendFileSync(file, `${JSON.stringify(watch.stop())}\n`));
      });
    }
    return (spawn as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof spawn;
}
