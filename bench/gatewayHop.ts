/**
 * Gateway hop: a tool call from an MCP client through the extension's local gateway (Streamable
 * HTTP on 127.0.0.1, bearer token, then the router and the stdio backend) against the same client
 * calling the same kind of backend process straight over stdio. Measured with two clients on the
 * HTTP side: the SDK's own, and Switchboard's lighter transport, which leaves mostly the gateway's
 * own cost (VS Code brings its own client, neither of these).
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { HttpClientTransport } from '../src/client/httpTransport';
import { Gateway } from '../src/gateway/gateway';
import { managerBackend } from '../src/router/backend';
import { ToolRouter } from '../src/router/router';
import { benchManager, rawSdk, stdioConfig, type Contender, type EchoServer } from './callPath';

export type HopClient = 'sdk' | 'light';

/** Backend process + manager + router + gateway, and an MCP client connected to the gateway. */
export function throughGateway(server: EchoServer, client: HopClient): Contender {
  const manager = benchManager();
  const router = new ToolRouter(managerBackend(manager), { authorize: () => ({ allowed: true, by: 'host' }) });
  const gateway = new Gateway({ backend: managerBackend(manager), router, version: '0.0.0', readOnlyHints: () => false });
  const mcp = new Client({ name: 'bench', version: '0' });
  const name = `bench_${server.tool}`;
  return {
    async start() {
      await manager.reconcile([{ name: 'bench', sourceKind: 'workspace', config: stdioConfig(server) }]);
      await gateway.start();
      const url = new URL(gateway.urlFor('bench'));
      const transport: Transport = client === 'sdk'
        ? new StreamableHTTPClientTransport(url, { requestInit: { headers: gateway.headers } })
        : new HttpClientTransport(url, { headers: gateway.headers });
      await mcp.connect(transport);
    },
    async call(text) {
      const r = await mcp.callTool({ name, arguments: { [server.arg]: text } });
      if (r.isError) throw new Error(`tool error: ${JSON.stringify(r.content)}`);
    },
    async stop() {
      await mcp.close();
      gateway.dispose();
      router.dispose();
      await manager.stopAll(1000);
      manager.dispose();
    },
  };
}

/** The same SDK client straight to a backend process over stdio: the call-path benchmark's bare SDK. */
export const straight = rawSdk;
