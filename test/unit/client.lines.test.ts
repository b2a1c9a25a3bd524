import assert from 'node:assert/strict';
import { boundedLog, cutLine, LineSplitter, LineTail } from '../../src/client/lines';
import type { ServerLog } from '../../src/client/types';
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

  it('cuts a long line once, drops the rest of it, and goes on after its newline', () => {
    const lines: string[] = [];
    const s = new LineSplitter((l) => lines.push(l), 10);
    s.push(Buffer.from('x'.repeat(8)));
    s.push(Buffer.from(`${'x'.repeat(30)}\nnext\n`));
    assert.deepEqual(lines, ['xxxxxxxxxx … (line cut at 10 characters)', 'next']);
  });

  it('keeps a character split across chunks whole', () => {
    const lines: string[] = [];
    const s = new LineSplitter((l) => lines.push(l));
    const euro = Buffer.from('€\n');
    s.push(euro.subarray(0, 1));
    s.push(euro.subarray(1));
    assert.deepEqual(lines, ['€']);
  });

  it('keeps only the last N lines', () => {
    const t = new LineTail(3);
    for (const l of ['a', 'b', 'c', 'd']) t.push(l);
    assert.deepEqual(t.lines(), ['b', 'c', 'd']);
  });
});

describe('boundedLog', () => {
  function sink(): { log: ServerLog; lines: string[] } {
    const lines: string[] = [];
    const at = (level: string) => (m: string) => { lines.push(`${level} ${m}`); };
    return { lines, log: { trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), stderr: at('stderr') } };
  }

  it('cuts long lines', () => {
    const { log, lines } = sink();
    boundedLog(log, { maxChars: 5 }).stderr('abcdefgh');
    assert.deepEqual(lines, ['stderr abcde … (3 more characters cut)']);
    assert.equal(cutLine('short', 5), 'short');
  });

  it('lets a burst through, then a steady rate, with one note a second of what was dropped', () => {
    const { log, lines } = sink();
    let t = 0;
    const bounded = boundedLog(log, { burst: 3, linesPerSecond: 2, now: () => t });
    for (let i = 0; i < 10; i++) bounded.info(`a${i}`);
    assert.deepEqual(lines, ['info a0', 'info a1', 'info a2']);
    t = 1000; // two lines' worth of budget
    for (let i = 0; i < 5; i++) bounded.info(`b${i}`);
    assert.deepEqual(lines.slice(3), ['warn … 7 log lines dropped: the server wrote more than 2 lines a second', 'info b0', 'info b1']);
    t = 1500;
    bounded.info('c');
    assert.deepEqual(lines.slice(6), ['info c'], 'no second note within the second');
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
