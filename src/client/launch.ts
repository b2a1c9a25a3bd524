/**
 * One launch of a server: the process or socket, its client and everything registered for it.
 * A restart disposes exactly one launch; the connection object lives on.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { sleep } from '../common/async';
import { DisposableStore } from '../common/lifecycle';
import type { TracingTransport } from './tracingTransport';
import type { TransportKind } from './transports';

/** What stop needs before the connection is fully open (a hung start still has a process). */
export interface TrackedTransport {
  close(): Promise<void>;
  pid(): number | undefined;
  /** A stdio server's staged stop of its whole process tree (stdioTransport.ts). */
  stop?(graceMs: number): Promise<void>;
  /** SIGKILL to a stdio server's whole process tree. */
  kill?(): Promise<void>;
  /** How the process ended (`with code 1`), once it has; stdio only. */
  exit?(): string | undefined;
  /** Why the transport closed the connection itself, if it did (the server broke the protocol). */
  failure?(): string | undefined;
}

export class Launch {
  readonly store = new DisposableStore();
  client?: Client;
  /** The client's transport (ours, around the real one). */
  transport?: TracingTransport;
  kind?: TransportKind;
  tracked?: TrackedTransport;
  /** Set once we started closing it on purpose, so its close event is not taken for a crash. */
  closing = false;
  /** The server ended the HTTP session (404): its close means "start a new session", not a crash. */
  sessionExpired = false;
  /** The connection has closed: the process exited, the socket dropped, or we closed it. */
  lost = false;
  /** Pending while a tools refresh the server announced is under way (see `McpServerConnection.toolsSettled`). */
  toolsSettled?: Promise<void>;
  private _closed?: Promise<void>;

  /**
   * Staged stop: close stdin or the session; a stdio server gets `graceMs` to exit before its
   * whole process tree is signalled (SIGTERM, then SIGKILL). A remote close that hangs is let go
   * after `graceMs`.
   */
  close(graceMs: number): Promise<void> {
    this.closing = true;
    this._closed ??= this._close(graceMs);
    return this._closed;
  }

  /** A second stop does not wait for the grace period. */
  async forceKill(): Promise<void> {
    this.closing = true;
    await this.tracked?.kill?.();
  }

  private async _close(graceMs: number): Promise<void> {
    const stopping = this.tracked?.stop?.(graceMs);
    const closing = (this.client ? this.client.close() : this.tracked?.close() ?? Promise.resolve()).catch(() => undefined);
    if (stopping) await Promise.all([stopping.catch(() => undefined), closing]);
    else await Promise.race([closing, sleep(graceMs)]);
    this.store.dispose();
  }
}
