/**
 * The host as the extension wires it, for attacks that go through its real entry points: one
 * schema guard shared by the SDK clients (as their jsonSchemaValidator) and the router, the
 * manager, the router, and the gateway with an SDK client connected to each server's endpoint over
 * HTTP on 127.0.0.1, as VS Code connects to the definitions the gateway publishes.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { DesiredServer, ManagerOptions } from '../../src/client/manager';
import { Gateway } from '../../src/gateway/gateway';
import { managerBackend } from '../../src/router/backend';
import { ToolRouter } from '../../src/router/router';
import { SchemaGuard } from '../../src/router/schemaGuard';
import { testManager } from '../connection/helpers';

export function adversarialHost(extra: Partial<ManagerOptions> = {}) {
  const guard = new SchemaGuard();
  const { manager, logs } = testManager(undefined, undefined, { ...extra, jsonSchemaValidator: () => guard });
  const router = new ToolRouter(managerBackend(manager), { guard });
  const quiet = () => undefined;
  const gateway = new Gateway({ backend: managerBackend(manager), router, version: '0.0.0', log: { trace: quiet, info: quiet, warn: quiet, error: quiet } });
  const clients = new Map<string, Client>();
  const client = (server: string): Client => {
    const c = clients.get(server);
    if (!c) throw new Error(`no gateway client for ${server}`);
    return c;
  };
  return {
    guard, manager, logs, router, gateway, client,
    /** The tools served on every server's endpoint, by their served names. */
    async servedTools(): Promise<string[]> {
      return (await Promise.all([...clients.values()].map(async (c) => (await c.listTools()).tools.map((t) => t.name)))).flat();
    },
    /**
     * Starts `servers` and the gateway, connects a client to each server's endpoint, and makes one
     * call through the gateway (`warmUp`, on its server's endpoint).
     */
    async start(servers: DesiredServer[], warmUp: { server: string; name: string; arguments: Record<string, unknown> }): Promise<void> {
      await manager.reconcile(servers);
      for (const s of servers) if (manager.state(s.name)?.kind !== 'running') throw new Error(`${s.name} did not start`);
      await gateway.start();
      for (const s of servers) {
        const c = new Client({ name: 'adversarial', version: '0.0.0' });
        await c.connect(new StreamableHTTPClientTransport(new URL(gateway.urlFor(s.name)), { requestInit: { headers: gateway.headers } }));
        clients.set(s.name, c);
        // The clients share this process, so their own first steps (the GET stream that carries
        // list_changed) must be done before anything is measured.
        await c.listTools();
      }
      // A host already in use: the first call loads and warms up the schema guard (once).
      const r = await client(warmUp.server).callTool({ name: warmUp.name, arguments: warmUp.arguments });
      if (r.isError) throw new Error(`the warm-up call failed: ${JSON.stringify(r.content)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    },
    async dispose(): Promise<void> {
      for (const c of clients.values()) await c.close().catch(() => undefined);
      gateway.dispose();
      router.dispose();
      await manager.stopAll(500);
      manager.dispose();
    },
  };
}
