/** Pure edits of a config file's text that keep the user's comments and formatting. */
import { applyEdits, modify, parse } from 'jsonc-parser';

/** Splits a command line the way a POSIX shell would for simple cases: spaces, quotes, backslashes. */
export function splitCommandLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: '"' | "'" | undefined;
  let started = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"' && i + 1 < line.length) cur += line[++i];
      else cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      started = true;
    } else if (ch === '\\' && i + 1 < line.length) {
      cur += line[++i];
      started = true;
    } else if (/\s/.test(ch)) {
      if (started) out.push(cur);
      cur = '';
      started = false;
    } else {
      cur += ch;
      started = true;
    }
  }
  if (quote) throw new Error(`unterminated ${quote} quote`);
  if (started) out.push(cur);
  return out;
}

/**
 * Adds (or replaces) one server entry. Files in the Claude/Cursor shape keep using `mcpServers`;
 * everything else uses `servers`.
 */
export function addServerToText(text: string, name: string, entry: Record<string, unknown>): string {
  const base = text.trim() ? text : '{}\n';
  const parsed = parse(base, [], { allowTrailingComma: true }) as Record<string, unknown> | undefined;
  const key = parsed && typeof parsed === 'object' && 'mcpServers' in parsed && !('servers' in parsed) ? 'mcpServers' : 'servers';
  const edits = modify(base, [key, name], entry, { formattingOptions: { insertSpaces: true, tabSize: 2, eol: '\n' } });
  return applyEdits(base, edits);
}

/** The file a new workspace gets from "Open Configuration". */
export const CONFIG_SKELETON = `{
  // MCP servers for this workspace. Same format as VS Code's mcp.json.
  // Example: "memory": { "type": "stdio", "command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"] }
  "servers": {},
  "inputs": []
}
`;
