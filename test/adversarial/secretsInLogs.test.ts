/**
 * Attack (and accident): secrets a config passes to a server, through `${input:…}`, `${env:…}` or
 * written in as credential-looking arguments and query parameters, land in what we write: the
 * server's log ("starting: …", "connecting to …"), message traces, error states shown in the tree
 * and notifications, and the CLI's output. A server makes it worse by repeating them on stderr,
 * in its results and in its dying words. Driven through the real config resolution, manager and
 * CLI; a remote server on 127.0.0.1 answers with everything it was sent.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildDesiredServers } from '../../src/client/desired';
import { describeFailure } from '../../src/client/state';
import { parseConfigText } from '../../src/config/parse';
import { resolveServerConfig } from '../../src/config/variables';
import { managerBackend } from '../../src/router/backend';
import { ToolRouter } from '../../src/router/router';
import { fixturePath } from '../fixtures/spawn';
import { resultTexts, testManager, tracingLog, type RecordedLog } from '../connection/helpers';
import { hostilePath, survived, watchHost } from './harness';

const INPUT_SECRET = 'input-secret-Zq81vX';
const ENV_SECRET = 'env-secret-Kp27wY';
const LITERAL_QUERY = 'literal-secret-Mn55';
const LITERAL_FLAG = 'literal-pass-Rt42';
const SECRETS = [INPUT_SECRET, ENV_SECRET, LITERAL_QUERY, LITERAL_FLAG];

const CLI = path.resolve(__dirname, '../../../dist/cli.js');

/** The config a user might write: secrets from an input and the environment, and two written in. */
function configText(remoteUrl: string): string {
  const leaky = (extra: string[]) => ({
    type: 'stdio', command: process.execPath,
    args: [hostilePath('leaky'), '--api-key', '${input:apiKey}', '--session=${env:SB_TEST_TOKEN}', '--password', LITERAL_FLAG,
      '--endpoint', `https://api.example/v1?access_token=${LITERAL_QUERY}&page=1`, ...extra],
    env: { API_KEY: '${input:apiKey}' },
  });
  return JSON.stringify({
    inputs: [{ id: 'apiKey', type: 'promptString', description: 'API key', password: true }],
    servers: {
      leaky: leaky([]),
      dies: leaky(['die']),
      remote: { type: 'http', url: `${remoteUrl}?key=\${input:apiKey}`, headers: { 'X-Session': '${env:SB_TEST_TOKEN}' } },
      echo: { type: 'stdio', command: process.execPath, args: [fixturePath('echo')] },
    },
  });
}

const leaks = (text: string): string[] => SECRETS.filter((s) => text.includes(s));

/**
 * A Streamable HTTP server that starts and lists a tool, then answers its call with a 500 that
 * repeats the request's URL and headers, as a careless server's error page would.
 */
function careless(req: http.IncomingMessage, res: http.ServerResponse): void {
  let body = '';
  req.on('data', (c: Buffer) => { body += c.toString(); });
  req.on('end', () => {
    if (req.method !== 'POST') return void res.writeHead(405).end();
    const msg = JSON.parse(body) as { id?: number; method: string; params?: { protocolVersion?: string } };
    const answer = (result: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id: msg.id, result }));
    if (msg.id === undefined) return void res.writeHead(202).end();
    if (msg.method === 'initialize') return answer({ protocolVersion: msg.params?.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: 'careless', version: '1' } });
    if (msg.method === 'tools/list') return answer({ tools: [{ name: 'x', inputSchema: { type: 'object' } }] });
    res.writeHead(500, { 'content-type': 'text/plain' }).end(`cannot serve ${req.url} for ${JSON.stringify(req.headers)}`);
  });
}

describe('adversarial: secret in command line and URL', function () {
  this.timeout(60_000);
  let remote: http.Server;
  let remoteUrl = '';
  let dir = '';

  before(async () => {
    remote = http.createServer(careless);
    await new Promise<void>((resolve) => remote.listen(0, '127.0.0.1', resolve));
    remoteUrl = `http://127.0.0.1:${(remote.address() as AddressInfo).port}/mcp`;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-secrets-'));
    fs.mkdirSync(path.join(dir, '.vscode'));
    fs.writeFileSync(path.join(dir, '.vscode', 'switchboard.json'), configText(remoteUrl));
  });
  after(async () => {
    await new Promise((resolve) => remote.close(resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('no log line, trace or error state of the manager holds a secret', async () => {
    const config = parseConfigText(configText(remoteUrl), { kind: 'workspace', file: path.join(dir, 'switchboard.json'), workspaceFolder: dir });
    const { servers } = await buildDesiredServers([config], {
      trusted: true,
      resolve: (def) => resolveServerConfig(def.config, {
        workspaceFolder: dir, userHome: os.homedir(), env: { SB_TEST_TOKEN: ENV_SECRET }, resolveInput: async () => INPUT_SECRET,
      }),
    });
    const logs = new Map<string, RecordedLog>(servers.map((s) => [s.name, tracingLog()]));
    const { manager } = testManager(logs);
    try {
      // The well-behaved server first: it also loads the client code, which is not the attack's cost.
      await manager.reconcile(servers.filter((s) => s.name === 'echo'));
      const events: string[] = [];
      manager.onDidChangeState(({ server, state }) => events.push(`${server}: ${describeFailure(state, 20)}`));
      const w = watchHost();
      await manager.reconcile(servers);
      const result = await manager.connection('leaky')!.client!.callTool({ name: 'whoami', arguments: {} });
      const echo = await manager.connection('echo')!.client!.callTool({ name: 'echo', arguments: { text: 'still here' } });
      const failed = await new ToolRouter(managerBackend(manager), { authorize: async () => ({ allowed: true, by: 'policy' }) }).call('remote_x', {}, { origin: 'cli' });
      const figures = w.stop();

      // The server did get its secrets: only what we write is redacted.
      assert.match(resultTexts(result)[0], new RegExp(`key ${INPUT_SECRET}`));
      assert.deepEqual(resultTexts(echo), ['still here']);

      const written = [...logs.values()].flatMap((l) => l.lines).join('\n');
      const states = ['leaky', 'dies', 'remote', 'echo'].map((s) => describeFailure(manager.state(s)!, 20)).join('\n');
      assert.deepEqual(leaks(written), [], 'the logs hold no secret');
      assert.deepEqual(leaks(states), [], `the states hold no secret: ${states}`);
      assert.deepEqual(leaks(events.join('\n')), [], 'the state events (the tree, notifications) hold no secret');
      assert.equal(manager.state('dies')?.kind, 'error');
      assert.equal(failed.kind, 'failed');
      assert.deepEqual(leaks((failed as { message: string }).message), [], `the failed call's message holds no secret: ${(failed as { message: string }).message}`);
      assert.match((failed as { message: string }).message, /cannot serve \/mcp\?key=\*\*\*/);
      // What is left is still useful: where the secrets were is shown.
      assert.match(written, /starting: .* --api-key \*\*\* --session=\*\*\* --password \*\*\* --endpoint https:\/\/api\.example\/v1\?access_token=\*\*\*&page=1/);
      assert.match(written, /connecting to http:\/\/127\.0\.0\.1:\d+\/mcp\?key=\*\*\*/);
      assert.match(written, /stderr env API_KEY=\*\*\*/);
      assert.match(written, /trace ◀ .*key \*\*\*/);
      assert.match(states, /fatal: the key \*\*\* was refused/);

      survived({
        attack: 'secret in command line and URL',
        outcome: 'inputs, env values and credential-shaped arguments, query parameters and headers show as *** in logs, traces and error states; the server still gets them',
        figures, bounds: { rssGrowthMb: 40 },
      });
    } finally {
      await manager.stopAll(500);
      manager.dispose();
    }
  });

  it('the CLI prints no secret, with --verbose or in its error reports', async () => {
    const run = (...args: string[]) => new Promise<{ stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [CLI, ...args], {
        cwd: dir, timeout: 30_000,
        env: { ...process.env, SWITCHBOARD_HOME: path.join(dir, 'home'), SWITCHBOARD_INPUT_APIKEY: INPUT_SECRET, SB_TEST_TOKEN: ENV_SECRET },
      }, (_err, stdout, stderr) => resolve({ stdout, stderr }));
    });
    for (const args of [['list', '--verbose'], ['list', '--json'], ['call', 'dies_whoami', '{}', '--yes', '--verbose'], ['call', 'remote_x', '{}', '--yes', '--verbose']]) {
      const r = await run(...args);
      assert.deepEqual(leaks(r.stdout + r.stderr), [], `${args.join(' ')}: ${r.stdout}${r.stderr}`);
      if (args[1] === '--verbose' && args[0] === 'list') assert.match(r.stderr, /\[leaky\] info: starting: .* --api-key \*\*\*/);
    }
  });
});
