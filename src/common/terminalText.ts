/**
 * Text a server wrote, made safe to show. A terminal obeys escape sequences wherever they appear
 * in its output: a tool description or an error message can write the clipboard (OSC 52), retitle
 * the window, erase or overwrite lines, or reorder what is read with bidi overrides. Servers are
 * not trusted, so every control sequence is removed before text reaches a terminal or a dialog.
 */

/**
 * Escape sequences as a terminal parses them, each introduced by ESC (7-bit) or by its C1 code
 * (8-bit): control strings (OSC, DCS, SOS, PM, APC) run to BEL or ST, or to the end of the text
 * when unterminated, as the terminal would swallow the rest too; CSI takes parameters,
 * intermediates and one final byte; the other ESC sequences take intermediates and a final byte.
 * Each branch reads its characters once, so the cost stays linear whatever a server sends.
 */
const SEQUENCE = new RegExp([
  '(?:\\u001b[\\]PX^_]|[\\u0090\\u0098\\u009d\\u009e\\u009f])[^\\u0007\\u001b\\u009c]*(?:\\u0007|\\u001b\\\\|\\u009c)?',
  '(?:\\u001b\\[|\\u009b)[\\u0030-\\u003f]*[\\u0020-\\u002f]*[\\u0040-\\u007e]?',
  '\\u001b[\\u0020-\\u002f]*[\\u0030-\\u007e]?',
].join('|'), 'g');

/**
 * Every control character left once sequences are gone (C0 but tab and newline, DEL, C1), the
 * bidi embeddings, overrides, isolates and marks, and the line and paragraph separators.
 */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** `text` without escape sequences or control characters; tabs and newlines stay. */
export function stripControls(text: string): string {
  return text.replace(SEQUENCE, '').replace(CONTROL, '');
}

/** `text` on one line: controls stripped, every run of whitespace (newlines included) one space. */
export function oneLine(text: string): string {
  return stripControls(text).replace(/\s+/g, ' ').trim();
}

/** At most `max` characters (ending in `…` when cut), never splitting a surrogate pair. */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  if (/[\ud800-\udbff]/.test(text[end - 1] ?? '')) end--;
  return `${text.slice(0, end)}…`;
}

/**
 * JSON text with the characters JSON.stringify leaves raw but a terminal obeys (C1 controls, bidi
 * and separator characters) written as `\uXXXX` escapes. They can only stand inside strings, so
 * the JSON reads back to the same value, and nothing is left for `stripControls` to remove.
 */
export function escapeJsonControls(json: string): string {
  return json.replace(/[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Server text for a Markdown message (a chat note): one line, every character Markdown acts on escaped. */
export function markdownText(text: string): string {
  return oneLine(text).replace(/[\\`*_{}[\]()#+\-.!<>|~&]/g, '\\$&');
}
