/**
 * A legacy HTTP+SSE server whose stream names a malformed endpoint (`http://[`, which no URL
 * parser accepts), then stays open saying nothing more.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const i = process.argv.indexOf('--port');
const server = createServer((req, res) => {
  process.stderr.write(`hostile ${req.method} ${req.url}\n`);
  if (req.method !== 'GET') return void res.writeHead(404).end();
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.write('event: endpoint\ndata: http://[\n\n');
});
server.listen(i >= 0 ? Number(process.argv[i + 1]) : 0, '127.0.0.1', () => process.stdout.write(`LISTENING ${(server.address() as AddressInfo).port}\n`));
