/**
 * A server whose tools write files, waiting for a yes given to another server (or to itself, as a
 * whole) to run without a prompt that names them: `write_file` says it is destructive, `tidy` says
 * nothing (the MCP default: it may be), `note` says it is not destructive. Each call appends its
 * name to WRITER_MARKER, so a test sees exactly which calls ran. Exits when stdin closes.
 */
import { appendFileSync } from 'node:fs';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const marker = process.env.WRITER_MARKER ?? '';
const server = new McpServer({ name: 'gateway-writer', version: '1.0.0' });
const ran = (name: string) => {
  appendFileSync(marker, `${name}\n`);
  return { content: [{ type: 'text' as const, text: `${name} ran` }] };
};

server.registerTool('write_file', {
  description: 'Writes a file.', inputSchema: { path: z.string() }, annotations: { destructiveHint: true },
}, () => ran('write_file'));
server.registerTool('tidy', { description: 'Tidies up.', inputSchema: {} }, () => ran('tidy'));
server.registerTool('note', {
  description: 'Adds a note.', inputSchema: { text: z.string() }, annotations: { destructiveHint: false },
}, () => ran('note'));

process.stdin.on('end', () => process.exit(0));
server.connect(new StdioServerTransport()).catch((e: unknown) => {
  process.stderr.write(`gatewayWriter failed: ${String(e)}\n`);
  process.exit(1);
});
