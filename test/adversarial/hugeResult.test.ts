// Results built to exhaust the host that reads them: 10^6 content blocks on one line, and
// structured content nested far deeper than any recursive walk survives (JSON has no references,
// so a "billion laughs" is a deep or wide structure in plain text). Each must end in one clear
// error for that call, with the host responsive, memory bounded, the same server's next call and
// the other servers unharmed.
import assert from 'node:assert/strict';
import type { ToolCallOutcome } from '../../src/router/types';
import { fixtureServer } from '../connection/helpers';
import { hostileServer, survived, watchHost } from './harness';
import { adversarialHost } from './host';

const message = (o: ToolCallOutcome) => (o as { message?: string }).message ?? '';

describe('adversarial: huge and nested results', function () {
  this.timeout(60_000);
  const host = adversarialHost();
  const { manager, logs, router } = host;

  before(() => host.start([hostileServer('huge', 'huge-result'), fixtureServer('echo', 'echo')], { server: 'huge', name: 'huge_small', arguments: {} }));
  after(() => host.dispose());

  async function othersAnswer(): Promise<void> {
    assert.equal((await router.call('echo_echo', { text: 'still here' }, { origin: 'cli' })).kind, 'ok', 'the other server answers');
    assert.equal((await router.call('huge_small', {}, { origin: 'cli' })).kind, 'ok', 'the same connection takes the next call');
  }

  it('result with 10^6 content blocks', async () => {
    const w = watchHost();
    const [out] = await Promise.all([router.call('huge_flood', {}, { origin: 'cli' }), othersAnswer()]);
    const figures = w.stop();
    assert.equal(out.kind, 'failed');
    assert.match(message(out), /^huge_flood failed: .*the server's answer was refused: it has more than [\d,]+ values/);
    await othersAnswer();
    assert.equal(manager.state('huge')?.kind, 'running');
    assert.ok(logs.get('huge')!.lines.some((l) => /^warn .*refused .*more than [\d,]+ values/.test(l)), 'the server\'s log says why');
    survived({
      attack: 'result with 10^6 content blocks',
      outcome: 'The answer is counted as it streams in and refused before it is parsed: the call fails with a clear error, the connection and the other servers keep working.',
      figures, bounds: { rssGrowthMb: 60 },
    });
  });

  it('nested result (billion laughs)', async () => {
    const w = watchHost();
    const [deepest, deep, viaGateway] = await Promise.all([
      router.call('huge_laughs', {}, { origin: 'cli' }),
      router.call('huge_giggles', {}, { origin: 'cli' }),
      host.client('huge').callTool({ name: 'huge_giggles', arguments: {} }),
      othersAnswer(),
    ]);
    const figures = w.stop();
    assert.equal(deepest.kind, 'failed');
    assert.match(message(deepest), /^huge_laughs failed: .*the server's answer was refused: it is nested deeper than [\d,]+ levels/);
    assert.equal(deep.kind, 'failed');
    assert.match(message(deep), /^huge_giggles returned a result the host does not accept: its structured content is nested deeper than \d+ levels/);
    assert.equal(viaGateway.isError, true, 'the gateway answers with the error, not the result');
    assert.match(JSON.stringify(viaGateway.content), /nested deeper than \d+ levels/);
    await othersAnswer();
    survived({
      attack: 'nested result (billion laughs)',
      outcome: 'Nesting beyond the message bound is refused before it is parsed; nesting beyond what a result may hold fails that call with a clear error; the gateway passes the error on, not the result.',
      figures, bounds: { rssGrowthMb: 60 },
    });
  });
});
