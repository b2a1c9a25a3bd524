/**
 * Opens a connected MCP `Client` for a resolved server config: stdio through our stdio transport
 * (stdioTransport.ts), remote servers over Streamable HTTP (our own node:http transport, httpTransport.ts)
 * with a fallback to legacy SSE (sseTransport.ts) when the server answers the first POST with a
 * 4xx (as the spec's backwards-compatibility section describes). An https:// server's certificate
 * is always verified; `tls.ca` adds the authorities to trust (tls.ts).
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { RemoteServerConfig, StdioServerConfig } from '../config/types';
import { isSignInRequired, type HttpAuth } from './auth/types';
import { ConnectionError } from './connectionError';
import { HttpClientTransport } from './httpTransport';
import { SseClientTransport } from './sseTransport';
import { StdioTransport } from './stdioTransport';
import type { TrackedTransport } from './launch';
import { certificateError, trustedCertificates } from './tls';
import { TracingTransport } from './tracingTransport';
import type { ServerLog } from './types';

export type TransportKind = 'stdio' | 'http' | 'sse';

export interface OpenedConnection {
  client: Client;
  /** Ours around the real one: tracing, activity, the short path for tool calls. */
  transport: TracingTransport;
  kind: TransportKind;
  /** The stdio server's process id, for staged stop and process-tree cleanup. */
  pid?: number;
}

export interface OpenOptions {
  log: ServerLog;
  /** Builds a fresh client with handlers registered; a failed attempt's client is not reused. */
  createClient: () => Client;
  /** Fully merged environment for a stdio server (see platform.ts). */
  env?: Record<string, string>;
  /** Receives the stdio server's stderr as it arrives. */
  onStderr?: (chunk: Buffer) => void;
  /** Bounds the initialize request. */
  timeoutMs: number;
  /** Learns the transport before connecting, so a hung start can still be stopped. */
  track?: (t: TrackedTransport) => void;
  /** A remote server's OAuth session: bearer tokens on every request, sign-in on a challenge. */
  auth?: HttpAuth;
}

export async function openStdio(config: StdioServerConfig, opts: OpenOptions): Promise<OpenedConnection> {
  const inner = new StdioTransport({
    command: config.command,
    args: config.args,
    env: opts.env ?? getDefaultEnvironment(),
    cwd: config.cwd,
    onStderr: opts.onStderr,
  });
  const transport = new TracingTransport(inner, opts.log);
  opts.track?.({ close: () => transport.close(), pid: () => inner.pid, stop: (ms) => inner.stop(ms), kill: () => inner.kill(), exit: () => inner.exit, failure: () => inner.failure });
  const client = opts.createClient();
  try {
    await client.connect(transport, { timeout: opts.timeoutMs });
  } catch (e) {
    await transport.close().catch(() => undefined);
    if (e instanceof McpError && e.code === ErrorCode.ConnectionClosed) {
      // A death mid-handshake reaches the SDK as a bare "Connection closed"; the exit code says more.
      throw new ConnectionError(inner.failure ?? `the server process exited${inner.exit ? ` ${inner.exit}` : ''} before completing the MCP handshake`);
    }
    throw e;
  }
  return { client, transport, kind: 'stdio', pid: inner.pid };
}

export async function openRemote(config: RemoteServerConfig, opts: OpenOptions): Promise<OpenedConnection> {
  let url: URL;
  try {
    url = new URL(config.url);
  } catch {
    throw new ConnectionError(`invalid url "${config.url}"`);
  }
  // Read once per connection, so replacing the file takes effect at the next start.
  const caFile = url.protocol === 'https:' ? config.tls?.ca : undefined;
  const ca = caFile === undefined ? undefined : await trustedCertificates(caFile);
  if (config.type === 'http') {
    const http = new TracingTransport(new HttpClientTransport(url, { headers: config.headers, auth: opts.auth, ca }), opts.log);
    opts.track?.({ close: () => http.close(), pid: () => undefined });
    const client = opts.createClient();
    try {
      await client.connect(http, { timeout: opts.timeoutMs });
      return { client, transport: http, kind: 'http' };
    } catch (e) {
      await http.close().catch(() => undefined);
      if (isSignInRequired(e)) throw e;
      const status = httpStatus(e);
      if (status === undefined || status < 400 || status >= 500 || status === 401 || status === 403) throw remoteFailure(e, status, url, caFile, !!opts.auth);
      opts.log.info(`Streamable HTTP answered ${status}; trying the legacy SSE transport`);
    }
  }
  const sse = new TracingTransport(new SseClientTransport(url, config.headers, opts.auth, ca), opts.log);
  opts.track?.({ close: () => sse.close(), pid: () => undefined });
  const client = opts.createClient();
  try {
    await client.connect(sse, { timeout: opts.timeoutMs });
  } catch (e) {
    await sse.close().catch(() => undefined);
    if (isSignInRequired(e)) throw e;
    throw remoteFailure(e, httpStatus(e), url, caFile, !!opts.auth);
  }
  return { client, transport: sse, kind: 'sse' };
}

/** What a failed remote connect is reported as: the ones the user must act on get our own words. */
function remoteFailure(e: unknown, status: number | undefined, url: URL, caFile: string | undefined, withOAuth: boolean): unknown {
  if (status === 401 || status === 403) return authError(status, withOAuth);
  return certificateError(e, url, caFile) ?? e;
}

function httpStatus(e: unknown): number | undefined {
  if (e instanceof StreamableHTTPError && typeof e.code === 'number' && e.code > 0) return e.code;
  // SseError carries the status as `code` too; it is not exported from a stable path, so duck-type.
  const code = (e as { code?: unknown })?.code;
  if (typeof code === 'number' && code >= 100 && code < 600) return code;
  const m = /\(HTTP (\d{3})\)/.exec(String((e as Error)?.message ?? ''));
  return m ? Number(m[1]) : undefined;
}

/** A 401 or 403 that OAuth (when this server has a session) could not get past. */
function authError(status: number, withOAuth: boolean): ConnectionError {
  return new ConnectionError(
    status === 401
      ? withOAuth ? 'the server did not accept the sign-in (HTTP 401)' : 'the server requires authorization (HTTP 401); configure an Authorization header'
      : 'the server refused access (HTTP 403)',
    status,
  );
}
