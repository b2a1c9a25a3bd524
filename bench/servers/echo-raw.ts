// The floor's server: newline-delimited JSON-RPC by hand, answering just what the floor client
// sends (initialize, tools/call). What is left is the cost of pipes, JSON and the event loop.
import * as readline from 'node:readline';

const rl = readline.createInterface({ input: process.stdin });
rl.on('line', (line) => {
  const msg = JSON.parse(line) as { id?: number; method: string; params?: { arguments?: { text?: string } } };
  if (msg.id === undefined) return;
  const result = msg.method === 'initialize'
    ? { protocolVersion: '2025-06-18', capabilities: { tools: {} }, serverInfo: { name: 'raw-echo', version: '1.0.0' } }
    : { content: [{ type: 'text', text: msg.params?.arguments?.text ?? '' }] };
  process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', id: msg.id, result })}\n`);
});
rl.on('close', () => process.exit(0));
