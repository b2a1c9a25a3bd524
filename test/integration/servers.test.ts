// The extension in a real VS Code: config → running servers → tree, output, commands, hot reload,
// diagnostics, and no child process after deactivate. Runs in a trusted workspace.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { SwitchboardApi } from '../../src/extension';
import { api, configPath, isAlive, renderTree, stdioFixture, waitFor, writeConfig } from './helpers';

const config = (servers: Record<string, unknown>) => JSON.stringify({ servers }, null, 2);

describe('servers in the real extension host', function () {
  this.timeout(90_000);
  let a: SwitchboardApi;

  before(async () => {
    a = await api();
  });

  it('shows the welcome state when nothing is configured', async () => {
    if (fs.existsSync(configPath())) fs.rmSync(configPath());
    await a.reload();
    assert.deepStrictEqual(a.manager.names(), []);
    assert.deepStrictEqual(a.tree.getChildren(), []);
  });

  it('starts the configured servers and shows them with their tools, resources and prompts', async () => {
    await writeConfig(config({
      echo: stdioFixture('echo', { env: { FIXTURE_STDERR_LINES: '2' } }),
      dies: stdioFixture('exit-at-start'),
      dynamic: stdioFixture('list-changed'),
    }));
    await waitFor(() => a.manager.state('echo')?.kind === 'running' && a.manager.state('dies')?.kind === 'error'
      && a.manager.state('dynamic')?.kind === 'running', 'servers to settle');
    const tree = await renderTree(a);
    const text = tree.join('\n');
    assert.match(text, /^dies — error: /m);
    assert.match(text, /^echo — stdio · \d+ tools$/m);
    assert.match(text, /^ {2}Tools — \d+$/m);
    assert.match(text, /^ {4}echo — echo_echo$/m);
    assert.match(text, /^ {2}Resources — \d+$/m);
    assert.match(text, /^ {4}.* — fixture:\/\/hello$/m);
    assert.match(text, /^ {2}Prompts — \d+$/m);
  });

  it('writes each server\'s stderr, line by line, to its own output channel', async () => {
    // VS Code names the file after the channel, minus characters unsafe in file names (the colon).
    const channelFile = (server: string) => {
      const name = fs.readdirSync(a.logUri.fsPath).find((f) => f.replace(/[^A-Za-z0-9]/g, '') === `Switchboard${server}log`);
      return name ? path.join(a.logUri.fsPath, name) : undefined;
    };
    const content = await waitFor(() => {
      const f = channelFile('echo');
      const t = f ? fs.readFileSync(f, 'utf8') : '';
      return /\[stderr\].*started/.test(t) ? t : undefined;
    }, `stderr in the echo channel's log (dir has: ${safeList(a.logUri.fsPath)})`);
    assert.match(content, /\[stderr\] fixture echo pid=\d+ started/);
    // The burst arrives as one chunk; each line must still become its own log entry.
    assert.match(content, /\[stderr\] fixture echo stderr line 1\n.*\[stderr\] fixture echo stderr line 2\n/, 'one log entry per line');
    const dies = fs.readFileSync(channelFile('dies')!, 'utf8');
    assert.match(dies, /\[stderr\] .*boom/);
    assert.match(dies, /failed to start/);
  });

  it('restarts a server with the restart command', async () => {
    const before = a.manager.connection('echo')!.pid!;
    await vscode.commands.executeCommand('switchboard.restartServer', 'echo');
    await waitFor(() => a.manager.state('echo')?.kind === 'running', 'echo running again');
    const after = a.manager.connection('echo')!.pid!;
    assert.notStrictEqual(after, before);
    await waitFor(() => !isAlive(before), 'old process gone', 5000);
  });

  it('follows list-changed: a new tool appears in the tree', async () => {
    await a.manager.connection('dynamic')!.client!.callTool({ name: 'add_tool', arguments: { name: 'added_live' } });
    await waitFor(async () => (await renderTree(a)).some((l) => /added_live — dynamic_added_live/.test(l)), 'new tool in tree');
  });

  it('hot reload restarts only the changed server, starts new ones and stops removed ones', async () => {
    const echoPid = a.manager.connection('echo')!.pid!;
    const dynamicPid = a.manager.connection('dynamic')!.pid!;
    await writeConfig(config({
      echo: stdioFixture('echo', { env: { FIXTURE_STDERR_LINES: '2' } }),
      dynamic: stdioFixture('list-changed', { env: { CHANGED: '1' } }),
      fresh: stdioFixture('echo'),
    }));
    await waitFor(() => a.manager.state('fresh')?.kind === 'running' && a.manager.state('dynamic')?.kind === 'running'
      && a.manager.connection('dynamic')!.pid !== dynamicPid && !a.manager.names().includes('dies'), 'reload applied');
    assert.strictEqual(a.manager.connection('echo')!.pid, echoPid, 'unchanged server kept its process');
    await waitFor(() => !isAlive(dynamicPid), 'changed server\'s old process gone', 5000);
  });

  it('puts config errors in the Problems panel at the exact range and keeps valid servers running', async () => {
    const echoPid = a.manager.connection('echo')!.pid!;
    await writeConfig([
      '{',
      '  // a comment, and a trailing comma below: both allowed',
      '  "servers": {',
      `    "echo": ${JSON.stringify(stdioFixture('echo', { env: { FIXTURE_STDERR_LINES: '2' } }))},`,
      '    "bad": { "type": "stdio", "command": 42 },',
      '  }',
      '}',
    ].join('\n'));
    const uri = vscode.Uri.file(configPath());
    const diags = await waitFor(() => { const d = vscode.languages.getDiagnostics(uri); return d.length ? d : undefined; }, 'diagnostics');
    const bad = diags.find((d) => /command/.test(d.message));
    assert.ok(bad, diags.map((d) => d.message).join('; '));
    assert.strictEqual(bad!.range.start.line, 4);
    const col = '    "bad": { "type": "stdio", "command": '.length;
    assert.strictEqual(bad!.range.start.character, col, `range ${JSON.stringify(bad!.range)}`);
    await waitFor(() => a.manager.state('bad')?.kind === 'error', 'bad server shown as error');
    assert.match((a.manager.state('bad') as { message: string }).message, /switchboard\.json:5:\d+/);
    assert.strictEqual(a.manager.connection('echo')!.pid, echoPid, 'valid server untouched');
    assert.ok((await renderTree(a)).some((l) => /^bad — error: invalid configuration/.test(l)));
  });

  it('opens a resource as a read-only document in its own scheme', async () => {
    await writeConfig(config({ echo: stdioFixture('echo') }));
    await waitFor(() => a.manager.names().length === 1 && a.manager.state('echo')?.kind === 'running', 'only echo');
    const resource = a.manager.catalog('echo')!.resources.find((r) => r.uri === 'fixture://hello')!;
    await vscode.commands.executeCommand('switchboard.openResource', { type: 'resource', server: 'echo', resource });
    const doc = vscode.window.activeTextEditor?.document;
    assert.strictEqual(doc?.uri.scheme, 'switchboard-resource');
    assert.ok(doc!.getText().length > 0);
  });

  it('shows server info, capabilities and the last error in tooltips; tool tooltips summarise parameters', async () => {
    await writeConfig(config({ echo: stdioFixture('echo'), dies: stdioFixture('exit-at-start') }));
    await waitFor(() => a.manager.state('echo')?.kind === 'running' && a.manager.state('dies')?.kind === 'error', 'echo up, dies failed');
    const tip = (node: Parameters<typeof a.tree.getTreeItem>[0]) => {
      const t = a.tree.getTreeItem(node).tooltip;
      // Markdown tooltips escape punctuation; compare the text a user reads.
      return (typeof t === 'string' ? t : t?.value ?? '').replace(/\\([\\`*_{}[\]()#+\-.!|])/g, '$1');
    };
    const servers = a.tree.getChildren();
    const echo = servers.find((n) => n.type === 'server' && n.server === 'echo')!;
    assert.match(tip(echo), /Server: fixture-echo 1\.0\.0/);
    assert.match(tip(echo), /tools/, 'capabilities listed');
    const dies = servers.find((n) => n.type === 'server' && n.server === 'dies')!;
    assert.match(tip(dies), /exit-at-start|exited|closed/i, 'last error (with stderr) in the tooltip');
    const toolsGroup = a.tree.getChildren(echo).find((n) => n.type === 'group' && n.kind === 'tools')!;
    const echoTool = a.tree.getChildren(toolsGroup).find((n) => n.type === 'tool' && n.tool.name === 'echo')!;
    assert.match(tip(echoTool), /Returns its text\./);
    assert.match(tip(echoTool), /`text`: string \(required\)/);
  });

  it('renders a prompt into an untitled markdown document', async () => {
    await writeConfig(config({ echo: stdioFixture('echo', { env: { FIXTURE_PROMPT_COUNT: '1' } }) }));
    await waitFor(() => a.manager.catalog('echo')?.prompts.some((p) => p.name === 'p0'), 'prompt p0 listed');
    const prompt = a.manager.catalog('echo')!.prompts.find((p) => p.name === 'p0')!;
    const doc = await vscode.commands.executeCommand<vscode.TextDocument>('switchboard.renderPrompt', { type: 'prompt', server: 'echo', prompt });
    assert.ok(doc, 'a document was opened');
    assert.strictEqual(doc.isUntitled, true);
    assert.strictEqual(doc.languageId, 'markdown');
    assert.match(doc.getText(), /^# p0\n/);
    assert.match(doc.getText(), /## user\n\nprompt 0/);
    // Revert, so closing it later asks no "Save?" question.
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('Open Configuration creates a valid file when there is none and opens it', async () => {
    if (fs.existsSync(configPath())) fs.rmSync(configPath());
    await a.reload();
    await vscode.commands.executeCommand('switchboard.openConfiguration');
    const editor = await waitFor(() => vscode.window.activeTextEditor?.document.uri.fsPath === configPath() && vscode.window.activeTextEditor, 'the config open');
    assert.ok(fs.existsSync(configPath()), 'file created');
    assert.match(editor.document.getText(), /"servers"/);
    assert.deepStrictEqual(vscode.languages.getDiagnostics(editor.document.uri).filter((d) => d.source === 'MCP Switchboard'), [], 'the skeleton is valid');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('contributes a JSON schema: the editor completes and checks switchboard.json', async () => {
    await writeConfig('{\n  "servers": {\n    "x": {  },\n    "y": { "type": "stdioo", "command": "node" }\n  }\n}\n');
    const uri = vscode.Uri.file(configPath());
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    // The JSON language server starts on demand; ask until it answers with our schema's keys.
    const labels = await waitFor(async () => {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, new vscode.Position(2, 11));
      const names = (list?.items ?? []).map((i) => (typeof i.label === 'string' ? i.label : i.label.label).replace(/"/g, ''));
      // Word-based suggestions come first ("command" is in the text); "envFile" only comes from the schema.
      return names.includes('envFile') ? names : undefined;
    }, 'schema completions inside a server entry', 60_000);
    for (const key of ['command', 'args', 'env', 'envFile', 'url', 'type']) assert.ok(labels.includes(key), `completes ${key}: ${labels.join(', ')}`);
    const schemaProblem = await waitFor(() => vscode.languages.getDiagnostics(uri)
      .find((d) => d.source !== 'MCP Switchboard' && d.range.start.line === 3), 'a schema diagnostic from the JSON language service', 60_000);
    assert.match(schemaProblem.message, /stdio|not accepted|Value is not/i);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('leaves no child process after deactivate', async () => {
    await writeConfig(config({ one: stdioFixture('echo'), two: stdioFixture('echo'), three: stdioFixture('hang', { startupTimeoutMs: 60_000 }) }));
    await waitFor(() => a.manager.state('one')?.kind === 'running' && a.manager.state('two')?.kind === 'running'
      && a.manager.connection('three')?.pid, 'servers up');
    const pids = ['one', 'two', 'three'].map((n) => a.manager.connection(n)!.pid!);
    // The same module instance the extension host loaded, so this is the real deactivate.
    const main = require(path.resolve(__dirname, '../../../dist/extension.js')) as { deactivate(): Promise<void> };
    const t0 = Date.now();
    await main.deactivate();
    const ms = Date.now() - t0;
    await waitFor(() => pids.every((p) => !isAlive(p)), 'every server process gone', 5000);
    assert.ok(ms < 5000, `deactivate took ${ms} ms`);
  });
});

function safeList(dir: string): string {
  try { return fs.readdirSync(dir).join(', '); } catch (e) { return String(e); }
}
