/** Pure edits of a config file's text that keep the user's comments and formatting. */
import { applyEdits, modify, parse } from 'jsonc-parser';

/**
 * Splits a command line typed into "Add Server" the way the platform would: Windows by the C
 * runtime's rules (what CommandLineToArgvW follows), where `C:\tools\srv.exe` keeps its
 * backslashes, and elsewhere like a POSIX shell for simple cases (quotes and backslash escapes).
 */
export function splitCommandLine(line: string, platform: NodeJS.Platform = process.platform): string[] {
  return platform === 'win32' ? splitWindows(line) : splitPosix(line);
}

/** The arguments being built: text goes into the current one, a blank ends it (if it was started). */
function argumentList() {
  const out: string[] = [];
  let cur: string | undefined;
  return {
    out,
    /** Starts the argument even with no text, for `""`. */
    add: (text = '') => { cur = (cur ?? '') + text; },
    end: () => { if (cur !== undefined) out.push(cur); cur = undefined; },
  };
}

function splitPosix(line: string): string[] {
  const args = argumentList();
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"' && i + 1 < line.length) args.add(line[++i]);
      else args.add(ch);
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      args.add();
    } else if (ch === '\\' && i + 1 < line.length) {
      args.add(line[++i]);
    } else if (/\s/.test(ch)) {
      args.end();
    } else {
      args.add(ch);
    }
  }
  if (quote) throw new Error(`unterminated ${quote} quote`);
  args.end();
  return args.out;
}

/**
 * Backslashes are literal except in a run that ends at a double quote: 2n of them give n and the
 * quote opens or closes, 2n+1 give n and a literal quote. `""` inside quotes is a literal quote.
 * The program name (the first argument) takes no escapes at all. Single quotes are plain text.
 */
function splitWindows(line: string): string[] {
  const args = argumentList();
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    const inProgram = args.out.length === 0;
    if (ch === '\\' && !inProgram) {
      let n = 0;
      while (line[i + n] === '\\') n++;
      if (line[i + n] !== '"') {
        args.add('\\'.repeat(n));
        i += n - 1;
      } else if (n % 2 === 1) {
        args.add(`${'\\'.repeat((n - 1) / 2)}"`);
        i += n; // past the escaped quote
      } else {
        args.add('\\'.repeat(n / 2));
        i += n - 1; // the quote is read next, as a quote
      }
    } else if (ch === '"') {
      if (quoted && line[i + 1] === '"' && !inProgram) {
        args.add('"');
        i++;
      } else {
        quoted = !quoted;
        args.add();
      }
    } else if (!quoted && (ch === ' ' || ch === '\t')) {
      args.end();
    } else {
      args.add(ch);
    }
  }
  if (quoted) throw new Error('unterminated " quote');
  args.end();
  return args.out;
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
