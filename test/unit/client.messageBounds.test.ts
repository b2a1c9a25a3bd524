import assert from 'node:assert/strict';
import { MESSAGE_LIMITS, MessageScanner, type MessageLimits } from '../../src/client/messageBounds';

const small: MessageLimits = { maxValues: 20, maxMembers: 5, maxDepth: 4 };

/** Scans `text` in pieces of `piece` bytes, as chunks arrive. */
function scan(text: string, limits = small, piece = 7): MessageScanner {
  const s = new MessageScanner(limits);
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 0; i < bytes.length; i += piece) s.push(bytes, i, Math.min(bytes.length, i + piece));
  return s;
}

describe('client: message bounds', () => {
  it('lets an ordinary message through, strings with escapes and brackets included', () => {
    const s = scan('{"jsonrpc":"2.0","id":7,"result":{"content":[{"type":"text","text":"a \\"[{\\\\ b"}]}}');
    assert.equal(s.refusal, undefined);
    assert.equal(s.refusedAnswer(), undefined);
  });

  it('refuses too many values, too deep, or an object with too many members', () => {
    assert.match(scan(`{"id":1,"result":{"a":[${'0,'.repeat(30)}0]}}`).refusal ?? '', /more than 20 values/);
    assert.match(scan('{"id":1,"result":{"a":[[[[]]]]}}').refusal ?? '', /nested deeper than 4 levels/);
    assert.match(scan(`{"id":1,"result":{${Array.from({ length: 6 }, (_, i) => `"k${i}":1`).join(',')}}}`).refusal ?? '', /object in it has more than 5 members/);
    // Commas in an array or inside strings are not members.
    assert.equal(scan('{"id":1,"result":{"a":[1,2,3,4,5,6],"b":",,,,,,"}}').refusal, undefined);
  });

  it('answers the request a refused answer was for, with its id as sent (number or string)', () => {
    for (const [id, raw] of [[1_000_000_007, '1000000007'], ['a"b', '"a\\"b"'], [-3, ' -3 ']] as const) {
      const s = scan(`{"jsonrpc":"2.0","result":{"x":[[[[[]]]]],"id":"not this"},"id":${raw}}`);
      assert.deepEqual(s.refusedAnswer(), {
        jsonrpc: '2.0', id, error: { code: -32603, message: 'the server\'s answer was refused: it is nested deeper than 4 levels' },
      });
    }
  });

  it('answers nothing for a refused request or notification from the server', () => {
    const s = scan('{"jsonrpc":"2.0","id":4,"method":"sampling/createMessage","params":{"x":[[[[[]]]]]}}');
    assert.match(s.refusal ?? '', /nested/);
    assert.equal(s.refusedAnswer(), undefined);
    assert.equal(scan('{"jsonrpc":"2.0","method":"notifications/message","params":{"x":[[[[[]]]]]}}').refusedAnswer(), undefined);
  });

  it('starts over after reset', () => {
    const s = scan('{"id":1,"result":[[[[[[]]]]]]}');
    assert.ok(s.refusal);
    s.reset();
    const ok = Buffer.from('{"id":2,"result":{}}');
    s.push(ok, 0, ok.length);
    assert.equal(s.refusal, undefined);
  });

  it('scans a large message as it arrives, in time proportional to it', () => {
    const huge = `{"jsonrpc":"2.0","id":1,"result":{"content":[${new Array(200_000).fill('{"type":"text","text":"a"}').join(',')}],"data":"${'A'.repeat(4_000_000)}"}}`;
    const started = performance.now();
    const s = scan(huge, MESSAGE_LIMITS, 65_536);
    assert.match(s.refusal ?? '', /more than 50,000 values/);
    assert.equal((s.refusedAnswer() as { id: number }).id, 1);
    assert.ok(performance.now() - started < 2000, `${performance.now() - started} ms`);
  });
});
