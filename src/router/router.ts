/**
 * One router for every way a tool is called (chat, gateway, tree, CLI): namespaced name → server
 * and tool, arguments checked against the tool's schema, the authorization hook asked, then the
 * call sent on that server's own connection. Nothing here queues across servers, so one slow
 * server never holds up another's calls. The only wait for a server that is not running is for
 * one listed from its cached catalog (start on first use), bounded by its start timeout; any
 * other stopped or failed server is answered at once.
 */
import { ErrorCode, McpError, type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { errorMessage } from '../common/async';
import { sha256Hex } from '../common/hash';
import { Disposable, Emitter } from '../common/lifecycle';
import { canonicalJson } from '../config/diff';
import { sanitizePrefix } from '../client/namespacing';
import { describeState } from '../client/state';
import type { NamespacedTool } from '../client/types';
import type { RouterBackend } from './backend';
import { resultProblem, toModelResult, type ConversionLimits, type ModelResult } from './results';
import { SchemaGuard } from './schemaGuard';
import type { AuthorizationOutcome, Authorizer, CallOptions, CallOrigin, CallRecord, OutcomeKind, PendingToolCall, ToolCallOutcome } from './types';

export interface RouterOptions {
  authorize?: Authorizer;
  limits?: ConversionLimits;
  /** Told once per tool schema that cannot be checked in full: what goes unchecked, and why. */
  onSchemaProblem?: (server: string, tool: string, message: string) => void;
  /**
   * The guard to validate with; pass the one the SDK clients were given as `jsonSchemaValidator`
   * so each schema is compiled once for both. A private one by default.
   */
  guard?: SchemaGuard;
}

/** sha256 of the arguments' canonical JSON: the audit log can match calls without holding values. */
export const hashArguments = (args: unknown): string => sha256Hex(canonicalJson(args ?? {}));

/** Resolves, checks, authorizes and sends tool calls; see the file comment. */
export class ToolRouter extends Disposable {
  private _index?: Map<string, NamespacedTool>;
  private readonly _guard: SchemaGuard;
  private readonly _onDidCall = this._register(new Emitter<CallRecord>());
  /** Every finished call, whatever its outcome; the audit log listens here. */
  readonly onDidCall = this._onDidCall.event;

  constructor(private readonly _backend: RouterBackend, private readonly _opts: RouterOptions = {}) {
    super();
    this._guard = _opts.guard ?? new SchemaGuard();
    // The index is rebuilt lazily on the next lookup after any change: O(1) per call, no work per event.
    const invalidate = () => { this._index = undefined; };
    const r = _backend.registry;
    this._register(r.onDidChangeCatalog(invalidate));
    this._register(r.onDidChangeState(invalidate));
    this._register(r.onDidChangeServers(invalidate));
  }

  /** The guard this router validates with; also an SDK `jsonSchemaValidator` with the same dialect rules. */
  get validator(): SchemaGuard { return this._guard; }

  /** The tool a namespaced name stands for, if a running server offers it. */
  resolve(name: string): NamespacedTool | undefined {
    if (!this._index) this._index = new Map(this._backend.registry.tools().map((t) => [t.name, t]));
    return this._index.get(name);
  }

  /**
   * Runs one call to the end and always resolves (it never throws): the outcome says how it went.
   * An unknown tool or a stopped server answers at once, without waiting for anything.
   */
  async call(name: string, args: Record<string, unknown> | undefined, opts: CallOptions): Promise<ToolCallOutcome> {
    const started = Date.now();
    const argsObj = args ?? {};
    let authorization: AuthorizationOutcome | undefined;
    const target = this.resolve(name);
    const outcome = await this._call(name, target, argsObj, opts, (a) => { authorization = a; })
      .catch((e: unknown): ToolCallOutcome => ({ kind: 'failed', message: `${name} failed: ${errorMessage(e)}` }));
    this._onDidCall.fire(new FinishedCall(started, name, target, opts.origin, argsObj, authorization, outcome.kind));
    return outcome;
  }

  private async _call(
    name: string, target: NamespacedTool | undefined, args: Record<string, unknown>, opts: CallOptions,
    noteAuthorization: (a: AuthorizationOutcome) => void,
  ): Promise<ToolCallOutcome> {
    const registry = this._backend.registry;
    if (opts.signal?.aborted) return cancelled(name);
    if (!target) return this._unknown(name);
    const state = registry.state(target.server);
    if (state?.kind !== 'running' && this._backend.startOnUse) {
      // Listed from its cached catalog: start it, then check and authorize against the live tool.
      const started = await this._backend.startOnUse(target.server, opts.signal);
      if (opts.signal?.aborted) return cancelled(name);
      if (!started.running) return { kind: 'serverNotRunning', message: started.message };
      target = this.resolve(name);
      if (!target) return this._unknown(name);
    } else if (state?.kind !== 'running') {
      return { kind: 'serverNotRunning', message: `MCP server "${target.server}" is not running (${state ? describeState(state) : 'removed'}).` };
    }
    // A tool list change the server already announced is applied before the call is judged.
    const refresh = this._backend.toolsSettled?.(target.server);
    if (refresh) {
      if (!(await settles(refresh, opts.signal))) return cancelled(name);
      target = this.resolve(name);
      if (!target) return this._unknown(name);
    }
    if (typeof args !== 'object' || args === null || Array.isArray(args)) {
      return { kind: 'invalidArguments', message: `Invalid arguments for ${name}: the arguments must be a JSON object.` };
    }
    const check = this._guard.check(target.tool.inputSchema, args, name);
    if (check.unchecked) this._opts.onSchemaProblem?.(target.server, target.tool.name, `its input schema: ${check.unchecked}`);
    if (!check.ok) return { kind: 'invalidArguments', message: `Invalid arguments for ${name}: ${check.message}.` };

    if (this._opts.authorize) {
      const pending: PendingToolCall = { name, server: target.server, tool: target.tool, args, origin: opts.origin };
      let auth: AuthorizationOutcome;
      try {
        const answer = this._opts.authorize(pending, opts.signal);
        // A hook that ignores the signal (a prompt nobody answers) must not keep a cancelled call alive.
        auth = answer instanceof Promise ? await untilAborted(answer, opts.signal) : answer;
      } catch (e) {
        if (opts.signal?.aborted) return cancelled(name);
        auth = { allowed: false, by: 'policy', reason: `the permission check failed: ${errorMessage(e)}` };
      }
      noteAuthorization(auth);
      if (!auth.allowed) return { kind: 'denied', by: auth.by, message: `${name} was not run: ${auth.reason}` };
      // The server may have changed or removed the tool while the user was asked: what runs must be what was approved.
      const later = this._backend.toolsSettled?.(target.server);
      if (later && !(await settles(later, opts.signal))) return cancelled(name);
      const now = this.resolve(name);
      if (!now || now.server !== target.server) return { kind: 'failed', message: `${name} was not run: its server removed it while the call waited for permission.` };
      if (!sameDefinition(now.tool, target.tool)) {
        return { kind: 'failed', message: `${name} was not run: its server changed the tool while the call waited for permission. Call it again to review the new definition.` };
      }
    }
    if (opts.signal?.aborted) return cancelled(name);

    const caller = this._backend.callerFor(target.server);
    if (!caller) return { kind: 'serverNotRunning', message: `MCP server "${target.server}" stopped before the call could be sent.` };
    // The SDK's Client refuses these too: a plain call would only get the server's error back.
    if (target.tool.execution?.taskSupport === 'required') return { kind: 'failed', message: `${name} runs only as a task, which Switchboard does not support yet.` };
    try {
      const request = this._backend.requestOptions(target.server, opts.signal);
      if (opts.onProgress) {
        request.onprogress = opts.onProgress;
        request.resetTimeoutOnProgress = true;
      }
      const result = await caller.callTool({ name: target.tool.name, arguments: args }, request);
      return this._finish(name, target, result);
    } catch (e) {
      if (opts.signal?.aborted) return cancelled(name);
      if (e instanceof McpError && e.code === ErrorCode.RequestTimeout) return { kind: 'failed', message: `${name} timed out: ${e.message}` };
      // A transport error may quote what was sent (a server's error page repeating the URL or headers).
      const redact = this._backend.redactor?.(target.server) ?? String;
      return { kind: 'failed', message: `${name} failed: ${redact(errorMessage(e))}` };
    }
  }

  private _finish(name: string, target: NamespacedTool, result: CallToolResult): ToolCallOutcome {
    const problem = resultProblem(result);
    if (problem) return { kind: 'failed', message: `${name} returned a result the host does not accept: ${problem}.` };
    if (result.isError) return withModel('toolError', result, this._opts.limits);
    const schema = target.tool.outputSchema;
    if (schema) {
      // A tool that promises structured output and breaks it is a server bug the model cannot fix.
      if (result.structuredContent === undefined) return { kind: 'failed', message: `${name} returned no structured content although it declares an output schema.` };
      const check = this._guard.check(schema, result.structuredContent, name, 'value');
      if (check.unchecked) this._opts.onSchemaProblem?.(target.server, target.tool.name, `its output schema: ${check.unchecked}`);
      if (!check.ok) return { kind: 'failed', message: `${name} returned structured content that does not match its output schema: ${check.message}.` };
    }
    return withModel('ok', result, this._opts.limits);
  }

  private _unknown(name: string): ToolCallOutcome {
    const registry = this._backend.registry;
    // Only running servers list tools; a name with a stopped server's prefix deserves that answer.
    // The longest prefix decides: `github_work_x` belongs to `github_work` before `github`.
    const owner = registry.names()
      .filter((s) => name.startsWith(`${sanitizePrefix(s)}_`))
      .sort((a, b) => sanitizePrefix(b).length - sanitizePrefix(a).length)[0];
    if (owner && registry.state(owner)?.kind !== 'running') {
      return { kind: 'serverNotRunning', message: `MCP server "${owner}" is not running (${describeState(registry.state(owner)!)}), so ${name} is not available.` };
    }
    const tools = registry.tools();
    const prefix = name.split('_')[0];
    const near = tools.filter((t) => t.name.startsWith(`${prefix}_`)).slice(0, 5).map((t) => t.name);
    return { kind: 'unknownTool', message: `No tool named "${name}" is available.${near.length ? ` Did you mean: ${near.join(', ')}?` : ''}` };
  }
}

/**
 * A result with its conversion for a model made when first read: the gateway passes results
 * through untouched and never reads it, the chat participant and the tree do. (A class, not an
 * object literal with a getter: V8 builds those slowly, and this is on every call's path.)
 */
class ResultOutcome {
  #model?: ModelResult;
  readonly #limits: ConversionLimits | undefined;
  constructor(readonly kind: 'ok' | 'toolError', readonly result: CallToolResult, limits: ConversionLimits | undefined) {
    this.#limits = limits;
  }
  get model(): ModelResult { return this.#model ??= toModelResult(this.result, this.#limits); }
}

const withModel = (kind: 'ok' | 'toolError', result: CallToolResult, limits: ConversionLimits | undefined): ToolCallOutcome =>
  new ResultOutcome(kind, result, limits) as ToolCallOutcome;

/**
 * What `onDidCall` hears. The time string and the argument hash (which costs more than the rest
 * of the router's work) are made when first read: the audit log reads them after the call has
 * returned. The arguments sit in a private field, so the record never serialises them.
 */
class FinishedCall implements CallRecord {
  readonly #started: number;
  readonly #args: Record<string, unknown>;
  #hash?: string;
  readonly server?: string;
  readonly tool?: string;
  readonly durationMs: number;
  constructor(
    started: number, readonly name: string, target: NamespacedTool | undefined, readonly origin: CallOrigin,
    args: Record<string, unknown>, readonly authorization: AuthorizationOutcome | undefined, readonly outcome: OutcomeKind,
  ) {
    this.#started = started;
    this.#args = args;
    this.server = target?.server;
    this.tool = target?.tool.name;
    this.durationMs = Date.now() - started;
  }
  get time(): string { return isoTime(this.#started); }
  get argsHash(): string { return this.#hash ??= hashArguments(this.#args); }
}

let lastIso: { ms: number; text: string } | undefined;
/** The ISO string of a time in ms; calls in a burst share their millisecond, so the last one is kept. */
function isoTime(ms: number): string {
  if (lastIso?.ms !== ms) lastIso = { ms, text: new Date(ms).toISOString() };
  return lastIso.text;
}

/** Waits for a pending tools refresh; false when the call was cancelled meanwhile. */
function settles(refresh: Promise<void>, signal: AbortSignal | undefined): Promise<boolean> {
  return untilAborted(refresh, signal).then(() => true, () => false);
}

/** The same definition, whether or not the server sent it again in between. */
function sameDefinition(a: Tool, b: Tool): boolean {
  return a === b || canonicalJson(a) === canonicalJson(b);
}

const cancelled = (name: string): ToolCallOutcome => ({ kind: 'cancelled', message: `${name} was cancelled.` });

/** `p`, or a rejection as soon as `signal` aborts, whichever comes first. */
function untilAborted<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason ?? new Error('aborted'));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([p, aborted]).finally(() => signal.removeEventListener('abort', onAbort!));
}
