import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadEnvFile, parseEnvFile } from '../../src/config/envFile';

describe('config/envFile', () => {
  it('parses assignments, export, comments and blank lines', () => {
    const r = parseEnvFile([
      '# a comment',
      '',
      'PLAIN=value',
      'export EXPORTED=yes',
      '  SPACED = padded value  ',
      'EMPTY=',
      'INLINE=kept # dropped comment',
      'HASH=a#b',
      'DOTTED.NAME-1=ok',
    ].join('\n'));
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.env, {
      PLAIN: 'value', EXPORTED: 'yes', SPACED: 'padded value', EMPTY: '', INLINE: 'kept', HASH: 'a#b', 'DOTTED.NAME-1': 'ok',
    });
  });

  it('handles quotes: escapes in double quotes, literal single quotes, multi-line values', () => {
    const r = parseEnvFile([
      'DQ="line1\\nline2\\t\\"q\\" \\\\ # not a comment"  # comment',
      "SQ='raw \\n $x # kept'",
      'MULTI="first',
      'second"',
      "EMPTYQ=''",
      'AFTER=1',
    ].join('\r\n'));
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.env, {
      DQ: 'line1\nline2\t"q" \\ # not a comment', SQ: 'raw \\n $x # kept', MULTI: 'first\nsecond', EMPTYQ: '', AFTER: '1',
    });
  });

  it('lets the last assignment of a key win', () => {
    assert.deepEqual(parseEnvFile('A=1\nA=2').env, { A: '2' });
  });

  it('reports bad lines with their line numbers and keeps the good ones', () => {
    const r = parseEnvFile('GOOD=1\nno equals here\n1BAD=x\nQ="x" trailing\nLAST=2\nOPEN="never closed\nmore');
    assert.deepEqual(r.errors, [
      { line: 2, message: 'expected KEY=value, got "no equals here"' },
      { line: 3, message: 'invalid variable name "1BAD"' },
      { line: 4, message: 'unexpected text after the closing quote of Q' },
      { line: 6, message: 'unterminated double-quoted value for OPEN' },
    ]);
    assert.deepEqual(r.env, { GOOD: '1', LAST: '2' });
  });

  describe('loadEnvFile', () => {
    let dir: string;
    before(async () => { dir = await mkdtemp(path.join(os.tmpdir(), 'sb-env-')); });
    after(async () => { await rm(dir, { recursive: true, force: true }); });

    it('reads a file', async () => {
      const file = path.join(dir, 'ok.env');
      await writeFile(file, '\uFEFFA=1\nB="two"\n');
      assert.deepEqual(await loadEnvFile(file), { env: { A: '1', B: 'two' } });
    });

    it('names a missing file', async () => {
      const file = path.join(dir, 'missing.env');
      assert.deepEqual(await loadEnvFile(file), { error: `cannot read env file ${file}: file not found` });
    });

    it('names the file and line of a syntax error', async () => {
      const file = path.join(dir, 'bad.env');
      await writeFile(file, 'A=1\noops\nnope\n');
      assert.deepEqual(await loadEnvFile(file), { error: `${file}:2: expected KEY=value, got "oops" (and 1 more)` });
    });
  });
});
