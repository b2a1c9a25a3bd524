/**
 * A stdio server that leaves a helper behind, as daemons do. It is the fixtures' echo server, but
 * at start it runs an intermediate process that starts the helper and exits at once, so the
 * helper is re-parented away from the server's tree and no walk from the server finds it.
 *
 *   forking.js double-fork <pid-file>   the helper stays in the server's process group
 *   forking.js setsid <pid-file>        the helper also takes a session of its own (setsid)
 *
 * The helper ignores SIGTERM and SIGHUP, holds none of the server's pipes, writes its pid to
 * <pid-file> and runs until it is killed.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { exitOnStdinEnd, startFixture } from '../../fixtures/fixture';
import { FixtureTransport } from '../../fixtures/fixtureTransport';
import { createFixtureServer } from '../../fixtures/tools';

const argv = process.argv.slice(2);
const role = argv[0] === 'helper' || argv[0] === 'intermediate' ? argv.shift()! : 'server';
const [mode, pidFile] = argv;

function helper(): void {
  for (const signal of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) process.on(signal, () => undefined);
  writeFileSync(pidFile, String(process.pid));
  setInterval(() => undefined, 1 << 30);
}

/** Starts the helper (in a new session for `setsid`: Node's `detached`) and exits. */
function intermediate(): void {
  const child = spawn(process.execPath, [__filename, 'helper', mode, pidFile], { stdio: 'ignore', detached: mode === 'setsid' });
  child.unref();
  child.once('spawn', () => process.exit(0));
}

async function server(): Promise<void> {
  const fixture = startFixture('forking');
  const middle = spawn(process.execPath, [__filename, 'intermediate', mode, pidFile], { stdio: 'ignore' });
  await new Promise((resolve) => middle.once('exit', resolve));
  const { server: mcp } = createFixtureServer(fixture);
  await mcp.connect(new FixtureTransport(new StdioServerTransport(), fixture));
  exitOnStdinEnd(fixture);
  fixture.log('connected');
}

if (role === 'helper') helper();
else if (role === 'intermediate') intermediate();
else {
  server().catch((e) => {
    process.stderr.write(`hostile forking failed: ${String(e)}\n`);
    process.exit(1);
  });
}
