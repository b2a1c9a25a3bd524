/**
 * Hostile: one tool whose input schema is nested DEEP_SCHEMA_LEVELS (4,000) levels deep, enough
 * to overflow the stack of any recursive walk (JSON.stringify included), listed beside an
 * ordinary tool that must keep working. The JSON is written as text: the server could not
 * stringify it either.
 */
import { serveRaw, textResult } from './rawServer';

const levels = Number(process.env.DEEP_SCHEMA_LEVELS ?? 4000);
const open = '{"type":"object","properties":{"a":'.repeat(levels);
const close = '}}'.repeat(levels);
const deep = `{"name":"deep","description":"Deep.","inputSchema":{"type":"object","properties":{"a":${open}{"type":"string"}${close}}}}`;
const fine = JSON.stringify({ name: 'fine', description: 'Says hello.', inputSchema: { type: 'object', properties: { who: { type: 'string' } } } });

serveRaw('deep-schema', [{ name: 'deep', json: deep }, { name: 'fine', json: fine }], (_name, args) => textResult(`hello ${String(args.who)}`));
