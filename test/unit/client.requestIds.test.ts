import assert from 'node:assert/strict';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { LATE, RequestIds } from '../../src/client/requestIds';

const request = (id: number): JSONRPCMessage => ({ jsonrpc: '2.0', id, method: 'tools/list' });
const answer = (id: unknown): JSONRPCMessage => ({ jsonrpc: '2.0', id, result: {} } as JSONRPCMessage);
const idOf = (m: JSONRPCMessage | string | undefined) => (m as { id?: unknown } | undefined)?.id;

describe('RequestIds', () => {
  it('sends each request under a random wire id and gives its answer back under ours', () => {
    const ids = new RequestIds();
    const wire = [1, 2, 3].map((id) => idOf(ids.outgoing(request(id))) as number);
    assert.equal(new Set(wire).size, 3);
    assert.ok(wire.every((w) => Number.isInteger(w) && w > 0 && w < 2 ** 31));
    assert.notDeepEqual(wire, [1, 2, 3]);
    assert.equal(idOf(ids.incoming(answer(wire[1]))), 2);
    assert.equal(ids.pending, 2);
  });

  it('drops answers to ids never sent, not yet sent, already answered, or in another type', () => {
    const ids = new RequestIds();
    // Answers written ahead for the ids the client will use next.
    for (const early of [0, 1, 2, 1_000_000_000]) assert.equal(ids.incoming(answer(early)), undefined);
    const wire = idOf(ids.outgoing(request(1))) as number;
    assert.equal(ids.incoming(answer(1)), undefined, 'the client id is not the wire id');
    assert.equal(ids.incoming(answer(String(wire))), undefined, 'a string that reads as the id');
    assert.equal(idOf(ids.incoming(answer(wire))), 1);
    assert.equal(ids.incoming(answer(wire)), undefined, 'a second answer');
  });

  it('names the wire id in a cancellation and forgets the request', () => {
    const ids = new RequestIds();
    const wire = idOf(ids.outgoing(request(7)));
    const cancel = ids.outgoing({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 7, reason: 'timeout' } });
    assert.deepEqual((cancel as { params: unknown }).params, { requestId: wire, reason: 'timeout' });
    assert.equal(ids.pending, 0);
    assert.equal(ids.incoming(answer(wire)), LATE, 'the late answer is expected, and dropped quietly');
    assert.equal(ids.incoming(answer(wire)), undefined, 'but only once');
  });

  it('passes the server\'s own requests and notifications, and our answers to them, untouched', () => {
    const ids = new RequestIds();
    const fromServer: JSONRPCMessage = { jsonrpc: '2.0', id: 5, method: 'sampling/createMessage', params: {} };
    assert.equal(ids.incoming(fromServer), fromServer);
    const ours = answer(5);
    assert.equal(ids.outgoing(ours), ours);
  });

  it('forgets a request that could not be sent, and everything on close', () => {
    const ids = new RequestIds();
    ids.abandon(ids.outgoing(request(1)));
    assert.equal(ids.pending, 0);
    ids.outgoing(request(2));
    ids.clear();
    assert.equal(ids.pending, 0);
  });
});
