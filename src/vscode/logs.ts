/**
 * One `LogOutputChannel` per server ("Switchboard: <name>"), kept across restarts so the user can
 * read why the last run failed, plus the extension's own channel.
 */
import * as vscode from 'vscode';
import { redactedLog } from '../client/redactedLog';
import { boundedLog } from '../client/lines';
import type { ServerLog } from '../client/types';
import { redactCredentials, type Redactor } from '../common/redact';
import { Disposable } from '../common/lifecycle';

export const channelName = (server: string): string => `Switchboard: ${server}`;

export class ServerLogs extends Disposable {
  private readonly _channels = new Map<string, vscode.LogOutputChannel>();
  private _redactor: (server: string) => Redactor = () => redactCredentials;
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

  /** Where each server's redactor comes from (the manager, which knows its secrets), once there is one. */
  redactWith(redactor: (server: string) => Redactor): void {
    this._redactor = redactor;
  }

  /** The server's log; every line is redacted (common/redact.ts) before it reaches the channel and VS Code's log files. */
  logFor(server: string): ServerLog {
    const ch = this.channel(server);
    return redactedLog({
      trace: (m) => ch.trace(m),
      debug: (m) => ch.debug(m),
      info: (m) => ch.info(m),
      warn: (m) => ch.warn(m),
      error: (m) => ch.error(m),
      // stderr is the server's own diagnostics, not necessarily errors: log it as info, tagged.
      stderr: (line) => ch.info(`[stderr] ${line}`),
      traceEnabled: () => ch.logLevel === vscode.LogLevel.Trace,
    }, (text) => this._redactor(server)(text));
  }

  /** For a server's `notifications/message`: cut and thinned, so a server cannot flood its channel. */
  notificationsFor(server: string): ServerLog {
    let log = this._notified.get(server);
    if (!log) {
      // Redacted before it is cut, so a cut never splits a secret (logFor redacts again, harmlessly).
      log = redactedLog(boundedLog(this.logFor(server)), (text) => this._redactor(server)(text));
      this._notified.set(server, log);
    }
    return log;
  }

  show(server: string): void {
    this.channel(server).show(true);
  }
}
