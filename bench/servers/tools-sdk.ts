// The scale benchmark's server: the SDK's McpServer with TOOL_COUNT generated tools (default 200),
// each with a small schema and a description, on stdio; each echoes its text. No logging.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const count = Number(process.env.TOOL_COUNT ?? 200);
const server = new McpServer({ name: 'bench-tools', version: '1.0.0' });
for (let i = 0; i < count; i++) {
  server.registerTool(`tool_${i}`, {
    description: `Generated tool number ${i}: returns its text, tagged with the tool's number.`,
    inputSchema: { text: z.string().describe('What to return'), times: z.number().int().min(1).max(3).optional() },
    annotations: { readOnlyHint: i % 2 === 0 },
  }, ({ text, times }) => ({ content: [{ type: 'text', text: `${i}:${text.repeat(times ?? 1)}` }] }));
}
void server.connect(new StdioServerTransport());
process.stdin.on('end', () => process.exit(0));
