/** sha256 in hex, the one digest the project keys and compares things by. */
import * as crypto from 'node:crypto';

/**
 * sha256 (hex) of a string's UTF-8. Node's one-shot `crypto.hash` (20.12+) skips the Hash object
 * `createHash` builds each time, which counts where it runs for every tool call (the audit log's
 * argument hash).
 */
export const sha256Hex: (text: string) => string = typeof crypto.hash === 'function'
  ? (text) => crypto.hash('sha256', text, 'hex')
  : (text) => crypto.createHash('sha256').update(text).digest('hex');
