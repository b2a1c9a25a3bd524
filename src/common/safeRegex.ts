/**
 * Patterns that servers write (JSON Schema `pattern`, `patternProperties`) run on the extension
 * host's thread, where JavaScript's backtracking engine can take exponential time on a crafted
 * pattern and input. They are run with RE2's linear-time engine (the pure-JS port `re2js`)
 * instead. What RE2 cannot express (backreferences, lookaround) is refused, never handed to the
 * backtracking engine.
 */
import { RE2JS } from 're2js';

/** What a compiled pattern offers: an unanchored search, as `RegExp.prototype.test`. */
export interface SafePattern {
  test(text: string): boolean;
}

/** `pattern` (ECMAScript syntax) for the linear-time engine, or why it cannot be run safely. */
export function compileSafePattern(pattern: string): SafePattern | Error {
  try {
    const re = RE2JS.compile(RE2JS.translateRegExp(pattern));
    return { test: (text) => re.test(text) };
  } catch (e) {
    return new Error(`pattern ${JSON.stringify(pattern)} cannot be matched in linear time (${describe(e)})`);
  }
}

function describe(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return message.replace(/^error parsing regexp: /, '');
}
