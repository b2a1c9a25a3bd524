// 64 abandoned gateway sessions: a client (a crashed one, or VS Code reloading) opens session
// after session and never sends DELETE. Before, the 65th and every later one got 503 for good.
// Through the real gateway and a real fixture process: hundreds of abandoned sessions, and the
// client that listens keeps its session and its calls, a new client gets in, and the abandoned
// ones expire.
import assert from 'node:assert/strict';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { Gateway } from '../../src/gateway/gateway';
import { managerBackend } from '../../src/router/backend';
import { ToolRouter } from '../../src/router/router';
import { endGatewayTest, endpointClient, openSession } from '../connection/gatewayHttp';
import { fixtureServer, testManager, waitFor } from '../connection/helpers';
import { survived, watchHost } from './harness';

const ABANDONED = 300;

describe('attack: 64 abandoned gateway sessions', function () {
  this.timeout(60_000);
  const { manager } = testManager();
  const router = new ToolRouter(managerBackend(manager), { authorize: async () => ({ allowed: true, by: 'host' }) });
  const gateway = new Gateway({ backend: managerBackend(manager), router, version: '1', sessionIdleMs: 1500 });
  const clients: Client[] = [];

  const listening = () => endpointClient(gateway, 'echo', clients);

  before(async () => {
    await manager.reconcile([fixtureServer('echo', 'echo')]);
    await gateway.start();
  });
  after(() => endGatewayTest({ clients, gateways: [gateway], router, manager }));

  it('every new session opens, the listening client keeps working, and the abandoned ones expire', async () => {
    const vscode = await listening();
    await waitFor(() => gateway.listening('echo'), 5000, 'the client to listen');
    const w = watchHost();
    for (let i = 0; i < ABANDONED; i++) await openSession(gateway, 'echo');
    assert.ok(gateway.sessionCount <= 64, `${gateway.sessionCount} sessions open`);
    const echoed = await vscode.callTool({ name: 'echo_echo', arguments: { text: 'still connected' } }) as CallToolResult;
    assert.deepEqual(echoed.content, [{ type: 'text', text: 'still connected' }]);
    const late = await listening();
    assert.ok((await late.listTools()).tools.some((t) => t.name === 'echo_echo'), 'a new client gets in');
    await waitFor(() => gateway.sessionCount === 2, 10_000, 'the abandoned sessions to expire');
    const figures = w.stop();
    assert.ok((await vscode.listTools()).tools.length > 0, 'the quiet, listening client kept its session');
    survived({
      attack: '64 abandoned gateway sessions',
      outcome: `${ABANDONED} sessions opened and never closed: each opened (the least recently used made room), the listening client kept working, and the abandoned ones expired when idle`,
      figures, bounds: { rssGrowthMb: 80 },
    });
  });
});
