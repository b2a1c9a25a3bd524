/**
 * OAuth in the editor: one session per remote server (tokens and registrations in VS Code's
 * SecretStorage, per server URL), "Sign In" and "Sign Out of Server" commands.
 *
 * A server starting by itself never opens a browser: when it needs a sign-in it waits in the
 * tree as "needs sign-in" with a Sign In button (and one notification). Refreshing tokens and
 * machine-to-machine grants need no browser, so they happen on their own. "Sign In" opens the
 * authorization page with `openExternal`; the redirect comes back to a loopback listener on
 * 127.0.0.1 (client/auth/loopbackRedirect.ts), and the server is started again.
 *
 * A server whose configuration sets its own `Authorization` header keeps it: no session then.
 * A session's code (the SDK's OAuth flow, jose for DPoP) is loaded when it is first used, not
 * with the extension: most windows never talk to a remote server.
 */
import * as vscode from 'vscode';
import type { OAuthSession } from '../client/auth/oauthSession';
import type { AuthChallenge, AuthorizationAgent, ConnectionTrust, HttpAuth } from '../client/auth/types';
import type { McpClientManager } from '../client/manager';
import type { ResolvedServer } from '../client/types';
import { errorMessage } from '../common/async';
import { openableUrlProblem } from '../common/urlPolicy';
import { Disposable } from '../common/lifecycle';

/** The user chose not to open the sign-in page: not a failure to report. */
class SignInDeclined extends Error {
  constructor() { super('the sign-in page was not opened'); }
}

/**
 * Sends the user to the authorization page in their browser, after showing its full address: the
 * server chose it, so the user should see where it leads before it opens. Only web pages are
 * opened (common/urlPolicy.ts; the session checks it first as well).
 */
const browser: AuthorizationAgent = {
  async open(url, server) {
    const problem = openableUrlProblem(url.href);
    if (problem) throw new Error(`the sign-in page cannot be opened (${url.href}): ${problem}`);
    const choice = await vscode.window.showInformationMessage(
      `Sign in to MCP server "${server}" in your browser?`,
      { modal: true, detail: `It will open ${url.href}` },
      'Open',
    );
    if (choice !== 'Open') throw new SignInDeclined();
    if (!await vscode.env.openExternal(vscode.Uri.parse(url.href, true))) throw new Error('the browser could not be opened');
  },
};

/** What the connection holds; the session itself is made (and its modules loaded) on the first request. */
class DeferredSession implements HttpAuth {
  private _session?: Promise<OAuthSession>;
  constructor(private readonly _make: () => Promise<OAuthSession>) {}

  session(): Promise<OAuthSession> {
    this._session ??= this._make();
    return this._session;
  }

  async headers(method: string, url: URL): Promise<Record<string, string>> {
    return (await this.session()).headers(method, url);
  }

  async challenge(status: number, challenge: AuthChallenge, trust: ConnectionTrust): Promise<boolean> {
    return (await this.session()).challenge(status, challenge, trust);
  }
}

export class OAuthFeature extends Disposable {
  private readonly _sessions = new Map<string, { key: string; session: DeferredSession }>();

  constructor(private readonly _secrets: vscode.SecretStorage) {
    super();
  }

  /** For `ManagerOptions.oauth`: the server's session, kept while its URL and OAuth settings stay the same. */
  readonly sessionFor = (def: ResolvedServer): HttpAuth | undefined => {
    const { config } = def;
    if (config.type === 'stdio' || Object.keys(config.headers).some((h) => h.toLowerCase() === 'authorization')) return undefined;
    const key = JSON.stringify([config.url, config.oauth ?? {}]);
    const known = this._sessions.get(def.name);
    if (known?.key === key) return known.session;
    const session = new DeferredSession(async () => {
      const [{ OAuthSession }, { ServerOAuthProvider }] = await Promise.all([import('../client/auth/oauthSession'), import('../client/auth/oauthProvider')]);
      return new OAuthSession(def.name, new ServerOAuthProvider(config.url, config.oauth ?? {}, this._secrets));
    });
    this._sessions.set(def.name, { key, session });
    return session;
  };

  /** "Sign In": the browser flow with a cancellable progress notification, then the server again. */
  async signIn(manager: McpClientManager, server: string): Promise<boolean> {
    const session = await this._sessions.get(server)?.session.session();
    if (!session) {
      void vscode.window.showInformationMessage(`MCP server "${server}" does not use OAuth sign-in.`);
      return false;
    }
    try {
      const ok = await vscode.window.withProgress({
        location: vscode.ProgressLocation.Notification, title: `Signing in to MCP server "${server}"`, cancellable: true,
      }, (progress, token) => {
        progress.report({ message: 'continue in your browser…' });
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        return session.signIn(browser, abort.signal);
      });
      if (!ok) return false;
      await manager.restart(server);
      return true;
    } catch (e) {
      if (e instanceof SignInDeclined) return false;
      void vscode.window.showErrorMessage(`Sign-in to MCP server "${server}" failed: ${errorMessage(e)}`, 'Try Again').then((c) => {
        if (c) void this.signIn(manager, server);
      });
      return false;
    }
  }

  /** "Sign Out of Server": forgets its tokens and registration; a running server is restarted and asks again. */
  async signOut(manager: McpClientManager, server: string): Promise<void> {
    const session = await this._sessions.get(server)?.session.session();
    if (!session) {
      void vscode.window.showInformationMessage(`MCP server "${server}" has no sign-in to forget.`);
      return;
    }
    await session.signOut();
    if (manager.state(server)?.kind !== 'stopped') await manager.restart(server);
    vscode.window.setStatusBarMessage(`Signed out of MCP server "${server}"`, 5000);
  }
}
