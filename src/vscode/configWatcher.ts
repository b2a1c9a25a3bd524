/**
 * Reads the server configuration from every workspace folder's `.vscode/switchboard.json` and the
 * `switchboard.servers` user setting, and says when any of them changes.
 */
import * as vscode from 'vscode';
import { Disposable, DisposableStore, Emitter } from '../common/lifecycle';
import { SETTING_SERVERS, SETTING_SOURCE_LABEL, WORKSPACE_CONFIG_PATH } from '../config/paths';
import { emptyConfig, type ConfigSource, type ParsedConfig } from '../config/types';

/**
 * `"always"` or `"onFirstUse"`: when servers with a cached catalog start (see ServersFeature).
 * Not under `switchboard.servers`: VS Code stores dotted names as one tree, so it would show up
 * inside that object as if it were a server.
 */
export const SETTING_AUTO_START = 'switchboard.autoStart';

export class ConfigWatcher extends Disposable {
  private readonly _onDidChange = this._register(new Emitter<void>());
  /** Debounced: saving a file often fires create + change in one go. */
  readonly onDidChange = this._onDidChange.event;
  private readonly _folderWatchers = this._register(new DisposableStore());
  private _timer?: NodeJS.Timeout;

  constructor() {
    super();
    this._register(vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(SETTING_SERVERS)) this._changed();
    }));
    this._register(vscode.workspace.onDidChangeWorkspaceFolders(() => { this._watchFolders(); this._changed(); }));
    this._register({ dispose: () => clearTimeout(this._timer) });
    this._watchFolders();
  }

  /** The user setting first, then each folder's file, so later sources override earlier ones. */
  async read(): Promise<ParsedConfig[]> {
    const setting = vscode.workspace.getConfiguration().inspect<unknown>(SETTING_SERVERS);
    // Only the user (global) value counts: a workspace's settings.json must not be able to
    // define servers that bypass Workspace Trust.
    const userValue = setting?.globalValue ?? {};
    const user: ConfigSource = { kind: 'user', file: SETTING_SOURCE_LABEL };
    const files = (await Promise.all((vscode.workspace.workspaceFolders ?? []).map((f) => this._readFolder(f))))
      .filter((f): f is FolderFile => !!f);
    // Nothing to check: the parser, and zod with it, is only loaded for a configuration that exists.
    if (!files.length && isEmptySetting(userValue)) return [emptyConfig(user)];
    const { parseConfigText, parseSettingValue } = await import('../config/parse');
    return [parseSettingValue(userValue, user), ...files.map((f) => parseConfigText(f.text, f.source))];
  }

  static fileUri(folder: vscode.WorkspaceFolder): vscode.Uri {
    return vscode.Uri.joinPath(folder.uri, WORKSPACE_CONFIG_PATH);
  }

  private async _readFolder(folder: vscode.WorkspaceFolder): Promise<FolderFile | undefined> {
    const uri = ConfigWatcher.fileUri(folder);
    let bytes: Uint8Array;
    try {
      bytes = await vscode.workspace.fs.readFile(uri);
    } catch {
      return undefined; // no file: no servers from this folder
    }
    return { text: new TextDecoder().decode(bytes), source: { kind: 'workspace', file: uri.fsPath, workspaceFolder: folder.uri.fsPath } };
  }

  private _watchFolders(): void {
    this._folderWatchers.clear();
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const w = this._folderWatchers.add(vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, WORKSPACE_CONFIG_PATH)));
      w.onDidCreate(() => this._changed());
      w.onDidChange(() => this._changed());
      w.onDidDelete(() => this._changed());
    }
  }

  private _changed(): void {
    clearTimeout(this._timer);
    this._timer = setTimeout(() => this._onDidChange.fire(), 150);
  }
}

interface FolderFile { text: string; source: ConfigSource }

/** A setting value that defines nothing, the way `parseSettingValue` reads it. */
function isEmptySetting(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0);
}
