/**
 * Wraps a transport to log every JSON-RPC message at trace level. Serialising each message costs
 * time on the call path, so it only happens while trace logging is on. It also notes when the
 * connection was last active, for the idle health check (healthCheck.ts).
 */
import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { ServerLog } from './types';

export class TracingTransport implements Transport {
  /** When a message last went either way (ms since the epoch), for the idle health check. */
  lastActivity = Date.now();
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage, extra?: unknown) => void;

  /** `onStarted` runs once the inner transport is up (for stdio: the process has spawned). */
  constructor(readonly inner: Transport, private readonly _log: ServerLog, private readonly _onStarted?: () => void) {
    inner.onclose = () => this.onclose?.();
    inner.onerror = (e) => this.onerror?.(e);
    inner.onmessage = (m, extra) => {
      this.lastActivity = Date.now();
      if (this._log.traceEnabled?.()) this._log.trace(`◀ ${JSON.stringify(m)}`);
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
