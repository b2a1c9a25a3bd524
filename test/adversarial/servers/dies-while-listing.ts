/**
 * Completes the handshake, then exits with code 3 when asked for the list named in argv[2]
 * (`tools/list`, `resources/list` or `prompts/list`), after a last line on stderr.
 */
import {
  ListPromptsRequestSchema, ListResourcesRequestSchema, ListResourceTemplatesRequestSchema, ListToolsRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { run, serve } from './serve';

const die = (): never => {
  process.stderr.write('hostile dies-while-listing: out of memory, giving up\n');
  process.exit(3);
};

run('dies-while-listing', async () => {
  const which = process.argv[2];
  await serve({ name: 'dies-while-listing', version: '1.0.0' }, { tools: {}, resources: {}, prompts: {} }, (server) => {
    server.setRequestHandler(ListToolsRequestSchema, () => (which === 'tools/list' ? die() : { tools: [] }));
    server.setRequestHandler(ListResourcesRequestSchema, () => (which === 'resources/list' ? die() : { resources: [] }));
    server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({ resourceTemplates: [] }));
    server.setRequestHandler(ListPromptsRequestSchema, () => (which === 'prompts/list' ? die() : { prompts: [] }));
  });
});
