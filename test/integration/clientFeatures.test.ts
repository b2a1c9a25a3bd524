// What a server asks of the editor, in the real extension host, against a fixture that asks
// (FIXTURE_CLIENT_FEATURES=1): the workspace folder is its root; its log messages land in its
// output channel at their level; sampling is answered by a VS Code language model (the scripted
// one) for a server the user setting allows, with the request shown in the server's output, and
// refused for one it denies, before any model sees it.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { SwitchboardApi } from '../../src/extension';
import { fakeModel } from './fakeModel.test';
import { api, stdioFixture, waitFor, workspaceFolder, writeConfig } from './helpers';

const texts = (r: Record<string, unknown>) => (r.content as { text: string }[]).map((c) => c.text);

function channelText(a: SwitchboardApi, server: string): string {
  const name = fs.readdirSync(a.logUri.fsPath).find((f) => f.replace(/[^A-Za-z0-9]/g, '') === `Switchboard${server}log`);
  return name ? fs.readFileSync(path.join(a.logUri.fsPath, name), 'utf8') : '';
}

describe('what servers ask of the editor: roots, logging, sampling', function () {
  this.timeout(60_000);
  let a: SwitchboardApi;
  const settings = () => vscode.workspace.getConfiguration('switchboard');

  before(async () => {
    a = await api();
    const env = { FIXTURE_CLIENT_FEATURES: '1' };
    await writeConfig(JSON.stringify({ servers: { asker: stdioFixture('echo', { env }), refused: stdioFixture('echo', { env }) } }, null, 2));
    await waitFor(() => a.manager.state('asker')?.kind === 'running' && a.manager.state('refused')?.kind === 'running', 'both servers to run');
  });
  after(async () => {
    await settings().update('sampling', undefined, vscode.ConfigurationTarget.Global);
    await writeConfig('{ "servers": {} }\n');
  });

  it('gives the workspace folders as roots', async () => {
    const result = await a.manager.connection('asker')!.client!.callTool({ name: 'list_roots', arguments: {} });
    assert.deepStrictEqual(texts(result), [workspaceFolder().uri.toString()]);
  });

  it('writes the server\'s log messages to its output channel at their level', async () => {
    await a.manager.connection('asker')!.client!.callTool({ name: 'log_all', arguments: {} });
    const text = await waitFor(() => { const t = channelText(a, 'asker'); return /\[error\] \[fixture\] a error message/.test(t) ? t : undefined; }, 'the log messages');
    assert.match(text, /\[info\] \[fixture\] a info message/);
    assert.match(text, /\[info\] \[fixture\] a notice message/);
    assert.match(text, /\[warning\] \[fixture\] a warning message/);
  });

  it('answers sampling with the model the user setting names, and refuses a denied server', async () => {
    const fake = await fakeModel();
    fake.reset();
    const [model] = await vscode.lm.selectChatModels({ vendor: fake.vendor });
    // A consent holds for the server identity it was given to; a refusal without one holds for the name.
    await settings().update('sampling', {
      asker: { allowed: true, model: `${model.vendor}/${model.id}`, identity: a.manager.identity('asker') },
      refused: { allowed: false },
    }, vscode.ConfigurationTarget.Global);
    fake.script({ text: 'forty-two' });
    const answer = await a.manager.connection('asker')!.client!.callTool({ name: 'sample', arguments: { prompt: 'What is the answer?' } });
    assert.deepStrictEqual(texts(answer), ['forty-two']);
    const asked = fake.requests().at(-1)!;
    assert.match(JSON.stringify(asked.messages), /What is the answer\?/, 'the model got the server\'s message');
    const log = await waitFor(() => { const t = channelText(a, 'asker'); return /sampling answered by/.test(t) ? t : undefined; }, 'the sampling lines in the output');
    assert.match(log, /sampling request: 1 message\(s\), up to 100 tokens/);

    const before = fake.requests().length;
    const refused = await a.manager.connection('refused')!.client!.callTool({ name: 'sample', arguments: { prompt: 'x' } });
    assert.strictEqual(refused.isError, true);
    assert.match(texts(refused)[0], /does not let this server use a language model/);
    assert.strictEqual(fake.requests().length, before, 'no model saw the refused request');
  });

  it('asks again when the consent was given to another server of that name', async () => {
    const fake = await fakeModel();
    await settings().update('sampling', { asker: { allowed: true, identity: 'user:someone-else' } }, vscode.ConfigurationTarget.Global);
    const before = fake.requests().length;
    const answer = await a.manager.connection('asker')!.client!.callTool({ name: 'sample', arguments: { prompt: 'x' } });
    // Test mode refuses the consent dialog; that it was shown is what counts.
    assert.match(texts(answer)[0], /MCP server "asker" wants to use a language model/);
    assert.strictEqual(fake.requests().length, before, 'no model saw the request');
  });
});
