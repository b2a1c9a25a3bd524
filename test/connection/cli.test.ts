/** The headless CLI, run as users run it: `node dist/cli.js …` in a folder with a config. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fixturePath } from '../fixtures/spawn';

const CLI = path.resolve(__dirname, '../../../dist/cli.js');

function run(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

/** Fixture processes still running that carry this test's unique marker in their command line. */
function leftovers(marker: string): string[] {
  return fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).flatMap((p) => {
    try { return fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(marker) ? [p] : []; } catch { return []; }
  });
}

describe('switchboard CLI', function () {
  this.timeout(60_000);
  let dir: string;
  const marker = `sb-cli-${process.pid}-${Date.now()}`;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-cli-'));
    fs.mkdirSync(path.join(dir, '.vscode'));
    fs.writeFileSync(path.join(dir, '.vscode', 'switchboard.json'), JSON.stringify({
      servers: {
        echo: { type: 'stdio', command: process.execPath, args: [fixturePath('echo'), marker], env: { FIXTURE_LOG_FILE: '${workspaceFolder}/echo-calls.log' } },
        dies: { type: 'stdio', command: process.execPath, args: [fixturePath('exit-at-start'), marker] },
        hang: { type: 'stdio', command: process.execPath, args: [fixturePath('hang'), marker], startupTimeoutMs: 1500 },
      },
    }, null, 2));
    fs.writeFileSync(path.join(dir, 'broken.json'), '{\n  "servers": {\n    "x": { "type": "stdio", "command": 42 }\n  }\n}\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const serverLog = () => { try { return fs.readFileSync(path.join(dir, 'echo-calls.log'), 'utf8'); } catch { return ''; } };

  it('check prints file:line:col errors and exits 1', async () => {
    const r = await run(['check', '--config', 'broken.json'], dir);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^broken\.json:3:\d+ .*command/m);
  });

  it('check exits 0 on a valid file', async () => {
    const r = await run(['check'], dir);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /ok: 3 servers/);
  });

  it('list --json connects every server and reports failures with their stderr, leaving no process behind', async () => {
    const r = await run(['list', '--json'], dir);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { servers: { name: string; state: string; error?: string; stderr?: string[]; tools: { name: string; server: string; tool: string }[]; resources: number; prompts: number }[] };
    const byName = Object.fromEntries(out.servers.map((s) => [s.name, s]));
    assert.equal(byName.echo.state, 'running');
    assert.ok(byName.echo.tools.some((t) => t.name === 'echo_echo' && t.server === 'echo' && t.tool === 'echo'));
    assert.equal(byName.dies.state, 'error');
    assert.ok(byName.dies.stderr!.some((l) => l.includes('boom')));
    assert.equal(byName.hang.state, 'error');
    assert.match(byName.hang.error!, /did not finish starting/);
    await new Promise((res) => setTimeout(res, 300));
    assert.deepEqual(leftovers(marker), [], 'no fixture process left');
  });

  it('list prints a readable summary', async () => {
    const r = await run(['list'], dir);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^echo: running — \d+ tools/m);
    assert.match(r.stdout, /^dies: error: /m);
    assert.match(r.stdout, /^ {2}echo_echo/m);
  });

  it('list exits 2 naming a missing file', async () => {
    const r = await run(['list', '--config', 'nope.json'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /nope\.json/);
  });
  it('call refuses without --yes (exit 3) and sends nothing', async () => {
    const r = await run(['call', 'echo_echo', '{"text":"not-approved"}'], dir);
    assert.equal(r.code, 3, r.stdout + r.stderr);
    assert.match(r.stderr, /need approval: run again with --yes/);
    assert.equal(r.stdout, '');
    assert.doesNotMatch(serverLog(), /not-approved/, 'the server never saw the call');
    assert.deepEqual(leftovers(marker), []);
  });

  it('call --yes runs the tool through the router and prints the result', async () => {
    const r = await run(['call', 'echo_echo', '{"text":"hello from the cli"}', '--yes'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'hello from the cli\n');
    assert.match(serverLog(), /call echo \{"text":"hello from the cli"\}/);
    const json = await run(['call', 'echo_add', '{"a":2,"b":3}', '--yes', '--json'], dir);
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(JSON.parse(json.stdout).result.structuredContent, { sum: 5 });
    assert.deepEqual(leftovers(marker), []);
  });

  it('call names the invalid field (exit 2), even before approval, and rejects bad JSON', async () => {
    const r = await run(['call', 'echo_add', '{"a":2,"b":"three"}'], dir);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /argument "b" must be number/);
    assert.doesNotMatch(serverLog(), /"three"/, 'the server never saw the invalid call');
    const bad = await run(['call', 'echo_echo', '{text:'], dir);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /not valid JSON/);
  });

  it('call reports an unknown tool and a failing server with its stderr (exit 1)', async () => {
    const unknown = await run(['call', 'echo_nope', '{}', '--yes'], dir);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /No tool named "echo_nope".*echo_echo/);
    const dead = await run(['call', 'dies_anything', '{}', '--yes'], dir);
    assert.equal(dead.code, 1);
    assert.match(dead.stderr, /MCP server "dies" is not running/);
    assert.match(dead.stderr, /boom: missing API key/);
    assert.deepEqual(leftovers(marker), []);
  });
});
