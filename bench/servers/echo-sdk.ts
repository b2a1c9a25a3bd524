// The minimal echo server of the call-path benchmark: the SDK's McpServer with one tool, on stdio,
// and nothing else (no logging), so the figures are the client's and the transport's.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const server = new McpServer({ name: 'bench-echo', version: '1.0.0' });
server.registerTool('echo', { description: 'Returns its text.', inputSchema: { text: z.string() } },
  ({ text }) => ({ content: [{ type: 'text', text }] }));
void server.connect(new StdioServerTransport());
process.stdin.on('end', () => process.exit(0));
