// @switchboard in the real extension host, with the scripted model (test/fake-model): a tool call
// shows VS Code's confirmation card for that tool, accepting runs it and the model gets the
// result; skipping never reaches the server (the fixture's own log file proves it); the card's
// "Allow in this Session" covers that one tool only; deny rules and the schema guard still apply;
// "Always Allow" after a call stops the cards for that tool until its definition changes, and then
// our prompt asks again and the chat says what changed.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { denyRule } from '../../src/policy/rules';
import type { ChatRequestRecord } from '../../src/vscode/chatParticipant';
import { fakeModel, type FakeModel } from './fakeModel.test';
import { auditLines, startGateway, stdioFixture, waitFor, writeConfig, toolsApi, type ToolsApi } from './helpers';

describe('@switchboard in chat', function () {
  this.timeout(120_000);
  let a: ToolsApi;
  let fake: FakeModel;
  const fixtureLog = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sb-chat-')), 'fixture.log');
  const serverSaw = (text: string) => fs.existsSync(fixtureLog) && fs.readFileSync(fixtureLog, 'utf8').includes(text);
  const auditLast = async () => (await auditLines(a)).at(-1)!;

  /** Sends a request to @switchboard; resolves with what chat.open returned once the response ends or a card waits. */
  const ask = (query: string) => vscode.commands.executeCommand<{ type?: string; kind?: string } | undefined>(
    'workbench.action.chat.open', { query: `@switchboard ${query}`, modelSelector: { vendor: fake.vendor }, blockOnResponse: true });
  const nextRecord = () => new Promise<ChatRequestRecord>((resolve) => { const d = a.chat.onDidFinishRequest((r) => { d.dispose(); resolve(r); }); });

  before(async () => {
    a = await toolsApi();
    fake = await fakeModel();
    await vscode.lm.selectChatModels({ vendor: fake.vendor });
    await writeConfig(JSON.stringify({ servers: { chatty: stdioFixture('echo', { env: { FIXTURE_LOG_FILE: fixtureLog } }) } }));
    await waitFor(() => a.manager.state('chatty')?.kind === 'running', 'chatty running');
  });
  beforeEach(async () => {
    fake.reset();
    await vscode.commands.executeCommand('workbench.action.chat.newChat');
  });
  after(async () => {
    for (const r of a.permissions.store.list()) await a.permissions.store.revoke(r.id);
  });

  it('offers the routed tools; the card comes first, accepting runs the call and the model gets the result', async () => {
    fake.script({ toolCalls: [{ name: 'chatty_echo', input: { text: 'accepted in chat' } }] });
    const done = nextRecord();
    const r = await ask('echo something');
    assert.deepStrictEqual([r?.type, r?.kind], ['confirmation', 'toolInvocation']);
    assert.ok(!serverSaw('accepted in chat'), 'nothing reached the server before the answer');
    assert.deepStrictEqual(fake.requests()[0].tools, ['chatty_add', 'chatty_crash', 'chatty_echo', 'chatty_env', 'chatty_fail', 'chatty_headers', 'chatty_progress', 'chatty_slow']);
    await vscode.commands.executeCommand('workbench.action.chat.acceptTool');
    const record = await done;
    assert.deepStrictEqual(record.calls, [{ name: 'chatty_echo', result: 'accepted in chat', via: 'editor' }]);
    assert.strictEqual(record.text, 'The tool said: accepted in chat');
    await waitFor(() => serverSaw('accepted in chat'), 'the call in the fixture\'s own log');
    const audit = await auditLast();
    assert.deepStrictEqual([audit.name, audit.origin, audit.decidedBy, audit.outcome], ['chatty_echo', 'gateway', 'host', 'ok']);
  });

  it('skipping the card never reaches the server, and the model hears it was not run', async () => {
    fake.script({ toolCalls: [{ name: 'chatty_add', input: { a: 1234, b: 5678 } }] });
    const done = nextRecord();
    const r = await ask('add two numbers');
    assert.strictEqual(r?.type, 'confirmation');
    await vscode.commands.executeCommand('workbench.action.chat.skipTool');
    const record = await done;
    assert.strictEqual(record.calls.length, 1);
    assert.match(record.calls[0].result, /skip/i);
    await new Promise((res) => setTimeout(res, 300));
    assert.ok(!serverSaw('1234'), 'the fixture never saw the skipped call');
  });

  it('a deny rule refuses the call even after the card was accepted', async () => {
    await a.permissions.store.upsert(denyRule({ server: 'chatty', tool: 'echo' }, 'session'));
    try {
      fake.script({ toolCalls: [{ name: 'chatty_echo', input: { text: 'denied by rule' } }] });
      const done = nextRecord();
      if ((await ask('echo this'))?.type === 'confirmation') await vscode.commands.executeCommand('workbench.action.chat.acceptTool');
      const record = await done;
      assert.match(record.calls[0].result, /not run: Denied by your rule for "echo"/);
      await new Promise((res) => setTimeout(res, 300));
      assert.ok(!serverSaw('denied by rule'), 'the call never reached the server');
    } finally {
      for (const r of a.permissions.store.list()) await a.permissions.store.revoke(r.id);
    }
  });

  it('invalid arguments never reach the server; the model is told which field is wrong', async () => {
    fake.script({ toolCalls: [{ name: 'chatty_add', input: { a: 1, b: 'two' } }] });
    const done = nextRecord();
    if ((await ask('add badly'))?.type === 'confirmation') await vscode.commands.executeCommand('workbench.action.chat.acceptTool');
    const record = await done;
    assert.match(record.calls[0].result, /Invalid arguments for chatty_add: argument "b" must be number/);
    await new Promise((res) => setTimeout(res, 300));
    assert.ok(!serverSaw('"two"'), 'the invalid call never reached the server');
  });

  describe('always allow, and a definition that changes afterwards', () => {
    const shifty = () => a.router.resolve('shifty_echo');
    before(async () => {
      await writeConfig(JSON.stringify({ servers: {
        chatty: stdioFixture('echo', { env: { FIXTURE_LOG_FILE: fixtureLog } }),
        shifty: stdioFixture('list-changed', { env: { FIXTURE_LOG_FILE: fixtureLog } }),
      } }));
      await waitFor(() => a.manager.state('shifty')?.kind === 'running' && shifty(), 'shifty running');
    });
    after(async () => {
      await writeConfig(JSON.stringify({ servers: { chatty: stdioFixture('echo', { env: { FIXTURE_LOG_FILE: fixtureLog } }) } }));
      await waitFor(() => !a.manager.state('shifty'), 'shifty removed');
    });

    it('"Always Allow" after the card stops further cards for that tool', async () => {
      fake.script({ toolCalls: [{ name: 'shifty_echo', input: { text: 'first, after the card' } }] });
      const first = nextRecord();
      assert.strictEqual((await ask('echo once'))?.type, 'confirmation');
      await vscode.commands.executeCommand('workbench.action.chat.acceptTool');
      const firstRecord = await first;
      assert.deepStrictEqual(firstRecord.alwaysAllowOffered, ['shifty_echo'], 'the response offers Always Allow for the tool the card let through');
      // As the button does: with the definition the card approved, which the rule pins.
      const approved = a.permissions.approved('shifty_echo');
      assert.ok(approved, 'the approved definition is remembered for the button');
      await vscode.commands.executeCommand('switchboard.allowToolAlways', 'shifty_echo', approved);

      fake.script({ toolCalls: [{ name: 'shifty_echo', input: { text: 'second, no card' } }] });
      const second = nextRecord();
      assert.notStrictEqual((await ask('echo again'))?.type, 'confirmation', 'no card the second time');
      const record = await second;
      assert.deepStrictEqual(record.calls, [{ name: 'shifty_echo', result: 'second, no card', via: 'router' }]);
      // The note is Markdown, with its parentheses escaped.
      assert.match(record.notes[0], /Allowed by your rule for "echo" \\\(always\\\)/);
      await waitFor(() => serverSaw('second, no card'), 'the call in the fixture\'s log');
      const audit = await auditLast();
      assert.deepStrictEqual([audit.name, audit.origin, audit.decidedBy, audit.outcome], ['shifty_echo', 'chat', 'policy', 'ok']);
    });

    it('after the tool\'s definition changes, the call is asked about again and the chat says what changed', async () => {
      await a.manager.connection('shifty')!.client!.callTool({ name: 'describe_tool', arguments: { name: 'echo', description: 'Returns its text and mails a copy.' } });
      await waitFor(() => shifty()?.tool.description?.includes('mails'), 'the new description listed');
      fake.script({ toolCalls: [{ name: 'shifty_echo', input: { text: 'after the change' } }] });
      const done = nextRecord();
      assert.notStrictEqual((await ask('echo after the change'))?.type, 'confirmation', 'our prompt asks, not a second card');
      const record = await done;
      assert.match(record.notes[0], /"echo" changed since you allowed it/);
      assert.match(record.notes[0], /description/);
      // Smoke-test mode refuses the dialog; its refusal names the prompt, which names the change.
      assert.strictEqual(record.calls[0].via, 'router');
      assert.match(record.calls[0].result, /was not run: .*"echo" changed since you allowed it/);
      await new Promise((res) => setTimeout(res, 300));
      assert.ok(!serverSaw('after the change'), 'the changed tool did not run unasked');
    });
  });

  it('with VS Code\'s MCP support turned off, calls go to the router and our own prompt', async () => {
    const cfg = vscode.workspace.getConfiguration('chat.mcp');
    await cfg.update('access', 'none', vscode.ConfigurationTarget.Global);
    try {
      await waitFor(() => !vscode.lm.tools.some((t) => t.name.endsWith('_chatty_echo')), 'VS Code dropped the gateway tools');
      fake.script({ toolCalls: [{ name: 'chatty_echo', input: { text: 'through the router' } }] });
      const done = nextRecord();
      await ask('echo without MCP');
      // Smoke-test mode refuses extension dialogs (the UI test clicks through that dialog); its
      // refusal names the prompt that was raised, and the call is not sent.
      const record = await done;
      assert.strictEqual(record.calls[0].via, 'router');
      assert.match(record.calls[0].result, /was not run: .*Run "echo" from MCP server "chatty"\?/);
      assert.ok(!serverSaw('through the router'));
      const audit = await auditLast();
      assert.deepStrictEqual([audit.origin, audit.outcome], ['chat', 'denied']);
    } finally {
      await cfg.update('access', undefined, vscode.ConfigurationTarget.Global);
      await startGateway('chatty_echo');
    }
  });
});
