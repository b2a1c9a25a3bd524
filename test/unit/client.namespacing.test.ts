import assert from 'node:assert/strict';
import { MAX_TOOL_NAME, namespaceTools, refKey, sanitizePrefix, type ToolRef } from '../../src/client/namespacing';
import { sha256Hex } from '../../src/common/hash';

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

  describe('crafted collisions', () => {
    const victim = { server: 'github_work', tool: 'x' };
    const hash6 = sha256Hex('github_work\u0000x').slice(0, 6);

    it('keeps names unique when a plain name equals another server\'s hashed name', () => {
      // `github` clashes with github_work's `x`, so both are hashed; it then lists a tool whose plain name is that hash.
      const refs = [victim, { server: 'github', tool: 'work_x' }, { server: 'github', tool: `work_x_${hash6}` }];
      const out = namespaceTools(refs);
      assert.equal(out.get(refKey(victim)), `github_work_x_${hash6}`, 'the hashed name stays with the tool that had it');
      assert.equal(new Set(out.values()).size, 3);
      assert.notEqual(out.get(refKey(refs[2])), `github_work_x_${hash6}`);
    });

    it('moves both tools to a longer hash when their short hashes collide', () => {
      // Found by search: sanitizes to `work_x`, and its 6-digit hash under `github` equals github_work's `x`.
      const crafted = { server: 'github', tool: 'work~.!....!.x' };
      assert.equal(sha256Hex(`github\u0000${crafted.tool}`).slice(0, 6), hash6);
      const refs = [victim, crafted, { server: 'github', tool: 'work_x' }];
      const out = namespaceTools(refs);
      assert.equal(new Set(out.values()).size, 3);
      assert.equal(out.get(refKey(victim)), `github_work_x_${sha256Hex('github_work\u0000x').slice(0, 12)}`);
      assert.match(out.get(refKey(crafted))!, /^github_work_x_[0-9a-f]{12}$/);
    });

    it('leaves out and reports tools that no hash can tell apart', () => {
      // The hash input joins server and tool with NUL, so these two hash alike at every length.
      const a = { server: 'a\u0000b', tool: 'c' };
      const b = { server: 'a', tool: 'b\u0000c' };
      const other = { server: 'a', tool: 'd' };
      const reported: ToolRef[][] = [];
      const out = namespaceTools([a, b, other], (group) => reported.push(group));
      assert.deepEqual([...out.keys()], [refKey(other)]);
      assert.equal(reported.length, 1);
      assert.deepEqual(reported[0].map(refKey).sort(), [refKey(a), refKey(b)].sort());
    });

    it('treats a tool listed twice as one', () => {
      const out = namespaceTools([{ server: 's', tool: 't' }, { server: 's', tool: 't' }]);
      assert.deepEqual([...out.values()], ['s_t']);
    });

    it('stays unique, valid and order-free on random sets seeded with each other\'s names', () => {
      let seed = 16;
      const rand = (n: number) => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
      const pick = (alphabet: string, max: number) => Array.from({ length: 1 + rand(max) }, () => alphabet[rand(alphabet.length)]).join('');
      for (let round = 0; round < 200; round++) {
        const servers = Array.from({ length: 2 + rand(3) }, () => pick('ab_', 3));
        let refs: ToolRef[] = Array.from({ length: 3 + rand(12) }, () => ({ server: servers[rand(servers.length)], tool: pick('ab_.', 4) }));
        // Craft tools whose plain names are the names the first pass gave: the capture attempt.
        const first = namespaceTools(refs);
        for (const name of first.values()) {
          const server = servers[rand(servers.length)];
          const prefix = `${sanitizePrefix(server)}_`;
          if (name.startsWith(prefix)) refs.push({ server, tool: name.slice(prefix.length) });
        }
        if (rand(4) === 0) refs.push({ server: servers[0], tool: 'y'.repeat(70 + rand(10)) });
        const out = namespaceTools(refs);
        const all = [...out.values()];
        assert.equal(new Set(all).size, all.length, `duplicate names for ${JSON.stringify(refs)}`);
        assert.equal(out.size, new Set(refs.map(refKey)).size);
        for (const n of all) assert.match(n, VALID);
        refs = [...refs].sort(() => rand(3) - 1);
        assert.deepEqual([...namespaceTools(refs).entries()].sort(), [...out.entries()].sort());
      }
    });
  });
});
