/** Turns a byte stream into lines and keeps the last few for error reports. */

/** Splits chunks into complete lines (LF or CRLF); a trailing partial line waits for more data. */
export class LineSplitter {
  private _partial = '';

  constructor(private readonly _onLine: (line: string) => void, private readonly _maxLine = 64 * 1024) {}

  push(chunk: Buffer | string): void {
    const text = this._partial + chunk.toString();
    const parts = text.split('\n');
    this._partial = parts.pop() ?? '';
    // A server that never writes a newline must not grow memory without bound.
    if (this._partial.length > this._maxLine) {
      this._emit(this._partial);
      this._partial = '';
    }
    for (const p of parts) this._emit(p);
  }

  /** Emits whatever is pending (at stream end). */
  flush(): void {
    if (this._partial) this._emit(this._partial);
    this._partial = '';
  }

  private _emit(line: string): void {
    this._onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
  }
}

/** A fixed-size ring of the most recent lines. */
export class LineTail {
  private _lines: string[] = [];

  constructor(private readonly _size = 20) {}

  push(line: string): void {
    this._lines.push(line);
    if (this._lines.length > this._size) this._lines.shift();
  }

  lines(): string[] {
    return [...this._lines];
  }

  clear(): void {
    this._lines = [];
  }
}
