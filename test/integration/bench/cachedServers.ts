// The servers of the cached-catalog windows (cachedWindow1/2.test.ts): stdio fixtures with
// generated tools, marked so the harness can prove none outlives the editor.
import * as path from 'node:path';
import { PROCESS_MARKER } from '../helpers';

const TOOLS_SERVER = path.resolve(__dirname, '..', '..', '..', 'bench', 'servers', 'tools-sdk.js');
export const CACHED_SERVERS = 10;
export const CACHED_TOOLS_EACH = 20;

export function cachedServersConfig(): string {
  const entries = Array.from({ length: CACHED_SERVERS }, (_, i) =>
    [`cached${i}`, { type: 'stdio', command: process.execPath, args: [TOOLS_SERVER, PROCESS_MARKER], env: { TOOL_COUNT: String(CACHED_TOOLS_EACH) } }]);
  return JSON.stringify({ servers: Object.fromEntries(entries) });
}
