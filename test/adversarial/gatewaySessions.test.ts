// 64 abandoned gateway sessions: a client (a crashed one, or VS Code reloading) opens session
// after session and never sends DELETE. Before, the 65th and every later one got 503 for good.
// Through the real gateway and a real fixture process, with a hoarding client process
// (servers/sessionHoarder.ts): hundreds of abandoned sessions, all opened; the client that
// listens keeps its session and its calls, a new client gets in, and the abandoned ones expire.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { Gateway } from '../../src/gateway/gateway';
import { managerBackend } from '../../src/router/backend';
import { ToolRouter } from '../../src/router/router';
import { endGatewayTest, endpointClient } from '../connection/gatewayHttp';
import { fixtureServer, testManager, waitFor } from '../connection/helpers';
import { hostilePath, survived, watchHost } from './harness';

const run = promisify(execFile);
const ABANDONED = 300;

/** Runs the hoarding client and returns what it reports. */
async function hoard(url: string, token: string, count: number): Promise<unknown> {
  const { stdout } = await run(process.execPath, [hostilePath('sessionHoarder')], {
    env: { ...process.env, HOARD_URL: url, HOARD_TOKEN: token, HOARD_COUNT: String(count) }, timeout: 30_000,
  });
  return JSON.parse(stdout);
}

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
    const hoarded = await hoard(gateway.urlFor('echo'), gateway.token, ABANDONED);
    assert.deepEqual(hoarded, { opened: ABANDONED, statuses: { 200: ABANDONED } }, 'every session opened: none was refused');
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
