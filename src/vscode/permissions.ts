/**
 * The permission policy in the editor: rules kept in VS Code's storage (workspaceState for
 * "this workspace", globalState for "always", memory for "this session"), the prompt a person
 * answers, the "Manage Tool Permissions" list, and the audit log file with its command.
 */
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import * as vscode from 'vscode';
import type { McpClientManager } from '../client/manager';
import { Disposable } from '../common/lifecycle';
import { AuditLog, auditEntryFromCall } from '../policy/audit';
import { createAuthorizer, decideCall, type PermissionRequest, type PolicySource } from '../policy/authorizer';
import { HostPins } from '../policy/hostPins';
import { answersFor, describeRequest } from '../policy/promptText';
import { RuleStore } from '../policy/ruleStore';
import { alwaysAllowApproved, ApprovedCalls, type ApprovedTool } from '../policy/alwaysAllow';
import type { Answer, Decision, DefinitionChange, Rule } from '../policy/types';
import type { Authorizer, CallRecord } from '../router/types';
import { policySettings, SETTING_AUTO_ALLOW_READ_ONLY } from './policySettings';

export class PermissionsFeature extends Disposable {
  readonly store: RuleStore;
  readonly audit: AuditLog;
  readonly authorize: Authorizer;
  /** The definitions VS Code's card let through (see policy/hostPins). */
  readonly hostPins: HostPins;
  /** What the policy decides from, shared by the authorizer and `decide`. */
  private readonly _policy: PolicySource;
  /** The definitions VS Code's card let run, for the "Always Allow" button after a call. */
  private readonly _approved = new ApprovedCalls((server) => this._manager.identity(server));

  constructor(context: vscode.ExtensionContext, private readonly _manager: McpClientManager, log: (message: string) => void) {
    super();
    this.store = this._register(new RuleStore({
      // Without a folder there is no workspace to remember anything for.
      workspace: vscode.workspace.workspaceFolders?.length ? context.workspaceState : undefined,
      always: context.globalState,
      onProblem: log,
    }));
    this.hostPins = new HostPins(context.globalState, log);
    this.audit = new AuditLog({ file: vscode.Uri.joinPath(context.globalStorageUri, 'audit.jsonl').fsPath, onError: (e) => log(`audit log: ${String(e)}`) });
    // Read once and on change, not per call: getConfiguration costs more than the whole decision.
    let settings = policySettings();
    this._register(vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(SETTING_AUTO_ALLOW_READ_ONLY)) settings = policySettings();
    }));
    this._policy = { store: this.store, settings: () => settings, hostPins: this.hostPins, identity: (server) => this._manager.identity(server) };
    const authorize = createAuthorizer({
      ...this._policy,
      serverTools: (server) => this._manager.catalog(server)?.tools ?? [],
      // Running a tool by hand is the person's own yes, given when they filled in the form; a tool
      // that says it is destructive, or changed since it was allowed, is still confirmed.
      prompt: (request) => (request.call.origin === 'manual' && request.decision.reason === 'noRule' ? Promise.resolve('allowOnce') : askInDialog(request)),
      onProblem: log,
    });
    this.authorize = this._approved.wrap(authorize);
  }

  /** The definition VS Code's card last let run for `name`, for the "Always Allow" button that follows the call. */
  approved(name: string): ApprovedTool | undefined {
    return this._approved.get(name);
  }

  /** What the policy says about a call before anyone is asked; the chat participant picks its prompt by it. */
  decide(server: string, tool: Tool): Decision {
    return decideCall(this._policy, { server, tool, origin: 'chat' });
  }

  /**
   * "Always allow" for a tool that VS Code's card let run: pinned to the definition that was
   * approved then, whatever the server lists now. If the tool changed since, the rule does not
   * cover it (the next call asks, showing what changed) and the changes are returned.
   */
  async allowApproved(approved: ApprovedTool, current: Tool | undefined): Promise<DefinitionChange[]> {
    const { rule, changed } = alwaysAllowApproved(approved, current);
    await this.store.upsert(rule);
    return changed;
  }

  record(call: CallRecord): void {
    void this.audit.append(() => auditEntryFromCall(call));
  }

  /** Lists every rule; the ones the person picks are revoked. */
  async manage(): Promise<void> {
    const rules = this.store.list();
    if (!rules.length) {
      void vscode.window.showInformationMessage('No tool permission rules yet: every tool call asks first.');
      return;
    }
    type Item = vscode.QuickPickItem & { rule: Rule };
    const items: Item[] = rules.map((rule) => ({
      rule,
      label: `${rule.effect === 'allow' ? '$(check)' : '$(circle-slash)'} ${rule.target.tool ? `${rule.target.server} › ${rule.target.tool}` : `${rule.target.server} (all tools)`}`,
      description: `${rule.effect} · ${SCOPE_LABEL[rule.scope]} · ${sourceLabel(rule)}`,
      detail: `since ${new Date(rule.createdAt).toLocaleString()}${rule.pins ? ` · pinned: ${Object.keys(rule.pins).sort().join(', ')}` : ''}`,
    }));
    const picked = await vscode.window.showQuickPick(items, {
      title: 'Manage Tool Permissions', placeHolder: 'Select the rules to revoke, then press Enter', canPickMany: true, matchOnDetail: true,
    });
    if (!picked?.length) return;
    for (const item of picked) await this.store.revoke(item.rule.id);
    vscode.window.setStatusBarMessage(`Revoked ${picked.length} permission rule${picked.length > 1 ? 's' : ''}`, 4000);
  }

  /** Opens the audit log (created empty if no call has been made yet). */
  async openAuditLog(): Promise<void> {
    await this.audit.flush();
    const uri = vscode.Uri.file(this.audit.file);
    try {
      await vscode.workspace.fs.stat(uri);
    } catch {
      await vscode.workspace.fs.writeFile(uri, new Uint8Array());
    }
    await vscode.window.showTextDocument(uri, { preview: false });
  }
}

const SCOPE_LABEL: Record<Rule['scope'], string> = { session: 'this session', workspace: 'this workspace', always: 'always' };

/** Which server of that name a rule is for: the identity starts with its source (config/identity). */
const sourceLabel = (rule: Rule): string => {
  const source = rule.target.identity?.split(':')[0];
  return source === 'user' ? 'your server' : source === 'workspace' ? 'workspace server' : 'any server of that name';
};

async function askInDialog(request: PermissionRequest): Promise<Answer | undefined> {
  const { title, detail } = describeRequest(request);
  const items: (vscode.MessageItem & { answer: Answer })[] = [
    ...answersFor(request.call.tool, request.call.server),
    { title: 'Deny', answer: 'deny', isCloseAffordance: true },
  ];
  const picked = await vscode.window.showWarningMessage(title, { modal: true, detail }, ...items);
  return picked?.answer;
}
