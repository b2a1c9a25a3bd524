import assert from 'node:assert/strict';
import { parseConfigText, parseSettingValue } from '../../src/config/parse';
import { LineIndex } from '../../src/config/ranges';
import type { ConfigError, ConfigSource } from '../../src/config/types';

const source: ConfigSource = { kind: 'workspace', file: '/ws/.vscode/switchboard.json', workspaceFolder: '/ws' };
const parse = (text: string) => parseConfigText(text, source);

/** `line:column-endLine:endColumn message`, compact enough to assert positions and text at once. */
const where = (e: ConfigError): string => `${e.range.line}:${e.range.column}-${e.range.endLine}:${e.range.endColumn} ${e.message}`;

describe('config/parse: parseConfigText', () => {
  it('accepts comments and trailing commas', () => {
    const r = parse(`{
  // line comment
  /* block */
  "servers": {
    "memory": { "command": "npx", "args": ["-y", "server-memory",], },
  },
}`);
    assert.deepEqual(r.errors, []);
    assert.equal(r.servers.length, 1);
    assert.deepEqual(r.servers[0].config, { type: 'stdio', command: 'npx', args: ['-y', 'server-memory'], env: {} });
    assert.deepEqual(r.servers[0].path, ['servers', 'memory']);
    assert.equal(r.servers[0].source, source);
    // The range points at the key, for "reveal in config".
    assert.deepEqual([r.servers[0].range?.line, r.servers[0].range?.column, r.servers[0].range?.length], [5, 5, 8]);
  });

  it('treats empty, whitespace-only and comment-only text as no servers and no errors', () => {
    for (const text of ['', '   \n\t\n', '// nothing yet\n', '\uFEFF']) {
      const r = parse(text);
      assert.deepEqual([r.servers, r.errors, r.invalidServers, r.inputs], [[], [], [], []], JSON.stringify(text));
    }
  });

  it('reads the VS Code shape with every field', () => {
    const r = parse(JSON.stringify({
      servers: {
        local: {
          type: 'stdio', command: 'node', args: ['s.js'], env: { A: '1', B: null }, envFile: '.env', cwd: 'sub',
          disabled: true, startupTimeoutMs: 5000, requestTimeoutMs: 10000,
        },
        web: { type: 'sse', url: 'https://x.test/sse', headers: { Authorization: 'Bearer t' }, requestTimeoutMs: 1 },
      },
    }));
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.servers.map((s) => s.config), [
      { type: 'stdio', command: 'node', args: ['s.js'], env: { A: '1', B: null }, envFile: '.env', cwd: 'sub', disabled: true, startupTimeoutMs: 5000, requestTimeoutMs: 10000 },
      { type: 'sse', url: 'https://x.test/sse', headers: { Authorization: 'Bearer t' }, requestTimeoutMs: 1 },
    ]);
  });

  it('reads the Claude Desktop / Cursor shape and infers the type', () => {
    const r = parse(`{ "mcpServers": {
      "fs": { "command": "npx", "args": ["-y", "server-filesystem", "/tmp"] },
      "remote": { "url": "http://localhost:3000/mcp" },
      "legacy": { "type": "sse", "url": "http://localhost:3000/sse" }
    } }`);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.servers.map((s) => [s.name, s.config.type, s.path]), [
      ['fs', 'stdio', ['mcpServers', 'fs']], ['remote', 'http', ['mcpServers', 'remote']], ['legacy', 'sse', ['mcpServers', 'legacy']],
    ]);
    assert.deepEqual(r.servers[1].config, { type: 'http', url: 'http://localhost:3000/mcp', headers: {} });
  });

  it('infers the type in the VS Code shape too, and accepts both maps in one file', () => {
    const r = parse('{ "servers": { "a": { "command": "x" } }, "mcpServers": { "b": { "url": "https://b.test" } } }');
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.servers.map((s) => `${s.name}:${s.config.type}`), ['a:stdio', 'b:http']);
  });

  it('reports a field of the wrong type at the value, naming the field', () => {
    const text = '{\n  "servers": {\n    "weather": { "command": 42 }\n  }\n}';
    const r = parse(text);
    assert.deepEqual(r.errors.map(where), ['3:29-3:30 servers.weather.command: expected a string, got 42']);
    assert.deepEqual(r.errors[0].path, ['servers', 'weather', 'command']);
    assert.equal(r.errors[0].server, 'weather');
    assert.equal(r.errors[0].file, source.file);
    assert.equal(text.slice(r.errors[0].range.offset, r.errors[0].range.offset + r.errors[0].range.length), '42');
  });

  it('reports a missing command on the server name', () => {
    const r = parse('{\n  "servers": {\n    "weather": { "type": "stdio", "args": [] }\n  }\n}');
    assert.deepEqual(r.errors.map(where), ['3:5-3:13 servers.weather: "command" is required for a stdio server']);
    assert.deepEqual(r.invalidServers.map((s) => s.name), ['weather']);
    assert.deepEqual(r.invalidServers[0].errors, r.errors);
  });

  it('reports an entry with neither command nor url, or with both and no type', () => {
    const r = parse('{"servers": {"a": {}, "b": {"command": "x", "url": "http://x"}, "c": "npx"}}');
    assert.deepEqual(r.errors.map((e) => e.message), [
      'servers.a: "command" (for a stdio server) or "url" (for an http or sse server) is required',
      'servers.b: has both "command" and "url"; set "type" to say which transport to use',
      'servers.c: expected an object with "command" or "url", got "npx"',
    ]);
    assert.deepEqual(r.servers, []);
  });

  it('reports a syntax error at its position', () => {
    const r = parse('{\n  "servers": {\n    "a": { "command": "x" }\n  }\n  "inputs": []\n}');
    assert.deepEqual(r.errors.map(where), ['5:3-5:10 syntax error: comma expected']);
    // Outside every server entry, so the server is still fine.
    assert.deepEqual(r.servers.map((s) => s.name), ['a']);
  });

  it('makes only the server whose entry has a syntax error invalid', () => {
    const r = parse('{"servers": {\n"good": {"command": "x"},\n"bad": {"command": "y" "args": []},\n"also": {"url": "http://z"}\n}}');
    assert.deepEqual(r.servers.map((s) => s.name), ['good', 'also']);
    assert.deepEqual(r.invalidServers.map((s) => s.name), ['bad']);
    assert.deepEqual(r.errors.map(where), ['3:24-3:29 servers.bad: syntax error: comma expected']);
    assert.equal(r.errors[0].server, 'bad');
  });

  it('reports an unfinished file once, on the server left open', () => {
    const r = parse('{"servers": {"a": {"command": "x"');
    assert.deepEqual(r.errors.map((e) => e.message), ['servers.a: syntax error: close brace expected']);
    assert.deepEqual(r.invalidServers.map((s) => s.name), ['a']);
  });

  it('reports a duplicate server name on the second key and keeps the first', () => {
    const r = parse('{\n  "servers": {\n    "a": { "command": "first" },\n    "a": { "command": "second" }\n  }\n}');
    assert.deepEqual(r.errors.map(where), ['4:5-4:7 servers.a: duplicate server name "a"']);
    assert.deepEqual(r.servers.map((s) => s.config.type === 'stdio' && s.config.command), ['first']);
  });

  it('reports a name repeated across servers and mcpServers', () => {
    const r = parse('{"servers": {"a": {"command": "x"}}, "mcpServers": {"a": {"command": "y"}}}');
    assert.deepEqual(r.errors.map((e) => e.message), ['mcpServers.a: duplicate server name "a" (first defined in "servers")']);
    assert.equal(r.servers.length, 1);
  });

  it('warns about other duplicate keys; the last one is used', () => {
    const r = parse('{"servers": {"a": {"command": "x", "command": "y"}}}');
    assert.deepEqual(r.errors.map((e) => `${e.severity} ${e.message}`), ['warning servers.a.command: duplicate key "command"; the last one is used']);
    assert.equal(r.servers[0].config.type === 'stdio' && r.servers[0].config.command, 'y');
  });

  it('reports a bad url at the value', () => {
    const r = parse('{\n"servers": {\n  "web": {\n    "type": "http",\n    "url": "ftp://files.test"\n  }\n}}');
    assert.deepEqual(r.errors.map(where), ['5:12-5:29 servers.web.url: expected an http:// or https:// URL']);
  });

  it('accepts a url made of variables', () => {
    const r = parse('{"servers": {"web": {"url": "${input:base}/mcp"}, "h": {"url": "https://${env:HOST}:8080/mcp"}}, "inputs": [{"id": "base", "type": "promptString"}]}');
    assert.deepEqual(r.errors, []);
  });

  it('names the index of a bad array item and the key of a bad record value', () => {
    const r = parse('{"servers": {"s": {"command": "x", "args": ["ok", 3], "env": {"A": 1, "B": null}}, "r": {"url": "http://r", "headers": {"X": null}}}}');
    assert.deepEqual(r.errors.map((e) => e.message), [
      'servers.s.args[1]: expected a string, got 3',
      'servers.s.env.A: expected a string or null, got 1',
      'servers.r.headers.X: expected a string, got null',
    ]);
  });

  it('checks booleans, timeouts, empty strings and unknown types', () => {
    const r = parse(JSON.stringify({
      servers: {
        a: { command: 'x', disabled: 'yes' },
        b: { command: 'x', startupTimeoutMs: 0 },
        c: { command: 'x', requestTimeoutMs: 1.5 },
        d: { command: '' },
        e: { type: 'streamable-http', url: 'http://e' },
        f: { command: 'x', startupTimeoutMs: 1e12 },
      },
    }));
    assert.deepEqual(r.errors.map((e) => e.message), [
      'servers.a.disabled: expected true or false, got "yes"',
      'servers.b.startupTimeoutMs: must be greater than 0',
      'servers.c.requestTimeoutMs: expected an integer, got 1.5',
      'servers.d.command: must not be empty',
      'servers.e.type: expected one of "stdio", "http", "sse", got "streamable-http"',
      'servers.f.startupTimeoutMs: must be at most 2147483647',
    ]);
    assert.deepEqual(r.invalidServers.map((s) => s.name), ['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('reads tls.ca of a remote server, and points at what is wrong inside tls', () => {
    const text = '{"servers": {\n"ok": {"url": "https://a.test", "tls": {"ca": "certs/ca.pem"}},\n"bad": {"url": "https://b.test", "tls": {"ca": 7}},\n'
      + '"odd": {"url": "https://c.test", "tls": {"ca": "x.pem", "cert": "y.pem"}},\n"plain": {"url": "http://d.test", "tls": {"ca": "x.pem"}},\n'
      + '"empty": {"url": "https://e.test", "tls": {}}}}';
    const r = parse(text);
    assert.deepEqual(r.errors.map(where), [
      '3:48-3:48 servers.bad.tls.ca: expected a string, got 7',
      '4:57-4:62 servers.odd.tls.cert: unknown property "cert" (ignored)',
      '5:35-5:39 servers.plain.tls: "tls" applies only to https:// URLs (ignored)',
    ]);
    assert.deepEqual(r.servers.map((s) => [s.name, (s.config as { tls?: unknown }).tls]), [
      ['ok', { ca: 'certs/ca.pem' }], ['odd', { ca: 'x.pem' }], ['plain', { ca: 'x.pem' }], ['empty', undefined],
    ]);
    assert.deepEqual(r.invalidServers.map((s) => s.name), ['bad']);
  });

  it('keeps the good servers when one is bad', () => {
    const r = parse('{"servers": {"one": {"command": "a"}, "bad": {"command": ["x"]}, "two": {"url": "https://t"}}}');
    assert.deepEqual(r.servers.map((s) => s.name), ['one', 'two']);
    assert.deepEqual(r.invalidServers.map((s) => [s.name, s.errors.length]), [['bad', 1]]);
    assert.equal(r.errors.length, 1);
  });

  it('warns on unknown keys (suggesting the likely one) without failing the server', () => {
    const text = '{"servers": {"a": {"comand": "x", "command": "x", "flavour": 1}, "b": {"url": "http://b", "args": []}}}';
    const r = parse(text);
    assert.deepEqual(r.errors.map((e) => `${e.severity} ${e.message}`), [
      'warning servers.a.comand: unknown property "comand"; did you mean "command"?',
      'warning servers.a.flavour: unknown property "flavour" (ignored)',
      'warning servers.b.args: "args" is not used by an http server (ignored)',
    ]);
    assert.deepEqual(r.servers.map((s) => s.name), ['a', 'b']);
    assert.deepEqual(r.invalidServers, []);
    // Unknown keys are underlined on the key itself.
    const e = r.errors[0];
    assert.equal(text.slice(e.range.offset, e.range.offset + e.range.length), '"comand"');
  });

  it('warns on unknown top-level keys and rejects a non-object root or server map', () => {
    assert.deepEqual(parse('{"server": {}, "version": 2}').errors.map((e) => `${e.severity} ${e.message}`), [
      'warning server: unknown property "server"; did you mean "servers"?',
      'warning version: unknown property "version" (ignored)',
    ]);
    assert.deepEqual(parse('[]').errors.map((e) => e.message), ['expected an object with "servers" (or "mcpServers")']);
    assert.deepEqual(parse('{"servers": []}').errors.map((e) => e.message), ['servers: expected an object mapping server names to entries, got array']);
    assert.deepEqual(parse('{"$schema": "./s.json"}').errors, []);
  });

  it('reads inputs and reports bad ones', () => {
    const r = parse(JSON.stringify({
      inputs: [
        { id: 'key', type: 'promptString', description: 'API key', password: true },
        { id: 'region', type: 'pickString', options: ['eu', 'us'], default: 'eu' },
        { id: 'key', type: 'promptString' },
        { id: 'p', type: 'pickString' },
        { type: 'promptString' },
        { id: 'c', type: 'command' },
        { id: 'd', type: 'pickString', options: ['a'], default: 'b' },
      ],
    }));
    assert.deepEqual(r.inputs.map((i) => i.id), ['key', 'region', 'd']);
    assert.deepEqual(r.inputs[0], { id: 'key', type: 'promptString', description: 'API key', password: true });
    assert.deepEqual(r.errors.map((e) => `${e.severity} ${e.message}`), [
      'error inputs[2].id: duplicate input id "key"',
      'error inputs[3]: "options" is required for a pickString input',
      'error inputs[4]: "id" is required for an input',
      'error inputs[5].type: expected one of "promptString", "pickString", got "command"',
      'warning inputs[6].default: is not one of "options"',
    ]);
  });

  it('warns about unknown variables and undefined inputs where they are written', () => {
    const r = parse('{"servers": {"a": {"command": "x", "args": ["${workspaceFolder}", "${input:nope}", "${wat}", "$HOME"]}}}');
    assert.deepEqual(r.errors.map((e) => `${e.severity} ${e.message}`), [
      'warning servers.a.args[1]: input "nope" is not defined in "inputs"',
      'warning servers.a.args[2]: unknown variable ${wat}',
    ]);
    assert.equal(r.servers.length, 1);
  });

  it('quotes server names that are not identifiers', () => {
    const r = parse('{"servers": {"my.server": {"command": 1}}}');
    assert.deepEqual(r.errors.map((e) => e.message), ['servers["my.server"].command: expected a string, got 1']);
  });

  it('reports an empty server name', () => {
    const r = parse('{"servers": {"": {"command": "x"}}}');
    assert.deepEqual(r.errors.map((e) => e.message), ['servers[""]: server name must not be empty']);
    assert.deepEqual(r.servers, []);
  });

  it('sorts errors by position and counts CRLF lines correctly', () => {
    const r = parse('{\r\n"servers": {\r\n"b": {"command": 1},\r\n"a": {"command": 2}\r\n}}');
    assert.deepEqual(r.errors.map((e) => [e.range.line, e.range.column]), [[3, 18], [4, 18]]);
  });
});

describe('config/parse: parseSettingValue', () => {
  const user: ConfigSource = { kind: 'user', file: 'settings:switchboard.servers' };

  it('reads servers from a plain object', () => {
    const r = parseSettingValue({ mem: { command: 'npx', args: ['m'] }, web: { url: 'https://w' } }, user);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.servers.map((s) => [s.name, s.config.type, s.path, s.source.kind]), [
      ['mem', 'stdio', ['mem'], 'user'], ['web', 'http', ['web'], 'user'],
    ]);
  });

  it('names the setting path in errors, with zero ranges', () => {
    const r = parseSettingValue({ a: { command: 'x', env: { N: 3 } }, b: { command: 'y' } }, user);
    assert.deepEqual(r.errors.map((e) => e.message), ['switchboard.servers.a.env.N: expected a string or null, got 3']);
    assert.deepEqual(r.errors[0].path, ['a', 'env', 'N']);
    assert.deepEqual(r.errors[0].range, { offset: 0, length: 0, line: 1, column: 1, endLine: 1, endColumn: 1 });
    assert.deepEqual(r.servers.map((s) => s.name), ['b']);
    assert.deepEqual(r.invalidServers.map((s) => s.name), ['a']);
  });

  it('handles a missing or malformed setting', () => {
    assert.deepEqual(parseSettingValue(undefined, user).errors, []);
    assert.deepEqual(parseSettingValue(null, user).errors, []);
    assert.deepEqual(parseSettingValue('npx', user).errors.map((e) => e.message), ['switchboard.servers: expected an object mapping server names to entries']);
  });

  it('explains a pasted "servers" wrapper', () => {
    const r = parseSettingValue({ servers: { a: { command: 'x' } } }, user);
    assert.ok(r.errors.some((e) => e.message.includes('remove the "servers" wrapper')));
  });
});

describe('config/ranges: LineIndex', () => {
  it('maps offsets across LF, CRLF and CR line ends', () => {
    const idx = new LineIndex('ab\ncd\r\nef\rg');
    assert.deepEqual([0, 2, 3, 5, 7, 10].map((o) => idx.position(o)), [
      { line: 1, column: 1 }, { line: 1, column: 3 }, { line: 2, column: 1 }, { line: 2, column: 3 }, { line: 3, column: 1 }, { line: 4, column: 1 },
    ]);
    assert.deepEqual(idx.range(1, 4), { offset: 1, length: 4, line: 1, column: 2, endLine: 2, endColumn: 2 });
  });
});
