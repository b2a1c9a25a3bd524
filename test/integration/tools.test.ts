// Tool calls in the real extension host: Run Tool from the tree, the permission policy in front of
// the router (stored rules decide without asking, deny wins, gateway calls are not asked twice),
// and the audit log the extension writes. The prompt itself is clicked through in the UI test
// (smoke-test mode would auto-confirm a modal here).
import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import { allowToolRule, denyRule } from '../../src/policy/rules';
import { stdioFixture, waitFor, writeConfig, auditLines, toolsApi, type ToolsApi } from './helpers';

describe('tool calls through the policy', function () {
  this.timeout(90_000);
  let a: ToolsApi;
  const tool = (name: string) => a.manager.catalog('echo')!.tools.find((t) => t.name === name)!;
  const echoRef = () => ({ name: 'echo', identity: a.manager.identity('echo')! });

  before(async () => {
    a = await toolsApi();
    await writeConfig(JSON.stringify({ servers: { echo: stdioFixture('echo', { env: { FIXTURE_TOOL_COUNT: '1' } }) } }));
    await waitFor(() => a.manager.catalog('echo')?.tools.some((t) => t.name === 't0'), 'echo running with t0');
  });
  afterEach(async () => {
    for (const r of a.permissions.store.list()) await a.permissions.store.revoke(r.id);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Run Tool from the tree runs the call with the person as the approver and opens the whole result', async () => {
    const doc = await vscode.commands.executeCommand<vscode.TextDocument>('switchboard.runTool', { type: 'tool', server: 'echo', tool: tool('t0'), namespaced: 'echo_t0' });
    assert.ok(doc, 'a result document was opened');
    assert.strictEqual(doc.languageId, 'markdown');
    assert.match(doc.getText(), /^# echo_t0\n/);
    assert.match(doc.getText(), /## Result\n\nt0\n/);
    const last = (await auditLines(a)).at(-1)!;
    assert.deepStrictEqual([last.name, last.origin, last.decidedBy, last.outcome], ['echo_t0', 'manual', 'user', 'ok']);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('an allow rule runs a chat call without asking; a deny rule refuses it before the server sees it', async () => {
    const allow = await a.permissions.store.upsert(allowToolRule(echoRef(), tool('echo'), 'session'));
    const ok = await a.router.call('echo_echo', { text: 'allowed by rule' }, { origin: 'chat' });
    assert.strictEqual(ok.kind, 'ok');
    assert.deepStrictEqual((await auditLines(a)).at(-1)!.rule, allow.id);

    const deny = await a.permissions.store.upsert(denyRule({ server: 'echo' }, 'workspace'));
    const denied = await a.router.call('echo_echo', { text: 'denied by rule' }, { origin: 'chat' });
    assert.strictEqual(denied.kind, 'denied');
    assert.match((denied as { message: string }).message, /Denied by your rule for server "echo" \(workspace\)/);
    const last = (await auditLines(a)).at(-1)!;
    assert.deepStrictEqual([last.decision, last.decidedBy, last.rule, last.outcome], ['deny', 'policy', deny.id, 'denied']);
  });

  it('workspace and always rules are accepted (an open folder backs workspace rules)', async () => {
    await a.permissions.store.upsert(allowToolRule(echoRef(), tool('add'), 'always'));
    await a.permissions.store.upsert(denyRule({ server: 'echo', tool: 'fail' }, 'workspace'));
    const scopes = a.permissions.store.list().map((r) => `${r.scope}:${r.target.tool}`).sort();
    assert.deepStrictEqual(scopes, ['always:add', 'workspace:fail']);
  });

  it('a gateway call is settled by VS Code\'s own confirmation: no second prompt, but deny rules still apply', async () => {
    const ok = await a.router.call('echo_echo', { text: 'via gateway' }, { origin: 'gateway' });
    assert.strictEqual(ok.kind, 'ok');
    assert.strictEqual((await auditLines(a)).at(-1)!.decidedBy, 'host');
    await a.permissions.store.upsert(denyRule({ server: 'echo', tool: 'echo' }, 'session'));
    assert.strictEqual((await a.router.call('echo_echo', { text: 'x' }, { origin: 'gateway' })).kind, 'denied');
  });

  it('the audit log holds hashes, never argument values, and opens from its command', async () => {
    const text = fs.readFileSync(a.permissions.audit.file, 'utf8');
    assert.doesNotMatch(text, /allowed by rule|denied by rule|via gateway/);
    for (const l of await auditLines(a)) assert.match(String(l.argsHash), /^[0-9a-f]{64}$/);
    await vscode.commands.executeCommand('switchboard.openAuditLog');
    const editor = await waitFor(() => vscode.window.activeTextEditor, 'the audit log editor');
    assert.strictEqual(editor.document.uri.fsPath, a.permissions.audit.file);
  });

  it('the read-only shortcut counts only in user settings', async () => {
    const cfg = vscode.workspace.getConfiguration('switchboard');
    await assert.rejects(Promise.resolve(cfg.update('tools.autoAllowReadOnly', true, vscode.ConfigurationTarget.Workspace)),
      'a workspace cannot turn it on');
    assert.strictEqual(cfg.inspect('tools.autoAllowReadOnly')?.workspaceValue, undefined);
  });
});
