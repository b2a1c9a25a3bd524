// A remote server that wants OAuth turns the client's discovery against it: its 401 names
// metadata on another port of this machine, its metadata documents are 150 MB long, or its
// authorization endpoint is a file: URL. The OAuth flow fetches only on the server's origin or
// its authorization server's (oauthFetch.ts), reads each answer within a cap and a deadline, and
// opens only web pages (urlPolicy.ts). Each attack ends the start at once with one clear error;
// the host neither stalls nor grows, and a well-behaved server beside it keeps answering.
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ManagerOptions } from '../../src/client/manager';
import { OAuthSession } from '../../src/client/auth/oauthSession';
import { ServerOAuthProvider } from '../../src/client/auth/oauthProvider';
import { MemorySecretStore, type AuthorizationAgent } from '../../src/client/auth/types';
import { survived, watchHost } from './harness';
import { calmServer, hostWith, remoteServer, startHostile } from './remote';

describe('attack: OAuth discovery turned against the client', function () {
  this.timeout(60_000);
  const stops: (() => Promise<void> | void)[] = [];
  afterEach(async () => { for (const s of stops.splice(0).reverse()) await s(); });

  /** The URLs the "browser" was asked to open. */
  const opened: string[] = [];
  const browser: AuthorizationAgent = { async open(url) { opened.push(url.href); } };
  beforeEach(() => { opened.length = 0; });

  /** A host running the calm server, warmed up; `attack` then adds the hostile one and measures. */
  async function attack(mode: string, args: string[] = [], measured = true) {
    const hostile = await startHostile('discovery', [mode, ...args]);
    stops.push(() => hostile.stop());
    const oauth: ManagerOptions['oauth'] = (def) => def.config.type === 'stdio'
      ? undefined
      : new OAuthSession(def.name, new ServerOAuthProvider(def.config.url, {}, new MemorySecretStore()), { agent: browser, signInTimeoutMs: 2000 });
    const host = await hostWith([calmServer()], { oauth });
    stops.push(host.stop);
    assert.equal((await host.router.call('calm_echo', { text: 'warm' }, { origin: 'cli' })).kind, 'ok');
    const w = watchHost();
    const started = Date.now();
    const starting = host.manager.reconcile([calmServer(), remoteServer('secured', 'http', hostile.url)]);
    const calm = await host.router.call('calm_echo', { text: 'still here' }, { origin: 'cli' });
    await starting;
    const elapsed = Date.now() - started;
    const figures = w.stop();
    if (!measured) return undefined;
    assert.equal(calm.kind, 'ok');
    assert.equal((await host.router.call('calm_echo', { text: 'after' }, { origin: 'cli' })).kind, 'ok');
    const state = host.manager.state('secured');
    assert.equal(state?.kind, 'error', JSON.stringify(state));
    return { message: (state as { message: string }).message, elapsed, figures, hostile };
  }

  // Once unmeasured: the first sign-in compiles the SDK's OAuth schemas, which is not the attack.
  before(async () => {
    await attack('file', [], false);
    for (const s of stops.splice(0).reverse()) await s();
  });

  it('discovery to another port: the 401 names metadata elsewhere, and nothing is fetched there', async () => {
    const hits: string[] = [];
    const other = http.createServer((req, res) => { hits.push(`${req.method} ${req.url}`); res.writeHead(200, { 'content-type': 'application/json' }).end('{}'); });
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    stops.push(() => { other.closeAllConnections(); other.close(); });
    const elsewhere = `http://127.0.0.1:${(other.address() as AddressInfo).port}/.well-known/oauth-protected-resource`;
    const { message, elapsed, figures } = (await attack('elsewhere', [elsewhere]))!;
    assert.deepEqual(hits, [], 'the other port received no request');
    assert.match(message, /the server "secured" named its OAuth metadata at http:\/\/127\.0\.0\.1:\d+, not on its own origin \(http:\/\/127\.0\.0\.1:\d+\); not fetched/);
    assert.ok(elapsed < 10_000, `the start failed after ${elapsed} ms`);
    survived({ attack: 'discovery to another port', outcome: 'the metadata URL on another origin was refused unfetched; the start failed at once naming it', figures, bounds: { rssGrowthMb: 64 } });
  });

  it('oversized discovery document: each is read up to 1 MB, and the start fails naming it', async () => {
    const { message, elapsed, figures, hostile } = (await attack('huge'))!;
    assert.match(message, /the answer from http:\/\/127\.0\.0\.1:\d+\/\.well-known\/\S+ was larger than 1 MB; stopped reading it/);
    assert.ok(elapsed < 15_000, `the start failed after ${elapsed} ms`);
    assert.match(hostile.stderr(), /metadata flood wrote \d+ MB before the client hung up/);
    survived({ attack: 'oversized discovery document', outcome: 'each metadata document was read up to 1 MB and the socket closed; the start failed at once naming it', figures, bounds: { rssGrowthMb: 64 } });
  });

  it('authorization URL with file: scheme: the sign-in page is never opened', async () => {
    const { message, elapsed, figures, hostile } = (await attack('file'))!;
    assert.deepEqual(opened, [], 'nothing was sent to the browser');
    assert.match(hostile.stderr(), /POST \/register/, 'the flow got as far as the sign-in page');
    assert.match(message, /the sign-in page of "secured" cannot be opened \(file:\/\/\/etc\/passwd\?\S+\): the scheme file: is not allowed/);
    assert.ok(elapsed < 10_000, `the start failed after ${elapsed} ms`);
    survived({ attack: 'authorization URL with file: scheme', outcome: 'the file: sign-in page was refused before reaching the browser; the start failed naming it', figures, bounds: { rssGrowthMb: 64 } });
  });
});
