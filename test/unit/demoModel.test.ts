// The demo model's rules (demo-model/plan.js): which tool a prompt names, and the arguments it
// fills in, for the tools of the demo servers.
import * as assert from 'assert';
import * as path from 'path';

interface ToolInfo { name: string; description?: string; inputSchema?: unknown }
const { planCall } = require(path.resolve(__dirname, '..', '..', '..', 'demo-model', 'plan.js')) as {
  planCall: (tools: ToolInfo[], prompt: string) => { tool: string; input: Record<string, unknown> } | undefined;
};

const object = (properties: Record<string, unknown>, required: string[] = Object.keys(properties)) => ({ type: 'object', properties, required });
const tools: ToolInfo[] = [
  { name: 'everything_echo', description: 'Echoes back the input string', inputSchema: object({ message: { type: 'string' } }) },
  { name: 'everything_get-sum', description: 'Returns the sum of two numbers', inputSchema: object({ a: { type: 'number' }, b: { type: 'number' } }) },
  { name: 'everything_get-sum-extra', description: 'Not a real tool', inputSchema: object({}) },
  { name: 'memory_read_graph', description: 'Read the entire knowledge graph', inputSchema: object({}) },
  { name: 'filesystem_list_directory', description: 'Get a detailed listing', inputSchema: object({ path: { type: 'string' }, depth: { type: 'integer' }, mode: { enum: ['a', 'b'] } }, ['path', 'mode']) },
];

describe('demo model', () => {
  it('calls the tool the prompt names, with the quoted text for its string argument', () => {
    assert.deepStrictEqual(planCall(tools, 'use everything_echo with "Hello from the demo"'), { tool: 'everything_echo', input: { message: 'Hello from the demo' } });
  });

  it('takes the whole name, not a shorter tool it starts with, and numbers in order', () => {
    assert.deepStrictEqual(planCall(tools, 'everything_get-sum of 2 and 40'), { tool: 'everything_get-sum', input: { a: 2, b: 40 } });
  });

  it('uses a JSON object in the prompt as the arguments', () => {
    assert.deepStrictEqual(planCall(tools, 'run filesystem_list_directory {"path": "/tmp", "mode": "b"} please'), { tool: 'filesystem_list_directory', input: { path: '/tmp', mode: 'b' } });
  });

  it('without a name, picks the tool sharing words with the prompt, and fills what is required', () => {
    assert.deepStrictEqual(planCall(tools, 'read the knowledge graph'), { tool: 'memory_read_graph', input: {} });
    assert.deepStrictEqual(planCall(tools, 'list the directory "docs"'), { tool: 'filesystem_list_directory', input: { path: 'docs', mode: 'a' } });
  });

  it('calls nothing when no tool fits', () => {
    assert.strictEqual(planCall(tools, 'hello there'), undefined);
  });
});
