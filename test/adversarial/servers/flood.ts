/**
 * A Streamable HTTP server whose tool `flood` answers with 150 MB: `--mode json` as one JSON body
 * (a text result that never seems to end), `--mode sse` as one SSE `data:` line without a
 * newline. It logs how much it wrote before the client hung up. `hello` answers normally, the same way;
 * `trickle` sends an SSE line a kilobyte every 20 ms, well inside any cap, until the client hangs up;
 * `silent` never answers at all. Both log when the client hangs up.
 */
import type { ServerResponse } from 'node:http';
import { log, pour, sendJson, serveRaw } from './rawMcp';

const FLOOD_BYTES = 150 * 1024 * 1024;
const mode = process.argv.includes('sse') ? 'sse' : 'json';

serveRaw({
  name: 'flood',
  tools: [
    { name: 'flood', description: 'Answers with far too much.', inputSchema: { type: 'object' } },
    { name: 'hello', description: 'Answers as a server should.', inputSchema: { type: 'object' } },
    { name: 'trickle', description: 'Answers a kilobyte at a time, for ever.', inputSchema: { type: 'object' } },
    { name: 'silent', description: 'Never answers, not even with headers.', inputSchema: { type: 'object' } },
  ],
  async call(id, params, res) {
    const hello = { jsonrpc: '2.0', id, result: { content: [{ type: 'text', text: 'hello' }] } };
    if (params.name === 'hello' && mode === 'json') return sendJson(res, 200, hello);
    if (params.name === 'hello') return void res.writeHead(200, { 'content-type': 'text/event-stream' }).end(`data: ${JSON.stringify(hello)}\n\n`);
    if (params.name === 'trickle') return trickle(res);
    if (params.name === 'silent') return void watchHangUp('silent', res);
    res.writeHead(200, { 'content-type': mode === 'sse' ? 'text/event-stream' : 'application/json' });
    res.write(mode === 'sse' ? 'data: ' : `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":{"content":[{"type":"text","text":"`);
    const written = await pour(res, FLOOD_BYTES);
    log(`flood wrote ${Math.round(written / 1024 / 1024)} MB${res.destroyed ? ' before the client hung up' : ''}`);
    res.end(mode === 'sse' ? '\n\n' : '"}]}}');
  },
});

function trickle(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.write('data: ');
  const timer = setInterval(() => res.write('x'.repeat(1024)), 20);
  watchHangUp('trickle', res, () => clearInterval(timer));
}

function watchHangUp(tool: string, res: ServerResponse, onClose?: () => void): void {
  const started = Date.now();
  res.once('close', () => {
    onClose?.();
    log(`${tool}: the client hung up after ${Date.now() - started} ms`);
  });
}
