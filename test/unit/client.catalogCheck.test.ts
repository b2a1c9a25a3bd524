import assert from 'node:assert/strict';
import type { Prompt, Resource, Tool } from '@modelcontextprotocol/sdk/types.js';
import {
  MAX_DESCRIPTION_LENGTH, MAX_NAME_LENGTH, checkList, cleanServerInfo, cleanText, nameProblem, parseCatalog, quote,
} from '../../src/client/catalogCheck';

const tool = (name: string, extra: Partial<Tool> = {}): Tool => ({ name, inputSchema: { type: 'object' }, ...extra });

describe('catalogCheck', () => {
  it('accepts plain names, in any script', () => {
    for (const name of ['read_file', 'get-forecast', 'dateiLesen', 'ファイル', 'قراءة', 'a.b/c d']) assert.equal(nameProblem(name), undefined, name);
  });

  it('names what is wrong with a name', () => {
    assert.match(nameProblem('a\u0000b')!, /NUL/);
    assert.match(nameProblem('x\uD800')!, /lone surrogate/);
    assert.match(nameProblem('\uDC00x')!, /lone surrogate/);
    assert.match(nameProblem('a\u001Bb')!, /control/);
    assert.match(nameProblem('a\u0085b')!, /control/);
    assert.match(nameProblem('safe\u202Eexe.tool')!, /bidirectional/);
    assert.match(nameProblem('n'.repeat(MAX_NAME_LENGTH + 1))!, /129 characters long \(at most 128\)/);
    assert.match(nameProblem('')!, /empty/);
    assert.match(nameProblem(7)!, /not a string/);
    assert.equal(nameProblem('😀'.repeat(10)), undefined, 'surrogate pairs are fine');
  });

  it('rejects a bad tool alone, with one line each for the log', () => {
    const report: string[] = [];
    const out = checkList('tools', [tool('ok'), tool('a\u0000b'), tool('x\uD800'), tool('n'.repeat(1_000_000)), tool('also_ok')], (p) => report.push(p));
    assert.deepEqual(out.map((t) => t.name), ['ok', 'also_ok']);
    assert.deepEqual(report, [
      'tool "a\\u0000b" rejected: its name contains a NUL character',
      'tool "x\\ud800" rejected: its name contains a lone surrogate (not valid Unicode)',
      `tool "${'n'.repeat(60)}…" rejected: its name is 1000000 characters long (at most 128)`,
    ]);
  });

  it('rejects every copy of a name listed twice', () => {
    const report: string[] = [];
    const out = checkList('tools', [tool('twice', { description: 'harmless' }), tool('other'), tool('twice', { description: 'deletes' })], (p) => report.push(p));
    assert.deepEqual(out.map((t) => t.name), ['other']);
    assert.deepEqual(report, ['tool "twice" rejected: it is listed 2 times, so which one a call would run is unclear']);
  });

  it('shortens and cleans descriptions and titles, keeping newlines and right-to-left text', () => {
    const report: string[] = [];
    const [t] = checkList('tools', [tool('t', {
      description: 'line one\nשלום \u202Egnp.exe\u202C\u0000 and\uD800 more' + 'z'.repeat(MAX_DESCRIPTION_LENGTH),
      title: 'T\u2066itle', annotations: { title: 'A\u0007nn' },
    })], (p) => report.push(p));
    assert.equal(t.description!.length, MAX_DESCRIPTION_LENGTH - 3, 'three characters removed');
    assert.ok(t.description!.startsWith('line one\nשלום gnp.exe and\uFFFD more'));
    assert.ok(t.description!.endsWith('…'));
    assert.equal(t.title, 'Title');
    assert.equal(t.annotations!.title, 'Ann');
    assert.deepEqual(report, [`1 tool description(s) or title(s) shortened to ${MAX_DESCRIPTION_LENGTH} (titles 256) characters`]);
  });

  it('checks resource URIs, prompt argument names and server info', () => {
    const resources: Resource[] = [{ uri: 'file:///a', name: 'a' }, { uri: 'file:///\u0000', name: 'b' }];
    assert.deepEqual(checkList('resources', resources).map((r) => r.name), ['a']);
    const prompts: Prompt[] = [{ name: 'p', arguments: [{ name: 'ok' }] }, { name: 'q', arguments: [{ name: 'x\u0000' }] }];
    assert.deepEqual(checkList('prompts', prompts).map((p) => p.name), ['p']);
    assert.deepEqual(cleanServerInfo({ name: 'evil\u0000\u202E', version: '1'.repeat(1000) }), { name: 'evil', version: `${'1'.repeat(255)}…` });
  });

  it('does not cut a surrogate pair when shortening', () => {
    assert.equal(cleanText('ab😀c', 4), 'ab…');
    assert.equal(cleanText('ab😀cd', 5), 'ab😀…');
  });

  it('quotes server text for a log line with the unprintable escaped', () => {
    assert.equal(quote('a\u202Eb\u0000'), '"a\\u202eb\\u0000"');
  });

  it('applies the same rules to a stored catalog', () => {
    const c = parseCatalog({ tools: [tool('ok'), tool('bad\u0000')], resources: [], resourceTemplates: [], prompts: [], instructions: 'hi\u202E' });
    assert.deepEqual(c?.tools.map((t) => t.name), ['ok']);
    assert.equal(c?.instructions, 'hi');
  });
});
