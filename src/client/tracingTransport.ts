/**
 * The transport the SDK's Client sees, around the real one. It logs every JSON-RPC message at
 * trace level (serialising each costs time on the call path, so only while trace logging is on),
 * notes when the connection was last active, for the idle health check (healthCheck.ts), and
 * holds the connection's short path for tool calls (toolCalls.ts): their answers stop here.
 */
import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { ToolCalls } from './toolCalls';
import type { ServerLog } from './types';

export class TracingTransport implements Transport {
  /** When a message last went either way (ms since the epoch), for the idle health check. */
  lastActivity = Date.now();
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage, extra?: unknown) => void;
  /** Tool calls sent beside the SDK's Protocol; see toolCalls.ts. */
  readonly toolCalls = new ToolCalls((m) => this.send(m));

  /** `onStarted` runs once the inner transport is up (for stdio: the process has spawned). */
  constructor(readonly inner: Transport, private readonly _log: ServerLog, private readonly _onStarted?: () => void) {
    inner.onclose = () => {
      this.toolCalls.close();
      this.onclose?.();
    };
    inner.onerror = (e) => this.onerror?.(e);
    inner.onmessage = (m, extra) => {
      this.lastActivity = Date.now();
      if (this._log.traceEnabled?.()) this._log.trace(`◀ ${JSON.stringify(m)}`);
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
    if (this._log.traceEnabled?.()) this._log.trace(`▶ ${JSON.stringify(message)}`);
    return this.inner.send(message, options);
  }

  close(): Promise<void> { return this.inner.close(); }
}
