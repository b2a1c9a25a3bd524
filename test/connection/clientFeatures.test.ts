// What servers ask of the client, against a real fixture process (FIXTURE_CLIENT_FEATURES=1):
// capabilities are declared only for what the host answers; elicitation answers reach the server
// with the schema's defaults filled in (SEP-1034); sampling, roots (and roots/list_changed) and
// log messages go through the host's handlers with the server's name.
import assert from 'node:assert/strict';
import type { CreateMessageResult, ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import type { ClientFeatures, ElicitParams, LogMessage, SamplingParams } from '../../src/client/clientFeatures';
import { Emitter } from '../../src/common/lifecycle';
import { fixtureServer, testManager, waitFor, resultTexts } from './helpers';


describe('client features: sampling, elicitation, roots, logging (real fixture process)', function () {
  this.timeout(30_000);
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => { for (const s of stops.splice(0)) await s(); });

  function start(features?: ClientFeatures) {
    const { manager, logs } = testManager(undefined, undefined, { features });
    stops.push(async () => { await manager.stopAll(1000); manager.dispose(); });
    return { manager, logs, desired: fixtureServer('asker', 'echo', { env: { FIXTURE_CLIENT_FEATURES: '1' } }) };
  }

  it('answers each request through the host, with the server named', async () => {
    const seen: string[] = [];
    const rootsChanged = new Emitter<void>();
    const features: ClientFeatures = {
      elicitUrl: true,
      async elicit(server: string, params: ElicitParams): Promise<ElicitResult> {
        seen.push(`elicit ${server} ${params.mode ?? 'form'}`);
        // The user typed only the age; everything with a default is left as offered.
        return params.mode === 'url' ? { action: 'decline' } : { action: 'accept', content: { age: 36 } };
      },
      async sample(server: string, params: SamplingParams): Promise<CreateMessageResult> {
        seen.push(`sample ${server} ${params.messages.length}`);
        return { role: 'assistant', model: 'stand-in', content: { type: 'text', text: 'forty-two' } };
      },
      roots: { list: () => [{ uri: 'file:///work/project', name: 'project' }], onDidChange: rootsChanged.event },
      log(server: string, m: LogMessage) { seen.push(`log ${server} ${m.level} ${String(m.data)}`); },
    };
    const { manager, logs, desired } = start(features);
    await manager.reconcile([desired]);
    const client = manager.connection('asker')!.client!;

    const form = JSON.parse(resultTexts(await client.callTool({ name: 'ask_user', arguments: {} }))[0]) as ElicitResult;
    assert.deepEqual(form, { action: 'accept', content: { age: 36, name: 'Ada', subscribe: false, colour: 'g' } }, 'defaults applied by the client');
    assert.deepEqual(resultTexts(await client.callTool({ name: 'ask_url', arguments: {} })), ['decline']);
    assert.deepEqual(resultTexts(await client.callTool({ name: 'sample', arguments: { prompt: 'the answer?' } })), ['forty-two']);
    assert.deepEqual(resultTexts(await client.callTool({ name: 'list_roots', arguments: {} })), ['file:///work/project']);
    await client.callTool({ name: 'log_all', arguments: {} });
    await waitFor(() => seen.some((l) => l.startsWith('log asker error')), 5000, 'the error-level message');
    rootsChanged.fire();
    await waitFor(() => logs.get('asker')!.lines.some((l) => l.includes('roots list changed')), 5000, 'the server to hear roots/list_changed');

    assert.deepEqual(seen.filter((l) => !l.startsWith('log')), ['elicit asker form', 'elicit asker url', 'sample asker 1']);
    assert.deepEqual(seen.filter((l) => l.startsWith('log')).map((l) => l.split(' ')[2]), ['debug', 'info', 'notice', 'warning', 'error']);
    const caps = manager.connection('asker')!.client!.getServerCapabilities();
    assert.ok(caps?.logging, 'the fixture declares logging');
  });

  it('declares nothing the host does not answer: the server is told the client cannot sample or elicit', async () => {
    const { manager, desired } = start();
    await manager.reconcile([desired]);
    const client = manager.connection('asker')!.client!;
    const sample = await client.callTool({ name: 'sample', arguments: { prompt: 'x' } });
    assert.equal(sample.isError, true);
    // The SDK server may check the client's capabilities itself; else our client has no such method.
    assert.match(resultTexts(sample)[0], /does not support sampling|Method not found/);
    const ask = await client.callTool({ name: 'ask_user', arguments: {} });
    assert.equal(ask.isError, true);
    assert.match(resultTexts(ask)[0], /does not support (form )?elicitation|Method not found/i);
  });
});
