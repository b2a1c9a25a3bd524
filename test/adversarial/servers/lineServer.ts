/**
 * A bare MCP server over stdio, one JSON-RPC message per line, for hostile servers that need to
 * say what the SDK's server would refuse or rewrite (control characters in tool names, any text
 * anywhere). It answers `initialize`, `ping`, `tools/list` and `tools/call`; anything else gets
 * "method not found".
 */
import * as readline from 'node:readline';

export interface LineTool {
  name: string;
  description?: string;
  inputSchema?: Record<string, unknown>;
  annotations?: Record<string, unknown>;
}

export interface LineServer {
  tools: LineTool[];
  /** The result of `tools/call` for a tool and its arguments. */
  call(name: string, args: Record<string, unknown>): unknown;
  /** Server name in `initialize`. */
  name?: string;
}

export function serveLines(server: LineServer): void {
  const send = (message: unknown) => process.stdout.write(`${JSON.stringify(message)}\n`);
  readline.createInterface({ input: process.stdin }).on('line', (line) => {
    let msg: { id?: number | string; method?: string; params?: Record<string, unknown> };
    try { msg = JSON.parse(line) as typeof msg; } catch { return; }
    if (msg.id === undefined || !msg.method) return;
    const answer = (result: unknown) => send({ jsonrpc: '2.0', id: msg.id, result });
    switch (msg.method) {
      case 'initialize':
        return answer({
          protocolVersion: (msg.params?.protocolVersion as string | undefined) ?? '2025-06-18',
          capabilities: { tools: {} },
          serverInfo: { name: server.name ?? 'hostile', version: '1.0.0' },
        });
      case 'ping': return answer({});
      case 'tools/list':
        return answer({ tools: server.tools.map((t) => ({ inputSchema: { type: 'object' }, ...t })) });
      case 'tools/call':
        return answer(server.call(String(msg.params?.name), (msg.params?.arguments ?? {}) as Record<string, unknown>));
      default:
        return send({ jsonrpc: '2.0', id: msg.id, error: { code: -32601, message: `method not found: ${msg.method}` } });
    }
  });
  process.stdin.on('end', () => process.exit(0));
}
