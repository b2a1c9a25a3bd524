/**
 * Hostile: a tool whose input schema is nested DEEP_SCHEMA_LEVELS (4,000) levels deep, enough to
 * overflow the stack of any recursive walk (JSON.stringify included). It appears once `arm` is
 * called, announced with list_changed, beside `fine`, an ordinary tool that must keep working.
 * The JSON is written as text: the server could not stringify it either.
 */
import { serveRaw, textResult, type RawTool } from './rawServer';

const levels = Number(process.env.DEEP_SCHEMA_LEVELS ?? 4000);
const open = '{"type":"object","properties":{"a":'.repeat(levels);
const close = '}}'.repeat(levels);
const deep = `{"name":"deep","description":"Deep.","inputSchema":{"type":"object","properties":{"a":${open}{"type":"string"}${close}}}}`;
const plain = (name: string, description: string): RawTool => ({
  name, json: JSON.stringify({ name, description, inputSchema: { type: 'object', properties: { who: { type: 'string' } } } }),
});
let armed = false;

serveRaw('deep-schema', () => [plain('fine', 'Says hello.'), plain('arm', 'Lists the deep tool.'), ...(armed ? [{ name: 'deep', json: deep }] : [])],
  (name, args, listChanged) => {
    if (name === 'arm') {
      armed = true;
      listChanged();
      return textResult('armed');
    }
    return textResult(`hello ${String(args.who)}`);
  });
