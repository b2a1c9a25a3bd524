import assert from 'node:assert/strict';
import { splitCommandLine } from '../../src/config/edit';

describe('splitCommandLine', () => {
  describe('on Windows (CommandLineToArgvW rules)', () => {
    const split = (line: string) => splitCommandLine(line, 'win32');

    it('keeps backslashes in paths', () => {
      assert.deepEqual(split('C:\\tools\\srv.exe --root C:\\data\\'), ['C:\\tools\\srv.exe', '--root', 'C:\\data\\']);
      assert.deepEqual(split('\\\\server\\share\\srv.exe'), ['\\\\server\\share\\srv.exe']);
    });

    it('takes quoted paths with spaces, the program name without escapes', () => {
      assert.deepEqual(split('"C:\\Program Files\\srv\\srv.exe" --dir "C:\\My Data"'), ['C:\\Program Files\\srv\\srv.exe', '--dir', 'C:\\My Data']);
      assert.deepEqual(split('"C:\\dir\\"srv.exe'), ['C:\\dir\\srv.exe']);
    });

    it('treats backslashes before a quote as escapes, as the C runtime does', () => {
      assert.deepEqual(split('a.exe \\"x\\" "a\\\\" b\\\\\\"c'), ['a.exe', '"x"', 'a\\', 'b\\"c']);
      assert.deepEqual(split('a.exe "say ""hi"""'), ['a.exe', 'say "hi"']);
    });

    it('keeps single quotes literal and empty quoted arguments', () => {
      assert.deepEqual(split("npx -y 'pkg' \"\""), ['npx', '-y', "'pkg'", '']);
    });

    it('rejects an unterminated quote', () => {
      assert.throws(() => split('a.exe "open'), /unterminated " quote/);
    });
  });

  describe('on POSIX (shell-like)', () => {
    const split = (line: string) => splitCommandLine(line, 'linux');

    it('splits on blanks, honours quotes and backslash escapes', () => {
      assert.deepEqual(split('npx -y  @scope/pkg'), ['npx', '-y', '@scope/pkg']);
      assert.deepEqual(split(`node "my dir/srv.js" 'it''s' a\\ b "q\\"x"`), ['node', 'my dir/srv.js', 'its', 'a b', 'q"x']);
      assert.deepEqual(split(`echo 'a\\b' ""`), ['echo', 'a\\b', '']);
    });

    it('rejects an unterminated quote', () => {
      assert.throws(() => split("echo 'open"), /unterminated ' quote/);
    });
  });
});
