import assert from 'node:assert/strict';
import { answersFor, describeRequest } from '../../src/policy/promptText';
import type { PendingToolCall } from '../../src/router/types';
import { tool } from './policy.fixtures';

describe('policy/promptText', () => {
  const call = (t = tool('write'), args: Record<string, unknown> = { path: 'notes.md' }): PendingToolCall =>
    ({ name: `fs_${t.name}`, server: 'fs', tool: t, args, origin: 'chat' });

  it('names the server, tool, who asks, the description and the pretty-printed arguments', () => {
    const { title, detail } = describeRequest({ call: call(), decision: { kind: 'ask', reason: 'noRule', message: '' } });
    assert.equal(title, 'Run "write" from MCP server "fs"?');
    assert.match(detail, /^Requested by @switchboard in chat as fs_write\.\n\nwrite does things\n\nArguments:\n\{\n {2}"path": "notes\.md"\n\}$/);
  });

  it('says what changed, warns about destructive tools, and cuts huge arguments', () => {
    const t = tool('rm', { destructiveHint: true });
    const { title, detail } = describeRequest({
      call: call(t, { blob: 'x'.repeat(5000) }),
      decision: { kind: 'ask', reason: 'definitionChanged', message: '"rm" changed since you allowed it.', changed: [{ part: 'description', message: 'description changed' }] },
    });
    assert.equal(title, '"rm" changed since you allowed it. Run "rm" from "fs"?');
    assert.match(detail, /may make destructive changes/);
    assert.match(detail, /What changed:\n• description changed/);
    assert.match(detail, /… \(\d+ more characters\)$/);
  });

  it('offers "always allow the server" only when that could cover the tool', () => {
    assert.deepEqual(answersFor(tool('write'), 'fs').map((a) => a.answer), ['allowOnce', 'allowSession', 'allowToolAlways', 'allowServerAlways']);
    assert.deepEqual(answersFor(tool('rm', { destructiveHint: true }), 'fs').map((a) => a.answer), ['allowOnce', 'allowSession', 'allowToolAlways']);
  });
});
