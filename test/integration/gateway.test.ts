// Copilot's path, in the real extension host: the gateway is published through
// registerMcpServerDefinitionProvider, VS Code's own MCP client connects to it, the routed tools
// show up in vscode.lm.tools, and vscode.lm.invokeTool on one reaches the right backend through
// the router (schema guard, deny rules, audit). The gateway refuses strangers.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { denyRule } from '../../src/policy/rules';
import { resultText as textOf } from '../../src/vscode/toolResults';
import { GATEWAY_DEFINITION_ID, startGateway, stdioFixture, waitFor, writeConfig, auditLines, toolsApi, type ToolsApi } from './helpers';


describe('the gateway Copilot calls through', function () {
  this.timeout(120_000);
  let a: ToolsApi;
  const lmTool = (suffix: string) => vscode.lm.tools.find((t) => t.name.endsWith(suffix));

  before(async () => {
    a = await toolsApi();
    await writeConfig(JSON.stringify({ servers: { alpha: stdioFixture('echo'), beta: stdioFixture('echo') } }));
    await waitFor(() => a.manager.state('alpha')?.kind === 'running' && a.manager.state('beta')?.kind === 'running', 'alpha and beta running');
    // beta's tools may reach VS Code a moment after alpha's, in the next list_changed.
    await startGateway('alpha_echo', 'beta_echo');
  });
  after(async () => {
    for (const r of a.permissions.store.list()) await a.permissions.store.revoke(r.id);
    await vscode.commands.executeCommand('workbench.mcp.stopServer', GATEWAY_DEFINITION_ID);
  });

  it('lists every routed tool in vscode.lm.tools with its real schema', async () => {
    const echo = lmTool('alpha_echo')!;
    assert.ok(lmTool('beta_echo'), 'beta_echo is there too');
    const served = a.manager.catalog('alpha')!.tools.find((t) => t.name === 'echo')!;
    assert.deepStrictEqual((echo.inputSchema as { properties?: unknown }).properties, served.inputSchema.properties);
    assert.strictEqual(echo.description, served.description);
  });

  it('invokeTool reaches the right backend through the router, settled by VS Code\'s confirmation', async () => {
    const name = lmTool('beta_echo')!.name;
    const result = await vscode.lm.invokeTool(name, { input: { text: 'hello from copilot' }, toolInvocationToken: undefined });
    assert.strictEqual(textOf(result), 'hello from copilot');
    const last = (await auditLines(a)).at(-1)!;
    assert.deepStrictEqual([last.name, last.server, last.origin, last.decidedBy, last.outcome], ['beta_echo', 'beta', 'gateway', 'host', 'ok']);
  });

  it('a deny rule refuses a gateway call, and invalid arguments never reach the server', async () => {
    await a.permissions.store.upsert(denyRule({ server: 'alpha', tool: 'echo' }, 'session'));
    const denied = await vscode.lm.invokeTool(lmTool('alpha_echo')!.name, { input: { text: 'nope' }, toolInvocationToken: undefined });
    assert.match(textOf(denied), /not run: Denied by your rule/);
    const bad = await vscode.lm.invokeTool(lmTool('beta_add')!.name, { input: { a: 1, b: 'two' }, toolInvocationToken: undefined });
    assert.match(textOf(bad), /argument "b" must be number/);
    const outcomes = (await auditLines(a)).slice(-2).map((l) => l.outcome);
    assert.deepStrictEqual(outcomes, ['denied', 'invalidArguments']);
  });

  it('follows the catalog: a new server\'s tools appear without a restart', async () => {
    await writeConfig(JSON.stringify({ servers: { alpha: stdioFixture('echo'), beta: stdioFixture('echo'), gamma: stdioFixture('echo') } }));
    await waitFor(() => lmTool('gamma_echo'), 'gamma_echo in vscode.lm.tools', 30_000);
  });

  it('stays connected while servers come and go, VS Code\'s tool list following them', async () => {
    // Regression: a definition change sent to VS Code while it was connected made it drop the
    // session, leaving a frozen tool list behind until some tool was invoked.
    assert.ok(a.gateway.sessionCount >= 1, 'VS Code is connected');
    await writeConfig(JSON.stringify({ servers: { alpha: stdioFixture('echo'), beta: stdioFixture('echo') } }));
    await waitFor(() => !lmTool('gamma_echo'), 'gamma_echo gone from vscode.lm.tools', 15_000);
    assert.ok(a.gateway.sessionCount >= 1, 'VS Code kept its session');
  });

  it('a tool that changed since VS Code let it run is asked about by Switchboard, naming the change', async () => {
    await writeConfig(JSON.stringify({ servers: { alpha: stdioFixture('echo'), beta: stdioFixture('echo'), shifty: stdioFixture('list-changed') } }));
    const echo = await waitFor(() => lmTool('shifty_echo'), 'shifty_echo in vscode.lm.tools', 15_000);
    const first = await vscode.lm.invokeTool(echo.name, { input: { text: 'before the change' }, toolInvocationToken: undefined });
    assert.strictEqual(textOf(first), 'before the change');
    await a.manager.connection('shifty')!.client!.callTool({ name: 'describe_tool', arguments: { name: 'echo', description: 'Returns its text and mails a copy.' } });
    await waitFor(() => a.router.resolve('shifty_echo')?.tool.description?.includes('mails'), 'the new description listed');
    const after = await vscode.lm.invokeTool(echo.name, { input: { text: 'after the change' }, toolInvocationToken: undefined });
    // Smoke-test mode refuses the dialog, and its refusal names the prompt that was raised.
    assert.match(textOf(after), /not run: .*"echo" changed since VS Code's approval last let it run/);
    const last = (await auditLines(a)).at(-1)!;
    assert.deepStrictEqual([last.name, last.outcome], ['shifty_echo', 'denied']);
  });

  it('refuses requests without the token or from a foreign origin, and listens on loopback only', async () => {
    const g = a.gateway;
    assert.strictEqual(g.address?.address, '127.0.0.1');
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    assert.strictEqual((await fetch(g.url, { method: 'POST', headers, body })).status, 401);
    const foreign = await fetch(g.url, { method: 'POST', headers: { ...headers, ...g.headers, origin: 'http://evil.example' }, body });
    assert.strictEqual(foreign.status, 403);
  });
});
