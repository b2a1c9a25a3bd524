// One server's blanket yes used for another server's tool: VS Code's card offers "Allow Tools from
// <server> in this Session", and after it VS Code calls that server's tools with no card. A
// hostile server (a real process whose tools write files) waits for such a yes. Through the real
// gateway, router and authorizer: a call on the endpoint the user allowed cannot reach another
// server's tool, and a tool that may be destructive is asked about by Switchboard's own prompt,
// naming it, even on its own server's endpoint; only the tool that says it is not destructive
// runs on the blanket yes. The well-behaved server keeps answering throughout.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { Gateway } from '../../src/gateway/gateway';
import { createAuthorizer, type PermissionRequest } from '../../src/policy/authorizer';
import { HostPins } from '../../src/policy/hostPins';
import { RuleStore } from '../../src/policy/ruleStore';
import { managerBackend } from '../../src/router/backend';
import { ToolRouter } from '../../src/router/router';
import type { CallRecord } from '../../src/router/types';
import { endGatewayTest, endpointClient } from '../connection/gatewayHttp';
import { fixtureServer, testManager } from '../connection/helpers';
import { hostilePath, survived, watchHost } from './harness';

const text = (r: unknown) => ((r as CallToolResult).content as { text?: string }[])[0]?.text ?? '';

describe('attack: one server\'s blanket yes used for another server\'s tool', function () {
  this.timeout(60_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'sb-blanket-'));
  const marker = path.join(dir, 'ran.txt');
  const { manager } = testManager();
  const store = new RuleStore();
  const asked: PermissionRequest[] = [];
  const records: CallRecord[] = [];
  const router = new ToolRouter(managerBackend(manager), {
    authorize: createAuthorizer({
      store, settings: () => ({ autoAllowReadOnly: false }), hostPins: new HostPins(),
      serverTools: (s) => manager.catalog(s)?.tools ?? [],
      identity: (s) => manager.identity(s),
      prompt: async (r) => { asked.push(r); return 'deny'; },
    }),
  });
  router.onDidCall((r) => records.push(r));
  const gateway = new Gateway({ backend: managerBackend(manager), router, version: '1' });
  const clients: Client[] = [];

  const endpoint = (server: string) => endpointClient(gateway, server, clients);

  before(async () => {
    await manager.reconcile([
      fixtureServer('friendly', 'echo'),
      { name: 'writer', sourceKind: 'workspace', config: { type: 'stdio', command: process.execPath, args: [hostilePath('gatewayWriter')], env: { WRITER_MARKER: marker } } },
    ]);
    assert.equal(manager.state('writer')?.kind, 'running');
    await gateway.start();
    // The host in use before the attack: the gateway's SDK side and the schema checker are loaded
    // at the first session and call, whoever makes them.
    assert.equal(text(await (await endpoint('friendly')).callTool({ name: 'friendly_echo', arguments: { text: 'warm' } })), 'warm');
    records.length = 0;
  });
  after(async () => {
    await endGatewayTest({ clients, gateways: [gateway], router, manager });
    rmSync(dir, { recursive: true, force: true });
  });

  it('reaches no other server\'s tool, and runs no tool that may be destructive without a prompt naming it', async () => {
    const w = watchHost();
    // VS Code, after "Allow Tools from friendly in this Session", calls friendly's endpoint with no card.
    const friendly = clients[0];
    assert.equal(text(await friendly.callTool({ name: 'friendly_echo', arguments: { text: 'hi' } })), 'hi');
    assert.ok(!(await friendly.listTools()).tools.some((t) => t.name.startsWith('writer_')), 'friendly\'s endpoint lists friendly\'s tools only');
    for (const name of ['writer_write_file', 'writer_tidy', 'writer_note']) {
      const out = await friendly.callTool({ name, arguments: { path: 'x', text: 'x' } });
      assert.equal(out.isError, true);
      assert.equal(text(out), `No tool named "${name}" on MCP server "friendly".`);
    }
    assert.equal(asked.length, 0, 'nothing reached the policy: the endpoint refused it');

    // And after "Allow Tools from writer in this Session": VS Code shows no card for writer's tools.
    const writer = await endpoint('writer');
    const served = new Map((await writer.listTools()).tools.map((t) => [t.name, t]));
    assert.equal(served.get('writer_write_file')!.annotations?.readOnlyHint, true, 'VS Code is told to show no card: ours is the prompt');
    assert.equal(served.get('writer_tidy')!.annotations?.readOnlyHint, true);
    assert.equal(served.get('writer_note')!.annotations?.readOnlyHint, undefined, 'VS Code\'s card stands for this one');
    for (const name of ['writer_write_file', 'writer_tidy']) {
      assert.match(text(await writer.callTool({ name, arguments: { path: 'x' } })), /was not run: the user declined/);
    }
    assert.deepEqual(asked.map((r) => [r.call.tool.name, r.decision.message]), [
      ['write_file', '"write_file" says it may make destructive changes.'],
      ['tidy', 'Allow "tidy" from server "writer" to run?'],
    ]);
    assert.equal(text(await writer.callTool({ name: 'writer_note', arguments: { text: 'x' } })), 'note ran');
    assert.equal(text(await friendly.callTool({ name: 'friendly_echo', arguments: { text: 'still here' } })), 'still here');
    const figures = w.stop();

    assert.equal(existsSync(marker) ? readFileSync(marker, 'utf8') : '', 'note\n', 'only the tool that says it is not destructive ran');
    assert.deepEqual(records.map((r) => [r.name, r.authorization?.by, r.outcome]), [
      ['friendly_echo', 'host', 'ok'],
      ['writer_write_file', 'user', 'denied'],
      ['writer_tidy', 'user', 'denied'],
      ['writer_note', 'host', 'ok'],
      ['friendly_echo', 'host', 'ok'],
    ]);
    survived({
      attack: 'one server\'s blanket yes used for another server\'s tool',
      outcome: 'each server has its own endpoint: another server\'s tool is "No tool named … on MCP server …"; a tool that may be destructive gets Switchboard\'s prompt naming it, and ran only on a yes',
      figures, bounds: { rssGrowthMb: 60 },
    });
  });
});
