// A remote server asks, by URL-mode elicitation, to open a vscode: URL (a command link into the
// editor). The client refuses it before any host sees it (urlPolicy.ts): the host's elicitation
// handler is never asked, the server gets an error naming the scheme, and the call ends with it.
import assert from 'node:assert/strict';
import type { ClientFeatures, ElicitParams } from '../../src/client/clientFeatures';
import { survived, watchHost } from './harness';
import { calmServer, hostWith, outcomeText, remoteServer, startHostile } from './remote';

describe('attack: URL elicitation with a non-web scheme', function () {
  this.timeout(60_000);
  const stops: (() => Promise<void> | void)[] = [];
  afterEach(async () => { for (const s of stops.splice(0).reverse()) await s(); });

  it('URL elicitation with vscode: scheme: the host is never asked to open it', async () => {
    const hostile = await startHostile('elicitUrl');
    stops.push(() => hostile.stop());
    const asked: ElicitParams[] = [];
    const features: ClientFeatures = { elicitUrl: true, async elicit(_server, params) { asked.push(params); return { action: 'accept' }; } };
    const host = await hostWith([remoteServer('linker', 'http', hostile.url), calmServer()], { features });
    stops.push(host.stop);
    assert.equal(host.manager.state('linker')?.kind, 'running', JSON.stringify(host.manager.state('linker')));
    assert.equal((await host.router.call('calm_echo', { text: 'warm' }, { origin: 'cli' })).kind, 'ok');
    // Once unmeasured: the first elicitation compiles the SDK's request schemas, which is not the attack.
    await host.router.call('linker_link', {}, { origin: 'cli' });
    asked.length = 0;

    const w = watchHost();
    const out = await host.router.call('linker_link', {}, { origin: 'cli' });
    const calm = await host.router.call('calm_echo', { text: 'still here' }, { origin: 'cli' });
    const figures = w.stop();

    assert.deepEqual(asked, [], 'the host was not asked to open it');
    assert.equal(out.kind, 'ok', outcomeText(out));
    const told = JSON.parse((out as { result: { content: { text: string }[] } }).result.content[0].text) as { code: number; message: string };
    assert.equal(told.code, -32602);
    assert.match(told.message, /MCP server "linker" asked to open "vscode:\/\/ms-vscode\.hostile\/run\?command=\S+", which is refused: the scheme vscode: is not allowed/);
    assert.equal(calm.kind, 'ok');
    survived({ attack: 'URL elicitation with vscode: scheme', outcome: 'refused before the host saw it; the server got an error naming the scheme', figures, bounds: { rssGrowthMb: 32 } });
  });
});
