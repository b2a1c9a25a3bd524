/**
 * Secrets out of every line we write. A server's command line, URL, errors and messages end up in
 * its log (and VS Code's log files on disk), in the CLI's output and in error messages a user may
 * paste into a bug report. Two things are hidden: the values the configuration resolved from
 * `${input:…}` and `${env:…}` (and its credential-named env and header values), which only the
 * config layer knows, and whatever has the shape of a credential wherever it came from.
 */

/** What stands for a hidden value. */
export const REDACTED = '***';

/** A function that returns its text with the secrets hidden. */
export type Redactor = (text: string) => string;

/**
 * Shorter values are not hidden by value: a `${env:…}` of `1` or `true` would blank every digit
 * or boolean in a trace. Credentials are longer; short ones are still caught by their shape.
 */
export const MIN_SECRET_LENGTH = 6;

/** Names that say a value is a credential: `api_key`, `X-Auth-Token`, `--password`, `client_secret`… */
const CREDENTIAL_NAME = /token|secret|passw(?:or)?d|api[-_.]?key|apikey|access[-_.]?key|private[-_.]?key|auth(?!or(?!i[sz]))|credential|signature|^key$|[-_.]key$|^key[-_.]/i;

/** Whether a parameter, flag, header, variable or JSON key name says its value is a credential. */
export function isCredentialName(name: string): boolean {
  const bare = name.replace(/^-+/, '');
  return CREDENTIAL_NAME.test(bare) && !NOT_CREDENTIALS.test(bare);
}

/** MCP's own names that only sound like credentials; hiding them would make traces unreadable. */
const NOT_CREDENTIALS = /^(?:progress_?token|max_?tokens)$/i;

/*
 * The shapes. Each pattern starts only where a name starts (the lookbehinds), so a long run of
 * name characters is read once, not once per position: a server controls much of what is logged.
 */
/** `name=value`: query parameters, `--flag=value`, `NAME=value` in a command line. */
const ASSIGNMENT = /(?<![\w.-])([\w.-]+)(=)([^\s&#"',;]+)/g;
/** `--flag value` and `-flag value`: the value is the next word, unless it is another flag. */
const FLAG = /(?<![\w.-])(-{1,2}[\w.-]+)([ \t]+)((?!-)[^\s"',;]+)/g;
/** `"name": "value"` in JSON. */
const JSON_PAIR = /"([\w.-]+)"(\s*:\s*)"([^"\\]*(?:\\.[^"\\]*)*)"/g;
/** `Authorization: …` and other credential headers, `Bearer …` included. */
const HEADER = /(?<![\w-])((?:proxy-)?authorization|cookie|x-[\w-]*(?:key|token|secret))(\s*:\s*)((?:(?:bearer|basic|dpop|token)[ \t]+)?[^\s"',;]+)/gi;
/** `Bearer <token>` and `DPoP <token>` wherever they appear (not `Bearer realm="…"`, a challenge's parameters). */
const SCHEME = /\b(Bearer|DPoP)([ \t]+)(?![\w-]+=[\w"])[\w.~+/-]+=*/g;
/** `scheme://user:password@host`. */
const USERINFO = /(\/\/[^\s/:@]+:)([^\s/@]+)(@)/g;
/** Tokens whose prefix says what they are (OpenAI/Anthropic, GitHub, Slack, AWS, GitLab, Google). */
const KNOWN_TOKEN = /\b(?:sk-[\w-]{16,}|gh[pousr]_\w{20,}|github_pat_\w{20,}|xox[abprs]-[\w-]{10,}|AKIA[0-9A-Z]{16}|glpat-[\w-]{20,}|AIza[\w-]{35})/g;

const hideIfNamed = (m: string, name: string, sep: string): string => (isCredentialName(name) ? `${name}${sep}${REDACTED}` : m);
const hideJsonIfNamed = (m: string, name: string, sep: string): string => (isCredentialName(name) ? `"${name}"${sep}"${REDACTED}"` : m);

/** `text` with whatever has the shape of a credential hidden. */
function hideShapes(text: string): string {
  return text
    .replace(USERINFO, `$1${REDACTED}$3`)
    .replace(HEADER, `$1$2${REDACTED}`)
    .replace(SCHEME, `$1$2${REDACTED}`)
    .replace(ASSIGNMENT, hideIfNamed)
    .replace(FLAG, hideIfNamed)
    .replace(JSON_PAIR, hideJsonIfNamed)
    .replace(KNOWN_TOKEN, REDACTED);
}

/**
 * Longer text is cut (after its secret values are hidden, so no part of one shows at the cut):
 * a log line that long helps nobody, and the shapes are then looked for in bounded time whatever
 * size of message a server sends.
 */
export const MAX_REDACTED_CHARS = 64 * 1024;

/** `text` cut to `max` characters, at a space or a quote near the end so no credential is split in view. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const near = Math.max(text.lastIndexOf(' ', max), text.lastIndexOf('"', max));
  const end = near > max - 256 ? near : max;
  return `${text.slice(0, end)}… (${text.length - end} more characters)`;
}

/**
 * A redactor for one server: its secret values hidden wherever they appear (also as they read
 * URL-encoded and JSON-escaped, as in a URL or a trace), then every credential shape.
 */
export function createRedactor(secrets: Iterable<string> = [], max = MAX_REDACTED_CHARS): Redactor {
  const forms = new Set<string>();
  for (const s of secrets) {
    if (s.length < MIN_SECRET_LENGTH) continue;
    forms.add(s);
    forms.add(encodeURIComponent(s));
    forms.add(JSON.stringify(s).slice(1, -1));
  }
  // Longest first, so a secret that contains another is hidden whole.
  const ordered = [...forms].sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const s of ordered) if (out.includes(s)) out = out.split(s).join(REDACTED);
    return hideShapes(cut(out, max));
  };
}

/** For text about no server in particular: credential shapes hidden, long text cut. */
export const redactCredentials: Redactor = createRedactor();
