import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { parseConfigText } from '../../src/config/parse';
import { INPUT_KEYS, REMOTE_KEYS, STDIO_KEYS, TLS_KEYS, TOP_LEVEL_KEYS } from '../../src/config/schema';
import { SETTING_SERVERS, WORKSPACE_CONFIG_PATH } from '../../src/config/paths';

interface JsonSchema {
  $schema: string;
  properties: Record<string, unknown>;
  definitions: { server: { properties: Record<string, unknown> }; input: { properties: Record<string, { description?: string }> } };
  examples: Record<string, unknown>[];
}

// Tests run from out/test/unit; the schema ships from the repository's media folder.
const schemaPath = path.resolve(__dirname, '../../../media/switchboard.schema.json');
const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as JsonSchema;

describe('media/switchboard.schema.json', () => {
  // VS Code's own keywords (defaultSnippets, enumDescriptions, ...) are not draft-07, hence strict: false.
  const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
  const valid = (config: unknown): boolean => validate(config) as boolean;

  it('is draft-07 and documents the same keys the parser knows', () => {
    assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
    assert.deepEqual(Object.keys(schema.properties).sort(), [...TOP_LEVEL_KEYS].sort());
    assert.deepEqual(Object.keys(schema.definitions.server.properties).sort(), [...new Set([...STDIO_KEYS, ...REMOTE_KEYS])].sort());
    assert.deepEqual(Object.keys(schema.definitions.input.properties).sort(), [...INPUT_KEYS].sort());
    const tls = schema.definitions.server.properties.tls as { properties: Record<string, { description?: string }> };
    assert.deepEqual(Object.keys(tls.properties).sort(), [...TLS_KEYS].sort());
    for (const [key, prop] of Object.entries(tls.properties)) assert.ok(prop.description, `tls.${key} has a description`);
    for (const [key, prop] of Object.entries({ ...schema.definitions.server.properties, ...schema.definitions.input.properties })) {
      assert.ok((prop as { description?: string }).description, `${key} has a description`);
    }
  });

  it('has an example that uses every documented key and that both the schema and the parser accept', () => {
    const [example] = schema.examples;
    assert.ok(valid(example), JSON.stringify(validate.errors));
    const servers = Object.values(example.servers as Record<string, Record<string, unknown>>);
    const used = new Set(servers.flatMap((s) => Object.keys(s)));
    assert.deepEqual([...used].sort(), Object.keys(schema.definitions.server.properties).sort());
    const parsed = parseConfigText(JSON.stringify(example), { kind: 'workspace', file: 'example.json', workspaceFolder: '/ws' });
    assert.deepEqual(parsed.errors, []);
    assert.equal(parsed.servers.length, servers.length);
    assert.equal(parsed.inputs.length, (example.inputs as unknown[]).length);
  });

  it('tells stdio entries from remote ones, with or without "type"', () => {
    const servers = (entry: unknown) => ({ servers: { s: entry } });
    assert.ok(valid(servers({ command: 'npx' })));
    assert.ok(valid(servers({ url: 'https://x' })));
    assert.ok(valid(servers({ type: 'sse', url: 'http://x/sse' })));
    assert.ok(valid({ mcpServers: { s: { command: 'npx', args: ['-y'] } } }));
    assert.ok(!valid(servers({})), 'stdio needs command');
    assert.ok(!valid(servers({ type: 'http' })), 'http needs url');
    assert.ok(!valid(servers({ type: 'stdio', url: 'http://x' })), 'stdio with only a url');
    assert.ok(!valid(servers({ type: 'websocket', url: 'ws://x' })));
    assert.ok(!valid(servers({ command: 'x', startupTimeoutMs: 0 })));
    assert.ok(!valid(servers({ command: 'x', env: { A: 1 } })));
    assert.ok(valid(servers({ command: 'x', env: { A: null } })));
    assert.ok(!valid(servers({ url: 'ftp://x' })));
    assert.ok(valid(servers({ url: '${input:base}/mcp' })));
    assert.ok(valid(servers({ url: 'https://x', tls: { ca: '${workspaceFolder}/ca.pem' } })));
    assert.ok(!valid(servers({ url: 'https://x', tls: { ca: '' } })));
    assert.ok(!valid(servers({ url: 'https://x', tls: { insecure: true } })), 'there is no way to turn verification off');
    assert.ok(!valid({ inputs: [{ id: 'p', type: 'pickString' }] }), 'pickString needs options');
  });

  it('exports the agreed paths', () => {
    assert.equal(WORKSPACE_CONFIG_PATH, '.vscode/switchboard.json');
    assert.equal(SETTING_SERVERS, 'switchboard.servers');
  });
});
