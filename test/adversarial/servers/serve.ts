/**
 * What the hostile stdio servers share: a low-level SDK server (it sends whatever lists and
 * answers we hand it, unlike McpServer, which checks tool names) on stdin/stdout, exiting when
 * stdin closes.
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Implementation, ServerCapabilities } from '@modelcontextprotocol/sdk/types.js';

export async function serve(info: Implementation, capabilities: ServerCapabilities, setup: (server: Server) => void, instructions?: string): Promise<Server> {
  const server = new Server(info, { capabilities, instructions });
  setup(server);
  await server.connect(new StdioServerTransport());
  process.stdin.on('end', () => process.exit(0));
  return server;
}

/** A tool result with one text part. */
export const text = (value: string) => ({ content: [{ type: 'text' as const, text: value }] });

/** Runs `main`, reporting a failure on stderr with exit code 1. */
export function run(name: string, main: () => Promise<unknown>): void {
  main().catch((e) => {
    process.stderr.write(`hostile ${name} failed: ${String(e)}\n`);
    process.exit(1);
  });
}
