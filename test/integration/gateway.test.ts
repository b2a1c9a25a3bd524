// Copilot's path, in the real extension host: the gateway is published through
// registerMcpServerDefinitionProvider as one definition per configured server (labelled with its
// name, on its own endpoint), VS Code's own MCP client connects to each, the routed tools show up
// in vscode.lm.tools under each server's own prefix, and vscode.lm.invokeTool on one reaches the
// right backend through the router (schema guard, deny rules, audit). The gateway refuses strangers.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { denyRule } from '../../src/policy/rules';
import { resultText as textOf } from '../../src/vscode/toolResults';
import { EXTENSION_ID, gatewayId, startGateway, stdioFixture, waitFor, writeConfig, auditLines, toolsApi, type ToolsApi } from './helpers';


describe('the gateway Copilot calls through', function () {
  this.timeout(120_000);
  let a: ToolsApi;
  const lmTool = (suffix: string) => vscode.lm.tools.find((t) => t.name.endsWith(suffix));
  /** beta has `erase`, which says it is destructive. */
  const beta = () => stdioFixture('echo', { env: { FIXTURE_DESTRUCTIVE: '1' } });

  before(async () => {
    a = await toolsApi();
    await writeConfig(JSON.stringify({ servers: { alpha: stdioFixture('echo'), beta: beta() } }));
    await waitFor(() => a.manager.state('alpha')?.kind === 'running' && a.manager.state('beta')?.kind === 'running', 'alpha and beta running');
    // beta's tools may reach VS Code a moment after alpha's, in the next list_changed.
    await startGateway('alpha_echo', 'beta_echo', 'beta_erase');
  });
  after(async () => {
    for (const r of a.permissions.store.list()) await a.permissions.store.revoke(r.id);
    for (const server of ['alpha', 'beta', 'shifty']) await vscode.commands.executeCommand('workbench.mcp.stopServer', gatewayId(server));
  });

  it('publishes one definition per configured server, labelled with its name, on its own endpoint', async () => {
    const port = a.gateway.port;
    assert.deepStrictEqual(a.gateway.definitions().map((d) => [d.server, d.url]), [
      ['alpha', `http://127.0.0.1:${port}/mcp/alpha`], ['beta', `http://127.0.0.1:${port}/mcp/beta`],
    ]);
    // VS Code names a definition's tools after its label: each server's tools sit under its own.
    assert.ok(vscode.lm.tools.some((t) => t.name === 'mcp_alpha_alpha_echo'), vscode.lm.tools.map((t) => t.name).join(', '));
    assert.ok(vscode.lm.tools.some((t) => t.name === 'mcp_beta_beta_echo'));
    assert.ok(!vscode.lm.tools.some((t) => t.name.startsWith('mcp_mcp_switchboard')), 'no union server any more');
    assert.strictEqual(gatewayId('alpha'), `${EXTENSION_ID}/alpha`);
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

  it('a tool that may be destructive runs on no yes of VS Code\'s: Switchboard\'s dialog asks, naming it', async () => {
    // VS Code is told to show no card for it (its "Allow Tools from beta" would cover it unasked),
    // so the gateway's call meets our dialog; smoke-test mode refuses it, and the refusal names it.
    const erase = lmTool('beta_erase')!;
    const out = await vscode.lm.invokeTool(erase.name, { input: { item: 'everything' }, toolInvocationToken: undefined });
    assert.match(textOf(out), /not run: .*Run "erase" from MCP server "beta"\?/);
    const last = (await auditLines(a)).at(-1)!;
    // Smoke-test mode's refusal counts as the check failing (policy); what matters is that VS Code's yes did not decide.
    assert.deepStrictEqual([last.name, last.origin, last.outcome], ['beta_erase', 'gateway', 'denied']);
    assert.notStrictEqual(last.decidedBy, 'host');
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

  it('follows the config: a new server gets its own definition, a removed one loses it', async () => {
    await writeConfig(JSON.stringify({ servers: { alpha: stdioFixture('echo'), beta: beta(), gamma: stdioFixture('echo') } }));
    await waitFor(() => a.gateway.definitions().some((d) => d.server === 'gamma'), 'gamma\'s definition');
    const gamma = await startGateway('gamma_echo');
    assert.strictEqual(gamma.name, 'mcp_gamma_gamma_echo');
    // Regression: a definition change sent to VS Code while it was connected made it drop the
    // session, leaving a frozen tool list behind until some tool was invoked.
    assert.ok(a.gateway.listening('alpha'), 'VS Code listens on alpha\'s endpoint');
    await writeConfig(JSON.stringify({ servers: { alpha: stdioFixture('echo'), beta: beta() } }));
    await waitFor(() => !lmTool('gamma_echo'), 'gamma_echo gone from vscode.lm.tools', 15_000);
    assert.deepStrictEqual(a.gateway.definitions().map((d) => d.server), ['alpha', 'beta']);
    assert.ok(a.gateway.listening('alpha'), 'VS Code kept its alpha session while gamma went');
    assert.ok(lmTool('alpha_echo'), 'and alpha\'s tools');
  });

  it('a tool that changed since VS Code let it run is asked about by Switchboard, naming the change', async () => {
    await writeConfig(JSON.stringify({ servers: { alpha: stdioFixture('echo'), beta: beta(), shifty: stdioFixture('list-changed') } }));
    await waitFor(() => a.manager.state('shifty')?.kind === 'running', 'shifty running');
    const echo = await startGateway('shifty_echo');
    const first = await vscode.lm.invokeTool(echo.name, { input: { text: 'before the change' }, toolInvocationToken: undefined });
    assert.strictEqual(textOf(first), 'before the change');
    await a.manager.connection('shifty')!.client!.callTool({ name: 'describe_tool', arguments: { name: 'echo', description: 'Returns its text and mails a copy.' } });
    await waitFor(() => a.router.resolve('shifty_echo')?.tool.description?.includes('mails'), 'the new description listed');
    const after = await vscode.lm.invokeTool(echo.name, { input: { text: 'after the change' }, toolInvocationToken: undefined });
    // Smoke-test mode refuses the dialog, and its refusal names the prompt that was raised.
    assert.match(textOf(after), /not run: .*"echo" changed since you allowed it/);
    const last = (await auditLines(a)).at(-1)!;
    assert.deepStrictEqual([last.name, last.outcome], ['shifty_echo', 'denied']);
  });

  it('refuses requests without the token or from a foreign origin, and listens on loopback only', async () => {
    const g = a.gateway;
    assert.strictEqual(g.address?.address, '127.0.0.1');
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    for (const server of ['alpha', 'beta']) {
      assert.strictEqual((await fetch(g.urlFor(server), { method: 'POST', headers, body })).status, 401);
      const foreign = await fetch(g.urlFor(server), { method: 'POST', headers: { ...headers, ...g.headers, origin: 'http://evil.example' }, body });
      assert.strictEqual(foreign.status, 403);
    }
  });
});
