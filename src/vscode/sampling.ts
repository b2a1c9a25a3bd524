/**
 * A server's `sampling/createMessage`, answered by a VS Code language model, and only for servers
 * the user agreed to lend one. The agreement and the model chosen for each server live in the
 * user setting `switchboard.sampling` (application scope: a workspace cannot grant it), each for
 * one server identity (policy/samplingConsent). The
 * first request from a server asks (Allow / Deny, remembered either way) and, when several
 * models are available, which one. Every request and its answer's size go to the server's output.
 */
import * as vscode from 'vscode';
import { McpError, type CreateMessageResult } from '@modelcontextprotocol/sdk/types.js';
import type { SamplingParams } from '../client/clientFeatures';
import { consentFor, withConsent, type SamplingConsent } from '../policy/samplingConsent';
import type { ServerLogs } from './logs';

export const SETTING_SAMPLING = 'sampling';

/** The spec's code for a sampling request the user refused. */
const USER_REJECTED = -1;

export class SamplingFeature {
  /** `identity` is the manager's: who the server by this name is now (config/identity). */
  constructor(private readonly _logs: ServerLogs, private readonly _identity: (server: string) => string | undefined) {}

  async sample(server: string, params: SamplingParams, signal: AbortSignal): Promise<CreateMessageResult> {
    const log = this._logs.logFor(server);
    log.info(`sampling request: ${params.messages.length} message(s), up to ${params.maxTokens} tokens${params.systemPrompt ? ', with a system prompt' : ''}`);
    const model = await this._modelFor(server);
    const messages = params.messages.map((m) => {
      const parts = (Array.isArray(m.content) ? m.content : [m.content]).map((c) => (c.type === 'text' ? c.text : `[${c.type} content left out]`));
      const text = parts.join('\n');
      return m.role === 'assistant' ? vscode.LanguageModelChatMessage.Assistant(text) : vscode.LanguageModelChatMessage.User(text);
    });
    if (params.systemPrompt) messages.unshift(vscode.LanguageModelChatMessage.User(params.systemPrompt));
    const cts = new vscode.CancellationTokenSource();
    signal.addEventListener('abort', () => cts.cancel(), { once: true });
    try {
      const response = await model.sendRequest(messages, { justification: `MCP server "${server}" asks for a completion` }, cts.token);
      let text = '';
      for await (const chunk of response.text) text += chunk;
      log.info(`sampling answered by ${model.vendor}/${model.id}: ${text.length} characters`);
      return { role: 'assistant', model: model.id, content: { type: 'text', text }, stopReason: 'endTurn' };
    } finally {
      cts.dispose();
    }
  }

  private async _modelFor(server: string): Promise<vscode.LanguageModelChat> {
    const identity = this._identity(server);
    if (identity === undefined) throw new McpError(USER_REJECTED, 'the server is no longer configured');
    const ref = { name: server, identity };
    const config = vscode.workspace.getConfiguration('switchboard');
    // The user's own value only: a workspace cannot lend a model to a server.
    const userValue = () => config.inspect(SETTING_SAMPLING)?.globalValue;
    let entry = consentFor(userValue(), ref);
    const save = (next: SamplingConsent) => config.update(SETTING_SAMPLING, withConsent(userValue(), ref, next), vscode.ConfigurationTarget.Global);
    if (entry.allowed === undefined) {
      const choice = await vscode.window.showInformationMessage(
        `MCP server "${server}" wants to use a language model (sampling).`,
        { modal: true, detail: 'Its requests and the model\'s answers go through your model account. You can change this in the switchboard.sampling setting.' },
        'Allow', 'Deny',
      );
      if (!choice) throw new McpError(USER_REJECTED, 'the user dismissed the sampling request');
      entry = { ...entry, allowed: choice === 'Allow' };
      await save(entry);
    }
    if (!entry.allowed) throw new McpError(USER_REJECTED, 'the user does not let this server use a language model');
    const models = await vscode.lm.selectChatModels();
    if (!models.length) throw new McpError(USER_REJECTED, 'no language model is available');
    const known = entry.model ? models.find((m) => `${m.vendor}/${m.id}` === entry.model || m.id === entry.model) : undefined;
    if (known) return known;
    let chosen = models[0];
    if (models.length > 1) {
      const pick = await vscode.window.showQuickPick(models.map((m) => ({ label: m.name, description: `${m.vendor}/${m.id}`, model: m })),
        { title: `Which model should MCP server "${server}" use?`, ignoreFocusOut: true });
      if (!pick) throw new McpError(USER_REJECTED, 'the user chose no model');
      chosen = pick.model;
    }
    await save({ ...entry, model: `${chosen.vendor}/${chosen.id}` });
    return chosen;
  }
}
