/**
 * Our requests' ids as the server sees them. The SDK numbers its requests 0, 1, 2… and the
 * tool-call short path counts up from CALL_ID_BASE, so a server could answer a request before it
 * was sent: it writes an answer for the next id ahead of time, and that answer resolves the
 * request as soon as it goes out. So each request goes out under a random id instead, and only an
 * answer to an id that is out and unanswered comes back, under the id the client gave it.
 */
import { randomInt } from 'node:crypto';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

type Id = string | number;
interface Envelope { id?: Id; method?: string; params?: { requestId?: Id } }

/** Wire ids stay in 31 bits: some servers keep ids in 32-bit integers. */
const WIRE_ID_LIMIT = 2 ** 31 - 1;
/** Cancelled requests whose late answer is dropped quietly; older ones count as unknown. */
const MAX_CANCELLED = 1024;

/** What `incoming` makes of an answer to a request we cancelled: nothing to report. */
export const LATE = 'late';

export class RequestIds {
  /** Wire id → the client's id, for every request out and unanswered. */
  private readonly _ours = new Map<number, Id>();
  private readonly _wire = new Map<Id, number>();
  /** Wire ids of cancelled requests, oldest first. */
  private readonly _cancelled = new Set<number>();

  /** Requests still waiting for their answer. */
  get pending(): number { return this._ours.size; }

  /** The message as it goes out: a request under a fresh wire id, a cancellation naming it. */
  outgoing(message: JSONRPCMessage): JSONRPCMessage {
    const m = message as Envelope;
    if (m.method !== undefined && m.id !== undefined) {
      let wire: number;
      do wire = randomInt(1, WIRE_ID_LIMIT); while (this._ours.has(wire));
      this._ours.set(wire, m.id);
      this._wire.set(m.id, wire);
      return { ...message, id: wire } as JSONRPCMessage;
    }
    if (m.method === 'notifications/cancelled' && m.params?.requestId !== undefined) {
      const wire = this._wire.get(m.params.requestId);
      if (wire === undefined) return message;
      // The server may still answer; that answer is expected, and wanted by nobody.
      this._forget(wire);
      this._cancelled.add(wire);
      if (this._cancelled.size > MAX_CANCELLED) this._cancelled.delete(this._cancelled.values().next().value!);
      return { ...message, params: { ...m.params, requestId: wire } } as JSONRPCMessage;
    }
    return message;
  }

  /**
   * An arriving message as the client should see it: an answer under the id the client gave its
   * request; LATE for the answer to a request we cancelled; undefined for an answer to no request
   * of ours (never sent, not sent yet, already answered). Requests and notifications from the
   * server pass as they are.
   */
  incoming(message: JSONRPCMessage): JSONRPCMessage | typeof LATE | undefined {
    const m = message as Envelope;
    if (m.method !== undefined) return message;
    const ours = typeof m.id === 'number' ? this._ours.get(m.id) : undefined;
    if (ours === undefined) return typeof m.id === 'number' && this._cancelled.delete(m.id) ? LATE : undefined;
    this._forget(m.id as number);
    return { ...message, id: ours } as JSONRPCMessage;
  }

  /** A request that could not be sent (`wire` as `outgoing` gave it) is not out. */
  abandon(wire: JSONRPCMessage): void {
    const m = wire as Envelope;
    if (m.method !== undefined && typeof m.id === 'number') this._forget(m.id);
  }

  /** The connection closed: nothing is out any more. */
  clear(): void {
    this._ours.clear();
    this._wire.clear();
    this._cancelled.clear();
  }

  private _forget(wire: number): void {
    const ours = this._ours.get(wire);
    this._ours.delete(wire);
    if (ours !== undefined) this._wire.delete(ours);
  }
}
