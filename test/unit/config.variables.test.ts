import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { RemoteServerConfig, ServerConfig, StdioServerConfig } from '../../src/config/types';
import {
  classifyVariable, collectInputIds, listVariables, resolveCwd, resolveServerConfig, type VariableContext,
} from '../../src/config/variables';

const folder = path.resolve('/ws/project');
const home = path.resolve('/home/me');

function context(overrides: Partial<VariableContext> = {}, answers: Record<string, string | undefined> = {}): VariableContext & { asked: string[] } {
  const asked: string[] = [];
  return {
    workspaceFolder: folder,
    userHome: home,
    env: { TOKEN: 'sekrit', EMPTY: '' },
    resolveInput: async (id) => { asked.push(id); return answers[id]; },
    asked,
    ...overrides,
  };
}

const stdio = (fields: Partial<StdioServerConfig>): StdioServerConfig => ({ type: 'stdio', command: 'node', args: [], env: {}, ...fields });
const remote = (fields: Partial<RemoteServerConfig>): RemoteServerConfig => ({ type: 'http', url: 'https://x.test', headers: {}, ...fields });

async function resolved(config: ServerConfig, ctx = context()): Promise<ServerConfig> {
  const r = await resolveServerConfig(config, ctx);
  if ('error' in r) assert.fail(r.error);
  return r.config;
}

async function failure(config: ServerConfig, ctx = context()): Promise<string> {
  const r = await resolveServerConfig(config, ctx);
  assert.ok('error' in r, 'expected an error');
  return r.error;
}

describe('config/variables', () => {
  it('classifies variable bodies', () => {
    assert.deepEqual(
      ['workspaceFolder', 'userHome', '/', 'env:PATH', 'input:key', 'env:', 'input:', 'foo', 'config:x'].map((b) => classifyVariable(b)),
      [
        { kind: 'workspaceFolder' }, { kind: 'userHome' }, { kind: 'pathSeparator' }, { kind: 'env', name: 'PATH' },
        { kind: 'input', id: 'key' }, { kind: 'unknown' }, { kind: 'unknown' }, { kind: 'unknown' }, { kind: 'unknown' },
      ],
    );
  });

  it('resolves every kind in every string field of a stdio server', async () => {
    const ctx = context({}, { key: 'k-123' });
    const config = stdio({
      command: '${userHome}/bin/server',
      args: ['--root', '${workspaceFolder}', '--token=${env:TOKEN}', '${input:key}', 'name=${workspaceFolderBasename}'],
      env: { A: '${input:key}', B: null, C: '${env:MISSING}' },
      envFile: '${workspaceFolder}${/}.env',
      cwd: '${workspaceFolder}/sub',
    });
    assert.deepEqual(await resolved(config, ctx), {
      type: 'stdio',
      command: `${home}/bin/server`,
      args: ['--root', folder, '--token=sekrit', 'k-123', 'name=project'],
      env: { A: 'k-123', B: null, C: '' },
      envFile: path.join(folder, '.env'),
      cwd: path.join(folder, 'sub'),
    });
    assert.deepEqual(ctx.asked, ['key'], 'each input is asked for once');
    assert.equal(config.args[1], '${workspaceFolder}', 'the input config is not mutated');
  });

  it('resolves url and header values of a remote server, but not header names', async () => {
    const config = remote({ url: 'https://${env:TOKEN}.test/mcp', headers: { Authorization: 'Bearer ${input:key}', '${env:TOKEN}': 'x' } });
    assert.deepEqual(await resolved(config, context({}, { key: 'abc' })), remote({
      url: 'https://sekrit.test/mcp', headers: { Authorization: 'Bearer abc', '${env:TOKEN}': 'x' },
    }));
  });

  it('resolves tls.ca like a path: variables, then relative to the workspace folder', async () => {
    assert.deepEqual((await resolved(remote({ tls: { ca: '${userHome}/ca.pem' } })) as RemoteServerConfig).tls, { ca: path.join(home, 'ca.pem') });
    assert.deepEqual((await resolved(remote({ tls: { ca: 'certs/ca.pem' } })) as RemoteServerConfig).tls, { ca: path.join(folder, 'certs', 'ca.pem') });
    assert.equal(await failure(remote({ tls: { ca: 'ca.pem' } }), context({ workspaceFolder: undefined })), 'tls.ca "ca.pem" is relative but no workspace folder is open');
    assert.equal(await failure(remote({ tls: { ca: '${nope}' } })), 'unknown variable ${nope} in tls.ca');
  });

  it('leaves $ text that is not a ${...} form alone and does not re-expand substituted values', async () => {
    const ctx = context({ env: { V: '${userHome}' } });
    assert.deepEqual((await resolved(stdio({ args: ['$HOME', 'a$b', '${', '${env:V}'] }), ctx) as StdioServerConfig).args,
      ['$HOME', 'a$b', '${', '${userHome}']);
  });

  it('reports an unknown variable, naming it and where it is, before asking for inputs', async () => {
    const ctx = context({}, { key: 'k' });
    assert.equal(await failure(stdio({ args: ['${input:key}', '${config:editor.fontSize}'] }), ctx), 'unknown variable ${config:editor.fontSize} in args[1]');
    assert.deepEqual(ctx.asked, []);
    assert.equal(await failure(remote({ headers: { 'X-Key': '${env:}' } })), 'unknown variable ${env:} in headers.X-Key');
  });

  it('reports a cancelled input', async () => {
    const ctx = context({}, { a: 'yes' });
    assert.equal(await failure(stdio({ args: ['${input:a}', '${input:b}'] }), ctx), 'input ${input:b} was cancelled');
    assert.deepEqual(ctx.asked, ['a', 'b']);
  });

  it('reports an input prompt that fails', async () => {
    const ctx = context({ resolveInput: async () => { throw new Error('no UI'); } });
    assert.equal(await failure(stdio({ command: '${input:x}' }), ctx), 'input ${input:x} failed: no UI');
  });

  it('reports ${workspaceFolder} when no folder is open', async () => {
    const ctx = context({ workspaceFolder: undefined });
    assert.equal(await failure(stdio({ cwd: '${workspaceFolder}' }), ctx), '${workspaceFolder} is used in cwd but no workspace folder is open');
  });

  it('resolves a relative cwd and envFile against the workspace folder', async () => {
    const r = await resolved(stdio({ cwd: 'tools', envFile: '.env' })) as StdioServerConfig;
    assert.equal(r.cwd, path.join(folder, 'tools'));
    assert.equal(r.envFile, path.join(folder, '.env'));
    assert.equal(await failure(stdio({ cwd: 'tools' }), context({ workspaceFolder: undefined })), 'cwd "tools" is relative but no workspace folder is open');
  });

  it('resolveCwd keeps absolute paths and needs a folder for relative ones', () => {
    assert.equal(resolveCwd(home, folder), home);
    assert.equal(resolveCwd('a/../b', folder), path.join(folder, 'b'));
    assert.equal(resolveCwd('.', folder), folder);
    assert.equal(resolveCwd('b'), undefined);
  });

  it('rejects a url that is not http(s) once resolved, without echoing it', async () => {
    const error = await failure(remote({ url: '${input:u}' }), context({}, { u: 'file:///etc/secret' }));
    assert.equal(error, 'url is not a valid http:// or https:// URL after resolving variables');
  });

  it('collects input ids once each, in order, and lists variables with their paths', () => {
    const config = stdio({ command: '${input:b}', args: ['${input:a}${input:b}'], env: { X: '${input:c}', Y: null } });
    assert.deepEqual(collectInputIds(config), ['b', 'a', 'c']);
    assert.deepEqual(collectInputIds(remote({ headers: { H: '${input:h}' } })), ['h']);
    assert.deepEqual(listVariables(config).map((u) => [u.path, u.body]), [
      [['command'], 'input:b'], [['args', 0], 'input:a'], [['args', 0], 'input:b'], [['env', 'X'], 'input:c'],
    ]);
  });

  it('lists as secrets what inputs and the environment gave, and values under a credential\'s name', async () => {
    const secrets = async (config: ServerConfig) => {
      const r = await resolveServerConfig(config, context({}, { key: 'from-input' }));
      if ('error' in r) assert.fail(r.error);
      return [...r.secrets].sort();
    };
    assert.deepEqual(await secrets(stdio({
      args: ['--key', '${input:key}', '${workspaceFolder}', '${env:EMPTY}'], env: { API_TOKEN: 'literal-token', MODE: 'fast', X: '${env:TOKEN}' },
    })), ['from-input', 'literal-token', 'sekrit']);
    assert.deepEqual(await secrets(remote({
      url: 'https://x.test/?k=${input:key}', headers: { Authorization: 'Bearer abc123', Accept: 'application/json' },
      oauth: { clientSecret: 'client-secret' },
    })), ['Bearer abc123', 'abc123', 'client-secret', 'from-input']);
  });

  it('does not repeat a secret in an error about the value it is in', async () => {
    const message = await failure(stdio({ cwd: 'rel/${input:key}' }), context({ workspaceFolder: undefined }, { key: 'from-input' }));
    assert.ok(!message.includes('from-input'), message);
  });
});
