import assert from 'node:assert/strict';
import { buildServerEnv, describeSpawnError, extractMarkedPath, needsLoginShellPath } from '../../src/client/platform';
import { descendantsOf, parsePsTable, parseWindowsTable } from '../../src/client/processTree';

describe('platform: server environment', () => {
  it('layers default < envFile < configured and removes null', () => {
    const env = buildServerEnv({
      base: { HOME: '/h', PATH: '/usr/bin', USER: 'me' }, fromEnvFile: { A: 'file', B: 'file' },
      configured: { B: 'cfg', USER: null }, platform: 'linux',
    });
    assert.deepEqual(env, { HOME: '/h', PATH: '/usr/bin', A: 'file', B: 'cfg' });
  });

  it('appends to PATH instead of replacing it (POSIX)', () => {
    const env = buildServerEnv({ base: { PATH: '/usr/bin:/bin' }, fromEnvFile: {}, configured: { PATH: '/opt/tool/bin:/usr/bin' }, platform: 'linux' });
    assert.equal(env.PATH, '/opt/tool/bin:/usr/bin:/bin');
  });

  it('treats Path case-insensitively with ; on Windows', () => {
    const env = buildServerEnv({ base: { Path: 'C:\\Windows;C:\\node' }, fromEnvFile: {}, configured: { PATH: 'D:\\tools;c:\\node' }, platform: 'win32' });
    assert.deepEqual(Object.keys(env), ['Path']);
    assert.equal(env.Path, 'D:\\tools;c:\\node;C:\\Windows');
  });

  it('appends the macOS login-shell PATH last', () => {
    const env = buildServerEnv({ base: { PATH: '/usr/bin:/bin' }, fromEnvFile: {}, configured: {}, loginPath: '/opt/homebrew/bin:/usr/bin', platform: 'darwin' });
    assert.equal(env.PATH, '/usr/bin:/bin:/opt/homebrew/bin');
  });

  it('asks the login shell only on macOS with a Dock-style PATH', () => {
    assert.equal(needsLoginShellPath('darwin', { PATH: '/usr/bin:/bin:/usr/sbin:/sbin' }), true);
    assert.equal(needsLoginShellPath('darwin', { PATH: '/opt/homebrew/bin:/usr/bin' }), false);
    assert.equal(needsLoginShellPath('linux', { PATH: '/usr/bin' }), false);
    assert.equal(needsLoginShellPath('win32', {}), false);
  });

  it('extracts the PATH between markers despite shell banners', () => {
    assert.equal(extractMarkedPath('Welcome!\nmotd\n__SB_PATH__/a:/b__SB_END__'), '/a:/b');
    assert.equal(extractMarkedPath('no markers'), undefined);
  });

  it('explains spawn failures per platform', () => {
    const enoent = Object.assign(new Error('spawn npx ENOENT'), { code: 'ENOENT' });
    assert.match(describeSpawnError(enoent, 'npx', 'darwin'), /not found on PATH.*Dock/);
    assert.match(describeSpawnError(enoent, 'npx', 'win32'), /\.cmd shims/);
    assert.match(describeSpawnError(Object.assign(new Error('x'), { code: 'EACCES' }), './srv', 'linux'), /not executable/);
  });
});

describe('processTree parsing', () => {
  it('finds every descendant, deepest first', () => {
    const rows = parsePsTable('  1     0\n 10     1\n 11    10\n 12    11\n 13    10\n 99     1\n');
    assert.deepEqual(descendantsOf(rows, 10), [12, 11, 13]);
    assert.deepEqual(descendantsOf(rows, 12), []);
  });

  it('parses the Windows CIM table', () => {
    assert.deepEqual(parseWindowsTable('4,0\r\n400,4\r\n"500","400"\r\n'), [{ pid: 4, ppid: 0 }, { pid: 400, ppid: 4 }, { pid: 500, ppid: 400 }]);
  });
});
