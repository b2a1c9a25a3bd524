/**
 * What every one of our transports accepts from a server: one JSON-RPC 2.0 message, checked by
 * shape only. The SDK's Protocol parses each result, notification and request again with its own
 * schema, so a full schema parse here (as the SDK's transports do) would be the same work twice
 * on every message.
 */
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { MessageScanner } from './messageBounds';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isId = (v: unknown) => typeof v === 'string' || typeof v === 'number';

/** The JSON-RPC 2.0 envelope as MCP uses it: a request, a notification, a result or an error. */
export function isJsonRpcMessage(v: unknown): v is JSONRPCMessage {
  if (!isObject(v) || v.jsonrpc !== '2.0') return false;
  if (typeof v.method === 'string') return (v.id === undefined || isId(v.id)) && (v.params === undefined || isObject(v.params));
  if (!isId(v.id)) return false;
  if ('result' in v) return isObject(v.result) && !('error' in v);
  return isObject(v.error) && Number.isInteger(v.error.code) && typeof v.error.message === 'string';
}

/** A parsed value as a message, or why it is not one. */
export function toMessage(value: unknown, text?: string): JSONRPCMessage | Error {
  if (isJsonRpcMessage(value)) return value;
  return new Error(`the server sent JSON that is not a JSON-RPC message: ${(text ?? JSON.stringify(value)).slice(0, 200)}`);
}

/** One scanner for every event: parsing is synchronous, so it is never shared by two at once. */
const scanner = new MessageScanner();

/**
 * An event's data (SSE) as a message, or why it is not one. Data over the message bounds is not
 * parsed: an answer to one of our requests becomes an error answer saying why.
 */
export function parseMessage(text: string): JSONRPCMessage | Error {
  scanner.reset();
  const bytes = Buffer.from(text, 'utf8');
  scanner.push(bytes, 0, bytes.length);
  if (scanner.refusal) return scanner.refusedAnswer() ?? new Error(`refused a message from the server: ${scanner.refusal}`);
  return parseLine(text);
}

/** A line (stdio, already sized up as it arrived) as a message, or why it is not one. */
export function parseLine(text: string): JSONRPCMessage | Error {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return new Error(`the server sent something that is not JSON: ${text.slice(0, 200)}`);
  }
  return toMessage(value, text);
}
