// The harness loads a second extension beside ours: a language model whose answers the test
// scripts (test/fake-model), registered through the real registerLanguageModelChatProvider. The
// chat and tool-call suites stand on it; this checks the footing.
import * as assert from 'assert';
import * as vscode from 'vscode';

export const FAKE_MODEL_ID = 'switchboard-test.fake-model';

export interface FakeModel {
  vendor: string;
  script(...steps: ({ text: string } | { toolCalls: { name: string; input: object }[] })[]): void;
  requests(): { messages: { role: string; parts: Record<string, unknown>[] }[]; tools: string[] }[];
  reset(): void;
}

export async function fakeModel(): Promise<FakeModel> {
  const ext = vscode.extensions.getExtension<FakeModel>(FAKE_MODEL_ID);
  if (!ext) throw new Error(`${FAKE_MODEL_ID} is not loaded: the harness passes it as a second extensionDevelopmentPath`);
  return ext.activate();
}

describe('the scripted model the chat suites use', () => {
  it('is selectable and answers with scripted text and tool calls', async () => {
    const fake = await fakeModel();
    fake.reset();
    const [model] = await vscode.lm.selectChatModels({ vendor: fake.vendor });
    assert.ok(model, 'a model from the fake vendor');
    fake.script({ toolCalls: [{ name: 'echo_echo', input: { text: 'hi' } }] });
    const tool: vscode.LanguageModelChatTool = { name: 'echo_echo', description: 'Echo', inputSchema: { type: 'object', properties: { text: { type: 'string' } } } };
    const first = await model.sendRequest([vscode.LanguageModelChatMessage.User('use echo')], { tools: [tool] });
    const parts: unknown[] = [];
    for await (const p of first.stream) parts.push(p);
    assert.ok(parts[0] instanceof vscode.LanguageModelToolCallPart);
    assert.deepStrictEqual((parts[0] as vscode.LanguageModelToolCallPart).input, { text: 'hi' });
    const call = parts[0] as vscode.LanguageModelToolCallPart;
    const second = await model.sendRequest([
      vscode.LanguageModelChatMessage.User('use echo'),
      vscode.LanguageModelChatMessage.Assistant([call]),
      vscode.LanguageModelChatMessage.User([new vscode.LanguageModelToolResultPart(call.callId, [new vscode.LanguageModelTextPart('hi')])]),
    ], { tools: [tool] });
    let text = '';
    for await (const t of second.text) text += t;
    assert.strictEqual(text, 'The tool said: hi');
    assert.deepStrictEqual(fake.requests().map((r) => r.tools), [['echo_echo'], ['echo_echo']]);
  });
});
