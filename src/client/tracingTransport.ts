/**
 * The transport the SDK's Client sees, around the real one. It logs every JSON-RPC message at
 * trace level (serialising each costs time on the call path, so only while trace logging is on),
 * notes when the connection was last active, for the idle health check (healthCheck.ts), and
 * holds the connection's short path for tool calls (toolCalls.ts): their answers stop here.
 * Requests go out under random ids (requestIds.ts), and an answer to a request that is not out
 * is dropped here and reported.
 */
import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { LATE, RequestIds } from './requestIds';
import { ToolCalls } from './toolCalls';
import type { ServerLog } from './types';

export class TracingTransport implements Transport {
  /** When a message last went either way (ms since the epoch), for the idle health check. */
  lastActivity = Date.now();
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage, extra?: unknown) => void;
  /** Tool calls sent beside the SDK's Protocol; see toolCalls.ts. */
  readonly toolCalls = new ToolCalls((m) => this.send(m), () => (this.inner as Partial<{ inputStall(): string | undefined }>).inputStall?.());

  private readonly _ids = new RequestIds();

  /** `onStarted` runs once the inner transport is up (for stdio: the process has spawned). */
  constructor(readonly inner: Transport, private readonly _log: ServerLog, private readonly _onStarted?: () => void) {
    inner.onclose = () => {
      this._ids.clear();
      this.toolCalls.close();
      this.onclose?.();
    };
    inner.onerror = (e) => this.onerror?.(e);
    inner.onmessage = (wire, extra) => {
      this.lastActivity = Date.now();
      if (this._log.traceEnabled?.()) this._log.trace(`◀ ${JSON.stringify(wire)}`);
      const m = this._ids.incoming(wire);
      if (m === LATE) return;
      if (!m) {
        this.onerror?.(new Error(`the server answered a request it was not sent or that was already answered (id ${JSON.stringify((wire as { id?: unknown }).id)?.slice(0, 40)}); ignored`));
        return;
      }
      if (this.toolCalls.take(m)) return;
      (this.onmessage as ((m: JSONRPCMessage, extra?: unknown) => void) | undefined)?.(m, extra);
    };
  }

  get sessionId(): string | undefined { return this.inner.sessionId; }

  setProtocolVersion(version: string): void { this.inner.setProtocolVersion?.(version); }

  async start(): Promise<void> {
    await this.inner.start();
    this._onStarted?.();
  }

  send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    this.lastActivity = Date.now();
    const wire = this._ids.outgoing(message);
    if (this._log.traceEnabled?.()) this._log.trace(`▶ ${JSON.stringify(wire)}`);
    return this.inner.send(wire, options).catch((e: unknown) => {
      this._ids.abandon(wire);
      throw e;
    });
  }

  close(): Promise<void> { return this.inner.close(); }
}
