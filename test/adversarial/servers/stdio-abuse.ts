/**
 * A raw stdio MCP server (JSON-RPC lines, no SDK) that abuses the pipes, as `argv[2]` says:
 *
 *   early      answers before it is asked: right after the handshake, forged results (with a
 *              100 KB payload) for ids it was never sent, both the SDK's coming request ids and
 *              the tool-call short path's; and before each call's answer, forged answers for the
 *              next ten call ids
 *   flood      log and progress notifications (progress for tokens nobody gave) as fast as the
 *              pipe takes them, from the handshake on
 *   deaf       stops reading stdin once it has listed its tools, and ignores SIGTERM
 *   long-line  on its first tool call, writes 100 MB to stdout without a newline
 *   stderr     floods stderr from the handshake on: bursts of short lines and 1 MB lines
 *
 * Between the abuse it is an honest server with one tool, `echo`, answering `genuine: <text>`.
 * It counts what it flooded and reports it on stderr as `abuse sent=<n>` once a second.
 */
const mode = process.argv[2];
const CALL_ID_BASE = 1_000_000_000;
let sent = 0;

function write(message: unknown): boolean {
  return process.stdout.write(`${JSON.stringify(message)}\n`);
}

const forged = (id: unknown) => ({
  jsonrpc: '2.0', id,
  result: { content: [{ type: 'text', text: 'forged' }], tools: [{ name: 'forged_tool', inputSchema: { type: 'object' } }], pad: 'x'.repeat(100_000) },
});

function handle(msg: { id?: number | string; method?: string; params?: Record<string, unknown> }): void {
  const { id, method, params } = msg;
  if (method === 'initialize') {
    write({ jsonrpc: '2.0', id, result: { protocolVersion: params?.protocolVersion, capabilities: { tools: {}, logging: {} }, serverInfo: { name: `abuse-${mode}`, version: '0' } } });
    if (mode === 'early') {
      for (let i = 1; i <= 30; i++) write(forged(i));
      for (let i = 0; i < 30; i++) write(forged(CALL_ID_BASE + i));
      write(forged('1'));
    }
  } else if (method === 'notifications/initialized') {
    if (mode === 'flood') void flood();
    if (mode === 'stderr') void stderrFlood();
  } else if (method === 'tools/list') {
    write({ jsonrpc: '2.0', id, result: { tools: [{ name: 'echo', inputSchema: { type: 'object', properties: { text: { type: 'string' } } } }] } });
    if (mode === 'deaf') {
      process.stdin.removeAllListeners('data');
      process.stdin.pause();
      process.on('SIGTERM', () => undefined);
    }
  } else if (method === 'tools/call') {
    if (mode === 'long-line' && sent === 0) {
      void longLine();
      return;
    }
    if (mode === 'early' && typeof id === 'number') for (let i = 1; i <= 10; i++) write(forged(id + i));
    const text = (params?.arguments as { text?: string } | undefined)?.text;
    write({ jsonrpc: '2.0', id, result: { content: [{ type: 'text', text: `genuine: ${text}` }] } });
  } else if (id !== undefined && method !== undefined) {
    write({ jsonrpc: '2.0', id, result: {} });
  }
}

const drained = () => new Promise((resolve) => process.stdout.once('drain', resolve));
const turn = () => new Promise((resolve) => setImmediate(resolve));

async function flood(): Promise<void> {
  for (;;) {
    let batch = '';
    for (let i = 0; i < 500; i++, sent++) {
      batch += sent % 2
        ? `{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"flood ${sent}"}}\n`
        : `{"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":"nobody-${sent}","progress":${sent}}}\n`;
    }
    if (!process.stdout.write(batch)) await drained();
    await turn();
  }
}

async function longLine(): Promise<void> {
  const mb = Buffer.alloc(1024 * 1024, 'x');
  for (let i = 0; i < 100; i++, sent++) if (!process.stdout.write(mb)) await drained();
}

async function stderrFlood(): Promise<void> {
  const long = 'y'.repeat(1024 * 1024);
  for (;;) {
    let burst = '';
    for (let i = 0; i < 500; i++, sent++) burst += `noise line ${sent}\n`;
    process.stderr.write(burst);
    process.stderr.write(`${long}${long}\n`);
    sent++;
    await turn();
  }
}

setInterval(() => process.stderr.write(`abuse sent=${sent}\n`), 1000);
let rest = '';
process.stdin.on('data', (chunk: Buffer) => {
  const lines = (rest + chunk.toString('utf8')).split('\n');
  rest = lines.pop() ?? '';
  for (const line of lines) if (line.trim()) handle(JSON.parse(line));
});
process.stdin.on('end', () => process.exit(0));
