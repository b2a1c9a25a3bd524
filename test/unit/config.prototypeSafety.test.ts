/** Names from configs and servers are data: `__proto__`, `constructor`, … behave like any other name. */
import assert from 'node:assert/strict';
import { buildDesiredServers } from '../../src/client/desired';
import { buildServerEnv } from '../../src/client/platform';
import { canonicalJson } from '../../src/config/diff';
import { parseEnvFile } from '../../src/config/envFile';
import { parseConfigText, parseSettingValue } from '../../src/config/parse';
import type { ServerConfig } from '../../src/config/types';
import { resolveServerConfig } from '../../src/config/variables';
import { jsonSkeleton } from '../../src/router/argumentForm';
import { SchemaGuard } from '../../src/router/schemaGuard';

const NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];
const prototypeNames = () => Object.getOwnPropertyNames(Object.prototype).sort().join();

describe('config: prototype safety', () => {
  let before: string;
  beforeEach(() => { before = prototypeNames(); });
  afterEach(() => {
    assert.equal(prototypeNames(), before, 'Object.prototype is unchanged');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('a config file with servers named like Object.prototype members parses them all as servers', async () => {
    const text = `{"servers": {${NAMES.map((n) => `"${n}": {"command": "node", "args": ["${n}.js"], "env": {"polluted": "yes"}}`).join(',')}}}`;
    const parsed = parseConfigText(text, { kind: 'workspace', file: '/ws/.vscode/switchboard.json', workspaceFolder: '/ws' });
    assert.deepEqual(parsed.errors, []);
    assert.deepEqual(parsed.servers.map((s) => s.name), NAMES);
    assert.deepEqual(parsed.servers.map((s) => (s.config as { args: string[] }).args[0]), NAMES.map((n) => `${n}.js`));
    const { servers, warnings } = await buildDesiredServers([parsed], { trusted: true, resolve: async (d) => ({ config: d.config }) });
    assert.deepEqual(warnings, []);
    assert.deepEqual(servers.map((s) => s.name), NAMES);
    assert.equal(new Set(servers.map((s) => s.identity)).size, NAMES.length);
  });

  it('the user setting with such names does the same', () => {
    const value = JSON.parse(`{${NAMES.map((n) => `"${n}": {"command": "node"}`).join(',')}}`) as unknown;
    const parsed = parseSettingValue(value, { kind: 'user', file: 'settings:switchboard.servers' });
    assert.deepEqual(parsed.errors, []);
    assert.deepEqual(parsed.servers.map((s) => s.name), NAMES);
  });

  it('env files, environments and ${env:…} treat them as variable names', async () => {
    const env = parseEnvFile('__proto__=a\nconstructor=b\nPATH=/bin\n').env;
    assert.deepEqual(Object.entries(env), [['__proto__', 'a'], ['constructor', 'b'], ['PATH', '/bin']]);
    const built = buildServerEnv({ base: { PATH: '/usr/bin' }, fromEnvFile: env, configured: { toString: 'c' }, platform: 'linux' });
    assert.equal(Object.hasOwn(built, '__proto__') && built['__proto__'], 'a');
    assert.equal(built.toString, 'c');
    const config: ServerConfig = { type: 'stdio', command: 'node', args: ['${env:constructor}', '${env:__proto__}', '${env:toString}'], env: {} };
    const resolved = await resolveServerConfig(config, { userHome: '/home', env: {}, resolveInput: async () => undefined });
    assert.deepEqual('config' in resolved && (resolved.config as { args: string[] }).args, ['', '', '']);
  });

  it('canonical JSON (what pins and fingerprints hash) keeps a key named __proto__', () => {
    const a = JSON.parse('{"b": 1, "__proto__": {"x": 1}}') as unknown;
    const b = JSON.parse('{"b": 1, "__proto__": {"x": 2}}') as unknown;
    assert.equal(canonicalJson(a), '{"__proto__":{"x":1},"b":1}');
    assert.notEqual(canonicalJson(a), canonicalJson(b));
  });

  it('a JSON skeleton keeps a required property named __proto__', () => {
    const schema = JSON.parse('{"type": "object", "properties": {"__proto__": {"type": "string"}, "constructor": {"type": "number"}}, "required": ["__proto__", "constructor"]}') as unknown;
    assert.deepEqual(Object.keys(JSON.parse(jsonSkeleton(schema)) as object), ['__proto__', 'constructor']);
  });

  it('the schema guard sees own properties only: `{}` has no "constructor" and no "toString"', () => {
    const guard = new SchemaGuard();
    const schema = JSON.parse('{"type": "object", "properties": {"constructor": {"type": "string"}}}') as unknown;
    assert.deepEqual(guard.check(schema, {}), { ok: true });
    assert.deepEqual(guard.check(schema, { constructor: 'x' }), { ok: true });
    assert.equal(guard.check(schema, { constructor: 1 }).ok, false);
    assert.deepEqual(guard.check(JSON.parse('{"type": "object", "required": ["toString"]}'), {}), { ok: false, message: 'missing required argument "toString"' });
  });
});
