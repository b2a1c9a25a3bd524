// Measurements in the real extension host for `npm run bench` (not part of `npm test`): activation
// time with no servers, heap held with 10 servers connected, and the servers tree's first level
// with 50 servers × 200 tools. Figures go as JSON to SWITCHBOARD_BENCH_OUT; nothing is asserted
// about time, only that the setup worked.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import type { SwitchboardApi } from '../../../src/extension';
import { api, PROCESS_MARKER, waitFor, writeConfig } from '../helpers';

const TOOLS_SERVER = path.resolve(__dirname, '..', '..', '..', 'bench', 'servers', 'tools-sdk.js');

// The host runs without --expose-gc; heap figures mean little without a collection first.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const heapMb = () => { gc(); gc(); return process.memoryUsage().heapUsed / 1024 / 1024; };

function servers(n: number, tools: number): string {
  const entries = Array.from({ length: n }, (_, i) =>
    [`srv${i}`, { type: 'stdio', command: process.execPath, args: [TOOLS_SERVER, PROCESS_MARKER], env: { TOOL_COUNT: String(tools) } }]);
  return JSON.stringify({ servers: Object.fromEntries(entries) });
}

async function allRunning(a: SwitchboardApi, n: number): Promise<void> {
  await waitFor(() => a.manager.names().length === n && a.manager.names().every((s) => a.manager.state(s)?.kind === 'running'),
    `${n} servers running (${a.manager.names().map((s) => `${s}: ${a.manager.state(s)?.kind}`).join(', ')})`, 180_000);
}

/** Median ms of `fn` over `rounds` runs. */
function timeIt(fn: () => void, rounds = 21): number {
  const t: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  return t.sort((x, y) => x - y)[rounds >> 1];
}

describe('bench: footprint in the extension host', function () {
  this.timeout(300_000);
  const figures: Record<string, number> = {};
  let a: SwitchboardApi;

  before(async () => { a = await api(); });
  after(async () => {
    await writeConfig(JSON.stringify({ servers: {} }));
    await waitFor(() => a.manager.names().length === 0, 'the servers to be removed', 30_000);
    const out = process.env.SWITCHBOARD_BENCH_OUT;
    if (out) fs.writeFileSync(out, JSON.stringify(figures, null, 2));
  });

  it('activation with no servers', async () => {
    await writeConfig(JSON.stringify({ servers: {} }));
    await waitFor(() => a.manager.names().length === 0, 'no servers');
    figures.loadMs = a.timing.loadMs;
    figures.activateMs = a.timing.activateMs;
    figures.heapNoServersMb = heapMb();
  });

  it('heap with 10 servers connected', async () => {
    await writeConfig(servers(10, 20));
    await allRunning(a, 10);
    figures.heap10ServersMb = heapMb();
    figures.heap10DeltaMb = figures.heap10ServersMb - figures.heapNoServersMb;
  });

  it('tree first level with 50 servers × 200 tools', async () => {
    await writeConfig(servers(50, 200));
    await allRunning(a, 50);
    assert.ok(a.manager.tools().length >= 10_000, `${a.manager.tools().length} tools`);
    figures.tools = a.manager.tools().length;
    // What VS Code asks for to paint the view: the roots, then an item for each.
    figures.treeFirstLevelMs = timeIt(() => { for (const node of a.tree.getChildren(undefined)) a.tree.getTreeItem(node); });
    // Expanding one server's Tools group: its 200 tools with their items.
    const server = a.tree.getChildren(undefined).find((n) => n.type === 'server')!;
    const tools = a.tree.getChildren(server).find((n) => n.type === 'group' && n.kind === 'tools')!;
    figures.treeToolsGroupMs = timeIt(() => { for (const node of a.tree.getChildren(tools)) a.tree.getTreeItem(node); });
    figures.heap50ServersMb = heapMb();
  });
});
