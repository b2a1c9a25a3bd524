/** The real MCP servers users run, from npm, through the same client core. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DesiredServer } from '../../src/client/manager';
import { testManager } from './helpers';

const bin = (pkg: string) => require.resolve(`@modelcontextprotocol/${pkg}/dist/index.js`);
const server = (name: string, args: string[], env: Record<string, string> = {}): DesiredServer =>
  ({ name, sourceKind: 'workspace', config: { type: 'stdio', command: process.execPath, args, env, startupTimeoutMs: 30_000 } });

describe('real npm MCP servers', function () {
  this.timeout(60_000);
  let dir: string;
  const { manager } = testManager();
  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-npm-')); fs.writeFileSync(path.join(dir, 'hello.txt'), 'hi'); });
  after(async () => { await manager.stopAll(1000); manager.dispose(); fs.rmSync(dir, { recursive: true, force: true }); });

  it('starts server-everything, server-filesystem and server-memory in parallel', async () => {
    await manager.reconcile([
      server('everything', [bin('server-everything')]),
      server('filesystem', [bin('server-filesystem'), dir]),
      server('memory', [bin('server-memory')], { MEMORY_FILE_PATH: path.join(dir, 'memory.json') }),
    ]);
    for (const n of ['everything', 'filesystem', 'memory']) assert.equal(manager.state(n)?.kind, 'running', `${n}: ${JSON.stringify(manager.state(n))}`);
    const everything = manager.catalog('everything')!;
    assert.ok(everything.tools.some((t) => t.name === 'echo'), 'everything has echo');
    assert.ok(everything.prompts.length > 0 && everything.resources.length > 0, 'everything has prompts and resources');
    assert.ok(manager.catalog('filesystem')!.tools.some((t) => t.name === 'read_text_file' || t.name === 'read_file'));
    assert.ok(manager.catalog('memory')!.tools.some((t) => t.name === 'create_entities'));
  });

  it('namespaces all their tools uniquely and validly', () => {
    const names = manager.tools().map((t) => t.name);
    assert.equal(new Set(names).size, names.length);
    for (const n of names) assert.match(n, /^(everything|filesystem|memory)_[A-Za-z0-9_-]+$/);
    assert.ok(names.includes('everything_echo'));
  });

  it('calls a tool and reads a file through server-filesystem', async () => {
    const conn = manager.connection('filesystem')!;
    const tool = conn.catalog.tools.find((t) => t.name === 'read_text_file') ? 'read_text_file' : 'read_file';
    const r = await conn.client!.callTool({ name: tool, arguments: { path: path.join(dir, 'hello.txt') } });
    assert.match(JSON.stringify(r.content), /hi/);
  });
});
