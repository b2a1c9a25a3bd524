/**
 * `${...}` variables in server configs, resolved just before a server starts (not at parse time,
 * so inputs are only asked for when needed and secrets never sit in the parsed model).
 *
 * Supported, as in VS Code's mcp.json: `${workspaceFolder}`, `${workspaceFolderBasename}`,
 * `${userHome}`, `${pathSeparator}` (or `${/}`), `${env:NAME}` and `${input:id}`. Any other
 * `${...}` is an error naming it; a `$` not followed by `{...}` is plain text.
 */
import * as path from 'node:path';
import { createRedactor, isCredentialName } from '../common/redact';
import type { ServerConfig } from './types';
import { formatJsonPath, type JsonPath } from './jsonPath';

const VARIABLE = /\$\{([^}]*)\}/g;

export type VariableKind =
  | { kind: 'workspaceFolder' | 'workspaceFolderBasename' | 'userHome' | 'pathSeparator' }
  | { kind: 'env'; name: string }
  | { kind: 'input'; id: string }
  | { kind: 'unknown' };

/** What the text between `${` and `}` refers to. */
export function classifyVariable(body: string): VariableKind {
  switch (body) {
    case 'workspaceFolder':
    case 'workspaceFolderBasename':
    case 'userHome':
    case 'pathSeparator':
      return { kind: body };
    case '/':
      return { kind: 'pathSeparator' };
  }
  const colon = body.indexOf(':');
  const prefix = body.slice(0, colon);
  const rest = body.slice(colon + 1).trim();
  if (colon > 0 && rest) {
    if (prefix === 'env') return { kind: 'env', name: rest };
    if (prefix === 'input') return { kind: 'input', id: rest };
  }
  return { kind: 'unknown' };
}

/** Calls `fn` for every string that may hold variables, with its path inside the config. */
export function forEachConfigString(config: ServerConfig, fn: (value: string, path: JsonPath) => void): void {
  if (config.type === 'stdio') {
    fn(config.command, ['command']);
    config.args.forEach((a, i) => fn(a, ['args', i]));
    for (const [k, v] of Object.entries(config.env)) if (v !== null) fn(v, ['env', k]);
    if (config.envFile !== undefined) fn(config.envFile, ['envFile']);
    if (config.cwd !== undefined) fn(config.cwd, ['cwd']);
  } else {
    fn(config.url, ['url']);
    for (const [k, v] of Object.entries(config.headers)) fn(v, ['headers', k]);
    for (const k of OAUTH_STRINGS) if (config.oauth?.[k] !== undefined) fn(config.oauth[k], ['oauth', k]);
    if (config.tls?.ca !== undefined) fn(config.tls.ca, ['tls', 'ca']);
  }
}

/** A copy of `config` with every variable-bearing string passed through `fn`. */
function mapConfigStrings(config: ServerConfig, fn: (value: string) => string): ServerConfig {
  const mapRecord = <V extends string | null>(r: Record<string, V>): Record<string, V> =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null ? v : fn(v)])) as Record<string, V>;
  if (config.type === 'stdio') {
    return {
      ...config,
      command: fn(config.command),
      args: config.args.map(fn),
      env: mapRecord(config.env),
      ...(config.envFile !== undefined && { envFile: fn(config.envFile) }),
      ...(config.cwd !== undefined && { cwd: fn(config.cwd) }),
    };
  }
  const oauth = config.oauth && { ...config.oauth, ...Object.fromEntries(OAUTH_STRINGS.filter((k) => config.oauth![k] !== undefined).map((k) => [k, fn(config.oauth![k]!)])) };
  return {
    ...config,
    url: fn(config.url),
    headers: mapRecord(config.headers),
    ...(oauth && { oauth }),
    ...(config.tls?.ca !== undefined && { tls: { ...config.tls, ca: fn(config.tls.ca) } }),
  };
}

/** The OAuth settings that may hold variables (a secret from `${input:…}`, an id from `${env:…}`). */
const OAUTH_STRINGS = ['clientId', 'clientSecret', 'privateKeyPem', 'clientMetadataUrl'] as const;

export interface VariableUse {
  /** Where the string is, e.g. `['args', 1]`. */
  path: JsonPath;
  /** The text between `${` and `}`. */
  body: string;
  variable: VariableKind;
}

/** Every `${...}` occurrence in a config, in field order. */
export function listVariables(config: ServerConfig): VariableUse[] {
  const uses: VariableUse[] = [];
  forEachConfigString(config, (value, p) => {
    for (const m of value.matchAll(VARIABLE)) uses.push({ path: p, body: m[1], variable: classifyVariable(m[1]) });
  });
  return uses;
}

/** Ids of the `${input:id}` variables a config uses, each once, in order of first use. */
export function collectInputIds(config: ServerConfig): string[] {
  const ids = new Set<string>();
  for (const use of listVariables(config)) if (use.variable.kind === 'input') ids.add(use.variable.id);
  return [...ids];
}

/**
 * A relative `cwd` (or `envFile`, or `tls.ca`) is taken relative to the workspace folder, not to
 * wherever the extension host happens to run. Returns undefined when it is relative and there is
 * no folder.
 */
export function resolveCwd(cwd: string, workspaceFolder?: string): string | undefined {
  if (path.isAbsolute(cwd)) return path.normalize(cwd);
  return workspaceFolder === undefined ? undefined : path.resolve(workspaceFolder, cwd);
}

export interface VariableContext {
  workspaceFolder?: string;
  userHome: string;
  env: Record<string, string | undefined>;
  /** Asks the user for an input; undefined means they cancelled. Called once per id. */
  resolveInput: (id: string) => Promise<string | undefined>;
}

function lookupEnv(env: Record<string, string | undefined>, name: string): string {
  // Own properties only: `${env:constructor}` must not find Object's.
  if (Object.hasOwn(env, name) && env[name] !== undefined) return env[name];
  // Windows environment names are case-insensitive; `${env:Path}` must find `PATH`.
  if (process.platform === 'win32') {
    const key = Object.keys(env).find((k) => k.toUpperCase() === name.toUpperCase() && env[k] !== undefined);
    if (key !== undefined) return env[key] ?? '';
  }
  // As in VS Code, an unset variable resolves to the empty string rather than failing.
  return '';
}

/**
 * Resolves every variable in a server config, and lists the resolved values that are secrets
 * (what `${input:…}` and `${env:…}` gave, and values under a credential's name) for the redactor
 * every line about the server goes through (common/redact.ts). Problems that need no user interaction (unknown
 * variables, no workspace folder) are found before any input is asked for, so the user is never
 * prompted for a server that cannot start anyway. Substituted values are not scanned again, so
 * an input or environment value containing `${...}` stays literal.
 */
export async function resolveServerConfig(
  config: ServerConfig, ctx: VariableContext,
): Promise<{ config: ServerConfig; secrets: string[] } | { error: string }> {
  for (const use of listVariables(config)) {
    const where = formatJsonPath(use.path);
    const kind = use.variable.kind;
    if (kind === 'unknown') return { error: `unknown variable \${${use.body}} in ${where}` };
    if ((kind === 'workspaceFolder' || kind === 'workspaceFolderBasename') && ctx.workspaceFolder === undefined) {
      return { error: `\${${use.body}} is used in ${where} but no workspace folder is open` };
    }
  }

  const inputs = new Map<string, string>();
  for (const id of collectInputIds(config)) {
    let value: string | undefined;
    try {
      value = await ctx.resolveInput(id);
    } catch (e) {
      return { error: `input \${input:${id}} failed: ${e instanceof Error ? e.message : String(e)}` };
    }
    if (value === undefined) return { error: `input \${input:${id}} was cancelled` };
    inputs.set(id, value);
  }

  // Every value an input or the environment gave: only the config layer knows where a string came from.
  const secrets = new Set<string>();
  const secret = (value: string) => { if (value) secrets.add(value); return value; };
  const substitute = (text: string): string => text.replace(VARIABLE, (_m, body: string) => {
    const v = classifyVariable(body);
    switch (v.kind) {
      case 'workspaceFolder': return ctx.workspaceFolder ?? '';
      case 'workspaceFolderBasename': return path.basename(ctx.workspaceFolder ?? '');
      case 'userHome': return ctx.userHome;
      case 'pathSeparator': return path.sep;
      case 'env': return secret(lookupEnv(ctx.env, v.name));
      case 'input': return secret(inputs.get(v.id) ?? '');
      default: return '';
    }
  });
  const resolved = mapConfigStrings(config, substitute);
  for (const value of namedSecrets(resolved)) secrets.add(value);
  const hide = createRedactor(secrets);

  const relative = (where: string, value: string) => ({ error: `${where} "${hide(value)}" is relative but no workspace folder is open` });
  if (resolved.type === 'stdio') {
    for (const key of ['cwd', 'envFile'] as const) {
      const value = resolved[key];
      if (value === undefined) continue;
      const absolute = resolveCwd(value, ctx.workspaceFolder);
      if (absolute === undefined) return relative(key, value);
      resolved[key] = absolute;
    }
  } else {
    // The value may embed a secret from an input, so the message does not repeat it.
    if (!isHttpUrl(resolved.url)) return { error: 'url is not a valid http:// or https:// URL after resolving variables' };
    if (resolved.tls?.ca !== undefined) {
      const ca = resolveCwd(resolved.tls.ca, ctx.workspaceFolder);
      if (ca === undefined) return relative('tls.ca', resolved.tls.ca);
      resolved.tls = { ...resolved.tls, ca };
    }
  }
  return { config: resolved, secrets: [...secrets] };
}

/**
 * Values a resolved config holds under a credential's name, literal or not: env entries and
 * headers named like one (`API_KEY`, `Authorization`), the OAuth client secret and private key.
 */
function namedSecrets(config: ServerConfig): string[] {
  const named = (r: Record<string, string | null>) => Object.entries(r).flatMap(([k, v]) => (v && isCredentialName(k) ? [v] : []));
  if (config.type === 'stdio') return named(config.env);
  const values = named(config.headers).flatMap((v) => [v, v.replace(/^\S+\s+/, '')]);
  for (const v of [config.oauth?.clientSecret, config.oauth?.privateKeyPem]) if (v) values.push(v);
  return values;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
