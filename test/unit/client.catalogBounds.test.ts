import assert from 'node:assert/strict';
import { ITEM_LIMITS, keepBounded } from '../../src/client/catalogBounds';
import { parseCatalog } from '../../src/client/catalogCheck';

function deepSchema(levels: number): object {
  let s: object = { type: 'string' };
  for (let i = 0; i < levels; i++) s = { type: 'object', properties: { a: s } };
  return s;
}

describe('client: catalog bounds', () => {
  it('leaves out only the item over the bounds, naming it', () => {
    const tools = [
      { name: 'fine', inputSchema: { type: 'object' } },
      { name: 'deep', inputSchema: deepSchema(4000) },
      { name: 'wordy', description: 'x'.repeat(ITEM_LIMITS.maxChars + 1), inputSchema: { type: 'object' } },
    ];
    const { kept, refused } = keepBounded('tools', tools);
    assert.deepEqual(kept.map((t) => t.name), ['fine']);
    assert.deepEqual(refused, [
      'tool "deep" left out: it is nested deeper than 100 levels',
      'tool "wordy" left out: its text is longer than 1,048,576 characters',
    ]);
  });

  it('names resources by URI when they have no name, and quotes and shortens what the server wrote', () => {
    const deep = { uri: 'file:///x', meta: deepSchema(200) };
    assert.deepEqual(keepBounded('resourceTemplates', [{ uriTemplate: 'file:///{p}', meta: deepSchema(200) }]).refused, ['resource template "file:///{p}" left out: it is nested deeper than 100 levels']);
    assert.deepEqual(keepBounded('resources', [deep], { ...ITEM_LIMITS }).refused, ['resource "file:///x" left out: it is nested deeper than 100 levels']);
    const long = keepBounded('prompts', [{ name: `a\n${'b'.repeat(200)}`, x: deepSchema(200) }]).refused[0];
    assert.ok(long.startsWith('prompt "a\\nbbbb') && long.includes('…" left out'), long);
  });

  it('keeps a deep tool out of a stored catalog too', () => {
    const stored = { tools: [{ name: 'fine', inputSchema: { type: 'object' } }, { name: 'deep', inputSchema: deepSchema(4000) }], resources: [], resourceTemplates: [], prompts: [] };
    assert.deepEqual(parseCatalog(stored)?.tools.map((t) => t.name), ['fine']);
  });
});
