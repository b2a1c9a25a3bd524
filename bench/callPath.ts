/**
 * Call path, stdio: sequential and 32-in-flight `tools/call` echo calls through Switchboard's
 * client manager and router (schema guard and policy on, an allow rule deciding) against a bare
 * SDK `Client` on the same kind of server process, and the floor: a hand-written newline-JSON
 * client against a hand-written echo server. Each round starts every contender afresh, in a
 * rotating order, and the ratio is taken within the round.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { McpClientManager, type ManagerOptions } from '../src/client/manager';
import type { ServerLog } from '../src/client/types';
import type { ServerConfig } from '../src/config/types';
import { AuditLog, auditEntryFromCall } from '../src/policy/audit';
import { createAuthorizer } from '../src/policy/authorizer';
import { allowToolRule } from '../src/policy/rules';
import { RuleStore } from '../src/policy/ruleStore';
import { managerBackend } from '../src/router/backend';
import { ToolRouter } from '../src/router/router';
import { serverCommand } from './pinning';

const REPO = path.resolve(__dirname, '..', '..');

/** A server process to call: how to start it, and its echo tool's name and text argument. */
export interface EchoServer { label: string; args: string[]; tool: string; arg: string }

export const STDIO_SERVERS: EchoServer[] = [
  { label: 'echo fixture', args: [path.join(REPO, 'out', 'bench', 'servers', 'echo-sdk.js')], tool: 'echo', arg: 'text' },
  {
    label: 'server-everything',
    args: [path.join(REPO, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js'), 'stdio'],
    tool: 'echo', arg: 'message',
  },
];

export interface Contender {
  start(): Promise<void>;
  call(text: string): Promise<void>;
  stop(): Promise<void>;
  /** The server process's id while it runs, for its CPU time (timeSplit.ts). */
  serverPid?(): number | undefined;
}

export const quiet: ServerLog = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, stderr: () => undefined, traceEnabled: () => false };

/** A client manager as the benchmarks use it: silent logs, and `options` on top. */
export function benchManager(options: Partial<ManagerOptions> = {}): McpClientManager {
  return new McpClientManager({ logFor: () => quiet, clientInfo: { name: 'bench', version: '0' }, stopGraceMs: 1000, ...options });
}

/** A router whose every call is allowed, for benchmarks about something other than the policy. */
export const allowAllRouter = (manager: McpClientManager): ToolRouter =>
  new ToolRouter(managerBackend(manager), { authorize: () => ({ allowed: true, by: 'policy' }) });

/** A bare SDK client connected over the SDK's stdio transport to a stdio config's server. */
export async function sdkStdioClient(config: ServerConfig): Promise<Client> {
  if (config.type !== 'stdio') throw new Error('stdio only');
  const client = new Client({ name: 'bench', version: '0' });
  await client.connect(new StdioClientTransport({ command: config.command, args: config.args, env: { ...getDefaultEnvironment(), ...config.env } as Record<string, string>, stderr: 'pipe' }));
  return client;
}

/**
 * Switchboard as the extension runs it: manager, router, schema guard, policy with an allow rule,
 * audit log (`withAudit: false` leaves the log out, for instructions.ts to tell the two apart).
 */
export function switchboard(server: Pick<EchoServer, 'label' | 'tool' | 'arg'>, config: ServerConfig, withAudit = true): Contender {
  const manager = benchManager();
  let router: ToolRouter | undefined;
  let audit: AuditLog | undefined;
  let auditDir: string | undefined;
  const name = `bench_${server.tool}`;
  return {
    async start() {
      await manager.reconcile([{ name: 'bench', sourceKind: 'workspace', config }]);
      const tool = manager.catalog('bench')?.tools.find((t) => t.name === server.tool);
      if (!tool) throw new Error(`${server.label}: no ${server.tool} tool (${manager.state('bench')?.kind})`);
      const store = new RuleStore();
      await store.upsert(allowToolRule({ name: 'bench', identity: manager.identity('bench')! }, tool, 'session'));
      const authorize = createAuthorizer({
        store, settings: () => ({ autoAllowReadOnly: false }), serverTools: () => manager.catalog('bench')?.tools ?? [], identity: (s) => manager.identity(s),
      });
      router = new ToolRouter(managerBackend(manager), { authorize });
      if (!withAudit) return;
      // The audit log too, as in the extension: one line per call, written after it returns.
      auditDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-'));
      audit = new AuditLog({ file: path.join(auditDir, 'audit.jsonl') });
      router.onDidCall((record) => void audit!.append(() => auditEntryFromCall(record)));
    },
    async call(text) {
      const out = await router!.call(name, { [server.arg]: text }, { origin: 'cli' });
      if (out.kind !== 'ok') throw new Error(`${name}: ${out.kind} ${'message' in out ? out.message : ''}`);
    },
    serverPid: () => manager.connection('bench')?.pid,
    async stop() {
      router?.dispose();
      await manager.stopAll(1000);
      manager.dispose();
      await audit?.close();
      if (auditDir) fs.rmSync(auditDir, { recursive: true, force: true });
    },
  };
}

/**
 * Fewer of Switchboard's layers, to see what each costs: the manager's connection alone, its
 * short path for tool calls (`manager`, src/client/toolCalls.ts), or the router with an
 * allow-all hook and no policy or audit log (`router`).
 */
function layered(kind: 'manager' | 'router', server: EchoServer, pinned = false): Contender {
  const manager = benchManager();
  const router = allowAllRouter(manager);
  return {
    async start() { await manager.reconcile([{ name: 'bench', sourceKind: 'workspace', config: stdioConfig(server, pinned) }]); },
    async call(text) {
      const args = { [server.arg]: text };
      if (kind === 'manager') await manager.connection('bench')!.toolCalls!.callTool({ name: server.tool, arguments: args });
      else if ((await router.call(`bench_${server.tool}`, args, { origin: 'cli' })).kind !== 'ok') throw new Error('call failed');
    },
    serverPid: () => manager.connection('bench')?.pid,
    async stop() {
      router.dispose();
      await manager.stopAll(1000);
      manager.dispose();
    },
  };
}

/** The contenders the diagnostic tools (instructions.ts, criticalPath.ts) pick by name, Switchboard's layers among them. */
export const LAYERS = ['floor', 'sdk', 'manager', 'router', 'policy', 'switchboard'] as const;
export type Layer = (typeof LAYERS)[number];

/** A contender by name: `policy` is Switchboard without the audit log; see `layered` for `manager` and `router`. */
export function layerContender(kind: Layer, server: EchoServer, pinned = false): Contender {
  switch (kind) {
    case 'floor': return floor(pinned);
    case 'sdk': return rawSdk(server, pinned);
    case 'manager': case 'router': return layered(kind, server, pinned);
    default: return switchboard(server, stdioConfig(server, pinned), kind !== 'policy');
  }
}

/** The stdio config Switchboard runs an echo server with; `pinned` puts it on the server CPU (pinning.ts). */
export const stdioConfig = (server: EchoServer, pinned = false): ServerConfig =>
  ({ type: 'stdio', ...serverCommand(process.execPath, server.args, pinned), env: {} });

/** The bare SDK client on its own stdio transport. */
export function rawSdk(server: EchoServer, pinned = false): Contender {
  let client: Client | undefined;
  return {
    async start() {
      client = await sdkStdioClient(stdioConfig(server, pinned));
    },
    async call(text) {
      const r = await client!.callTool({ name: server.tool, arguments: { [server.arg]: text } });
      if (r.isError) throw new Error('tool error');
    },
    serverPid: () => (client?.transport as StdioClientTransport | undefined)?.pid ?? undefined,
    stop: async () => { await client?.close(); },
  };
}

/** The floor: newline JSON over pipes to the hand-written server, ids matched in a map. */
export function floor(pinned = false): Contender {
  let child: ChildProcessWithoutNullStreams | undefined;
  const pending = new Map<number, () => void>();
  let next = 0;
  const request = (method: string, params: unknown) => new Promise<void>((resolve) => {
    const id = ++next;
    pending.set(id, resolve);
    child!.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
  });
  return {
    async start() {
      const server = serverCommand(process.execPath, [path.join(REPO, 'out', 'bench', 'servers', 'echo-raw.js')], pinned);
      child = spawn(server.command, server.args, { stdio: 'pipe' });
      readline.createInterface({ input: child.stdout }).on('line', (line) => {
        const { id } = JSON.parse(line) as { id: number };
        pending.get(id)?.();
        pending.delete(id);
      });
      await request('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'floor', version: '0' } });
    },
    call: (text) => request('tools/call', { name: 'echo', arguments: { text } }),
    serverPid: () => child?.pid,
    async stop() {
      child?.stdin.end();
      await new Promise((r) => child?.once('exit', r));
    },
  };
}

/** Microseconds per call for `n` calls, one after another. */
export async function sequential(c: Contender, n: number): Promise<number> {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await c.call(`hello ${i}`);
  return Number(process.hrtime.bigint() - t0) / 1000 / n;
}

/** Microseconds per call (wall time / n) for `n` calls with `inFlight` running at once. */
export async function concurrent(c: Contender, n: number, inFlight: number): Promise<number> {
  let started = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (started < n) await c.call(`hello ${started++}`);
  }));
  return Number(process.hrtime.bigint() - t0) / 1000 / n;
}
