import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { StdoutReader } from '../../src/client/stdioReader';

/** A reader on a stream of its own, with what it handed over. */
function reader() {
  const stdout = new PassThrough();
  const got = { messages: [] as JSONRPCMessage[], errors: [] as string[], failures: [] as string[] };
  const r = new StdoutReader(stdout, {
    message: (m) => got.messages.push(m),
    error: (e) => got.errors.push(e.message),
    fail: (why) => got.failures.push(why),
  });
  return { r, stdout, got };
}

const turns = (n: number) => new Promise<void>((resolve) => {
  const next = (left: number) => (left === 0 ? resolve() : setImmediate(next, left - 1));
  next(n);
});

describe('client: stdio reader', () => {
  it('hands over a line longer than a scan slice whole, also when it comes in pieces', async () => {
    const { r, got } = reader();
    const text = 'x'.repeat(100 * 1024);
    const line = Buffer.from(`${JSON.stringify({ jsonrpc: '2.0', id: 1, result: { text } })}\n{"jsonrpc":"2.0","id":2,"result":{}}\n`);
    r.take(line.subarray(0, 70_000));
    r.take(line.subarray(70_000));
    await turns(5);
    assert.deepEqual(got.errors, []);
    assert.deepEqual(got.messages.map((m) => (m as { id: number }).id), [1, 2]);
    assert.equal((got.messages[0] as unknown as { result: { text: string } }).result.text.length, text.length);
  });

  it('refuses a line over the message bounds before parsing it, failing the request it answered', async () => {
    const { r, got } = reader();
    const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    r.take(Buffer.from(`{"jsonrpc":"2.0","id":9,"result":{"a":${deep}}}\n`));
    await turns(5);
    assert.equal(got.errors.length, 1);
    assert.match(got.errors[0], /refused a message from the server: it is nested deeper/);
    assert.equal((got.messages[0] as { id: number; error: { message: string } }).id, 9);
    assert.match((got.messages[0] as { error: { message: string } }).error.message, /refused/);
  });

  it('drops notifications beyond the burst and says so once', async () => {
    const { r, got } = reader();
    const note = '{"jsonrpc":"2.0","method":"notifications/message","params":{}}\n';
    r.take(Buffer.from(note.repeat(2500)));
    await turns(3);
    assert.ok(got.messages.length >= 2000 && got.messages.length < 2100, `${got.messages.length} handed over`);
    assert.equal(got.errors.length, 1);
    assert.match(got.errors[0], /dropped \d+ notifications/);
  });
});
