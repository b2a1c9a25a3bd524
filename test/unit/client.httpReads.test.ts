// Reading a remote server's answers within limits: a body or an SSE event past its cap, or not
// complete by its deadline, stops the read (the stream is destroyed) with an error naming whose
// answer and which limit; what fits is read as before.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { readBody, readCapped, readEvents, ReadLimitError, type ReadLimits } from '../../src/client/httpReads';

const limits = (over: Partial<ReadLimits> = {}): ReadLimits => ({ maxBytes: 1000, deadlineMs: 5000, what: 'the answer from https://srv', ...over });

function events(stream: PassThrough, l: ReadLimits) {
  const seen: string[] = [];
  const ended = new Promise<Error | undefined>((resolve) => readEvents(stream, l, { onEvent: (e) => seen.push(e.data), onEnd: resolve }));
  return { seen, ended };
}

describe('client/httpReads', () => {
  it('reads a body that fits, in pieces', async () => {
    const s = new PassThrough();
    const body = readBody(s, limits());
    s.write('{"a":');
    s.end('1}');
    assert.equal((await body).toString(), '{"a":1}');
  });

  it('stops a body past its cap, destroying the stream', async () => {
    const s = new PassThrough();
    const body = readBody(s, limits());
    s.write(Buffer.alloc(600));
    s.write(Buffer.alloc(600));
    await assert.rejects(body, (e: unknown) => e instanceof ReadLimitError && e.limit === 'size'
      && e.message === 'the answer from https://srv was larger than 1 KB; stopped reading it');
    assert.ok(s.destroyed);
  });

  it('stops a body that does not finish by its deadline', async () => {
    const s = new PassThrough();
    const body = readBody(s, limits({ deadlineMs: 50 }));
    s.write('{"a":');
    await assert.rejects(body, /the answer from https:\/\/srv did not arrive within 50 ms; stopped reading it/);
    assert.ok(s.destroyed);
  });

  it('names a body cut short', async () => {
    const s = new PassThrough();
    const body = readBody(s, limits());
    s.write('{"a":');
    s.destroy();
    await assert.rejects(body, /the answer from https:\/\/srv ended before it was complete/);
  });

  it('reads SSE events, a line split across chunks and multi-byte characters included', async () => {
    const s = new PassThrough();
    const { seen, ended } = events(s, limits());
    const text = Buffer.from('data: one\n\ndata: twö\n\n: keep-alive\n\ndata: three\n\n');
    for (let i = 0; i < text.length; i += 5) s.write(text.subarray(i, i + 5));
    s.end();
    assert.equal(await ended, undefined);
    assert.deepEqual(seen, ['one', 'twö', 'three']);
  });

  it('stops an SSE line without a newline at the cap', async () => {
    const s = new PassThrough();
    const { seen, ended } = events(s, limits());
    s.write('data: ok\n\ndata: ');
    for (let i = 0; i < 5; i++) s.write(Buffer.alloc(300, 'x'));
    const error = await ended;
    assert.ok(error instanceof ReadLimitError && error.limit === 'size', String(error));
    assert.match(error.message, /larger than 1 KB/);
    assert.deepEqual(seen, ['ok']);
    assert.ok(s.destroyed);
  });

  it('stops an SSE event of many lines at the cap', async () => {
    const s = new PassThrough();
    const { ended } = events(s, limits());
    for (let i = 0; i < 20; i++) s.write(`data: ${'y'.repeat(100)}\n`);
    assert.match(String(await ended), /larger than 1 KB/);
  });

  it('keeps a quiet stream open, and stops an event that does not finish by its deadline', async () => {
    const s = new PassThrough();
    const { seen, ended } = events(s, limits({ deadlineMs: 80 }));
    s.write('data: a\n\n');
    await new Promise((r) => setTimeout(r, 150));
    assert.ok(!s.destroyed, 'nothing pending: no deadline');
    s.write('data: never ends');
    assert.match(String(await ended), /did not arrive within/);
    assert.deepEqual(seen, ['a']);
  });

  it('ends the stream with the error of a handler that throws, instead of letting it escape', async () => {
    const s = new PassThrough();
    const ended = new Promise<Error | undefined>((resolve) => readEvents(s, limits(), { onEvent: () => { throw new TypeError('Invalid URL'); }, onEnd: resolve }));
    s.write('event: endpoint\ndata: http://[\n\n');
    assert.match(String(await ended), /TypeError: Invalid URL/);
    assert.ok(s.destroyed);
  });

  it('keeps only the start of an error body', async () => {
    const s = new PassThrough();
    const text = readCapped(s);
    s.write('x'.repeat(3000));
    assert.equal((await text).length, 2049);
  });
});
