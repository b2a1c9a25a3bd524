import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { SessionTable, type SessionEnd } from '../../src/gateway/sessions';

/** Enough of a response for `track`: it only waits for 'close'. */
const response = () => new EventEmitter() as unknown as ServerResponse;

describe('gateway/sessions', () => {
  let now: number;
  let ended: [string, SessionEnd][];
  const table = (max = 3, idleMs = 1000) => new SessionTable<string>({ max: () => max, idleMs, now: () => now, onEnd: (e, why) => ended.push([e.id, why]) });
  beforeEach(() => { now = 0; ended = []; });

  it('makes room by ending the least recently used, an idle one before one in use', () => {
    const t = table();
    const a = t.add('a', 's', 'A');
    now = 1; t.add('b', 's', 'B');
    now = 2; t.add('c', 's', 'C');
    now = 3; t.track(a, response(), true); // a listens: in use, however old
    t.makeRoom();
    assert.deepEqual(ended, [['b', 'evicted']]);
    now = 4; t.add('d', 's', 'D');
    t.makeRoom();
    assert.deepEqual(ended.at(-1), ['c', 'evicted']);
    assert.equal(t.size, 2);
  });

  it('ends sessions idle for idleMs, counting an open request (a GET stream) as use until it closes', () => {
    const t = table(10, 1000);
    const a = t.add('a', 's', 'A');
    t.add('b', 's', 'B');
    const stream = response();
    t.track(a, stream, true);
    assert.equal(t.listening('s'), true);
    assert.equal(t.listening('other'), false);
    now = 5000;
    t.sweep();
    assert.deepEqual(ended, [['b', 'idle']]);
    (stream as unknown as EventEmitter).emit('close');
    assert.equal(t.listening('s'), false);
    now = 5999; t.sweep();
    assert.equal(t.size, 1, 'its stream closed a moment ago');
    now = 6000; t.sweep();
    assert.deepEqual(ended.at(-1), ['a', 'idle']);
  });

  it('removes a session that closed by itself only when it is still the same one', () => {
    const t = table();
    t.add('a', 's', 'A');
    assert.equal(t.delete('a', 'other'), false);
    assert.equal(t.delete('a', 'A'), true);
    assert.equal(t.size, 0);
    assert.deepEqual(ended, [], 'a DELETE is no expiry');
  });
});
