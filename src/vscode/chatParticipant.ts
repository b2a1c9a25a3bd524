/**
 * `@switchboard` in the Chat view: a tool loop with the model the user picked. Each request offers
 * the model at most 128 routed tools (the servers the request names, or those of the
 * `switchboard.chat.servers` setting, or the best matches; see router/toolSelection) and says what
 * was left out. Answers stream back as they come, and Stop cancels the model and the running call.
 *
 * Each tool call runs through the tool VS Code's own MCP client registered for it from our
 * gateway, with the request's invocation token, so it shows in the chat with VS Code's card for
 * that one tool (its "Allow in this Session" covers that tool only). A single proxy tool of ours
 * was tried first and rejected: VS Code's primary "Allow" remembers the tool for the session, and
 * for a proxy that would have allowed every tool of every server after one click. Where VS Code's
 * MCP support is off, the call goes to the router directly and our own dialog asks.
 *
 * Our policy is looked at first, so the card only shows where a person really has to answer:
 * - a rule that allows or denies the tool settles the call in the router, with no card
 *   (this is how "Always Allow" from the button after a call stops the cards);
 * - a tool whose definition changed since the user allowed it (or that is new since they allowed
 *   its server) is asked about by our own prompt, which shows what changed; VS Code's card
 *   would not, and sending it through the card as well would stack two prompts;
 * - a tool that may be destructive (policy's `mayBeDestructive`) is asked about by our own dialog,
 *   naming it: VS Code's card for it could be settled by a yes to its whole server, so the gateway
 *   has VS Code show none for it (see policy/authorizer).
 */
import * as vscode from 'vscode';
import type { McpClientManager } from '../client/manager';
import { errorMessage } from '../common/async';
import { Disposable, type IDisposable } from '../common/lifecycle';
import { markdownText } from '../common/terminalText';
import { selectTools, type ToolSelection } from '../router/toolSelection';
import type { NamespacedTool } from '../client/types';
import { isStaleAsk, mayBeDestructive } from '../policy/policy';
import type { Decision } from '../policy/types';
import { resultText, toToolResult } from './toolResults';
import { gatewayDefinitionId } from './gatewayFeature';
import { matchHostTools } from '../gateway/hostNames';
import type { ToolAccess } from './toolAccess';
import { alwaysAllowChangedMessage, type ApprovedTool } from '../policy/alwaysAllow';

export const PARTICIPANT_ID = 'switchboard.chat';
/**
 * Run by the "Always Allow …" button a response ends with, with the namespaced tool name and the
 * definition VS Code's card let run (see `PermissionsFeature.approved`): the rule pins that one.
 */
export const ALLOW_ALWAYS_COMMAND = 'switchboard.allowToolAlways';
/** A model that keeps calling tools is stopped here, with a note, rather than looping forever. */
const MAX_ROUNDS = 10;

/** One finished request, for tests and the curious: what ran and how it ended. */
export interface ChatRequestRecord {
  prompt: string;
  offered: number;
  omitted: ToolSelection['omitted'];
  /** `via` says whether VS Code's MCP tool (with its card) or the router directly ran it. */
  calls: { name: string; result: string; via: 'editor' | 'router' }[];
  /** The model's text. */
  text: string;
  /** Our own lines in the response: why a call ran without a card, or what changed. */
  notes: string[];
  /** The tools the response offered an "Always Allow" button for. */
  alwaysAllowOffered: string[];
}

/** How one call is put to the user; see the file comment. */
type Route = { via: 'editor'; editorName: string } | { via: 'router'; note?: string };

export class ChatFeature extends Disposable {
  private readonly _onDidFinishRequest = this._register(new vscode.EventEmitter<ChatRequestRecord>());
  readonly onDidFinishRequest = this._onDidFinishRequest.event;

  private readonly _extensionId: string;

  /** `access` gives the router and the policy, loading them the first time (see ToolsFeature). */
  constructor(context: vscode.ExtensionContext, private readonly _manager: McpClientManager, private readonly _access: () => Promise<ToolAccess>) {
    super();
    this._extensionId = context.extension.id;
    this._register(vscode.commands.registerCommand(ALLOW_ALWAYS_COMMAND, (name: string, approved?: ApprovedTool) => this._allowAlways(name, approved)));
    const participant = vscode.chat.createChatParticipant(PARTICIPANT_ID, (request, chatContext, stream, token) => this._handle(request, chatContext, stream, token));
    participant.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'switchboard.svg');
    this._register(participant);
  }

  private async _handle(request: vscode.ChatRequest, chatContext: vscode.ChatContext, stream: vscode.ChatResponseStream, token: vscode.CancellationToken): Promise<vscode.ChatResult> {
    const record: ChatRequestRecord = { prompt: request.prompt, offered: 0, omitted: [], calls: [], text: '', notes: [], alwaysAllowOffered: [] };
    // The calls VS Code's card let through (the gateway sees them settled by the host), with the
    // definition each ran with: they get an "Always Allow" button, so the next call needs no card.
    const carded = new Map<string, ApprovedTool>();
    const sentToEditor = new Set<string>();
    let sub: IDisposable | undefined;
    try {
      const all = this._manager.tools();
      if (!all.length) {
        stream.markdown('No MCP server with tools is running yet. Add or start one in the MCP Switchboard view.');
        stream.button({ command: 'switchboard.showServers', title: 'Show Servers' });
        return {};
      }
      const access = await this._access();
      sub = access.router.onDidCall((r) => {
        if (r.origin !== 'gateway' || !r.authorization?.allowed || r.authorization.by !== 'host' || r.outcome !== 'ok' || !sentToEditor.has(r.name)) return;
        const approved = access.permissions.approved(r.name);
        if (approved) carded.set(r.name, approved);
      });
      const preferred = vscode.workspace.getConfiguration('switchboard').get<string[]>('chat.servers') ?? [];
      const selection = selectTools(all, request.prompt, { preferredServers: preferred });
      record.offered = selection.tools.length;
      record.omitted = selection.omitted;
      if (selection.omitted.length) stream.markdown(omittedNote(selection, all.length));
      await this._loop(access, request, chatContext, stream, token, selection.tools, record, sentToEditor);
      for (const [name, approved] of carded) {
        stream.button({ command: ALLOW_ALWAYS_COMMAND, arguments: [name, approved], title: `Always Allow ${name}` });
        record.alwaysAllowOffered.push(name);
      }
      return { metadata: { calls: record.calls.length } };
    } catch (e) {
      if (token.isCancellationRequested) return {};
      const message = e instanceof vscode.LanguageModelError ? `${e.message} (${e.code})` : errorMessage(e);
      return { errorDetails: { message: `@switchboard could not finish: ${message}` } };
    } finally {
      sub?.dispose();
      this._onDidFinishRequest.fire(record);
    }
  }

  private async _loop(
    access: ToolAccess, request: vscode.ChatRequest, chatContext: vscode.ChatContext, stream: vscode.ChatResponseStream, token: vscode.CancellationToken,
    offered: NamespacedTool[], record: ChatRequestRecord, sentToEditor: Set<string>,
  ): Promise<void> {
    const tools: vscode.LanguageModelChatTool[] = offered.map((t) => ({
      name: t.name, description: t.tool.description ?? t.tool.title ?? t.name, inputSchema: t.tool.inputSchema,
    }));
    const messages = [...history(chatContext), vscode.LanguageModelChatMessage.User(request.prompt)];
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const response = await request.model.sendRequest(messages, { tools, justification: 'to answer with the tools of your MCP servers' }, token);
      const calls: vscode.LanguageModelToolCallPart[] = [];
      let text = '';
      for await (const part of response.stream) {
        if (part instanceof vscode.LanguageModelTextPart) {
          stream.markdown(part.value);
          text += part.value;
        } else if (part instanceof vscode.LanguageModelToolCallPart) {
          calls.push(part);
        }
      }
      record.text += text;
      if (!calls.length) return;
      messages.push(vscode.LanguageModelChatMessage.Assistant([...(text ? [new vscode.LanguageModelTextPart(text)] : []), ...calls]));
      const results: vscode.LanguageModelToolResultPart[] = [];
      const editorNames = await this._editorToolNames(calls.map((c) => c.name));
      // One after another: each may show a card, and the user answers them in order.
      for (const call of calls) {
        if (token.isCancellationRequested) return;
        const route = this._route(access, call.name, editorNames.get(call.name));
        if (route.via === 'router' && route.note) {
          stream.markdown(route.note);
          record.notes.push(route.note);
        }
        if (route.via === 'editor') sentToEditor.add(call.name);
        const result = await this._invoke(access, call, route, request, token);
        record.calls.push({ name: call.name, result: resultText(result), via: route.via });
        results.push(new vscode.LanguageModelToolResultPart(call.callId, result.content));
      }
      messages.push(vscode.LanguageModelChatMessage.User(results));
    }
    stream.markdown(`\n\n_Stopped after ${MAX_ROUNDS} rounds of tool calls._`);
  }

  /**
   * VS Code's names for our routed tools, from the definitions it connected to (one per server,
   * see hostNames.ts); the servers VS Code has not listed yet are started first.
   */
  private async _editorToolNames(names: readonly string[]): Promise<Map<string, string>> {
    const wanted = this._manager.tools().filter((t) => names.includes(t.name));
    let found = this._matchEditorTools(wanted);
    const missing = new Set(wanted.filter((t) => !found.has(t.name)).map((t) => t.server));
    for (const server of missing) {
      await vscode.commands.executeCommand(START_MCP_SERVER, gatewayDefinitionId(this._extensionId, server), { waitForLiveTools: true }).then(undefined, () => undefined);
    }
    if (missing.size) found = this._matchEditorTools(wanted);
    // VS Code lists the server's other tools, so it is connected: a tool that just appeared is on
    // its way in the next list_changed. Waiting a moment keeps it on VS Code's card.
    const late = (f: Map<string, string>) => wanted.filter((t) => !f.has(t.name));
    if (late(found).some((t) => this._matchEditorTools(this._manager.tools().filter((o) => o.server === t.server)).size > 0)) {
      // Polled: the stable API has no event for vscode.lm.tools changing.
      for (const end = Date.now() + LIST_WAIT_MS; late(found).length && Date.now() < end;) {
        await new Promise((r) => setTimeout(r, 100));
        found = this._matchEditorTools(wanted);
      }
    }
    return found;
  }

  private _matchEditorTools(tools: readonly NamespacedTool[]): Map<string, string> {
    return matchHostTools(tools, vscode.lm.tools.map((t) => t.name), this._manager.names().length);
  }

  /** Card or router, from what our policy says about the call now (see the file comment). */
  private _route({ router, permissions }: ToolAccess, name: string, editorName: string | undefined): Route {
    const target = router.resolve(name);
    // An unknown tool or a stopped server: the router's answer says so.
    if (!target) return { via: 'router' };
    const decision = permissions.decide(target.server, target.tool);
    if (decision.kind !== 'ask') return { via: 'router', note: `_\`${name}\`: ${markdownText(decision.message)}_\n\n` };
    if (isStaleAsk(decision)) return { via: 'router', note: changedNote(name, decision) };
    if (mayBeDestructive(target.tool)) return { via: 'router' };
    return editorName ? { via: 'editor', editorName } : { via: 'router' };
  }

  private async _allowAlways(name: string, approved: ApprovedTool | undefined): Promise<void> {
    if (!approved) {
      // A button without the approved definition could only pin what the server lists now.
      void vscode.window.showWarningMessage(`"${name}" was not allowed: this button does not say which version of the tool you approved. Allow it when it next asks.`);
      return;
    }
    const { router, permissions } = await this._access();
    const current = router.resolve(name);
    const changed = await permissions.allowApproved(approved, current?.server === approved.server.name ? current.tool : undefined);
    if (changed.length) {
      void vscode.window.showWarningMessage(alwaysAllowChangedMessage(name, changed), { modal: false });
      return;
    }
    vscode.window.setStatusBarMessage(`${name} is always allowed now (until its definition changes); Manage Tool Permissions revokes it`, 6000);
  }

  private async _invoke(access: ToolAccess, call: vscode.LanguageModelToolCallPart, route: Route, request: vscode.ChatRequest, token: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult> {
    const args = call.input as Record<string, unknown>;
    if (route.via === 'router') {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      try {
        return toToolResult(await access.router.call(call.name, args, { origin: 'chat', signal: abort.signal }));
      } finally {
        sub.dispose();
      }
    }
    try {
      return await vscode.lm.invokeTool(route.editorName, { input: args, toolInvocationToken: request.toolInvocationToken }, token);
    } catch (e) {
      // A cancelled call ends up here; the model hears why and the loop goes on.
      return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(`${call.name} did not run: ${errorMessage(e)}`)]);
    }
  }
}

/** How long a call waits for VS Code to list a tool the gateway has just announced. */
const LIST_WAIT_MS = 2000;

/** VS Code's internal command that starts an MCP server by definition id (absent in older hosts). */
const START_MCP_SERVER = 'workbench.mcp.startServer';

/** Said in the chat before our prompt asks about a tool that changed since the user allowed it. */
function changedNote(name: string, decision: Extract<Decision, { kind: 'ask' }>): string {
  // The messages quote the tool's name and its schema's property names: the server's text, not Markdown to render.
  const what = decision.changed?.map((c) => `- ${markdownText(c.message)}`).join('\n');
  return `_\`${name}\`: ${markdownText(decision.message)} Review it in the prompt before it runs._${what ? `\n\n${what}` : ''}\n\n`;
}

function omittedNote(selection: ToolSelection, total: number): string {
  const how = selection.reason === 'named' ? `the servers you named (${selection.servers.join(', ')})`
    : selection.reason === 'setting' ? `the servers in \`switchboard.chat.servers\` (${selection.servers.join(', ')})`
      : 'the best matches for your request';
  const left = selection.omitted.map((o) => `${o.server} (${o.count})`).join(', ');
  return `_Offering ${selection.tools.length} of ${total} tools, from ${how}; left out: ${left}. Name a server (\`#name\`) to use its tools._\n\n`;
}

/** Earlier turns with @switchboard, as plain text: tool calls are not replayed. */
function history(chatContext: vscode.ChatContext): vscode.LanguageModelChatMessage[] {
  const out: vscode.LanguageModelChatMessage[] = [];
  for (const turn of chatContext.history) {
    if (turn instanceof vscode.ChatRequestTurn) out.push(vscode.LanguageModelChatMessage.User(turn.prompt));
    else if (turn instanceof vscode.ChatResponseTurn) {
      const text = turn.response.map((p) => (p instanceof vscode.ChatResponseMarkdownPart ? p.value.value : '')).join('');
      if (text) out.push(vscode.LanguageModelChatMessage.Assistant(text));
    }
  }
  return out;
}
