import assert from 'node:assert/strict';
import { LineSplitter, LineTail } from '../../src/client/lines';
import { canonicalJson } from '../../src/config/diff';
import { describeState } from '../../src/client/state';

describe('LineSplitter / LineTail', () => {
  it('splits chunks on LF and CRLF and keeps partial lines', () => {
    const lines: string[] = [];
    const s = new LineSplitter((l) => lines.push(l));
    s.push('one\r\ntw');
    s.push('o\nthree');
    assert.deepEqual(lines, ['one', 'two']);
    s.flush();
    assert.deepEqual(lines, ['one', 'two', 'three']);
  });

  it('bounds a line that never ends', () => {
    const lines: string[] = [];
    const s = new LineSplitter((l) => lines.push(l), 10);
    s.push('x'.repeat(25));
    assert.equal(lines.length, 1);
  });

  it('keeps only the last N lines', () => {
    const t = new LineTail(3);
    for (const l of ['a', 'b', 'c', 'd']) t.push(l);
    assert.deepEqual(t.lines(), ['b', 'c', 'd']);
  });
});

describe('canonicalJson / describeState', () => {
  it('ignores key order', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [1, { y: 1, x: 2 }], c: 2 } }), canonicalJson({ a: { c: 2, d: [1, { x: 2, y: 1 }] }, b: 1 }));
    assert.notEqual(canonicalJson({ a: [1, 2] }), canonicalJson({ a: [2, 1] }));
  });

  it('describes each state in one line', () => {
    assert.equal(describeState({ kind: 'stopped', reason: 'untrusted' }), 'not started: workspace is not trusted');
    assert.equal(describeState({ kind: 'error', message: 'boom', stderrTail: [] }), 'error: boom');
    assert.match(describeState({ kind: 'restarting', attempt: 2, delayMs: 1000, lastError: 'exited' }), /restarting in 1s \(attempt 2\)/);
  });
});
