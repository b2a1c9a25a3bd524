/**
 * Offsets to human positions. Errors carry both so editors can underline the exact node and the
 * CLI can print `file:line:col`.
 */
import type { SourceRange } from './types';

/** The range used when there is no text to point into (values that come from settings). */
export const ZERO_RANGE: SourceRange = Object.freeze({ offset: 0, length: 0, line: 1, column: 1, endLine: 1, endColumn: 1 });

/** Maps offsets of one text to 1-based line/column (columns count UTF-16 units, as editors do). */
export class LineIndex {
  /** Offset at which each line starts; `\n`, `\r\n` and a lone `\r` all end a line. */
  private readonly _starts: number[] = [0];

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 13 /* \r */) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this._starts.push(i + 1);
      } else if (ch === 10 /* \n */) {
        this._starts.push(i + 1);
      }
    }
  }

  /** 1-based line and column of an offset. */
  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this._starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this._starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this._starts[lo] + 1 };
  }

  /** A range whose end position is the last character covered (inclusive), or the start when empty. */
  range(offset: number, length: number): SourceRange {
    const start = this.position(offset);
    const end = length > 0 ? this.position(offset + length - 1) : start;
    return { offset, length, line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
  }
}
