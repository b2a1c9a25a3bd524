/**
 * At most one notification per failure: a server that enters the error state is reported once,
 * with "Show Output" and "Restart", and not again until it has run successfully. A server that
 * waits for a sign-in is not a failure: it gets one "Sign In" notification instead.
 */
import * as vscode from 'vscode';
import type { McpClientManager } from '../client/manager';
import { Disposable } from '../common/lifecycle';

export class FailureNotifier extends Disposable {
  private readonly _reported = new Set<string>();

  constructor(manager: McpClientManager, private readonly _run: (command: string, server: string) => void) {
    super();
    this._register(manager.onDidChangeState(({ server, state }) => {
      if (state.kind === 'running' || state.kind === 'stopped') this._reported.delete(server);
      if (state.kind !== 'error' || this._reported.has(server)) return;
      this._reported.add(server);
      if (state.signIn) {
        void vscode.window.showInformationMessage(`MCP server "${server}" needs you to sign in.`, 'Sign In').then((choice) => {
          if (choice) this._run('switchboard.signIn', server);
        });
        return;
      }
      const tail = state.stderrTail.length ? ` — ${state.stderrTail[state.stderrTail.length - 1]}` : '';
      void vscode.window.showErrorMessage(`MCP server "${server}" failed: ${state.message}${tail}`, 'Show Output', 'Restart').then((choice) => {
        if (choice === 'Show Output') this._run('switchboard.showOutput', server);
        if (choice === 'Restart') this._run('switchboard.restartServer', server);
      });
    }));
  }
}
