/**
 * `switchboard conformance <server-url>`: the client the official MCP conformance suite
 * (`@modelcontextprotocol/conformance client --command …`) drives. It is not a separate client:
 * it connects through the same manager, transports, router, schema guard and policy as the
 * extension, and stands in for the person at the editor with the answers a user would give
 * (see conformanceUser.ts). The scenario's name (MCP_CONFORMANCE_SCENARIO) is only reported: what
 * the client does must not depend on it, or the suite would prove nothing about the product.
 *
 * What it does, as the extension would on adding the server: connect (handshake, list tools,
 * resources and prompts), then run every tool once, each call allowed once by the "user" with
 * arguments filled in from the tool's schema the way the Run Tool form starts them.
 * Exit code 0 when the server could be used, 1 otherwise.
 */
import { errorMessage } from '../common/async';
import { McpClientManager } from '../client/manager';
import type { ServerLog } from '../client/types';
import { createAuthorizer } from '../policy/authorizer';
import { RuleStore } from '../policy/ruleStore';
import { DEFAULT_POLICY_SETTINGS } from '../policy/types';
import { jsonSkeleton } from '../router/argumentForm';
import { managerBackend } from '../router/backend';
import { ToolRouter } from '../router/router';
import { SchemaGuard } from '../router/schemaGuard';
import { MemorySecretStore } from '../client/auth/types';
import { OAuthSession } from '../client/auth/oauthSession';
import { ServerOAuthProvider } from '../client/auth/oauthProvider';
import { ApprovingBrowser, ConformanceUser, oauthSettings, readScenarioContext } from './conformanceUser';

const SERVER = 'conformance';

export async function runConformance(url: string | undefined, out: (line: string) => void, err: (line: string) => void): Promise<number> {
  if (!url) { err('usage: switchboard conformance <server-url>'); return 2; }
  const scenario = process.env.MCP_CONFORMANCE_SCENARIO ?? '(none)';
  const context = readScenarioContext(process.env.MCP_CONFORMANCE_CONTEXT);
  if ('error' in context) { err(context.error); return 2; }
  err(`scenario ${scenario}: connecting to ${url}`);
  const user = new ConformanceUser(context.value, err);
  const log: ServerLog = {
    trace: () => undefined, debug: () => undefined,
    info: (m) => err(`info: ${m}`), warn: (m) => err(`warn: ${m}`), error: (m) => err(`error: ${m}`), stderr: (l) => err(l),
  };
  const guard = new SchemaGuard();
  // Tokens live for this run only: every scenario is a fresh install.
  const secrets = new MemorySecretStore();
  const manager = new McpClientManager({
    logFor: () => log, clientInfo: { name: 'mcp-switchboard', version: '0.1.0' }, jsonSchemaValidator: () => guard, features: user,
    oauth: (def) => def.config.type === 'stdio' ? undefined
      : new OAuthSession(def.name, new ServerOAuthProvider(def.config.url, def.config.oauth ?? {}, secrets), { agent: new ApprovingBrowser(err) }),
  });
  const router = new ToolRouter(managerBackend(manager), {
    guard,
    authorize: createAuthorizer({
      store: new RuleStore(),
      settings: () => DEFAULT_POLICY_SETTINGS,
      serverTools: (server) => manager.catalog(server)?.tools ?? [],
      identity: (server) => manager.identity(server),
      prompt: async (call) => user.approveToolCall(call),
    }),
    onSchemaProblem: (_server, tool, m) => err(`warn: tool "${tool}": ${m}`),
  });
  try {
    await manager.reconcile([{ name: SERVER, sourceKind: 'user', config: { type: 'http', url, headers: {}, oauth: oauthSettings(context.value) } }]);
    const state = manager.state(SERVER);
    if (state?.kind !== 'running') {
      err(`could not use the server: ${state?.kind === 'error' ? state.message : state?.kind}`);
      return 1;
    }
    const catalog = manager.catalog(SERVER)!;
    out(`connected: ${catalog.tools.length} tools, ${catalog.resources.length} resources, ${catalog.prompts.length} prompts`);
    let failed = 0;
    for (const tool of manager.tools()) {
      const args = JSON.parse(jsonSkeleton(tool.tool.inputSchema)) as Record<string, unknown>;
      const outcome = await router.call(tool.name, args, { origin: 'cli' });
      out(`${tool.tool.name}: ${outcome.kind}${'message' in outcome ? ` (${outcome.message})` : ''}`);
      if (outcome.kind !== 'ok' && outcome.kind !== 'toolError') failed++;
    }
    return failed ? 1 : 0;
  } catch (e) {
    err(`failed: ${errorMessage(e)}`);
    return 1;
  } finally {
    router.dispose();
    await manager.stopAll(1000);
    manager.dispose();
  }
}
