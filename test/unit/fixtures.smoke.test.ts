/**
 * Proves the fixture servers work with the plain SDK client, so a failing connection test points
 * at the client core rather than at a broken fixture.
 */
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { spawn } from 'node:child_process';
import { isAlive, killProcessTree } from '../../src/client/processTree';
import { fixtureCommand, startHttpFixture, type HttpFixture } from '../fixtures/spawn';

type Text = { type: string; text: string }[];
const firstText = (r: object) => ((r as { content: Text }).content)[0].text;

async function waitUntil(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('fixture servers (smoke)', function () {
  this.timeout(20_000);
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined); });

  async function connect(transport: Transport): Promise<Client> {
    const client = new Client({ name: 'smoke', version: '0.0.0' });
    await client.connect(transport);
    cleanups.push(() => client.close());
    return client;
  }

  function stdio(name: string, env: Record<string, string> = {}): { transport: StdioClientTransport; stderr: () => string } {
    const transport = new StdioClientTransport({ ...fixtureCommand(name), env: { PATH: process.env.PATH ?? '', ...env }, stderr: 'pipe' });
    let stderr = '';
    transport.stderr!.on('data', (c: Buffer) => { stderr += c.toString(); });
    return { transport, stderr: () => stderr };
  }

  async function http(name: string, args: string[] = []): Promise<HttpFixture> {
    const fx = await startHttpFixture(name, args);
    cleanups.push(() => fx.stop());
    return fx;
  }

  it('echo (stdio): tools, structured output, errors, env, resources, prompts, call log', async () => {
    const { transport, stderr } = stdio('echo', { SB_SMOKE: 'yes' });
    const client = await connect(transport);
    assert.equal(firstText(await client.callTool({ name: 'echo', arguments: { text: 'hi' } })), 'hi');
    assert.deepEqual((await client.callTool({ name: 'add', arguments: { a: 2, b: 3 } })).structuredContent, { sum: 5 });
    assert.equal((await client.callTool({ name: 'fail', arguments: {} })).isError, true);
    assert.deepEqual(JSON.parse(firstText(await client.callTool({ name: 'env', arguments: { names: ['SB_SMOKE', 'NOPE'] } }))), { SB_SMOKE: 'yes', NOPE: null });
    const hello = await client.readResource({ uri: 'fixture://hello' });
    assert.equal((hello.contents[0] as { text: string }).text, 'Hello from the fixture');
    assert.equal(((await client.readResource({ uri: 'fixture://item/7' })).contents[0] as { text: string }).text, 'item 7');
    const greet = await client.getPrompt({ name: 'greet', arguments: { name: 'Ada' } });
    assert.deepEqual(greet.messages[0].content, { type: 'text', text: 'Hello, Ada!' });
    await waitUntil(() => stderr().includes('fixture echo call echo {"text":"hi"}'));
    assert.match(stderr(), /^fixture echo pid=\d+ started$/m);
  });

  it('echo (stdio): paginates lists with FIXTURE_PAGE_SIZE and cancels slow calls', async () => {
    const { transport, stderr } = stdio('echo', { FIXTURE_PAGE_SIZE: '4', FIXTURE_TOOL_COUNT: '5' });
    const client = await connect(transport);
    const names: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await client.listTools({ cursor });
      names.push(...page.tools.map((t) => t.name));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    assert.equal(pages, 4); // 8 shared tools + 5 generated, 4 per page
    assert.equal(new Set(names).size, 13);
    assert.ok(names.includes('t4'));
    await assert.rejects(client.listTools({ cursor: 'bogus' }), /Invalid cursor/);

    const aborter = new AbortController();
    const call = client.callTool({ name: 'slow', arguments: { ms: 10_000 } }, undefined, { signal: aborter.signal });
    await waitUntil(() => stderr().includes('call slow'));
    aborter.abort();
    await assert.rejects(call);
    await waitUntil(() => stderr().includes('fixture echo cancelled slow'));
  });

  it('garbage (stdio): stays usable despite non-JSON stdout lines', async () => {
    const { transport } = stdio('garbage');
    const errors: Error[] = [];
    transport.onerror = (e) => errors.push(e);
    const client = await connect(transport);
    assert.equal(firstText(await client.callTool({ name: 'echo', arguments: { text: 'ok' } })), 'ok');
    assert.ok(errors.length > 0, 'the client saw the garbage lines');
  });

  it('list-changed (stdio): sends tools/list_changed after add_tool', async () => {
    const { transport } = stdio('list-changed');
    const client = await connect(transport);
    let notified = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => { notified++; });
    await client.callTool({ name: 'add_tool', arguments: { name: 'fresh' } });
    await waitUntil(() => notified > 0);
    assert.ok((await client.listTools()).tools.some((t) => t.name === 'fresh'));
    await client.callTool({ name: 'remove_tool', arguments: { name: 'fresh' } });
    assert.ok(!(await client.listTools()).tools.some((t) => t.name === 'fresh'));
  });

  it('http (Streamable HTTP): echo, headers, and 401 without credentials when required', async () => {
    const fx = await http('http');
    const client = await connect(new StreamableHTTPClientTransport(new URL(fx.url), { requestInit: { headers: { 'X-Smoke': '1' } } }));
    assert.equal(firstText(await client.callTool({ name: 'echo', arguments: { text: 'over http' } })), 'over http');
    assert.equal(JSON.parse(firstText(await client.callTool({ name: 'headers', arguments: {} })))['x-smoke'], '1');
    assert.match(fx.stderr(), /fixture http call echo/);

    const locked = await http('http', ['--require-auth']);
    const res = await fetch(locked.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(res.status, 401);
    assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer/);
  });

  it('sse (legacy): echo over SSE, and 4xx for Streamable HTTP POSTs', async () => {
    const fx = await http('sse');
    const client = await connect(new SSEClientTransport(new URL(fx.url)));
    assert.equal(firstText(await client.callTool({ name: 'echo', arguments: { text: 'over sse' } })), 'over sse');
    for (const p of ['/sse', '/mcp', '/']) {
      const res = await fetch(`http://127.0.0.1:${fx.port}${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      assert.equal(res.status, 404, p);
    }
  });

  it('exit-at-start and hang: fail before the handshake', async () => {
    const dead = spawn(fixtureCommand('exit-at-start').command, fixtureCommand('exit-at-start').args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let deadErr = '';
    dead.stderr!.on('data', (c: Buffer) => { deadErr += c.toString(); });
    const code = await new Promise((r) => dead.once('close', r));
    assert.equal(code, 1);
    assert.match(deadErr, /boom: missing API key/);

    const hang = spawn(fixtureCommand('hang').command, fixtureCommand('hang').args, { stdio: ['pipe', 'pipe', 'pipe'] });
    cleanups.push(() => killProcessTree(hang.pid!));
    let hangErr = '';
    hang.stderr!.on('data', (c: Buffer) => { hangErr += c.toString(); });
    await waitUntil(() => /grandchild=\d+/.test(hangErr));
    const grandchild = Number(/grandchild=(\d+)/.exec(hangErr)![1]);
    hang.stdin!.end();
    hang.kill('SIGTERM');
    await waitUntil(() => hangErr.includes('got SIGTERM, ignoring it'));
    assert.ok(isAlive(hang.pid!) && isAlive(grandchild));
    await killProcessTree(hang.pid!);
    await waitUntil(() => !isAlive(hang.pid!) && !isAlive(grandchild));
  });
});
