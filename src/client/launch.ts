/**
 * One launch of a server: the process or socket, its client and everything registered for it.
 * A restart disposes exactly one launch; the connection object lives on.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { sleep } from '../common/async';
import { DisposableStore } from '../common/lifecycle';
import { isAlive, killProcessTree, listDescendants } from './processTree';
import type { TracingTransport } from './tracingTransport';
import type { TransportKind } from './transports';

/** What stop needs before the connection is fully open (a hung start still has a process). */
export interface TrackedTransport {
  close(): Promise<void>;
  pid(): number | undefined;
  /** How the process ended (`with code 1`), once it has; stdio only. */
  exit?(): string | undefined;
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
   * Staged stop: close stdin / the session (the SDK then sends SIGTERM and SIGKILL to the direct
   * child), and after `graceMs` kill whatever is left of the process tree — `npx` and shell
   * wrappers leave grandchildren the SDK does not know about.
   */
  close(graceMs: number): Promise<void> {
    this.closing = true;
    this._closed ??= this._close(graceMs);
    return this._closed;
  }

  /** A second stop does not wait for the grace period. */
  async forceKill(): Promise<void> {
    this.closing = true;
    const pid = this.tracked?.pid();
    if (pid !== undefined) await killProcessTree(pid).catch(() => undefined);
  }

  private async _close(graceMs: number): Promise<void> {
    const pid = this.tracked?.pid();
    // Snapshot the tree now: once the parent dies its children are re-parented and lost to us.
    const tree = pid !== undefined ? await listDescendants(pid).catch(() => [] as number[]) : [];
    const closing = (this.client ? this.client.close() : this.tracked?.close() ?? Promise.resolve()).catch(() => undefined);
    await Promise.race([closing, sleep(graceMs)]);
    if (pid !== undefined) {
      for (const p of [pid, ...tree]) {
        if (isAlive(p)) await killProcessTree(p).catch(() => undefined);
      }
    }
    this.store.dispose();
  }
}
