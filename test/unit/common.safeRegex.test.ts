import assert from 'node:assert/strict';
import { compileSafePattern, type SafePattern } from '../../src/common/safeRegex';

const compiled = (pattern: string): SafePattern => {
  const re = compileSafePattern(pattern);
  assert.ok(!(re instanceof Error), `${pattern}: ${String(re)}`);
  return re;
};

describe('common: safe regex', () => {
  it('matches as RegExp#test does for the patterns schemas use', () => {
    const cases: [string, string[]][] = [
      ['^[a-z0-9_-]{3,16}$', ['user_1', 'ab', 'UPPER', 'a-b-c']],
      ['\\d{4}-\\d{2}', ['on 2024-05-01', '24-05']],
      ['^[\\u0000-\\u007f]*$', ['ascii', 'café']],
      ['^\\u{1F600}$', ['😀', '😃']],
      ['(?<year>\\d{4})', ['1999', 'abc']],
      ['^\\/api\\/', ['/api/x', 'api/x']],
      ['^\\p{L}+$', ['Ωmega', 'x1']],
    ];
    for (const [pattern, inputs] of cases) {
      const re = compiled(pattern);
      for (const s of inputs) assert.equal(re.test(s), new RegExp(pattern, 'u').test(s), `${pattern} on ${s}`);
    }
  });

  it('takes linear time on a pattern that makes a backtracking engine explode', () => {
    const re = compiled('^(a+)+$');
    const started = performance.now();
    assert.equal(re.test('a'.repeat(100_000) + '!'), false);
    assert.equal(re.test('a'.repeat(1000)), true);
    assert.ok(performance.now() - started < 1000, `${performance.now() - started} ms`);
  });

  it('refuses backreferences and lookaround, naming the pattern, rather than running them', () => {
    for (const p of ['^(.)\\1$', '^(?=x)x$', '(?<!a)b', '(?<=a)b']) {
      const re = compileSafePattern(p);
      assert.ok(re instanceof Error, p);
      assert.match(re.message, /cannot be matched in linear time/);
      assert.ok(re.message.includes(JSON.stringify(p)), re.message);
    }
  });
});
