/**
 * dotenv files for `envFile`: `KEY=value`, optional `export `, `#` comments, blank lines,
 * single quotes (literal) and double quotes (with `\n`, `\r`, `\t`, `\"`, `\\` escapes); quoted
 * values may span lines. No `$VAR` expansion, matching the `dotenv` package's default, so what
 * is in the file is exactly what the server gets.
 */
import { readFile } from 'node:fs/promises';
import { setOwn } from '../common/objects';

export interface EnvFileError {
  /** 1-based line the problem starts on. */
  line: number;
  message: string;
}

export interface EnvFileResult {
  env: Record<string, string>;
  errors: EnvFileError[];
}

const ASSIGNMENT = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/;
const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

/**
 * Reads a quoted value starting at `lines[index]` (after its opening quote), continuing onto
 * following lines until the closing quote.
 */
function readQuoted(lines: string[], index: number, first: string, quote: '"' | "'"):
  { value: string; next: number; rest: string } | undefined {
  let value = '';
  let text = first;
  for (let i = index; i < lines.length; i++, text = lines[i]) {
    for (let j = 0; j < text.length; j++) {
      const ch = text[j];
      if (ch === quote) return { value, next: i + 1, rest: text.slice(j + 1) };
      if (quote === '"' && ch === '\\' && j + 1 < text.length) {
        const next = text[++j];
        value += ESCAPES[next] ?? `\\${next}`;
      } else {
        value += ch;
      }
    }
    value += '\n';
  }
  return undefined;
}

/** Parses dotenv text; a bad line is reported and skipped, the rest still load. Last key wins. */
export function parseEnvFile(text: string): EnvFileResult {
  const env: Record<string, string> = {};
  const errors: EnvFileError[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  let i = 0;
  while (i < lines.length) {
    const lineNo = i + 1;
    const line = lines[i].trim();
    i++;
    if (line === '' || line.startsWith('#')) continue;
    const m = ASSIGNMENT.exec(line);
    if (!m) {
      const message = line.includes('=')
        ? `invalid variable name "${line.slice(0, line.indexOf('=')).trim()}"`
        : `expected KEY=value, got "${line.length > 40 ? `${line.slice(0, 40)}…` : line}"`;
      errors.push({ line: lineNo, message });
      continue;
    }
    const [, key, raw] = m;
    const quote = raw[0];
    if (quote === '"' || quote === "'") {
      const quoted = readQuoted(lines, i - 1, raw.slice(1), quote);
      if (!quoted) {
        errors.push({ line: lineNo, message: `unterminated ${quote === '"' ? 'double' : 'single'}-quoted value for ${key}` });
        break;
      }
      i = quoted.next;
      const rest = quoted.rest.trim();
      if (rest !== '' && !rest.startsWith('#')) {
        errors.push({ line: i, message: `unexpected text after the closing quote of ${key}` });
        continue;
      }
      setOwn(env, key, quoted.value);
    } else {
      // An unquoted value ends at a ` #` comment; a `#` inside a word (`a#b`) is kept.
      setOwn(env, key, raw.replace(/\s+#.*$/, '').trim());
    }
  }
  return { env, errors };
}

/**
 * Reads and parses an env file. Any problem is one error message naming the file (and the line,
 * for syntax), since a server should not start with half its environment.
 */
export async function loadEnvFile(file: string): Promise<{ env: Record<string, string> } | { error: string }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory' : (e as Error).message;
    return { error: `cannot read env file ${file}: ${reason}` };
  }
  const { env, errors } = parseEnvFile(text);
  if (errors.length) {
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
    return { error: `${file}:${errors[0].line}: ${errors[0].message}${more}` };
  }
  return { env };
}
