import assert from 'node:assert/strict';
import { clientCapabilities } from '../../src/client/clientFeatures';

describe('client/clientFeatures: declared capabilities', () => {
  it('declares a capability only for what the host answers', () => {
    assert.deepEqual(clientCapabilities(undefined), {});
    assert.deepEqual(clientCapabilities({ log: () => undefined }), {}, 'logging is the server\'s capability, not ours');
    const all = clientCapabilities({
      elicit: async () => ({ action: 'cancel' }), elicitUrl: true,
      sample: async () => ({ role: 'assistant', model: 'm', content: { type: 'text', text: '' } }),
      roots: { list: () => [], onDidChange: () => ({ dispose() {} }) },
    });
    assert.deepEqual(all, { elicitation: { form: { applyDefaults: true }, url: {} }, sampling: {}, roots: { listChanged: true } });
    assert.deepEqual(clientCapabilities({ elicit: async () => ({ action: 'cancel' }), roots: { list: () => [] } }),
      { elicitation: { form: { applyDefaults: true } }, roots: { listChanged: false } }, 'URL mode only when the host can open URLs');
  });
});
