/**
 * A stdio MCP server that writes its JSON-RPC lines by hand, for attacks the SDK's server would
 * refuse to send (or could not serialise: JSON.stringify overflows on a deep enough value).
 * Each hostile server gives its tools as ready-made JSON text and answers calls with result text.
 */

export interface RawTool {
  name: string;
  /** The tool's JSON text as it goes into `tools/list`. */
  json: string;
}

/**
 * The JSON text of a call's `result`, written straight into the answer. `listChanged` sends
 * `notifications/tools/list_changed` once the answer is out.
 */
export type RawCall = (name: string, args: Record<string, unknown>, listChanged: () => void) => string;

/** `{"type":"text","text":…}` result text. */
export const textResult = (text: string): string => `{"content":[{"type":"text","text":${JSON.stringify(text)}}]}`;

/** Serves `tools` (asked again at each `tools/list`) until stdin ends; `call` answers `tools/call`. */
export function serveRaw(name: string, tools: () => RawTool[], call: RawCall): void {
  const write = (line: string) => process.stdout.write(`${line}\n`);
  const answer = (id: unknown, result: string) => write(`{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":${result}}`);
  let partial = '';
  process.stdin.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.trim()) continue;
      const m = JSON.parse(line) as { id?: unknown; method: string; params?: Record<string, unknown> };
      if (m.id === undefined) continue;
      switch (m.method) {
        case 'initialize':
          answer(m.id, JSON.stringify({
            protocolVersion: (m.params?.protocolVersion as string) ?? '2025-06-18',
            capabilities: { tools: { listChanged: true } }, serverInfo: { name, version: '0.0.0' },
          }));
          break;
        case 'tools/list':
          answer(m.id, `{"tools":[${tools().map((t) => t.json).join(',')}]}`);
          break;
        case 'tools/call': {
          const p = m.params as { name: string; arguments?: Record<string, unknown> };
          process.stderr.write(`call ${p.name}\n`);
          let changed = false;
          answer(m.id, call(p.name, p.arguments ?? {}, () => { changed = true; }));
          if (changed) write('{"jsonrpc":"2.0","method":"notifications/tools/list_changed"}');
          break;
        }
        case 'ping':
          answer(m.id, '{}');
          break;
        default:
          write(`{"jsonrpc":"2.0","id":${JSON.stringify(m.id)},"error":{"code":-32601,"message":"no ${m.method}"}}`);
      }
    }
  });
  process.stdin.on('end', () => process.exit(0));
}
