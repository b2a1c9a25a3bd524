/**
 * The Streamable HTTP client transport Switchboard connects remote servers with. It speaks the
 * same protocol as the SDK's StreamableHTTPClientTransport (and raises the SDK's
 * StreamableHTTPError, so the caller's fallback and auth handling stay the same), but on
 * `node:http` with a keep-alive agent and eventsource-parser's callback parser instead of
 * `fetch` and WHATWG stream pipelines. On a call that is most of the client's cost: measured by
 * `npm run bench`, the SDK client spent about four times the CPU per echo call of this one.
 *
 * What it does: one POST per outgoing message; a 202 needs nothing more, a JSON body or an SSE
 * stream carries the answers (and anything the server sends on the way, such as progress or a
 * request of its own); the session id and protocol version go on every request; after
 * `notifications/initialized` a GET stream listens for messages the server sends unprompted
 * (405 means it offers none); a dropped stream, the GET one or a POST's still owing answers, is
 * reopened with a GET from its Last-Event-ID after the server's `retry` (resumption, SEP-1699);
 * redirects are followed within the same origin only; `close()` ends the session with a DELETE,
 * best effort. Each answer is read within a size cap and a deadline (httpReads.ts), and a
 * request's answer is neither awaited nor read once the request is cancelled (a time-out, say).
 * OAuth happens beneath it, in HttpRequests, on every request.
 */
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type * as http from 'node:http';
import type { HttpAuth } from './auth/types';
import { HttpRequests, mediaType } from './httpRequests';
import { MAX_MESSAGE_BYTES, MESSAGE_DEADLINE_MS, ReadLimitError, readBody, readCapped, readEvents, type ReadLimits } from './httpReads';
import { parseMessage, toMessage } from './jsonRpc';

export interface HttpClientTransportOptions {
  /** Sent on every request (the config's `headers`). */
  headers?: Record<string, string>;
  /** How long a dropped GET stream waits before reopening, doubling per failed attempt. */
  reconnectDelayMs?: number;
  /** OAuth: bearer tokens on every request, a sign-in on a challenge (see HttpRequests). */
  auth?: HttpAuth;
  /** For https://: the certificates to trust (see tls.ts); Node's defaults when absent. */
  ca?: string[];
}

const MAX_REDIRECTS = 3;
const MAX_GET_RETRIES = 2;

type RequestId = string | number;

/** The server answered 404 to our session id: it ended the session. */
export class SessionExpiredError extends StreamableHTTPError {
  readonly sessionExpired = true;
  constructor() {
    super(404, 'the server ended the session (HTTP 404)');
  }
}

export const isSessionExpired = (e: unknown): boolean => (e as { sessionExpired?: unknown })?.sessionExpired === true;

const isRequest = (m: JSONRPCMessage): m is JSONRPCMessage & { id: RequestId; method: string } => 'method' in m && 'id' in m;
const isAnswer = (m: JSONRPCMessage): m is JSONRPCMessage & { id: RequestId } => !('method' in m) && 'id' in m;

export class HttpClientTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private _url: URL;
  private _sessionId?: string;
  private _protocolVersion?: string;
  private readonly _requests: HttpRequests;
  private _closed = false;
  /** The server's last `retry` advice, ms. */
  private _retryMs?: number;
  private readonly _timers = new Set<ReturnType<typeof setTimeout>>();
  /** The requests whose answers are still to come, so a cancelled request's is neither awaited nor read. */
  private readonly _inFlight = new Map<RequestId, AbortController>();
  /** Limits on each answer, naming the server in their errors. */
  private readonly _limits: ReadLimits;

  constructor(url: URL, private readonly _opts: HttpClientTransportOptions = {}) {
    this._url = url;
    this._requests = new HttpRequests(url.protocol === 'https:', _opts.auth, _opts.ca);
    this._limits = { maxBytes: MAX_MESSAGE_BYTES, deadlineMs: MESSAGE_DEADLINE_MS, what: `an answer from ${url.origin}` };
  }

  get sessionId(): string | undefined { return this._sessionId; }

  setProtocolVersion(version: string): void { this._protocolVersion = version; }

  async start(): Promise<void> {
    if (this._url.protocol !== 'http:' && this._url.protocol !== 'https:') throw new Error(`unsupported URL scheme ${this._url.protocol}`);
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if (this._closed) throw new Error('the transport is closed');
    if ('method' in message && message.method === 'notifications/cancelled') this._inFlight.get(message.params?.requestId as RequestId)?.abort();
    const id = isRequest(message) ? message.id : undefined;
    const abort = id === undefined ? undefined : new AbortController();
    if (id !== undefined) this._inFlight.set(id, abort!);
    let reading = false;
    try {
      reading = await this._post(message, abort?.signal);
    } finally {
      if (id !== undefined && !reading) this._inFlight.delete(id);
    }
  }

  /** Sends one message; true when an answer is being read from the response. */
  private async _post(message: JSONRPCMessage, signal: AbortSignal | undefined): Promise<boolean> {
    const res = await this._request('POST', 'application/json, text/event-stream', JSON.stringify(message), undefined, undefined, signal);
    const session = res.headers['mcp-session-id'];
    if (typeof session === 'string') this._sessionId = session;
    const status = res.statusCode ?? 0;
    if (status === 404 && this._sessionId) {
      // The spec's "session expired": the server no longer knows our session id. A new session
      // needs a new handshake, which is the connection's to do: say why, then close.
      res.resume();
      const expired = new SessionExpiredError();
      this.onerror?.(expired);
      void this.close();
      throw expired;
    }
    if (status < 200 || status >= 300) {
      throw new StreamableHTTPError(status, `Error POSTing to endpoint: ${await readCapped(res)}`);
    }
    if (status === 202 || !isRequest(message)) {
      res.resume();
      if (status === 202 && 'method' in message && message.method === 'notifications/initialized') this._openGetStream(0);
      return false;
    }
    const type = mediaType(res.headers['content-type']);
    res.once('close', () => this._inFlight.delete(message.id));
    if (type === 'text/event-stream') this._readEvents(res, { waiting: new Set([message.id]), signal });
    else if (type === 'application/json') void this._readJson(res, message.id, signal);
    else {
      res.resume();
      throw new StreamableHTTPError(-1, `Unexpected content type: ${res.headers['content-type'] ?? 'none'}`);
    }
    return true;
  }

  async close(): Promise<void> {
    if (this._closed) return;
    this._closed = true;
    for (const t of this._timers) clearTimeout(t);
    const session = this._sessionId;
    // The spec asks clients to end sessions they no longer need; a server that is gone must not hold us up.
    if (session) await this._request('DELETE', 'application/json', undefined, 1000).then((r) => r.resume(), () => undefined);
    this._requests.destroy();
    this.onclose?.();
  }

  private _headers(accept: string, hasBody: boolean, lastEventId?: string): Record<string, string> {
    const headers: Record<string, string> = { ...this._opts.headers, accept };
    if (hasBody) headers['content-type'] = 'application/json';
    if (this._sessionId) headers['mcp-session-id'] = this._sessionId;
    if (this._protocolVersion) headers['mcp-protocol-version'] = this._protocolVersion;
    if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
    return headers;
  }

  /** One HTTP request with the common headers, following same-origin redirects. */
  private async _request(
    method: string, accept: string, body: string | undefined, timeoutMs?: number, lastEventId?: string, signal?: AbortSignal,
  ): Promise<http.IncomingMessage> {
    for (let hop = 0; ; hop++) {
      const res = await this._requests.request(this._url, method, this._headers(accept, body !== undefined, lastEventId), body, timeoutMs, signal);
      const location = res.headers.location;
      if (![301, 302, 303, 307, 308].includes(res.statusCode ?? 0) || !location) return res;
      res.resume();
      const next = new URL(location, this._url);
      // Only 307/308 keep the method and body; and never to another origin, which would receive our headers.
      if (next.origin !== this._url.origin || ![307, 308].includes(res.statusCode!) || hop >= MAX_REDIRECTS) {
        throw new StreamableHTTPError(res.statusCode!, `the server redirected to ${next.href}; put that URL in the configuration`);
      }
      this._url = next;
    }
  }

  /** Delivers one message from the server; a response for `waiting` is noted so a short stream can be told apart. */
  private _deliver(message: JSONRPCMessage | Error, waiting?: Set<RequestId>): void {
    if (message instanceof Error) return void this.onerror?.(message);
    if (waiting && isAnswer(message)) waiting.delete(message.id);
    this.onmessage?.(message);
  }

  /**
   * Reads an SSE stream to its end. A POST's stream that ends before answering its request is
   * resumed when the server gave its events ids (SEP-1699: the server may close a stream after a
   * priming event and let the client pick up with a GET carrying Last-Event-ID, `retry` ms
   * later); without ids there is nothing to resume from, and the request gets a connection-closed
   * error in place of its answer, so the caller hears at once instead of timing out.
   */
  private _readEvents(res: http.IncomingMessage, { waiting, fromId, resumed = false, signal, onEnd }: {
    /** The requests whose answers this stream should carry. */
    waiting?: Set<RequestId>;
    /** The Last-Event-ID it was opened with. */
    fromId?: string;
    /** A POST's stream picked up by a GET: closed once the answers it was reopened for arrived. */
    resumed?: boolean;
    /** Aborted when the request it answers is cancelled: then nothing more is said about it. */
    signal?: AbortSignal;
    onEnd?: (gotEvents: boolean, lastId?: string) => void;
  } = {}): void {
    let gotEvents = false;
    let lastId = fromId;
    readEvents(res, this._limits, {
      onEvent: (event) => {
        if (event.id) lastId = event.id;
        if (event.event && event.event !== 'message') return;
        gotEvents = true;
        if (event.data) this._deliver(parseMessage(event.data), waiting);
        if (resumed && waiting?.size === 0) res.destroy();
      },
      onEnd: (error) => {
        if (signal?.aborted) return;
        if (error) this.onerror?.(error);
        // A stream stopped at a limit is not picked up again: the server would send the same.
        if (!error && waiting?.size && lastId !== undefined && !this._closed) this._resume(waiting, lastId, gotEvents ? 0 : 1);
        else for (const id of waiting ?? []) this._unanswered(id, error);
        if (!error) onEnd?.(gotEvents, lastId);
      },
      onRetry: (retry) => { this._retryMs = retry; },
    });
  }

  /** Reopens a POST's stream with a GET from `lastId`, for the answers still `waiting`. */
  private _resume(waiting: Set<RequestId>, lastId: string, failures: number): void {
    const giveUp = () => { for (const id of waiting) this._unanswered(id); };
    if (failures > MAX_GET_RETRIES) return giveUp();
    this._later(() => {
      this._request('GET', 'text/event-stream', undefined, undefined, lastId).then((res) => {
        if (res.statusCode !== 200 || mediaType(res.headers['content-type']) !== 'text/event-stream') {
          res.resume();
          // 405: the server offers no GET stream, so the answers cannot come back.
          if (res.statusCode === 405) return giveUp();
          return this._resume(waiting, lastId, failures + 1);
        }
        this._readEvents(res, { waiting, fromId: lastId, resumed: true });
      }, () => { if (!this._closed) this._resume(waiting, lastId, failures + 1); });
    }, failures);
  }

  private async _readJson(res: http.IncomingMessage, requestId: RequestId, signal?: AbortSignal): Promise<void> {
    const waiting = new Set<RequestId>([requestId]);
    let failure: Error | undefined;
    try {
      const data: unknown = JSON.parse((await readBody(res, this._limits)).toString('utf8'));
      for (const item of Array.isArray(data) ? data : [data]) this._deliver(toMessage(item), waiting);
    } catch (e) {
      failure = e instanceof ReadLimitError ? e : new Error(`could not read ${this._limits.what}: ${e instanceof Error ? e.message : String(e)}`);
      if (!signal?.aborted) this.onerror?.(failure);
    }
    if (!signal?.aborted) for (const id of waiting) this._unanswered(id, failure);
  }

  private _unanswered(id: RequestId, error?: Error): void {
    if (this._closed) return;
    this.onmessage?.({ jsonrpc: '2.0', id, error: { code: ErrorCode.ConnectionClosed, message: error?.message ?? 'the server ended its answer without a result' } });
  }

  /** The GET stream for messages the server sends unprompted (list_changed and the like), reopened from its last event when it drops. */
  private _openGetStream(failures: number, lastId?: string): void {
    if (this._closed) return;
    this._request('GET', 'text/event-stream', undefined, undefined, lastId).then((res) => {
      const status = res.statusCode ?? 0;
      if (status === 405) return void res.resume();
      if (status !== 200 || mediaType(res.headers['content-type']) !== 'text/event-stream') {
        res.resume();
        throw new StreamableHTTPError(status, `Failed to open SSE stream: HTTP ${status}`);
      }
      this._readEvents(res, {
        fromId: lastId,
        onEnd: (gotEvents, streamLastId) => {
          const next = gotEvents ? 0 : failures + 1;
          if (next <= MAX_GET_RETRIES) this._later(() => this._openGetStream(next, streamLastId), next);
        },
      });
    }).catch((e: unknown) => {
      if (this._closed) return;
      this.onerror?.(e instanceof Error ? e : new Error(String(e)));
      if (failures + 1 <= MAX_GET_RETRIES) this._later(() => this._openGetStream(failures + 1, lastId), failures + 1);
    });
  }

  /**
   * Runs `fn` after the server's `retry` advice (SSE's own reconnection time), or our default
   * delay doubling per failed attempt when it gave none.
   */
  private _later(fn: () => void, failures: number): void {
    if (this._closed) return;
    const delay = this._retryMs ?? (this._opts.reconnectDelayMs ?? 1000) * 2 ** Math.max(0, failures - 1);
    const timer = setTimeout(() => { this._timers.delete(timer); fn(); }, delay);
    this._timers.add(timer);
  }
}
