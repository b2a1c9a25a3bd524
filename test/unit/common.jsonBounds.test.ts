import assert from 'node:assert/strict';
import { count, exceedsLimits } from '../../src/common/jsonBounds';

const limits = { maxDepth: 3, maxValues: 10, maxChars: 20 };

describe('common: JSON bounds', () => {
  it('accepts what is within every bound', () => {
    assert.equal(exceedsLimits({ a: [1, { b: 'x' }] }, limits), undefined);
    assert.equal(exceedsLimits('short', limits), undefined);
    assert.equal(exceedsLimits(null, limits), undefined);
  });

  it('names the bound that is passed', () => {
    assert.equal(exceedsLimits({ a: { b: { c: {} } } }, limits), 'it is nested deeper than 3 levels');
    assert.equal(exceedsLimits([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], limits), 'it has more than 10 values');
    assert.equal(exceedsLimits(Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`k${i}`, i])), limits), 'it has more than 10 values');
    assert.equal(exceedsLimits({ text: 'x'.repeat(30) }, limits), 'its text is longer than 20 characters');
    assert.equal(exceedsLimits({ ['k'.repeat(30)]: 1 }, limits), 'its text is longer than 20 characters');
  });

  it('measures nesting far deeper than the stack, and a huge array, without walking it all', () => {
    let deep: unknown = [];
    for (let i = 0; i < 1_000_000; i++) deep = [deep];
    assert.equal(exceedsLimits(deep, { maxDepth: 100, maxValues: 1e9, maxChars: 1e9 }), 'it is nested deeper than 100 levels');
    const huge = new Array(10_000_000).fill(0);
    const started = performance.now();
    assert.equal(exceedsLimits(huge, { maxDepth: 100, maxValues: 50_000, maxChars: 1e9 }), 'it has more than 50,000 values');
    assert.ok(performance.now() - started < 1000, `${performance.now() - started} ms`);
  });

  it('writes counts with thousands separators', () => {
    assert.deepEqual([5, 1000, 50_000, 1_234_567].map(count), ['5', '1,000', '50,000', '1,234,567']);
  });
});
