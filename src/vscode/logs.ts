/**
 * One `LogOutputChannel` per server ("Switchboard: <name>"), kept across restarts so the user can
 * read why the last run failed, plus the extension's own channel.
 */
import * as vscode from 'vscode';
import { boundedLog } from '../client/lines';
import type { ServerLog } from '../client/types';
import { Disposable } from '../common/lifecycle';

export const channelName = (server: string): string => `Switchboard: ${server}`;

export class ServerLogs extends Disposable {
  private readonly _channels = new Map<string, vscode.LogOutputChannel>();
  private readonly _notified = new Map<string, ServerLog>();
  readonly main: vscode.LogOutputChannel = this._register(vscode.window.createOutputChannel('MCP Switchboard', { log: true }));

  channel(server: string): vscode.LogOutputChannel {
    let ch = this._channels.get(server);
    if (!ch) {
      ch = this._register(vscode.window.createOutputChannel(channelName(server), { log: true }));
      this._channels.set(server, ch);
    }
    return ch;
  }

  logFor(server: string): ServerLog {
    const ch = this.channel(server);
    return {
      trace: (m) => ch.trace(m),
      debug: (m) => ch.debug(m),
      info: (m) => ch.info(m),
      warn: (m) => ch.warn(m),
      error: (m) => ch.error(m),
      // stderr is the server's own diagnostics, not necessarily errors: log it as info, tagged.
      stderr: (line) => ch.info(`[stderr] ${line}`),
      traceEnabled: () => ch.logLevel === vscode.LogLevel.Trace,
    };
  }

  /** For a server's `notifications/message`: cut and thinned, so a server cannot flood its channel. */
  notificationsFor(server: string): ServerLog {
    let log = this._notified.get(server);
    if (!log) {
      log = boundedLog(this.logFor(server));
      this._notified.set(server, log);
    }
    return log;
  }

  show(server: string): void {
    this.channel(server).show(true);
  }
}
