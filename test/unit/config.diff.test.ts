import assert from 'node:assert/strict';
import type { ResolvedServer } from '../../src/client/types';
import { canonicalJson, diffServers, fingerprint } from '../../src/config/diff';

const server = (name: string, command = 'node', extra: Partial<ResolvedServer> = {}): ResolvedServer =>
  ({ name, sourceKind: 'user', config: { type: 'stdio', command, args: [], env: {} }, ...extra });
const byName = (...servers: ResolvedServer[]) => new Map(servers.map((s) => [s.name, s]));

describe('config/diff', () => {
  it('sorts keys at every level but keeps array order', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [2, 1], c: undefined, b: null } }), '{"a":{"b":null,"d":[2,1]},"b":1}');
  });

  it('writes deep values as it writes the others, byte for byte (stored hashes depend on it)', () => {
    const replacer = (value: unknown) => JSON.stringify(value, (_k, v: unknown) => {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
      const sorted: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
      return sorted;
    });
    const deepish = Array.from({ length: 40 }).reduce<object>((v) => ({ z: v, a: 1 }), {});
    const cases: unknown[] = [
      { b: 1, a: [3, { z: undefined, y: () => 1, x: null, 10: 1, 2: 2 }], d: new Date(0), n: NaN, i: -0, s: 'é"\n', u: [undefined, Symbol('x')] },
      { deep: deepish }, [{ b: 2, a: 1 }], { toJSON: () => ({ b: 1, a: 2 }) }, { c: { toJSON: (k: string) => k }, b: 'x' },
    ];
    // Under 20,000 arrays JSON.stringify overflows, and each case is written without recursion.
    const levels = 20_000;
    const wrapped = (c: unknown) => Array.from({ length: levels }).reduce<unknown>((v) => [v], c);
    for (const c of cases) assert.equal(canonicalJson(wrapped(c)), '['.repeat(levels) + replacer(c) + ']'.repeat(levels));
  });

  it('writes any depth, where JSON.stringify overflows the stack', () => {
    let deep: unknown = {};
    for (let i = 0; i < 20_000; i++) deep = { type: 'object', properties: { a: deep } };
    assert.throws(() => JSON.stringify(deep), RangeError);
    const text = canonicalJson(deep);
    assert.ok(text.startsWith('{"properties":{"a":{"properties":'));
    assert.equal(text.length, 20_000 * '{"properties":{"a":},"type":"object"}'.length + 2);
    const cycle: Record<string, unknown> = { b: 1, a: {} };
    (cycle.a as Record<string, unknown>).self = cycle;
    assert.throws(() => canonicalJson(cycle), /circular/);
  });

  it('finds added, removed, changed and unchanged servers, each list sorted', () => {
    const d = diffServers(
      byName(server('keep'), server('zeta'), server('gone'), server('edit', 'old')),
      byName(server('new2'), server('edit', 'new'), server('keep'), server('new1'), server('zeta')),
    );
    assert.deepEqual(d, { added: ['new1', 'new2'], removed: ['gone'], changed: ['edit'], unchanged: ['keep', 'zeta'] });
  });

  it('ignores key order', () => {
    const a: ResolvedServer = { name: 's', sourceKind: 'user', config: { type: 'http', url: 'https://u', headers: { A: '1', B: '2' } } };
    const b = { config: { headers: { B: '2', A: '1' }, url: 'https://u', type: 'http' }, sourceKind: 'user', name: 's' } as ResolvedServer;
    assert.equal(fingerprint(a), fingerprint(b));
    assert.deepEqual(diffServers(byName(a), byName(b)).unchanged, ['s']);
  });

  it('counts a disabled toggle, an args reorder and a source move as changes', () => {
    const base = server('s');
    const disabled = server('s', 'node', { config: { ...base.config, disabled: true } });
    assert.deepEqual(diffServers(byName(base), byName(disabled)).changed, ['s']);
    const args = (list: string[]) => server('s', 'node', { config: { type: 'stdio', command: 'node', args: list, env: {} } });
    assert.deepEqual(diffServers(byName(args(['a', 'b'])), byName(args(['b', 'a']))).changed, ['s']);
    assert.deepEqual(diffServers(byName(base), byName({ ...base, sourceKind: 'workspace' })).changed, ['s']);
  });

  it('handles empty maps', () => {
    assert.deepEqual(diffServers(new Map(), new Map()), { added: [], removed: [], changed: [], unchanged: [] });
    assert.deepEqual(diffServers(new Map(), byName(server('a'))).added, ['a']);
    assert.deepEqual(diffServers(byName(server('a')), new Map()).removed, ['a']);
  });
});
