// @ts-check
// A scripted language model for the integration suites (registered through the real
// vscode.lm.registerLanguageModelChatProvider). A test queues the answers with `script()`; each
// request takes the next one. With nothing queued it answers in text, quoting the tool results it
// was sent, so a test can see what reached the model. Every request is recorded.
const vscode = require('vscode');

const VENDOR = 'switchboard-fake';

/** @param {readonly unknown[]} parts */
function textOf(parts) {
  return parts.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
}

/** @param {vscode.LanguageModelChatRequestMessage} m */
function summarize(m) {
  return {
    role: m.role === vscode.LanguageModelChatMessageRole.User ? 'user' : 'assistant',
    parts: m.content.map((p) => {
      if (p instanceof vscode.LanguageModelTextPart) return { text: p.value };
      if (p instanceof vscode.LanguageModelToolCallPart) return { toolCall: { callId: p.callId, name: p.name, input: p.input } };
      if (p instanceof vscode.LanguageModelToolResultPart) return { toolResult: { callId: p.callId, text: textOf(p.content) } };
      return { other: String(p?.constructor?.name) };
    }),
  };
}

/** @param {vscode.ExtensionContext} context */
function activate(context) {
  /** @type {({ text: string } | { toolCalls: { name: string, input: object }[] })[]} */
  const queue = [];
  /** @type {{ messages: ReturnType<typeof summarize>[], tools: string[] }[]} */
  const requests = [];
  let calls = 0;

  context.subscriptions.push(vscode.lm.registerLanguageModelChatProvider(VENDOR, {
    provideLanguageModelChatInformation() {
      return [{
        id: 'scripted', name: 'Scripted Model', family: 'scripted', version: '1',
        maxInputTokens: 128000, maxOutputTokens: 4096, capabilities: { toolCalling: 128 },
      }];
    },
    async provideLanguageModelChatResponse(_model, messages, options, progress) {
      requests.push({ messages: messages.map(summarize), tools: (options.tools ?? []).map((t) => t.name) });
      const step = queue.shift();
      if (step && 'toolCalls' in step) {
        for (const c of step.toolCalls) progress.report(new vscode.LanguageModelToolCallPart(`call-${++calls}`, c.name, c.input));
        return;
      }
      if (step) {
        progress.report(new vscode.LanguageModelTextPart(step.text));
        return;
      }
      const last = messages[messages.length - 1];
      const results = last.content.filter((p) => p instanceof vscode.LanguageModelToolResultPart);
      progress.report(new vscode.LanguageModelTextPart(results.length
        ? `The tool said: ${results.map((r) => textOf(/** @type {vscode.LanguageModelToolResultPart} */ (r).content)).join(' | ')}`
        : `You said: ${textOf(last.content)}`));
    },
    async provideTokenCount(_model, text) {
      return typeof text === 'string' ? Math.ceil(text.length / 4) : 16;
    },
  }));

  return {
    vendor: VENDOR,
    /** Queues answers for the next requests. */
    script: (/** @type {typeof queue} */ ...steps) => { queue.push(...steps); },
    /** What the model was sent, request by request. */
    requests: () => requests.slice(),
    reset: () => { queue.length = 0; requests.length = 0; },
  };
}

module.exports = { activate, deactivate() {} };
