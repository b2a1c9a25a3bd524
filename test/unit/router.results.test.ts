import assert from 'node:assert/strict';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { MAX_CONTENT_BLOCKS, renderResultText, resultProblem, toModelResult, type ModelPart } from '../../src/router/results';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const texts = (parts: ModelPart[]) => parts.filter((p) => p.kind === 'text').map((p) => (p as { text: string }).text);

describe('router: results for the model', () => {
  it('converts every content type', () => {
    const result: CallToolResult = {
      content: [
        { type: 'text', text: 'hello' },
        { type: 'image', data: b64('PNG'), mimeType: 'image/png' },
        { type: 'audio', data: b64('WAV'), mimeType: 'audio/wav' },
        { type: 'resource', resource: { uri: 'file:///a.txt', mimeType: 'text/plain', text: 'inside' } },
        { type: 'resource', resource: { uri: 'file:///a.png', mimeType: 'image/png', blob: b64('IMG') } },
        { type: 'resource', resource: { uri: 'file:///a.zip', mimeType: 'application/zip', blob: b64('ZIP') } },
        { type: 'resource_link', uri: 'file:///b.md', name: 'b.md', mimeType: 'text/markdown', description: 'notes' },
      ],
    };
    const m = toModelResult(result);
    assert.equal(m.isError, false);
    assert.equal(m.truncated, undefined);
    const data = m.parts.filter((p) => p.kind === 'data') as Extract<ModelPart, { kind: 'data' }>[];
    assert.deepEqual(data.map((d) => [d.mimeType, Buffer.from(d.data).toString()]), [['image/png', 'PNG'], ['audio/wav', 'WAV'], ['image/png', 'IMG']]);
    const t = texts(m.parts);
    assert.equal(t[0], 'hello');
    assert.ok(t.includes('Resource file:///a.txt (text/plain):\ninside'));
    assert.ok(t.includes('[binary resource file:///a.zip (application/zip), 3 bytes]'));
    assert.ok(t.includes('Resource link: file:///b.md "b.md" (text/markdown) — notes'));
  });

  it('adds structured content as JSON unless a text item already mirrors it', () => {
    assert.deepEqual(texts(toModelResult({ content: [], structuredContent: { sum: 3 } }).parts), ['{"sum":3}']);
    assert.deepEqual(texts(toModelResult({ content: [{ type: 'text', text: '{ "sum": 3 }' }], structuredContent: { sum: 3 } }).parts), ['{ "sum": 3 }']);
  });

  it('passes isError through and never returns nothing', () => {
    const m = toModelResult({ content: [{ type: 'text', text: 'nope' }], isError: true });
    assert.equal(m.isError, true);
    assert.deepEqual(texts(m.parts), ['nope']);
    assert.deepEqual(texts(toModelResult({ content: [], isError: true }).parts), ['The tool failed without a message.']);
    assert.deepEqual(texts(toModelResult({ content: [] }).parts), ['(no content)']);
  });

  it('describes an unknown content type instead of failing', () => {
    const m = toModelResult({ content: [{ type: 'hologram' } as unknown as CallToolResult['content'][number]] });
    assert.deepEqual(texts(m.parts), ['[unsupported content type "hologram"]']);
  });

  it('cuts large results for the model with a note, keeping the original whole', () => {
    const big = 'x'.repeat(100);
    const result: CallToolResult = { content: [{ type: 'text', text: big }, { type: 'text', text: big }, { type: 'image', data: b64('y'.repeat(50)), mimeType: 'image/png' }] };
    const m = toModelResult(result, { maxTextChars: 150, maxDataBytes: 10 });
    const t = texts(m.parts);
    assert.equal(t[0].length, 100);
    assert.equal(t[1].length, 50);
    assert.match(m.truncated!, /50 of 200 characters cut; image of 50 bytes left out/);
    assert.ok(t.includes("[image image/png, 50 bytes: too large to pass on]"), "placeholder kept");
    assert.match(t[t.length - 1], /full result is kept for the user/);
    assert.equal((result.content[0] as { text: string }).text.length, 100, 'original untouched');
    assert.match(renderResultText(result), /x{100}\n\nx{100}\n\n\[image\/png, 50 bytes\]/);
  });

  it('drops an oversized embedded image resource with a note, never cutting the notes', () => {
    const result: CallToolResult = { content: [
      { type: 'resource', resource: { uri: 'file:///big.png', mimeType: 'image/png', blob: b64('z'.repeat(40)) } },
      { type: 'text', text: 'y'.repeat(30) },
    ] };
    const m = toModelResult(result, { maxTextChars: 10, maxDataBytes: 20 });
    assert.equal(m.parts.filter((p) => p.kind === 'data').length, 0);
    const t = texts(m.parts);
    assert.equal(t[0], '[resource file:///big.png (image/png), 40 bytes: too large to pass on]');
    assert.equal(t[1], 'y'.repeat(10));
    assert.match(m.truncated!, /20 of 30 characters cut; resource file:\/\/\/big.png of 40 bytes left out/);
  });

  it('keeps the default budget at 64 KiB of text', () => {
    const m = toModelResult({ content: [{ type: 'text', text: 'a'.repeat(70_000) }] });
    assert.equal(texts(m.parts)[0].length, 64 * 1024);
    assert.match(m.truncated!, new RegExp(`${70_000 - 64 * 1024} of 70000 characters cut`));
  });

  it('renders a whole result as text for an editor', () => {
    assert.equal(renderResultText({ content: [{ type: 'text', text: 'a' }], structuredContent: { n: 1 }, isError: true }),
      'Tool error:\na\n\nStructured content:\n{\n  "n": 1\n}\n');
  });

  it('refuses a result too large or too deep to handle, and accepts an ordinary one', () => {
    const block = { type: 'text' as const, text: 'a' };
    assert.equal(resultProblem({ content: [block], structuredContent: { rows: [{ a: 1 }] } }), undefined);
    assert.equal(resultProblem({ content: new Array(MAX_CONTENT_BLOCKS + 1).fill(block) }), 'it has more than 1,000 content blocks');
    let deep: unknown = [];
    for (let i = 0; i < 5000; i++) deep = [deep];
    assert.equal(resultProblem({ content: [], structuredContent: { deep } }), 'its structured content is nested deeper than 100 levels');
    assert.equal(resultProblem({ content: [{ ...block, _meta: { deep } }] } as CallToolResult), 'it is nested deeper than 102 levels');
  });
});
