import assert from 'node:assert/strict';
import { isJsonRpcMessage } from '../../src/client/jsonRpc';

describe('client/jsonRpc envelope check', () => {
  it('takes requests, notifications, results and errors', () => {
    for (const m of [
      { jsonrpc: '2.0', id: 1, method: 'ping' },
      { jsonrpc: '2.0', id: 'a', method: 'sampling/createMessage', params: {} },
      { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 1, progress: 1 } },
      { jsonrpc: '2.0', id: 7, result: {} },
      { jsonrpc: '2.0', id: 7, error: { code: -32601, message: 'Method not found' } },
    ]) assert.ok(isJsonRpcMessage(m), JSON.stringify(m));
  });

  it('refuses what only looks like one', () => {
    for (const m of [
      null, 42, 'text', [], { log: 'calling echo' }, { jsonrpc: '1.0', id: 1, method: 'x' },
      { jsonrpc: '2.0', id: {}, method: 'x' }, { jsonrpc: '2.0', id: 1 }, { jsonrpc: '2.0', id: null, result: {} },
      { jsonrpc: '2.0', id: 1, result: 'done' }, { jsonrpc: '2.0', id: 1, error: { message: 'no code' } },
      { jsonrpc: '2.0', id: 1, result: {}, error: { code: 1, message: 'both' } },
      { jsonrpc: '2.0', id: 1, method: 'x', params: [1, 2] }, { jsonrpc: '2.0', id: 1, error: { code: 1.5, message: 'fractional' } },
    ]) assert.ok(!isJsonRpcMessage(m), JSON.stringify(m));
  });
});
