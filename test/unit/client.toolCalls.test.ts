// The short path for tool calls (src/client/toolCalls.ts), against a real SDK server on the SDK's
// in-memory transport, with the SDK's Client on the same connection: results, protocol errors,
// timeouts, cancellation, progress and a closing transport behave as the SDK's own request path
// does. And the result check gives the SDK schema's answers, with the common case taken as it is.
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema, CallToolResultSchema, ErrorCode, ListToolsRequestSchema, McpError, type CallToolResult, type ServerNotification,
} from '@modelcontextprotocol/sdk/types.js';
import { CALL_ID_BASE, parseCallToolResult } from '../../src/client/toolCalls';
import { TracingTransport } from '../../src/client/tracingTransport';
import type { ServerLog } from '../../src/client/types';

const quiet: ServerLog = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, stderr: () => undefined, traceEnabled: () => false };
const text = (t: string): CallToolResult => ({ content: [{ type: 'text', text: t }] });

/** A server whose tools are: echo, slow (answers after ms; on cancellation says so, unless deaf), steps (progress), refuse (a protocol error). */
async function connect() {
  const heard: string[] = [];
  const server = new Server({ name: 'fixture', version: '1.0.0' }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: [{ name: 'echo', inputSchema: { type: 'object' } }] }));
  server.setRequestHandler(CallToolRequestSchema, async (req, extra) => {
    const args = req.params.arguments ?? {};
    heard.push(`${req.params.name} id=${String(extra.requestId)}`);
    switch (req.params.name) {
      case 'echo': return text(String(args.text));
      case 'slow': return new Promise<CallToolResult>((resolve) => {
        const timer = setTimeout(() => resolve(text('late')), Number(args.ms));
        // A deaf one answers anyway: the client gets an answer to a call it has given up on.
        if (!args.deaf) extra.signal.addEventListener('abort', () => { clearTimeout(timer); heard.push('cancelled'); resolve(text('never sent')); });
      });
      case 'steps': {
        for (let i = 1; i <= Number(args.n); i++) {
          const token = req.params._meta?.progressToken;
          if (token !== undefined) await extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: i, total: Number(args.n) } } as ServerNotification);
          await new Promise((r) => setTimeout(r, Number(args.gapMs ?? 1)));
        }
        return text('done');
      }
      default: throw new McpError(ErrorCode.InvalidParams, `no tool ${req.params.name}`);
    }
  });
  const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
  const transport = new TracingTransport(clientSide, quiet);
  const client = new Client({ name: 'test', version: '0' });
  const protocolErrors: Error[] = [];
  client.onerror = (e) => protocolErrors.push(e);
  await Promise.all([server.connect(serverSide), client.connect(transport)]);
  return { client, calls: transport.toolCalls, heard, protocolErrors, close: () => client.close() };
}

describe('client: the short path for tool calls', function () {
  this.timeout(10_000);

  it('calls a tool beside the SDK client, ids of its own, and the SDK\'s requests still work', async () => {
    const c = await connect();
    try {
      const [a, tools, b] = await Promise.all([
        c.calls.callTool({ name: 'echo', arguments: { text: 'one' } }),
        c.client.listTools(),
        c.calls.callTool({ name: 'echo', arguments: { text: 'two' } }),
      ]);
      assert.deepEqual([a, b], [text('one'), text('two')]);
      assert.equal(tools.tools[0].name, 'echo');
      // The server sees random ids (requestIds.ts), never the short path's own.
      const seen = c.heard.map((h) => Number(/^echo id=(\d+)$/.exec(h)?.[1]));
      assert.equal(new Set(seen).size, 2);
      assert.ok(seen.every((id) => id > 0 && id !== CALL_ID_BASE && id !== CALL_ID_BASE + 1), c.heard.join(', '));
      assert.equal(c.calls.pending, 0);
      assert.deepEqual(c.protocolErrors, []);
    } finally { await c.close(); }
  });

  it('a protocol error is an McpError with the server\'s code and message', async () => {
    const c = await connect();
    try {
      await assert.rejects(c.calls.callTool({ name: 'nope' }), (e: unknown) => e instanceof McpError && e.code === ErrorCode.InvalidParams && /no tool nope/.test(e.message));
    } finally { await c.close(); }
  });

  it('times out: the server is told, and its late answer goes nowhere', async () => {
    const c = await connect();
    try {
      await assert.rejects(c.calls.callTool({ name: 'slow', arguments: { ms: 300 } }, { timeout: 50 }), (e: unknown) => e instanceof McpError && e.code === ErrorCode.RequestTimeout);
      await new Promise((r) => setTimeout(r, 50));
      assert.ok(c.heard.includes('cancelled'), c.heard.join(', '));
      assert.equal(c.calls.pending, 0);
      await assert.rejects(c.calls.callTool({ name: 'slow', arguments: { ms: 100, deaf: true } }, { timeout: 30 }), /timed out/);
      await new Promise((r) => setTimeout(r, 150));
      assert.equal(c.heard.filter((h) => h.startsWith('slow')).length, 2);
      assert.deepEqual(c.protocolErrors, [], 'the SDK never saw the late answer, which it would report as unknown');
    } finally { await c.close(); }
  });

  it('the caller\'s abort cancels the call on the server; an aborted signal sends nothing', async () => {
    const c = await connect();
    try {
      const ac = new AbortController();
      const call = c.calls.callTool({ name: 'slow', arguments: { ms: 5000 } }, { signal: ac.signal });
      await new Promise((r) => setTimeout(r, 20));
      ac.abort('user pressed stop');
      await assert.rejects(call, /user pressed stop/);
      await new Promise((r) => setTimeout(r, 20));
      assert.ok(c.heard.includes('cancelled'));
      const before = c.heard.length;
      await assert.rejects(c.calls.callTool({ name: 'echo', arguments: { text: 'x' } }, { signal: ac.signal }));
      assert.equal(c.heard.length, before);
    } finally { await c.close(); }
  });

  it('passes progress to the caller and resets the timeout on it, up to the total', async () => {
    const c = await connect();
    try {
      const seen: number[] = [];
      // Ten steps 30 ms apart outlast a 100 ms timeout only because each one resets it.
      const done = await c.calls.callTool({ name: 'steps', arguments: { n: 10, gapMs: 30 } }, { timeout: 100, resetTimeoutOnProgress: true, onprogress: (p) => seen.push(p.progress) });
      assert.deepEqual(done, text('done'));
      assert.deepEqual(seen, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      await assert.rejects(
        c.calls.callTool({ name: 'steps', arguments: { n: 10, gapMs: 30 } }, { timeout: 100, resetTimeoutOnProgress: true, maxTotalTimeout: 120, onprogress: () => undefined }),
        /Maximum total timeout exceeded/,
      );
      await assert.rejects(c.calls.callTool({ name: 'steps', arguments: { n: 10, gapMs: 30 } }, { timeout: 100, onprogress: () => undefined }), /timed out/);
      assert.deepEqual(c.protocolErrors, [], 'progress for our calls never reached the SDK');
    } finally { await c.close(); }
  });

  it('a closing connection fails the calls in flight and every later one', async () => {
    const c = await connect();
    const call = c.calls.callTool({ name: 'slow', arguments: { ms: 5000 } });
    await new Promise((r) => setTimeout(r, 20));
    await c.close();
    const closed = (e: unknown) => e instanceof McpError && e.code === ErrorCode.ConnectionClosed;
    await assert.rejects(call, closed);
    await assert.rejects(c.calls.callTool({ name: 'echo', arguments: { text: 'x' } }), closed);
  });
});

describe('client: tool call results checked as the SDK\'s schema checks them', () => {
  const blob = Buffer.from('png').toString('base64');
  const cases: Record<string, unknown> = {
    'text': text('hello'),
    'several text blocks': { content: [{ type: 'text', text: 'a' }, { type: 'text', text: '' }] },
    'no content': {},
    'empty content': { content: [] },
    'structured': { content: [], structuredContent: { sum: 5, nested: { list: [1] } } },
    'a tool error': { content: [{ type: 'text', text: 'bad' }], isError: true },
    'extra top-level fields': { content: [], extra: 1, toolResult: 'x' },
    '_meta': { content: [], _meta: { progressToken: 3, custom: 'x' } },
    'bad _meta': { content: [], _meta: 'x' },
    'annotations': { content: [{ type: 'text', text: 'a', annotations: { audience: ['user'], priority: 0.5 } }] },
    'bad annotations': { content: [{ type: 'text', text: 'a', annotations: { priority: 2 } }] },
    'unknown key in a block (stripped)': { content: [{ type: 'text', text: 'a', colour: 'red' }] },
    'image': { content: [{ type: 'image', data: blob, mimeType: 'image/png' }] },
    'image with bad base64': { content: [{ type: 'image', data: '%%%', mimeType: 'image/png' }] },
    'resource': { content: [{ type: 'resource', resource: { uri: 'x://a', text: 't' } }] },
    'resource_link': { content: [{ type: 'resource_link', uri: 'x://a', name: 'a' }] },
    'unknown block type': { content: [{ type: 'video', url: 'x' }] },
    'text that is a number': { content: [{ type: 'text', text: 5 }] },
    'a block that is null': { content: [null] },
    'a block that is an array': { content: [['text']] },
    'content not an array': { content: { type: 'text', text: 'a' } },
    'content null': { content: null },
    'isError a string': { content: [], isError: 'yes' },
    'isError null': { content: [], isError: null },
    'structured an array': { content: [], structuredContent: [1] },
    'structured null': { content: [], structuredContent: null },
    'structured a string': { content: [], structuredContent: 's' },
  };

  for (const [name, value] of Object.entries(cases)) {
    it(name, () => {
      const input = JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
      const ours = parseCallToolResult(input);
      const sdk = CallToolResultSchema.safeParse(JSON.parse(JSON.stringify(value)));
      assert.equal(!(ours instanceof Error), sdk.success, `accepted by us: ${!(ours instanceof Error)}, by the SDK: ${sdk.success}`);
      if (sdk.success) assert.deepEqual(ours, sdk.data);
    });
  }

  it('takes the common result as it stands, without copying it', () => {
    const plain = { content: [{ type: 'text', text: 'a' }], structuredContent: { a: 1 }, isError: false };
    assert.equal(parseCallToolResult(plain), plain);
  });
});
