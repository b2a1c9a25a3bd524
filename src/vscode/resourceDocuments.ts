/**
 * Opens MCP resources as read-only documents under their own URI scheme, so the editor never
 * offers to save them and the server is asked again on every open.
 */
import * as vscode from 'vscode';
import type { McpClientManager } from '../client/manager';

export const RESOURCE_SCHEME = 'switchboard-resource';

/** `switchboard-resource:/<server>/<name>?<encoded resource uri>` — the path keeps tabs readable. */
export function resourceDocumentUri(server: string, resourceUri: string, name: string): vscode.Uri {
  return vscode.Uri.from({ scheme: RESOURCE_SCHEME, path: `/${server}/${name}`, query: encodeURIComponent(resourceUri) });
}

export class ResourceDocumentProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly _manager: McpClientManager) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const server = uri.path.split('/')[1];
    const resourceUri = decodeURIComponent(uri.query);
    // A resource listed from the cache starts its server on first open.
    const started = await this._manager.startOnUse(server);
    const conn = this._manager.connection(server);
    const client = conn?.client;
    if (!client) throw new Error(started.running ? `MCP server "${server}" is not running` : started.message);
    const result = await client.readResource({ uri: resourceUri }, conn.requestOptions());
    return result.contents.map((c) => ('text' in c && typeof c.text === 'string'
      ? c.text
      : `[binary ${c.mimeType ?? 'content'}: ${'blob' in c ? Math.round((c.blob as string).length * 0.75) : 0} bytes]`)).join('\n');
  }
}
