import assert from 'node:assert/strict';
import { userDataDir } from '../../src/cli/userData';

describe('cli/userData', () => {
  const dir = (platform: NodeJS.Platform, env: Record<string, string | undefined> = {}, home = '/home/ada') => userDataDir({ platform, env, home });

  it('follows each platform\'s convention', () => {
    assert.equal(dir('linux'), '/home/ada/.config/mcp-switchboard');
    assert.equal(dir('darwin', {}, '/Users/ada'), '/Users/ada/Library/Application Support/mcp-switchboard');
    assert.equal(dir('win32', { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, 'C:\\Users\\ada'), 'C:\\Users\\ada\\AppData\\Roaming\\mcp-switchboard');
  });

  it('falls back when APPDATA is missing and ignores a relative XDG_CONFIG_HOME', () => {
    assert.equal(dir('win32', {}, 'C:\\Users\\ada'), 'C:\\Users\\ada\\AppData\\Roaming\\mcp-switchboard');
    assert.equal(dir('linux', { XDG_CONFIG_HOME: '/xdg' }), '/xdg/mcp-switchboard');
    assert.equal(dir('linux', { XDG_CONFIG_HOME: 'relative/path' }), '/home/ada/.config/mcp-switchboard');
    assert.equal(dir('freebsd', { XDG_CONFIG_HOME: '' }), '/home/ada/.config/mcp-switchboard');
  });

  it('SWITCHBOARD_HOME overrides every platform', () => {
    for (const p of ['linux', 'darwin', 'win32'] as const) assert.equal(dir(p, { SWITCHBOARD_HOME: '/tmp/sb' }), '/tmp/sb');
  });
});
