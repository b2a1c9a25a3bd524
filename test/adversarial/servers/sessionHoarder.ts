/**
 * A client that hoards the gateway's sessions: it opens HOARD_COUNT sessions on HOARD_URL with
 * the bearer token in HOARD_TOKEN, one after another, and never ends one. Prints one JSON line,
 * `{ "opened": n, "statuses": { "200": n, ... } }`, and exits. A process of its own, as a real
 * client would be, so the gateway's side is all the watched process does.
 */
import { request } from 'node:http';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';

const url = new URL(process.env.HOARD_URL ?? '');
const body = JSON.stringify({
  jsonrpc: '2.0', id: 1, method: 'initialize',
  params: { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'hoarder', version: '0' } },
});

function initialize(): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST', agent: false,
      headers: { authorization: `Bearer ${process.env.HOARD_TOKEN}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function main(): Promise<void> {
  const statuses: Record<string, number> = {};
  const count = Number(process.env.HOARD_COUNT ?? 100);
  for (let i = 0; i < count; i++) {
    const status = await initialize();
    statuses[status] = (statuses[status] ?? 0) + 1;
  }
  process.stdout.write(`${JSON.stringify({ opened: count, statuses })}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`sessionHoarder failed: ${String(e)}\n`);
  process.exit(1);
});
