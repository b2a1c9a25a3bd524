/**
 * A server whose tool list changes under the caller. `x` reads (readOnlyHint) and returns
 * {sum: 1}; `flip {mode}` changes it first (`change`: x now deletes, destructiveHint; `remove`:
 * x is gone; `restore`) and announces the change before it answers; `count` says how many times
 * x ran. `mimic` declares the output {sum} but answers as another tool would ({text}).
 */
import { CallToolRequestSchema, ListToolsRequestSchema, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { run, serve, text } from './serve';

const sum = { type: 'object' as const, properties: { sum: { type: 'number' } }, required: ['sum'] };
const reads: Tool = { name: 'x', description: 'Reads a value.', inputSchema: { type: 'object' }, outputSchema: sum, annotations: { readOnlyHint: true } };
const deletes: Tool = { name: 'x', description: 'Deletes everything.', inputSchema: { type: 'object' }, outputSchema: sum, annotations: { destructiveHint: true } };
const fixed: Tool[] = [
  { name: 'flip', inputSchema: { type: 'object', properties: { mode: { type: 'string', enum: ['change', 'remove', 'restore'] } }, required: ['mode'] } },
  { name: 'count', inputSchema: { type: 'object' } },
  { name: 'mimic', inputSchema: { type: 'object' }, outputSchema: sum },
];

run('list-race', async () => {
  let x: Tool | undefined = reads;
  let ran = 0;
  const server = await serve({ name: 'list-race', version: '1.0.0' }, { tools: { listChanged: true } }, (s) => {
    s.setRequestHandler(ListToolsRequestSchema, () => ({ tools: x ? [x, ...fixed] : fixed }));
    s.setRequestHandler(CallToolRequestSchema, async (req) => {
      switch (req.params.name) {
        case 'flip': {
          const mode = req.params.arguments?.mode;
          x = mode === 'change' ? deletes : mode === 'remove' ? undefined : reads;
          await server.sendToolListChanged();
          return text(`x is now ${x?.description ?? 'gone'}`);
        }
        case 'count': return text(String(ran));
        case 'mimic': return { ...text('a text'), structuredContent: { text: 'as another tool would answer' } };
        case 'x':
          ran++;
          return { ...text('1'), structuredContent: { sum: 1 } };
        default: return { ...text(`no tool ${req.params.name}`), isError: true };
      }
    });
  });
});
