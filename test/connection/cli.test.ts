/** The headless CLI, run as users run it: `node dist/cli.js …` in a folder with a config. */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fixturePath } from '../fixtures/spawn';

const CLI = path.resolve(__dirname, '../../../dist/cli.js');

/** The CLI's user data folder (rules, audit log) for this suite: never the real one. */
let home = '';

function run(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, SWITCHBOARD_HOME: home, ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
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
    home = path.join(dir, 'user-data');
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

  it('allow pins a tool so call runs without --yes; deny wins even over --yes; revoke removes both', async () => {
    const allow = await run(['allow', 'echo_echo'], dir);
    assert.equal(allow.code, 0, allow.stderr);
    assert.match(allow.stdout, /^allowed: \S+ +allow +always +echo\/echo /m);
    assert.match(allow.stdout, /pinned: echo$/m);
    const rules = JSON.parse((await run(['permissions', '--json'], dir)).stdout) as { id: string; pins: Record<string, unknown> }[];
    assert.equal(rules.length, 1);
    assert.deepEqual(Object.keys(rules[0].pins), ['echo']);
    if (process.platform !== 'win32') assert.equal(fs.statSync(path.join(home, 'permissions.json')).mode & 0o777, 0o600);

    const allowed = await run(['call', 'echo_echo', '{"text":"allowed by rule"}'], dir);
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.equal(allowed.stdout, 'allowed by rule\n');
    const other = await run(['call', 'echo_add', '{"a":1,"b":1}'], dir);
    assert.equal(other.code, 3, 'the rule covers echo_echo only');

    const deny = await run(['deny', 'echo', '--scope', 'workspace'], dir);
    assert.equal(deny.code, 0, deny.stderr);
    const denied = await run(['call', 'echo_echo', '{"text":"denied by rule"}', '--yes'], dir);
    assert.equal(denied.code, 3);
    assert.match(denied.stderr, /Denied by your rule for server "echo" \(workspace\)/);
    assert.doesNotMatch(serverLog(), /denied by rule/);

    const listed = (await run(['permissions'], dir)).stdout.trim().split('\n');
    assert.equal(listed.length, 2);
    for (const line of listed) assert.equal((await run(['revoke', line.split(' ')[0]], dir)).code, 0);
    assert.match((await run(['permissions'], dir)).stdout, /^no rules/);
    assert.equal((await run(['call', 'echo_echo', '{"text":"x"}'], dir)).code, 3);
    assert.equal((await run(['revoke', 'no-such-id'], dir)).code, 1);
    assert.equal((await run(['allow', 'echo', '--scope', 'forever'], dir)).code, 2);
    assert.deepEqual(leftovers(marker), []);
  });

  it('every call is in the audit log with who decided, the outcome and an argument hash, never the arguments', async () => {
    const lines = fs.readFileSync(path.join(home, 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const byText = (outcome: string, decidedBy?: string) => lines.filter((l) => l.outcome === outcome && l.decidedBy === decidedBy);
    assert.ok(byText('ok', 'user').length >= 2, 'calls run with --yes count as the user allowing once');
    assert.ok(byText('ok', 'policy').some((l) => typeof l.rule === 'string'), 'a call allowed by a rule names it');
    assert.ok(byText('denied', 'policy').length >= 2);
    assert.ok(lines.some((l) => l.outcome === 'invalidArguments' && l.decision === undefined));
    for (const l of lines) {
      assert.match(String(l.argsHash), /^[0-9a-f]{64}$/);
      assert.equal(l.origin, 'cli');
    }
    const text = fs.readFileSync(path.join(home, 'audit.jsonl'), 'utf8');
    assert.doesNotMatch(text, /allowed by rule|hello from the cli|not-approved/, 'argument values never reach the log');
  });

  it('Ctrl-C ends the CLI and every server process it started', async () => {
    const slow = `${marker}-interrupted`;
    fs.writeFileSync(path.join(dir, 'hang.json'), JSON.stringify({
      servers: { hang: { type: 'stdio', command: process.execPath, args: [fixturePath('hang'), slow], startupTimeoutMs: 30_000 } },
    }));
    const cli = spawn(process.execPath, [CLI, 'list', '--config', 'hang.json'], { cwd: dir, env: { ...process.env, SWITCHBOARD_HOME: home }, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => cli.once('exit', (code) => resolve(code)));
    // The hang fixture and its grandchild both carry the marker.
    for (const end = Date.now() + 20_000; leftovers(slow).length < 2;) {
      assert.ok(Date.now() < end, 'the server and its grandchild never started');
      await new Promise((r) => setTimeout(r, 50));
    }
    cli.kill('SIGINT');
    assert.equal(await exited, 130);
    for (const end = Date.now() + 5000; leftovers(slow).length > 0;) {
      assert.ok(Date.now() < end, `left running: ${leftovers(slow).join(', ')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  });
});
