import assert from 'node:assert/strict';
import { MAX_TOOL_NAME, namespaceTools, refKey, sanitizePrefix, type ToolRef } from '../../src/client/namespacing';

const names = (refs: ToolRef[]) => refs.map((r) => namespaceTools(refs).get(refKey(r))!);
const VALID = /^[A-Za-z0-9_-]{1,64}$/;

describe('namespacing', () => {
  it('prefixes tools with the sanitized server name', () => {
    assert.deepEqual(names([{ server: 'weather', tool: 'get_forecast' }, { server: 'sqlite', tool: 'query' }]),
      ['weather_get_forecast', 'sqlite_query']);
  });

  it('sanitizes prefixes and tool names to [A-Za-z0-9_-]', () => {
    assert.equal(sanitizePrefix('My Server (prod)'), 'my_server_prod');
    assert.equal(sanitizePrefix('@scope/pkg'), 'scope_pkg');
    assert.equal(sanitizePrefix('!!!'), 'server');
    assert.deepEqual(names([{ server: 'fs', tool: 'read.file' }]), ['fs_read_file']);
  });

  it('is deterministic and independent of order', () => {
    const refs = [
      { server: 'a', tool: 'b_c' }, { server: 'a_b', tool: 'c' }, { server: 'x', tool: 'y' },
    ];
    const forward = namespaceTools(refs);
    const backward = namespaceTools([...refs].reverse());
    assert.deepEqual([...forward.entries()].sort(), [...backward.entries()].sort());
    assert.deepEqual([...namespaceTools(refs).entries()], [...forward.entries()]);
  });

  it('gives every member of a collision a distinct hash suffix', () => {
    const refs = [{ server: 'a', tool: 'b_c' }, { server: 'a_b', tool: 'c' }, { server: 'A', tool: 'b.c' }];
    const out = names(refs);
    assert.equal(new Set(out).size, 3);
    for (const n of out) assert.match(n, /^a_b_c_[0-9a-f]{6}$/);
  });

  it('keeps names at 64 characters with a hash for long ones', () => {
    const long = 'x'.repeat(80);
    const [a, b] = names([{ server: 'srv', tool: long }, { server: 'srv', tool: long + 'y' }]);
    assert.equal(a.length, MAX_TOOL_NAME);
    assert.equal(b.length, MAX_TOOL_NAME);
    assert.notEqual(a, b);
    assert.match(a, VALID);
  });

  it('never emits an invalid name', () => {
    const refs = [];
    for (let i = 0; i < 200; i++) refs.push({ server: `s ${i % 7} ✓`, tool: `tool/${i}:${'z'.repeat(i % 70)}` });
    const out = names(refs);
    assert.equal(new Set(out).size, refs.length);
    for (const n of out) assert.match(n, VALID);
  });
});
