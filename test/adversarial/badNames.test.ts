// Attack: names and text that are not plain strings (NUL, lone surrogates, control and bidi
// characters, a hundred thousand characters). Each bad item is rejected alone with a line in the
// server's log; text is cleaned and shortened; the server's good tools and the other servers keep working.
import assert from 'node:assert/strict';
import { MAX_DESCRIPTION_LENGTH, MAX_INSTRUCTIONS_LENGTH } from '../../src/client/catalogCheck';
import { GatewayCatalog } from '../../src/gateway/catalog';
import { managerBackend } from '../../src/router/backend';
import { fixtureServer, waitFor } from '../connection/helpers';
import { hostileServer, survived, watchHost } from './harness';
import { attackRig } from './rig';

describe('adversarial: NUL and lone surrogates in names', function () {
  this.timeout(30_000);
  const { manager, logs, call, warmUp } = attackRig();

  it('rejects each bad name alone, cleans the text, and keeps serving the rest', async () => {
    await manager.reconcile([hostileServer('bad', 'bad-strings'), fixtureServer('good', 'echo')]);
    const catalog = manager.catalog('bad')!;
    assert.deepEqual(catalog.serverInfo, { name: 'evilserver', version: '1\uFFFD' });
    assert.equal(catalog.instructions!.length, MAX_INSTRUCTIONS_LENGTH - 1, 'shortened, and the override taken out');
    assert.deepEqual(catalog.resources.map((r) => r.name), ['ok']);
    assert.deepEqual(catalog.prompts.map((p) => p.name), ['ok']);

    await warmUp();
    assert.equal((await call('bad_fine')).kind, 'ok');
    const w = watchHost();
    const turned = await call('bad_turn'); assert.equal(turned.kind, 'ok', JSON.stringify(turned));
    await waitFor(() => manager.catalog('bad')!.tools.some((t) => t.name === 'long_desc'), 10_000, 'the hostile list');
    const served = new GatewayCatalog(managerBackend(manager)).tools('bad');
    const fine = await call('bad_fine');
    const echo = await call('good_echo', { text: 'still here' });
    const figures = w.stop();

    assert.deepEqual(served.map((t) => t.name), ['bad_fine', 'bad_long_desc']);
    const long = manager.catalog('bad')!.tools.find((t) => t.name === 'long_desc')!;
    assert.ok(long.description!.length <= MAX_DESCRIPTION_LENGTH && long.description!.startsWith('Harmless.spoof') && long.description!.endsWith('…'));
    assert.ok(!/[\u0000-\u0009\u000B-\u001F\u202A-\u202E\u2066-\u2069]/.test(long.description!), 'no control or bidi characters left');
    assert.equal(fine.kind, 'ok');
    assert.equal(echo.kind, 'ok');
    const errors = logs.get('bad')!.lines.filter((l) => l.startsWith('error'));
    assert.deepEqual(errors, [
      'error resource "nul" rejected: its URI contains a NUL character',
      'error resource "x\\udbff" rejected: its name contains a lone surrogate (not valid Unicode)',
      'error prompt "p\\u0000" rejected: its name contains a NUL character',
      'error tool "a\\u0000b" rejected: its name contains a NUL character',
      'error tool "x\\ud800" rejected: its name contains a lone surrogate (not valid Unicode)',
      `error tool "${'n'.repeat(60)}…" rejected: its name is 100000 characters long (at most 128)`,
      'error tool "safe\\u202eexe.tool" rejected: its name contains a bidirectional-text override',
      'error tool "twice" rejected: it is listed 2 times, so which one a call would run is unclear',
    ]);
    assert.ok(logs.get('bad')!.lines.includes(`warn 1 tool description(s) or title(s) shortened to ${MAX_DESCRIPTION_LENGTH} (titles 256) characters`));
    assert.ok(errors.every((l) => l.length < 200), 'no log line carries the server\'s huge strings');
    assert.deepEqual(logs.get('good')!.lines.filter((l) => l.startsWith('error')), []);
    survived({
      attack: 'NUL and lone surrogates in names',
      outcome: 'Each tool, resource and prompt with a bad name was rejected alone with a line in the server\'s log; long text was shortened and cleaned; the rest kept working.',
      figures, bounds: { rssGrowthMb: 32 },
    });
  });
});
