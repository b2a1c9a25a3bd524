/**
 * The legacy HTTP+SSE client transport (protocol 2024-11-05): `GET` opens an event stream whose
 * first `endpoint` event names where to POST; every message from the server arrives on that
 * stream as a `message` event. On `node:http` like httpTransport.ts, for the same reason: the
 * SDK's SSEClientTransport pays for `fetch` on every POST.
 *
 * The endpoint must be a valid URL on the server's own origin (our headers, maybe a bearer token,
 * go there); anything else fails the start at once. Each event is read within a size cap and a
 * deadline (httpReads.ts); a stream stopped at one closes the transport.
 * When the stream ends the transport closes: the server forgot the session with it, and the
 * connection's restart policy starts a fresh one rather than this transport reconnecting quietly
 * and losing the calls in flight.
 */
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { HttpAuth } from './auth/types';
import { HttpRequests, mediaType } from './httpRequests';
import { MAX_MESSAGE_BYTES, MESSAGE_DEADLINE_MS, readCapped, readEvents, type ReadLimits } from './httpReads';
import { parseMessage } from './jsonRpc';

/** An HTTP failure with its status as `code`, as the SDK's SseError has it (transports.ts reads it). */
export class SseHttpError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

export class SseClientTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private readonly _requests: HttpRequests;
  private _endpoint?: URL;
  private _protocolVersion?: string;
  private _closed = false;

  /** `ca`: for https://, the certificates to trust (see tls.ts); Node's defaults when absent. */
  constructor(private readonly _url: URL, private readonly _headers: Record<string, string> = {}, auth?: HttpAuth, ca?: string[]) {
    this._requests = new HttpRequests(_url.protocol === 'https:', auth, ca);
  }

  setProtocolVersion(version: string): void { this._protocolVersion = version; }

  /** Resolves once the server has named its endpoint. */
  async start(): Promise<void> {
    const res = await this._requests.request(this._url, 'GET', { ...this._headers, accept: 'text/event-stream' });
    const status = res.statusCode ?? 0;
    if (status !== 200 || mediaType(res.headers['content-type']) !== 'text/event-stream') {
      throw new SseHttpError(status, `Failed to open the SSE stream (HTTP ${status}): ${await readCapped(res)}`);
    }
    const limits: ReadLimits = { maxBytes: MAX_MESSAGE_BYTES, deadlineMs: MESSAGE_DEADLINE_MS, what: `an event from ${this._url.origin}` };
    await new Promise<void>((resolve, reject) => {
      readEvents(res, limits, {
        onEvent: (event) => {
          if (event.event === 'endpoint') {
            if (this._endpoint) return;
            this._endpoint = this._endpointUrl(event.data);
            resolve();
          } else if (!event.event || event.event === 'message') {
            this._deliver(event.data);
          }
        },
        onEnd: (error) => {
          if (error && this._endpoint) this.onerror?.(error);
          reject(error ?? new Error('the SSE stream ended before the server named its endpoint'));
          void this.close();
        },
      });
    });
  }

  /** The endpoint the server named, which must be a URL on its own origin. */
  private _endpointUrl(data: string): URL {
    let endpoint: URL;
    try {
      endpoint = new URL(data, this._url);
    } catch {
      throw new Error(`the server named an endpoint that is not a valid URL: ${JSON.stringify(data.slice(0, 200))}`);
    }
    if (endpoint.origin !== this._url.origin) throw new Error(`the server named an endpoint on another origin (${endpoint.origin})`);
    return endpoint;
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if (!this._endpoint || this._closed) throw new Error(this._closed ? 'the transport is closed' : 'not connected');
    const headers: Record<string, string> = { ...this._headers, 'content-type': 'application/json' };
    if (this._protocolVersion) headers['mcp-protocol-version'] = this._protocolVersion;
    const res = await this._requests.request(this._endpoint, 'POST', headers, JSON.stringify(message));
    const status = res.statusCode ?? 0;
    if (status < 200 || status >= 300) throw new SseHttpError(status, `Error POSTing to endpoint (HTTP ${status}): ${await readCapped(res)}`);
    res.resume();
  }

  async close(): Promise<void> {
    if (this._closed) return;
    this._closed = true;
    this._requests.destroy();
    this.onclose?.();
  }

  private _deliver(data: string): void {
    const message = parseMessage(data);
    if (message instanceof Error) this.onerror?.(message);
    else this.onmessage?.(message);
  }
}
