import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  buildServerEnv, describeSpawnError, extractMarkedPath, needsLoginShellPath, nodeManagerBins, processTreePlan, readLoginShellPath,
} from '../../src/client/platform';
import { createEnvPreparer } from '../../src/client/environment';

const errno = (code: string, message = `spawn x ${code}`) => Object.assign(new Error(message), { code });

/** A fake file system for nodeManagerBins: every listed folder and everything above it exists. */
function fakeDirs(dirs: string[], sep: '/' | '\\' = '/'): (dir: string) => string[] {
  const children = new Map<string, Set<string>>();
  for (const d of dirs) {
    const parts = d.split(sep);
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join(sep) || sep;
      if (!children.has(parent)) children.set(parent, new Set());
      children.get(parent)!.add(parts[i]);
    }
  }
  return (dir) => [...(children.get(dir) ?? [])];
}

describe('platform: server environment', () => {
  it('layers default < envFile < configured and removes null', () => {
    const env = buildServerEnv({
      base: { HOME: '/h', PATH: '/usr/bin', USER: 'me' }, fromEnvFile: { A: 'file', B: 'file' },
      configured: { B: 'cfg', USER: null }, platform: 'linux',
    });
    assert.deepEqual(env, { HOME: '/h', PATH: '/usr/bin', A: 'file', B: 'cfg' });
  });

  it('appends to PATH instead of replacing it, configured first, deduped (POSIX)', () => {
    const env = buildServerEnv({ base: { PATH: '/usr/bin:/bin' }, fromEnvFile: {}, configured: { PATH: '/opt/tool/bin:/usr/bin' }, platform: 'linux' });
    assert.equal(env.PATH, '/opt/tool/bin:/usr/bin:/bin');
  });

  it('puts configured PATH before the envFile PATH before the inherited one', () => {
    const env = buildServerEnv({ base: { PATH: '/usr/bin' }, fromEnvFile: { PATH: '/file/bin' }, configured: { PATH: '/cfg/bin' }, platform: 'darwin' });
    assert.equal(env.PATH, '/cfg/bin:/file/bin:/usr/bin');
  });

  it('drops empty PATH segments', () => {
    const env = buildServerEnv({ base: { PATH: '/usr/bin::/bin:' }, fromEnvFile: {}, configured: {}, platform: 'linux' });
    assert.equal(env.PATH, '/usr/bin:/bin');
  });

  it('removes PATH entirely when configured as null, login PATH included', () => {
    const env = buildServerEnv({ base: { PATH: '/usr/bin', HOME: '/h' }, fromEnvFile: {}, configured: { PATH: null }, loginPath: '/opt/homebrew/bin', platform: 'darwin' });
    assert.deepEqual(env, { HOME: '/h' });
  });

  it('treats Path case-insensitively with ; on Windows', () => {
    const env = buildServerEnv({ base: { Path: 'C:\\Windows;C:\\node' }, fromEnvFile: {}, configured: { PATH: 'D:\\tools;c:\\node' }, platform: 'win32' });
    assert.deepEqual(Object.keys(env), ['Path']);
    assert.equal(env.Path, 'D:\\tools;c:\\node;C:\\Windows');
  });

  it('treats every variable name case-insensitively on Windows only', () => {
    const win = buildServerEnv({ base: { TEMP: 'C:\\t' }, fromEnvFile: { Temp: 'D:\\t' }, configured: {}, platform: 'win32' });
    assert.deepEqual(win, { Temp: 'D:\\t' });
    const linux = buildServerEnv({ base: { TEMP: '/t' }, fromEnvFile: { Temp: '/u' }, configured: {}, platform: 'linux' });
    assert.deepEqual(linux, { TEMP: '/t', Temp: '/u' });
  });

  it('keeps ":" inside Windows PATH entries (drive letters)', () => {
    const env = buildServerEnv({ base: { PATH: 'C:\\a;C:\\b' }, fromEnvFile: {}, configured: {}, loginPath: undefined, platform: 'win32' });
    assert.equal(env.PATH, 'C:\\a;C:\\b');
  });

  it('appends the macOS login-shell PATH last', () => {
    const env = buildServerEnv({ base: { PATH: '/usr/bin:/bin' }, fromEnvFile: {}, configured: {}, loginPath: '/opt/homebrew/bin:/usr/bin', platform: 'darwin' });
    assert.equal(env.PATH, '/usr/bin:/bin:/opt/homebrew/bin');
  });

  it('sets PATH from the login shell when nothing was inherited', () => {
    const env = buildServerEnv({ base: {}, fromEnvFile: {}, configured: {}, loginPath: '/opt/homebrew/bin', platform: 'darwin' });
    assert.equal(env.PATH, '/opt/homebrew/bin');
  });
});

describe('platform: login shell PATH', () => {
  it('asks the login shell only on macOS with a Dock-style PATH', () => {
    assert.equal(needsLoginShellPath('darwin', { PATH: '/usr/bin:/bin:/usr/sbin:/sbin' }), true);
    assert.equal(needsLoginShellPath('darwin', {}), true);
    assert.equal(needsLoginShellPath('darwin', { PATH: '/opt/homebrew/bin:/usr/bin' }), false);
    assert.equal(needsLoginShellPath('darwin', { PATH: '/usr/bin:/usr/local/bin' }), false);
    assert.equal(needsLoginShellPath('linux', { PATH: '/usr/bin' }), false);
    assert.equal(needsLoginShellPath('win32', {}), false);
  });

  it('extracts the PATH between markers despite shell banners', () => {
    assert.equal(extractMarkedPath('Welcome!\nmotd\n__SB_PATH__/a:/b__SB_END__'), '/a:/b');
    assert.equal(extractMarkedPath('__SB_PATH__/a:/b__SB_END__\nbye from .zlogout'), '/a:/b');
    assert.equal(extractMarkedPath('no markers'), undefined);
    assert.equal(extractMarkedPath('__SB_PATH__/a:/b'), undefined, 'cut-off output');
  });

  describe('readLoginShellPath (real shells)', function () {
    this.timeout(10_000);
    let dir: string;
    before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-shell-')); });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    const script = (name: string, body: string) => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
      return file;
    };

    it('reads PATH through a shell that prints banners', async () => {
      // Stands in for a login shell: ignores -ilc handling details but runs the printf it is given.
      const shell = script('banner-sh', 'echo "Welcome to the machine"\nshift\nPATH=/from/login:/usr/bin; export PATH\nexec /bin/sh -c "$1"');
      assert.equal(await readLoginShellPath(shell), '/from/login:/usr/bin');
    });

    it('gives up after the timeout, killing the shell', async () => {
      const shell = script('slow-sh', 'sleep 30');
      const started = Date.now();
      assert.equal(await readLoginShellPath(shell, 300), undefined);
      assert.ok(Date.now() - started < 3000);
    });

    it('returns undefined for a missing shell or a failing one', async () => {
      assert.equal(await readLoginShellPath(path.join(dir, 'no-such-shell')), undefined);
      assert.equal(await readLoginShellPath(script('fail-sh', 'exit 2')), undefined);
    });
  });
});

describe('platform: node version managers', () => {
  const home = '/home/me';

  it('prefers NVM_BIN, else the newest installed nvm version', () => {
    const dirs = ['/home/me/.nvm/versions/node/v18.20.1/bin', '/home/me/.nvm/versions/node/v20.9.0/bin', '/home/me/.nvm/versions/node/v9.11.2/bin'];
    assert.deepEqual(nodeManagerBins(home, 'linux', {}, fakeDirs(dirs)), ['/home/me/.nvm/versions/node/v20.9.0/bin']);
    assert.deepEqual(
      nodeManagerBins(home, 'darwin', { NVM_BIN: '/home/me/.nvm/versions/node/v18.20.1/bin' }, fakeDirs(dirs)),
      ['/home/me/.nvm/versions/node/v18.20.1/bin', '/home/me/.nvm/versions/node/v20.9.0/bin'],
    );
  });

  it('honours NVM_DIR', () => {
    const dirs = ['/opt/nvm/versions/node/v22.1.0/bin'];
    assert.deepEqual(nodeManagerBins(home, 'linux', { NVM_DIR: '/opt/nvm' }, fakeDirs(dirs)), ['/opt/nvm/versions/node/v22.1.0/bin']);
  });

  it('finds fnm, volta, asdf and mise on macOS', () => {
    const dirs = [
      '/tmp/fnm_multishells/123_456/bin', '/home/me/.volta/bin', '/home/me/.asdf/shims', '/home/me/.local/share/mise/shims',
      '/home/me/Library/Application Support/fnm/aliases/default/bin',
    ];
    assert.deepEqual(nodeManagerBins(home, 'darwin', { FNM_MULTISHELL_PATH: '/tmp/fnm_multishells/123_456' }, fakeDirs(dirs)), [
      '/tmp/fnm_multishells/123_456/bin', '/home/me/.volta/bin', '/home/me/.asdf/shims', '/home/me/.local/share/mise/shims',
      '/home/me/Library/Application Support/fnm/aliases/default/bin',
    ]);
  });

  it('uses the XDG data folder for fnm on Linux', () => {
    const dirs = ['/data/fnm/aliases/default/bin'];
    assert.deepEqual(nodeManagerBins(home, 'linux', { XDG_DATA_HOME: '/data' }, fakeDirs(dirs)), ['/data/fnm/aliases/default/bin']);
  });

  it('returns nothing when no manager is installed', () => {
    assert.deepEqual(nodeManagerBins(home, 'linux', { FNM_MULTISHELL_PATH: '/gone' }, fakeDirs([])), []);
  });

  it('knows the Windows layouts (nvm-windows, fnm, Volta) and skips asdf/mise', () => {
    const dirs = [
      'C:\\Program Files\\nodejs', 'C:\\Users\\me\\AppData\\Local\\fnm_multishells\\1_2',
      'C:\\Users\\me\\AppData\\Local\\Volta\\bin', 'C:\\Users\\me\\AppData\\Roaming\\fnm\\aliases\\default',
    ];
    const env = {
      NVM_SYMLINK: 'C:\\Program Files\\nodejs', FNM_MULTISHELL_PATH: 'C:\\Users\\me\\AppData\\Local\\fnm_multishells\\1_2',
      LOCALAPPDATA: 'C:\\Users\\me\\AppData\\Local', APPDATA: 'C:\\Users\\me\\AppData\\Roaming',
    };
    assert.deepEqual(nodeManagerBins('C:\\Users\\me', 'win32', env, fakeDirs(dirs, '\\')), [
      'C:\\Program Files\\nodejs', 'C:\\Users\\me\\AppData\\Local\\fnm_multishells\\1_2',
      'C:\\Users\\me\\AppData\\Local\\Volta\\bin', 'C:\\Users\\me\\AppData\\Roaming\\fnm\\aliases\\default',
    ]);
  });
});

describe('platform: spawn errors', () => {
  it('explains a command missing from PATH with a hint per platform', () => {
    assert.match(describeSpawnError(errno('ENOENT'), 'npx', 'darwin'), /^command "npx" not found on PATH.*Dock.*login shell/);
    assert.match(describeSpawnError(errno('ENOENT'), 'npx', 'win32'), /not found on PATH.*\.cmd shims.*cross-spawn/);
    assert.match(describeSpawnError(errno('ENOENT'), 'npx', 'linux'), /not found on PATH.*absolute path/);
  });

  it('says a path does not exist, and mentions a configured cwd', () => {
    assert.equal(describeSpawnError(errno('ENOENT'), '/opt/srv', 'linux'), 'command "/opt/srv" does not exist');
    assert.match(describeSpawnError(errno('ENOENT'), 'C:\\srv.exe', 'win32'), /"C:\\srv\.exe" does not exist/);
    assert.match(describeSpawnError(errno('ENOENT'), 'uvx', 'linux', { cwd: '/nope' }), /working directory "\/nope" does not exist/);
  });

  it('explains permission and format problems', () => {
    assert.match(describeSpawnError(errno('EACCES'), './srv', 'linux'), /not executable.*chmod \+x/);
    assert.doesNotMatch(describeSpawnError(errno('EACCES'), 'srv.exe', 'win32'), /chmod/);
    assert.match(describeSpawnError(errno('UNKNOWN'), 'server.py', 'win32'), /interpreter/);
    assert.match(describeSpawnError(errno('EMFILE'), 'npx', 'linux'), /out of processes or file handles/);
    assert.equal(describeSpawnError(errno('EIO', 'spawn npx EIO'), 'npx', 'linux'), 'could not start "npx": spawn npx EIO');
  });
});

describe('platform: version-manager folders in the server PATH', () => {
  it('appends them after everything else, without duplicates', () => {
    const env = buildServerEnv({
      base: { PATH: '/usr/bin:/home/u/.volta/bin' }, fromEnvFile: {}, configured: {}, platform: 'linux',
      fallbackBins: ['/home/u/.nvm/versions/node/v22.3.0/bin', '/home/u/.volta/bin'],
    });
    assert.equal(env.PATH, '/usr/bin:/home/u/.volta/bin:/home/u/.nvm/versions/node/v22.3.0/bin');
  });

  it('createEnvPreparer finds an nvm install an editor started outside a shell does not see', async () => {
    const nvmBin = '/home/u/.nvm/versions/node/v22.3.0/bin';
    const prepare = createEnvPreparer({ platform: 'linux', env: { PATH: '/usr/bin' }, home: '/home/u', listDir: fakeDirs([nvmBin, '/home/u/.nvm/versions/node/v20.1.0/bin']) });
    const env = await prepare({ type: 'stdio', command: 'npx', args: [], env: {} });
    const parts = env.PATH.split(':');
    assert.equal(parts[parts.length - 1], nvmBin, env.PATH);
    assert.ok(!parts.includes('/home/u/.nvm/versions/node/v20.1.0/bin'), 'only the newest nvm version');
  });
});

describe('platform: process tree plan', () => {
  it('gives POSIX servers their own group and SIGTERM before SIGKILL; /proc only on Linux', () => {
    assert.deepEqual(processTreePlan('linux'), { ownGroup: true, procfs: true, politeSignal: true });
    assert.deepEqual(processTreePlan('darwin'), { ownGroup: true, procfs: false, politeSignal: true });
    assert.deepEqual(processTreePlan('freebsd'), { ownGroup: true, procfs: false, politeSignal: true });
  });

  it('never detaches on Windows (a console window would open) and force-kills with taskkill', () => {
    assert.deepEqual(processTreePlan('win32'), { ownGroup: false, procfs: false, politeSignal: false });
  });
});
