// @ts-check
// The demo's stand-in for a language model (see package.json): a request whose last message
// carries tool results is answered with those results; otherwise the model calls the tool the
// prompt names (plan.js), or says how to ask when it names none. Installed by `npm start` and the
// UI tests only, never with the extension.
const vscode = require('vscode');
const { planCall } = require('./plan');

/** @param {readonly unknown[]} parts */
const textOf = (parts) => parts.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');

/** @param {vscode.ExtensionContext} context */
function activate(context) {
  let calls = 0;
  context.subscriptions.push(vscode.lm.registerLanguageModelChatProvider('switchboard-demo', {
    provideLanguageModelChatInformation() {
      return [{
        id: 'demo', name: 'Switchboard Demo (scripted)', family: 'switchboard-demo', version: '1',
        tooltip: 'Rule-based, not AI: calls the tool you name with the arguments you quote.',
        maxInputTokens: 128000, maxOutputTokens: 4096, capabilities: { toolCalling: 128 },
      }];
    },
    async provideLanguageModelChatResponse(_model, messages, options, progress) {
      const last = messages[messages.length - 1];
      const results = last.content.filter((p) => p instanceof vscode.LanguageModelToolResultPart);
      if (results.length) {
        const said = results.map((r) => textOf(/** @type {vscode.LanguageModelToolResultPart} */ (r).content).trim()).join('\n\n');
        progress.report(new vscode.LanguageModelTextPart(`The tool answered:\n\n${said}`));
        return;
      }
      const tools = options.tools ?? [];
      const plan = planCall(tools, textOf(last.content));
      if (plan) {
        progress.report(new vscode.LanguageModelToolCallPart(`demo-${++calls}`, plan.tool, plan.input));
        return;
      }
      const examples = tools.slice(0, 3).map((t) => `\`${t.name}\``).join(', ');
      progress.report(new vscode.LanguageModelTextPart(
        `I am the Switchboard demo model: rule-based, not AI. Name one of the ${tools.length} tools I was offered${examples ? ` (${examples}, …)` : ''} and put its arguments in quotes or as JSON, for example: use everything_echo with "hello".`));
    },
    async provideTokenCount(_model, text) {
      return typeof text === 'string' ? Math.ceil(text.length / 4) : 16;
    },
  }));
  // VS Code asks a provider for its models only when someone selects from its vendor; until then
  // the Chat view's picker would offer nothing but "Sign in to use Copilot".
  void vscode.lm.selectChatModels({ vendor: 'switchboard-demo' });
}

module.exports = { activate, deactivate() {} };
