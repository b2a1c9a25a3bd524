// Patterns a server wrote, run on the extension host's thread: a backtracking engine takes
// exponential time on `^(a+)+$` and a string that almost matches. The guard must match them in
// linear time, in output schemas (the server's answer is the trigger) and in input schemas (the
// model's argument is), and report a pattern it cannot run safely rather than run it.
import assert from 'node:assert/strict';
import { managerBackend } from '../../src/router/backend';
import { ToolRouter } from '../../src/router/router';
import { SchemaGuard } from '../../src/router/schemaGuard';
import { fixtureServer, testManager } from '../connection/helpers';
import { hostileServer, survived, watchHost } from './harness';

describe('adversarial: regex backtracking in schemas', function () {
  this.timeout(60_000);
  const problems: string[] = [];
  const guard = new SchemaGuard();
  const { manager } = testManager(undefined, undefined, { jsonSchemaValidator: () => guard });
  const router = new ToolRouter(managerBackend(manager), { guard, onSchemaProblem: (s, t, m) => problems.push(`${s}/${t}: ${m}`) });
  const almost = 'a'.repeat(30) + '!';

  before(async () => {
    await manager.reconcile([hostileServer('regex', 'regex'), fixtureServer('echo', 'echo')]);
    for (const s of ['regex', 'echo']) assert.equal(manager.state(s)?.kind, 'running', s);
    // The first schema and the first pattern compiled load and warm up Ajv and the regex engine
    // (tens of ms, once per window); the attacks are measured on a host already in use.
    assert.ok(guard.check({ type: 'object', properties: { w: { type: 'string', pattern: '^[a-z]+$' } } }, { w: 'warm' }).ok);
  });
  after(async () => {
    router.dispose();
    await manager.stopAll(500);
    manager.dispose();
  });

  async function echoAnswers(): Promise<void> {
    const out = await router.call('echo_echo', { text: 'still here' }, { origin: 'cli' });
    assert.equal(out.kind, 'ok', 'the well-behaved server answers');
  }

  it('regex backtracking in an output schema', async () => {
    const w = watchHost();
    const [out] = await Promise.all([router.call('regex_shout', {}, { origin: 'cli' }), echoAnswers()]);
    const figures = w.stop();
    assert.equal(out.kind, 'failed');
    assert.match((out as { message: string }).message, /regex_shout returned structured content that does not match its output schema: value "word" must match pattern/);
    await echoAnswers();
    survived({
      attack: 'regex backtracking in an output schema',
      outcome: 'The pattern is matched in linear time: the call fails at once as not matching its output schema; other servers keep answering.',
      figures, bounds: { rssGrowthMb: 50 },
    });
  });

  it('regex in an input schema', async () => {
    const w = watchHost();
    const [out] = await Promise.all([router.call('regex_lookup', { key: almost }, { origin: 'cli' }), echoAnswers()]);
    const figures = w.stop();
    assert.equal(out.kind, 'invalidArguments');
    assert.match((out as { message: string }).message, /argument "key" must match pattern/);
    assert.equal((await router.call('regex_lookup', { key: 'aaaa' }, { origin: 'cli' })).kind, 'ok', 'a matching key goes through');
    survived({
      attack: 'regex in an input schema',
      outcome: 'The pattern is matched in linear time: the argument is refused at once; other servers keep answering.',
      figures, bounds: { rssGrowthMb: 50 },
    });
  });

  it('reports a pattern the linear engine cannot run, once, and still checks the rest of the schema', async () => {
    const missing = await router.call('regex_strict', {}, { origin: 'cli' });
    assert.equal(missing.kind, 'invalidArguments', 'required is still checked');
    assert.match((missing as { message: string }).message, /missing required argument "pair"/);
    const ok = await router.call('regex_strict', { pair: 'ab', ahead: 'y' }, { origin: 'cli' });
    assert.equal(ok.kind, 'ok', 'the unsupported patterns are left out, not run');
    assert.equal((await router.call('regex_strict', { pair: 7 }, { origin: 'cli' })).kind, 'invalidArguments', 'types are still checked');
    const reports = problems.filter((p) => p.startsWith('regex/strict'));
    assert.equal(reports.length, 1, `one report: ${JSON.stringify(problems)}`);
    assert.match(reports[0], /^regex\/strict: its input schema: pattern "\^\(\.\)\\\\1\$" cannot be matched in linear time .*; pattern "\^\(\?=x\)x\+\$" .*: checked without them$/);
  });

  it('does the same for an output schema', async () => {
    for (let i = 0; i < 2; i++) assert.equal((await router.call('regex_pairs', {}, { origin: 'cli' })).kind, 'ok');
    assert.deepEqual(problems.filter((p) => p.startsWith('regex/pairs')).map((p) => p.replace(/ \(.*\)/, '')),
      ['regex/pairs: its output schema: pattern "^(.)\\\\1$" cannot be matched in linear time: checked without it']);
  });
});
