import assert from 'node:assert/strict';
import { RestartPolicy } from '../../src/client/restartPolicy';

describe('RestartPolicy', () => {
  let now = 0;
  const policy = () => new RestartPolicy({ now: () => now });
  beforeEach(() => { now = 1_000_000; });

  it('restarts with exponential backoff', () => {
    const p = policy();
    const delays = [1, 2, 3, 4].map(() => { const a = p.onCrash(); now += 1000; return a; });
    assert.deepEqual(delays, [
      { action: 'restart', attempt: 1, delayMs: 500 },
      { action: 'restart', attempt: 2, delayMs: 1000 },
      { action: 'restart', attempt: 3, delayMs: 2000 },
      { action: 'restart', attempt: 4, delayMs: 4000 },
    ]);
  });

  it('stops after the fifth crash within three minutes', () => {
    const p = policy();
    for (let i = 0; i < 4; i++) { assert.equal(p.onCrash().action, 'restart'); now += 30_000; }
    const last = p.onCrash();
    assert.equal(last.action, 'stop');
    assert.match((last as { message: string }).message, /5 times in the last 3 minutes/);
  });

  it('forgets crashes older than the window', () => {
    const p = policy();
    for (let i = 0; i < 4; i++) { p.onCrash(); now += 1000; }
    now += 3 * 60_000;
    assert.deepEqual(p.onCrash(), { action: 'restart', attempt: 1, delayMs: 500 });
  });

  it('caps the delay', () => {
    const p = new RestartPolicy({ now: () => now, maxCrashes: 100, maxDelayMs: 3000 });
    let last;
    for (let i = 0; i < 10; i++) last = p.onCrash();
    assert.deepEqual(last, { action: 'restart', attempt: 10, delayMs: 3000 });
  });

  it('reset gives a fresh budget', () => {
    const p = policy();
    for (let i = 0; i < 4; i++) p.onCrash();
    p.reset();
    assert.equal(p.onCrash().action, 'restart');
  });
});
