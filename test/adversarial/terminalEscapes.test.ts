/**
 * Attack: a server's text carries terminal escape sequences (clipboard writes, window titles,
 * erase-line, bidi overrides) in tool names, descriptions, results, errors and stderr, hoping the
 * CLI prints them to the user's terminal as they are. Run as users run it: `node dist/cli.js`.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { escapeJsonControls } from '../../src/common/terminalText';
import { fixturePath } from '../fixtures/spawn';
import { childWatch, readChildFigures } from './childWatch';
import { hostilePath, survived } from './harness';
import { HOSTILE } from './servers/hostileText';

const CLI = path.resolve(__dirname, '../../../dist/cli.js');
/** What a terminal would act on: C0 but tab and newline, DEL, C1, bidi controls. */
const TERMINAL_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

interface Run { code: number; stdout: string; stderr: string }

describe('adversarial: terminal escape codes in CLI output', function () {
  this.timeout(60_000);
  let dir: string;

  const watchFile = () => path.join(dir, 'host-watch.jsonl');
  // The host under attack is the CLI process: each run measures itself (watchPreload.ts).
  const cli = (...args: string[]): Promise<Run> => new Promise((resolve) => {
    const watch = childWatch(watchFile());
    const env = { ...process.env, SWITCHBOARD_HOME: path.join(dir, 'home'), ...watch.env };
    execFile(process.execPath, [...watch.execArgv, CLI, ...args], { cwd: dir, env, timeout: 30_000 },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }));
  });
  const assertClean = (r: Run, what: string) => {
    for (const [stream, text] of [['stdout', r.stdout], ['stderr', r.stderr]] as const) {
      const hit = TERMINAL_CONTROL.exec(text);
      assert.ok(hit === null, `${what}: ${stream} carries U+${hit?.[0].charCodeAt(0).toString(16).padStart(4, '0')} near ${escapeJsonControls(JSON.stringify(text.slice(Math.max(0, (hit?.index ?? 0) - 30), (hit?.index ?? 0) + 10)))}`);
    }
  };

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-escapes-'));
    fs.mkdirSync(path.join(dir, '.vscode'));
    fs.writeFileSync(path.join(dir, '.vscode', 'switchboard.json'), JSON.stringify({
      servers: {
        evil: { type: 'stdio', command: process.execPath, args: [hostilePath('escapes')] },
        dead: { type: 'stdio', command: process.execPath, args: [hostilePath('escapes'), 'die'] },
        echo: { type: 'stdio', command: process.execPath, args: [fixturePath('echo')] },
      },
    }));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('no escape sequence from a server reaches the terminal through list, call or --verbose', async () => {
    const runs = {
      list: await cli('list', '--verbose'),
      call: await cli('call', 'evil_greet', '{}', '--yes', '--verbose'),
      callError: await cli('call', 'evil_fail', '{}', '--yes'),
      callJson: await cli('call', 'evil_greet', '{}', '--yes', '--json'),
    };
    const figures = readChildFigures(watchFile(), Object.keys(runs).length);
    for (const [what, r] of Object.entries(runs)) assertClean(r, what);

    // The words around the sequences are still shown: the text is cleaned, not dropped.
    // The tool whose name carries the sequences is rejected at the connection (badNames.test.ts).
    assert.match(runs.list.stdout, /^evil: running — 2 tools/m);
    assert.match(runs.list.stdout, /greet-description\s*greet-description-end/);
    assert.match(runs.list.stdout, /^dead: error: /m);
    assert.match(runs.list.stdout, /stderr \| stderr-line\s*stderr-line-end/);
    assert.match(runs.list.stderr, /\[evil\] stderr-line\s*stderr-line-end/);
    assert.equal(runs.call.code, 0, runs.call.stderr);
    assert.equal(runs.call.stdout, 'resultresult-end\n');
    assert.match(runs.call.stderr, /\[evil\] call-stderr\s*call-stderr-end/);
    assert.equal(runs.callError.code, 1);
    assert.match(runs.callError.stdout, /error-result\s*error-result-end/);
    // JSON keeps the server's exact text, escaped, for a program to judge.
    const json = JSON.parse(runs.callJson.stdout) as { result: { content: { text: string }[] } };
    assert.equal(json.result.content[0].text, `result${HOSTILE}result-end`);
    // The well-behaved server, listed in the same run as the hostile ones, is unaffected.
    assert.match(runs.list.stdout, /^echo: running — \d+ tools/m);
    assert.match(runs.list.stdout, /^ {2}echo_echo {2}Returns its text\.$/m);

    survived({
      attack: 'terminal escape codes in CLI output',
      outcome: 'list, call and --verbose print the server\'s text with every control sequence removed (JSON escapes them); the other server is listed as usual',
      figures, bounds: { rssGrowthMb: 50 },
    });
  });
});
