/**
 * The configuration model shared by the core, the CLI and the VS Code adapter.
 * The file format follows VS Code's own `mcp.json` (`servers` + `inputs`), and also accepts the
 * Claude Desktop / Cursor shape (`mcpServers`).
 */
import type { OAuthSettings } from '../client/auth/types';

/** Where a server definition came from; workspace servers are subject to Workspace Trust. */
export type ConfigSourceKind = 'workspace' | 'user';

export interface ConfigSource {
  kind: ConfigSourceKind;
  /** Absolute path of the file, or a label such as `settings:switchboard.servers` for the setting. */
  file: string;
  /** The folder `${workspaceFolder}` resolves to for this source, if any. */
  workspaceFolder?: string;
}

/** Limits shared by every transport; all optional, defaults live in the client. */
export interface TimeoutSettings {
  /** Spawn/connect + initialize + first listing must finish within this (ms). */
  startupTimeoutMs?: number;
  /** Each request (list, call, read) must answer within this (ms). */
  requestTimeoutMs?: number;
}

export interface StdioServerConfig extends TimeoutSettings {
  type: 'stdio';
  command: string;
  args: string[];
  env: Record<string, string | null>;
  envFile?: string;
  cwd?: string;
  disabled?: boolean;
}

export interface RemoteServerConfig extends TimeoutSettings {
  type: 'http' | 'sse';
  url: string;
  headers: Record<string, string>;
  /** OAuth settings; a server that asks for OAuth without them is signed into by dynamic registration. */
  oauth?: OAuthSettings;
  tls?: TlsSettings;
  disabled?: boolean;
}

/** How an https:// server's certificate is checked. Verification itself is never turned off. */
export interface TlsSettings {
  /**
   * A PEM file of certificate authorities to trust besides the usual ones (a private CA, say).
   * Relative paths are taken from the workspace folder; the file is read each time the
   * connection opens.
   */
  ca?: string;
}

export type ServerConfig = StdioServerConfig | RemoteServerConfig;

/** A zero-based offset range in the source text plus 1-based line/column for humans. */
export interface SourceRange {
  offset: number;
  length: number;
  /** 1-based */
  line: number;
  /** 1-based */
  column: number;
  /** 1-based, inclusive end position */
  endLine: number;
  endColumn: number;
}

export interface ConfigError {
  file: string;
  range: SourceRange;
  message: string;
  /** JSON path of the offending node, e.g. ['servers', 'weather', 'command']. */
  path: (string | number)[];
  /** The server the error belongs to, if it is inside one server's entry. */
  server?: string;
  severity: 'error' | 'warning';
}

export interface ServerDefinition {
  /** Config key, unique within a source. */
  name: string;
  source: ConfigSource;
  /** As written: variables not yet resolved. */
  config: ServerConfig;
  /** Range of the server's key in its file (for "reveal in config"). */
  range?: SourceRange;
  /**
   * JSON path of the entry in its source, e.g. `['servers', 'weather']` or
   * `['mcpServers', 'weather']`; for the setting, `['weather']`.
   */
  path?: (string | number)[];
}

export interface InputDefinition {
  id: string;
  type: 'promptString' | 'pickString';
  description?: string;
  password?: boolean;
  default?: string;
  options?: string[];
}

export interface ParsedConfig {
  source: ConfigSource;
  servers: ServerDefinition[];
  inputs: InputDefinition[];
  errors: ConfigError[];
  /**
   * Servers whose entry is present but invalid: they are listed so the tree can show the error
   * on the server's node instead of silently dropping it.
   */
  invalidServers: { name: string; errors: ConfigError[] }[];
}

/** A source with no servers, inputs or findings. */
export function emptyConfig(source: ConfigSource): ParsedConfig {
  return { source, servers: [], inputs: [], errors: [], invalidServers: [] };
}
