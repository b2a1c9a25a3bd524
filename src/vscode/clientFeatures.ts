/**
 * What the editor answers when a server asks its client for something: the workspace folders as
 * roots (with `roots/list_changed` when they change), forms and URLs through elicitation.ts, a
 * language model through sampling.ts, and the server's log messages into its output channel at
 * their level.
 */
import * as vscode from 'vscode';
import type { Root } from '@modelcontextprotocol/sdk/types.js';
import type { ClientFeatures, ElicitParams, LogMessage, SamplingParams } from '../client/clientFeatures';
import type { Event } from '../common/lifecycle';
import { askElicitation } from './elicitation';
import type { ServerLogs } from './logs';
import type { SamplingFeature } from './sampling';

export class EditorClientFeatures implements ClientFeatures {
  readonly elicitUrl = true;
  readonly roots: { list(): Root[]; onDidChange: Event<void> } = {
    list: () => (vscode.workspace.workspaceFolders ?? []).map((f) => ({ uri: f.uri.toString(), name: f.name })),
    onDidChange: (listener) => vscode.workspace.onDidChangeWorkspaceFolders(() => listener()),
  };
  private _sampling?: SamplingFeature;

  /** `identity` is the manager's, for the consent sampling keeps per server identity. */
  constructor(private readonly _logs: ServerLogs, private readonly _identity: (server: string) => string | undefined) {}

  elicit(server: string, params: ElicitParams, signal: AbortSignal) {
    this._logs.logFor(server).info(`elicitation request (${params.mode ?? 'form'}): ${params.message}`);
    return askElicitation(server, params, signal);
  }

  async sample(server: string, params: SamplingParams, signal: AbortSignal) {
    // Loaded with the first request: it answers with the SDK's errors, and the SDK is only loaded once a server runs.
    const { SamplingFeature } = await import('./sampling');
    this._sampling ??= new SamplingFeature(this._logs, this._identity);
    return this._sampling.sample(server, params, signal);
  }

  log(server: string, { level, logger, data }: LogMessage): void {
    const log = this._logs.notificationsFor(server);
    const text = `${logger ? `[${logger}] ` : ''}${typeof data === 'string' ? data : JSON.stringify(data)}`;
    if (level === 'debug') log.debug(text);
    else if (level === 'info' || level === 'notice') log.info(text);
    else if (level === 'warning') log.warn(text);
    else log.error(text);
  }
}
