import assert from 'node:assert/strict';
import { Repaints } from '../../src/views/repaints';

describe('views/repaints', () => {
  const looks = new Map<string, string>();
  const sign = (server: string) => looks.get(server) ?? '';
  const servers = ['a', 'b', 'c'];
  let repaints: Repaints;
  beforeEach(() => {
    looks.clear();
    for (const s of servers) looks.set(s, `${s}: running`);
    repaints = new Repaints();
    assert.equal(repaints.plan('a,b,c', servers, sign, 'all'), 'all', 'the first paint is the whole tree');
  });

  it('repaints nothing when nothing looks different', () => {
    assert.deepEqual(repaints.plan('a,b,c', servers, sign, 'all'), []);
    assert.deepEqual(repaints.plan('a,b,c', servers, sign, new Set(['a', 'b'])), []);
  });

  it('repaints only the servers that look different', () => {
    looks.set('b', 'b: error');
    assert.deepEqual(repaints.plan('a,b,c', servers, sign, 'all'), ['b']);
    assert.deepEqual(repaints.plan('a,b,c', servers, sign, 'all'), [], 'painted once');
  });

  it('looks only at the servers it is told may have changed', () => {
    looks.set('b', 'b: error');
    looks.set('c', 'c: error');
    assert.deepEqual(repaints.plan('a,b,c', servers, sign, new Set(['c'])), ['c']);
    assert.deepEqual(repaints.plan('a,b,c', servers, sign, new Set(['b', 'gone'])), ['b']);
  });

  it('repaints the whole tree when the top rows change, and compares with that paint afterwards', () => {
    looks.set('d', 'd: starting');
    assert.equal(repaints.plan('a,b,c,d', [...servers, 'd'], sign, new Set(['d'])), 'all');
    assert.deepEqual(repaints.plan('a,b,c,d', [...servers, 'd'], sign, 'all'), []);
    looks.set('d', 'd: running');
    assert.deepEqual(repaints.plan('a,b,c,d', [...servers, 'd'], sign, new Set(['d'])), ['d']);
    assert.equal(repaints.plan('notice,a,b,c,d', [...servers, 'd'], sign, new Set()), 'all', 'a notice appeared');
  });
});
