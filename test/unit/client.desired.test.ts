import assert from 'node:assert/strict';
import { buildDesiredServers } from '../../src/client/desired';
import { parseConfigText, parseSettingValue } from '../../src/config/parse';
import type { ServerConfig } from '../../src/config/types';

const user = parseSettingValue({ shared: { command: 'user-cmd' }, mine: { command: 'u' }, broken: { command: 1 } },
  { kind: 'user', file: 'settings:switchboard.servers' });
const workspace = parseConfigText(`{"servers": {
  "shared": {"command": "ws-cmd"},
  "off": {"command": "x", "disabled": true},
  "needs": {"command": "x", "args": ["\${input:key}"]},
  "local": {"args": 1}
}}`, { kind: 'workspace', file: '/ws/.vscode/switchboard.json', workspaceFolder: '/ws' });

const resolveAll = async (_def: unknown, _c: unknown): Promise<{ config: ServerConfig }> => ({ config: (_def as { config: ServerConfig }).config });

describe('buildDesiredServers', () => {
  it('lets the workspace override a user server of the same name, with a warning', async () => {
    const { servers, warnings } = await buildDesiredServers([user, workspace], { trusted: true, resolve: resolveAll });
    const shared = servers.find((s) => s.name === 'shared')!;
    assert.equal(shared.sourceKind, 'workspace');
    assert.equal((shared.config as { command: string }).command, 'ws-cmd');
    assert.match(warnings.join('\n'), /"shared" from \/ws\/.vscode\/switchboard.json overrides/);
  });

  it('holds invalid servers as errors naming file, line and field', async () => {
    const { servers } = await buildDesiredServers([user, workspace], { trusted: true, resolve: resolveAll });
    const local = servers.find((s) => s.name === 'local')!;
    assert.equal(local.hold?.kind, 'error');
    assert.match((local.hold as { message: string }).message, /^invalid configuration: \/ws\/.vscode\/switchboard.json:5:\d+ .*local/);
    assert.equal(servers.find((s) => s.name === 'broken')?.hold?.kind, 'error');
    assert.equal(servers.find((s) => s.name === 'mine')?.hold, undefined);
  });

  it('holds disabled servers and, untrusted, every workspace server without resolving it', async () => {
    const asked: string[] = [];
    const { servers } = await buildDesiredServers([user, workspace], {
      trusted: false,
      resolve: async (def) => { asked.push(def.name); return { config: def.config }; },
    });
    assert.deepEqual(servers.find((s) => s.name === 'off')?.hold, { kind: 'stopped', reason: 'disabled' });
    assert.deepEqual(servers.find((s) => s.name === 'needs')?.hold, { kind: 'stopped', reason: 'untrusted' });
    assert.deepEqual(asked, ['shared', 'mine'], 'only the user servers are resolved');
  });

  it('untrusted, a workspace entry never replaces a user server of the same name', async () => {
    const { servers, warnings } = await buildDesiredServers([user, workspace], { trusted: false, resolve: resolveAll });
    const shared = servers.filter((s) => s.name === 'shared');
    assert.equal(shared.length, 1);
    assert.equal(shared[0].sourceKind, 'user');
    assert.equal(shared[0].hold, undefined, 'the user server runs');
    assert.equal((shared[0].config as { command: string }).command, 'user-cmd');
    assert.match(warnings.join('\n'), /"shared" from \/ws\/.vscode\/switchboard.json is not started \(the workspace is not trusted\); your user server "shared" runs instead/);
  });

  it('gives every server an identity of its name, source and launch, so namesakes never share one', async () => {
    const trusted = await buildDesiredServers([user, workspace], { trusted: true, resolve: resolveAll });
    const untrusted = await buildDesiredServers([user, workspace], { trusted: false, resolve: resolveAll });
    const ws = trusted.servers.find((s) => s.name === 'shared')!;
    const us = untrusted.servers.find((s) => s.name === 'shared')!;
    assert.match(ws.identity!, /^workspace:[0-9a-f]{32}$/);
    assert.match(us.identity!, /^user:[0-9a-f]{32}$/);
    assert.notEqual(ws.identity!.slice(ws.identity!.indexOf(':')), us.identity!.slice(us.identity!.indexOf(':')));
    assert.equal(trusted.servers.find((s) => s.name === 'mine')!.identity, untrusted.servers.find((s) => s.name === 'mine')!.identity, 'stable');
  });

  it('holds a server whose variables cannot be resolved', async () => {
    const { servers } = await buildDesiredServers([workspace], {
      trusted: true,
      resolve: async (def) => (def.name === 'needs' ? { error: 'input "key" was not provided' } : { config: def.config }),
    });
    assert.deepEqual(servers.find((s) => s.name === 'needs')?.hold, { kind: 'error', message: 'input "key" was not provided', stderrTail: [] });
  });
});
