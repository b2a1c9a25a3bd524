import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCheck } from '../../src/cli/check';

describe('cli/check: runCheck', () => {
  let dir: string;
  const cwd = process.cwd();
  before(async () => { dir = await mkdtemp(path.join(os.tmpdir(), 'sb-check-')); });
  after(async () => { process.chdir(cwd); await rm(dir, { recursive: true, force: true }); });

  async function check(config: string | undefined): Promise<{ code: number; lines: string[] }> {
    const lines: string[] = [];
    const code = await runCheck({ config }, (l) => lines.push(l));
    return { code, lines };
  }

  async function write(name: string, text: string): Promise<string> {
    const file = path.join(dir, name);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text);
    return file;
  }

  it('prints ok with the server count for a clean file', async () => {
    const file = await write('clean.json', '{ "servers": { "a": { "command": "x" }, "b": { "url": "https://b" }, } }');
    assert.deepEqual(await check(file), { code: 0, lines: ['ok: 2 servers'] });
  });

  it('prints errors as file:line:col and exits 1', async () => {
    const file = await write('bad.json', '{\n  "servers": {\n    "a": { "command": 1 },\n    "b": { "comand": "x", "command": "y" }\n  }\n}');
    assert.deepEqual(await check(file), {
      code: 1,
      lines: [
        `${file}:3:23 servers.a.command: expected a string, got 1`,
        `${file}:4:12 warning: servers.b.comand: unknown property "comand"; did you mean "command"?`,
        '1 error, 1 warning',
      ],
    });
  });

  it('prints warnings but still exits 0 when there are no errors', async () => {
    const file = await write('warn.json', '{"servers": {"a": {"command": "x", "extra": true}}}');
    assert.deepEqual(await check(file), {
      code: 0,
      lines: [`${file}:1:36 warning: servers.a.extra: unknown property "extra" (ignored)`, 'ok: 1 server'],
    });
  });

  it('reports a syntax error with its position', async () => {
    const file = await write('syntax.json', '{"servers": {"a": {"command": "x"}}');
    const r = await check(file);
    assert.equal(r.code, 1);
    assert.deepEqual(r.lines, [`${file}:1:36 syntax error: close brace expected`, '1 error']);
  });

  it('exits 2 naming the file when it cannot be read', async () => {
    const missing = path.join(dir, 'nope.json');
    assert.deepEqual(await check(missing), { code: 2, lines: [`cannot read ${missing}: no such file`] });
    assert.deepEqual(await check(dir), { code: 2, lines: [`cannot read ${dir}: is a directory`] });
  });

  it('defaults to .vscode/switchboard.json in the current directory', async () => {
    const project = path.join(dir, 'project');
    await write('project/.vscode/switchboard.json', '{"servers": {}}');
    process.chdir(project);
    try {
      assert.deepEqual(await check(undefined), { code: 0, lines: ['ok: 0 servers'] });
      await write('project/.vscode/switchboard.json', '{"servers": {"x": {}}}');
      const r = await check(undefined);
      assert.equal(r.code, 1);
      assert.match(r.lines[0], /^\.vscode\/switchboard\.json:1:14 servers\.x: /);
    } finally {
      process.chdir(cwd);
    }
  });
});
