/**
 * Zod schemas for one server entry and one input, as written in a file or the setting.
 * `type` is handled before these run (it may be omitted and inferred), and unknown keys are
 * reported separately as warnings, so the object schemas strip rather than reject extras.
 * The JSON schema for editors (`media/switchboard.schema.json`) mirrors these; a unit test keeps
 * the two key lists in step.
 */
import { z } from 'zod';

export const SERVER_TYPES = ['stdio', 'http', 'sse'] as const;
export const INPUT_TYPES = ['promptString', 'pickString'] as const;

/** Node's timers overflow above 2^31-1 ms and fire at once, so larger values are rejected. */
const MAX_TIMEOUT_MS = 2_147_483_647;
const timeoutMs = z.number().int().positive().max(MAX_TIMEOUT_MS);

/**
 * A URL that may still contain `${...}` variables: each variable is replaced by a harmless
 * placeholder before checking, and the real URL is checked again after resolution.
 */
export function isHttpUrlTemplate(value: string): boolean {
  // `${input:base}/mcp`: the scheme itself comes from a variable, nothing to check yet.
  if (/^\$\{[^}]*\}/.test(value)) return true;
  const probe = value.replace(/\$\{[^}]*\}/g, 'x');
  try {
    const url = new URL(probe);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

const common = {
  disabled: z.boolean().optional(),
  startupTimeoutMs: timeoutMs.optional(),
  requestTimeoutMs: timeoutMs.optional(),
};

export const stdioServerSchema = z.object({
  type: z.literal('stdio').optional(),
  command: z.string().min(1),
  args: z.array(z.string()).optional(),
  // null unsets a variable the server would otherwise inherit.
  env: z.record(z.string(), z.string().nullable()).optional(),
  envFile: z.string().min(1).optional(),
  cwd: z.string().min(1).optional(),
  ...common,
});

/** How an https:// server's certificate is checked; `ca` is a PEM file of extra authorities to trust. */
export const tlsSchema = z.object({
  ca: z.string().min(1).optional(),
});

/** OAuth for a remote server; secrets belong in `${input:…}` variables, which keep them in SecretStorage. */
export const oauthSchema = z.object({
  clientId: z.string().min(1).optional(),
  clientSecret: z.string().min(1).optional(),
  scopes: z.array(z.string().min(1)).optional(),
  clientMetadataUrl: z.string().url().refine((u) => u.startsWith('https://'), { message: 'expected an https:// URL' }).optional(),
  grant: z.enum(['authorization_code', 'client_credentials', 'cross_app']).optional(),
  idp: z.object({ tokenEndpoint: z.string().url(), clientId: z.string().min(1).optional(), idToken: z.string().min(1) }).strict().optional(),
  privateKeyPem: z.string().min(1).optional(),
  signingAlgorithm: z.string().min(1).optional(),
  dpop: z.boolean().optional(),
}).strict();

export const remoteServerSchema = z.object({
  type: z.enum(['http', 'sse']).optional(),
  url: z.string().min(1).refine(isHttpUrlTemplate, { message: 'expected an http:// or https:// URL' }),
  headers: z.record(z.string(), z.string()).optional(),
  oauth: oauthSchema.optional(),
  tls: tlsSchema.optional(),
  ...common,
});

export const inputSchema = z.object({
  id: z.string().min(1),
  type: z.enum(INPUT_TYPES),
  description: z.string().optional(),
  password: z.boolean().optional(),
  default: z.string().optional(),
  options: z.array(z.string()).optional(),
});

/** Keys each kind of entry understands; anything else draws an "unknown property" warning. */
export const STDIO_KEYS: readonly string[] = Object.keys(stdioServerSchema.shape);
export const REMOTE_KEYS: readonly string[] = Object.keys(remoteServerSchema.shape);
export const TLS_KEYS: readonly string[] = Object.keys(tlsSchema.shape);
export const INPUT_KEYS: readonly string[] = Object.keys(inputSchema.shape);
export const TOP_LEVEL_KEYS: readonly string[] = ['servers', 'mcpServers', 'inputs', '$schema'];
