/**
 * What one message from a server may hold before it is parsed. JSON.parse runs on the extension
 * host's thread in one piece, and its time and memory grow with the number of values (and, for
 * a single object, faster than linearly with its keys): a 27 MB line of 10^6 content blocks took
 * the host's thread for about a second. So the bytes are scanned as they arrive (a pass over each
 * chunk, never a whole message at once), and a message over a bound is dropped unparsed. If it
 * answered one of our requests, that request gets an error saying why, so the caller hears at once
 * and the connection goes on.
 */
import { ErrorCode, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { count } from '../common/jsonBounds';

export interface MessageLimits {
  /** Values of every kind in the message. */
  maxValues: number;
  /** Members of any one object. */
  maxMembers: number;
  /** Containers inside containers. */
  maxDepth: number;
}

/**
 * Bounds for one message. A tool list is one message, so these leave room for a large catalog
 * and for a tool too deep to keep, which the connection then refuses alone (catalogBounds.ts).
 */
export const MESSAGE_LIMITS: MessageLimits = { maxValues: 50_000, maxMembers: 5_000, maxDepth: 10_000 };

/** `indexOf`'s answer, with not found as `none`. */
const found = (at: number, none: number): number => (at === -1 ? none : at);

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
/** A top-level `"id"` longer than this is no id we sent. */
const MAX_ID_CHARS = 64;

/**
 * Scans one message's bytes, pushed in pieces, for its size and nesting; it also notes the
 * message's top-level `id` and whether it has a `method`, so a refused answer can be matched to
 * its request. It keeps no bytes beyond a short id. One tight loop over the bytes: it runs on every
 * byte every server sends.
 */
export class MessageScanner {
  private _depth = 0;
  private _values = 0;
  private _inString = false;
  private _escape = false;
  private _refusal?: string;
  /** Per depth: 1 for an object, and the members counted in it. */
  private readonly _isObject: Uint8Array;
  private readonly _members: Uint32Array;
  /** At the top level: the next string is a key; the key being read; the last key; the id's text. */
  private _expectKey = false;
  private _key?: string;
  private _lastKey = '';
  private _idText?: string;
  private _capturing = false;
  private _hasMethod = false;

  constructor(private readonly _limits: MessageLimits = MESSAGE_LIMITS) {
    this._isObject = new Uint8Array(_limits.maxDepth + 2);
    this._members = new Uint32Array(_limits.maxDepth + 2);
  }

  /** Makes the scanner ready for the next message. */
  reset(): void {
    this._depth = 0;
    this._values = 0;
    this._inString = this._escape = this._expectKey = this._capturing = this._hasMethod = false;
    this._refusal = this._key = this._idText = undefined;
    this._lastKey = '';
  }

  /** Why the message is refused, once it is over a bound. */
  get refusal(): string | undefined { return this._refusal; }

  /** Scans `bytes[start, end)`, the next piece of the message. */
  push(bytes: Uint8Array, start: number, end: number): void {
    const { maxDepth, maxMembers, maxValues } = this._limits;
    const isObject = this._isObject;
    const members = this._members;
    let depth = this._depth;
    let values = this._values;
    let inString = this._inString;
    let escape = this._escape;
    // Where the next quote and backslash are, found by the engine's own search: a string's
    // contents are skipped in one step (below the top level, where nothing in them matters).
    let nextQuote = -1;
    let nextSlash = -1;
    for (let i = start; i < end; i++) {
      if (inString && !escape && depth !== 1) {
        if (nextQuote < i) nextQuote = found(bytes.indexOf(QUOTE, i), bytes.length);
        if (nextSlash < i) nextSlash = found(bytes.indexOf(BACKSLASH, i), bytes.length);
        i = nextQuote < nextSlash ? nextQuote : nextSlash;
        if (i >= end) break;
      }
      const c = bytes[i];
      if (inString) {
        if (escape) escape = false;
        else if (c === BACKSLASH) escape = true;
        else if (c === QUOTE) inString = false;
        if (depth === 1) this._top(c, inString);
        continue;
      }
      switch (c) {
        case QUOTE:
          inString = true;
          if (depth === 1) this._top(c, inString);
          break;
        case 0x7b: // {
        case 0x5b: // [
          values++;
          depth++;
          if (depth <= maxDepth) {
            isObject[depth] = c === 0x7b ? 1 : 0;
            members[depth] = 1;
          } else if (this._refusal === undefined) {
            this._refusal = `it is nested deeper than ${count(maxDepth)} levels`;
          }
          if (depth === 1) this._expectKey = c === 0x7b;
          else if (depth === 2) this._capturing = false;
          break;
        case 0x7d: // }
        case 0x5d: // ]
          if (depth === 1) this._capturing = false;
          depth--;
          break;
        case 0x2c: // ,
          values++;
          if (depth === 1) {
            this._capturing = false;
            this._expectKey = isObject[1] === 1;
          } else if (depth <= maxDepth && isObject[depth] === 1 && ++members[depth] > maxMembers && this._refusal === undefined) {
            this._refusal = `an object in it has more than ${count(maxMembers)} members`;
          }
          break;
        default:
          if (depth === 1) this._top(c, inString);
      }
    }
    this._depth = depth;
    this._values = values;
    this._inString = inString;
    this._escape = escape;
    if (values > maxValues && this._refusal === undefined) this._refusal = `it has more than ${count(maxValues)} values`;
  }

  /**
   * A byte at the top level (`inString` as after it): follows the keys, and keeps the id's text.
   * Only the top level's few bytes come here.
   */
  private _top(c: number, inString: boolean): void {
    if (this._key !== undefined) {
      if (!inString) {
        this._lastKey = this._key;
        if (this._key === 'method') this._hasMethod = true;
        this._key = undefined;
      } else if (this._key.length <= MAX_ID_CHARS) {
        this._key += String.fromCharCode(c);
      }
      return;
    }
    if (c === QUOTE && inString && this._expectKey) {
      this._key = '';
      return;
    }
    if (!inString && c === 0x3a) { // :
      this._expectKey = false;
      if (this._lastKey === 'id') { this._capturing = true; this._idText = ''; }
      return;
    }
    if (this._capturing && (inString || c > 0x20)) {
      this._idText += String.fromCharCode(c);
      if (this._idText!.length > MAX_ID_CHARS) this._capturing = false;
    }
  }


  /**
   * For a refused answer to one of our requests: an error in its place, so the request ends now
   * with the reason instead of waiting out its timeout. Undefined for anything else.
   */
  refusedAnswer(): JSONRPCMessage | undefined {
    if (!this._refusal || this._hasMethod || this._idText === undefined) return undefined;
    let id: unknown;
    try { id = JSON.parse(this._idText); } catch { return undefined; }
    if (typeof id !== 'number' && typeof id !== 'string') return undefined;
    return { jsonrpc: '2.0', id, error: { code: ErrorCode.InternalError, message: `the server's answer was refused: ${this._refusal}` } };
  }
}
