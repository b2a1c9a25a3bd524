import assert from 'node:assert/strict';
import { redactedLog } from '../../src/client/redactedLog';
import { errored, redactState, running } from '../../src/client/state';
import { createRedactor } from '../../src/common/redact';
import { recordingLog } from '../connection/helpers';

describe('client/redactedLog and redactState', () => {
  const redact = createRedactor(['hunter2-secret']);

  it('redacts every level and stderr, and keeps asking the sink whether tracing is on', () => {
    const sink = { ...recordingLog(), traceEnabled: () => true };
    const log = redactedLog(sink, redact);
    for (const level of ['trace', 'debug', 'info', 'warn', 'error', 'stderr'] as const) log[level](`${level} hunter2-secret ?token=abc`);
    assert.ok(sink.lines.every((l) => !l.includes('hunter2') && l.includes('?token=***')), sink.lines.join('\n'));
    assert.equal(sink.lines.length, 6);
    assert.equal(log.traceEnabled?.(), true);
    assert.equal(redactedLog(recordingLog(), redact).traceEnabled, undefined);
  });

  it('redacts the messages a state carries and leaves the others as they are', () => {
    assert.deepEqual(redactState(errored('key hunter2-secret refused', ['echo hunter2-secret']), redact), errored('key *** refused', ['echo ***']));
    assert.deepEqual(redactState({ kind: 'restarting', attempt: 1, delayMs: 5, lastError: 'Bearer abcdefgh' }, redact), { kind: 'restarting', attempt: 1, delayMs: 5, lastError: 'Bearer ***' });
    const state = running();
    assert.equal(redactState(state, redact), state);
  });
});
