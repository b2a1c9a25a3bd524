/**
 * The host as the extension wires it, for attacks that go through its real entry points: one
 * schema guard shared by the SDK clients (as their jsonSchemaValidator) and the router, the
 * manager, the router, and the gateway with an SDK client connected to it over HTTP on 127.0.0.1.
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
  const client = new Client({ name: 'adversarial', version: '0.0.0' });
  return {
    guard, manager, logs, router, gateway, client,
    /** Starts `servers` and the gateway, connects the client, and makes one call through it. */
    async start(servers: DesiredServer[], warmUp: { name: string; arguments: Record<string, unknown> }): Promise<void> {
      await manager.reconcile(servers);
      for (const s of servers) if (manager.state(s.name)?.kind !== 'running') throw new Error(`${s.name} did not start`);
      await gateway.start();
      await client.connect(new StreamableHTTPClientTransport(new URL(gateway.url), { requestInit: { headers: gateway.headers } }));
      // A host already in use: the first call loads and warms up the schema guard (tens of ms,
      // once). The client shares this process, so its own first steps (its GET stream, which
      // carries list_changed) must also be done before anything is measured.
      await client.listTools();
      const r = await client.callTool(warmUp);
      if (r.isError) throw new Error(`the warm-up call failed: ${JSON.stringify(r.content)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    },
    async dispose(): Promise<void> {
      await client.close().catch(() => undefined);
      gateway.dispose();
      router.dispose();
      await manager.stopAll(500);
      manager.dispose();
    },
  };
}
