/**
 * Turns parsed configuration into the manager's desired set: which servers run, and which are
 * listed but held back (invalid, disabled, untrusted, unresolved variables) with the reason.
 */
import { redactCredentials } from '../common/redact';
import type { ConfigError, ParsedConfig, ServerConfig, ServerDefinition } from '../config/types';
import type { DesiredServer } from './manager';
import { errored, stopped } from './state';

export interface DesiredContext {
  /** Workspace Trust: workspace-file servers only run in a trusted workspace. */
  trusted: boolean;
  /** Resolves variables; only called for servers that will actually run. */
  resolve(def: ServerDefinition, config: ParsedConfig): Promise<{ config: ServerConfig; secrets?: string[] } | { error: string }>;
}

export function formatConfigError(e: ConfigError): string {
  return `${e.file}:${e.range.line}:${e.range.column} ${e.message}`;
}

/** Later configs override earlier ones by server name (workspace over user). */
export async function buildDesiredServers(configs: readonly ParsedConfig[], ctx: DesiredContext): Promise<{ servers: DesiredServer[]; warnings: string[] }> {
  const byName = new Map<string, () => Promise<DesiredServer>>();
  const warnings: string[] = [];
  const claim = (name: string, config: ParsedConfig) => {
    if (byName.has(name)) warnings.push(`server "${name}" from ${config.source.file} overrides another definition with the same name`);
  };
  for (const config of configs) {
    const sourceKind = config.source.kind;
    for (const bad of config.invalidServers) {
      claim(bad.name, config);
      const first = bad.errors.find((e) => e.severity === 'error') ?? bad.errors[0];
      // A config error may quote the value it rejects, a literal credential included.
      const message = redactCredentials(`invalid configuration: ${first ? formatConfigError(first) : 'unknown error'}`);
      byName.set(bad.name, async () => ({ name: bad.name, sourceKind, hold: errored(message) }));
    }
    for (const def of config.servers) {
      claim(def.name, config);
      byName.set(def.name, async () => {
        const base = { name: def.name, sourceKind };
        if (def.config.disabled) return { ...base, config: def.config, hold: stopped('disabled') };
        // Untrusted: do not even resolve variables, so no input prompt or env read happens for it.
        if (sourceKind === 'workspace' && !ctx.trusted) return { ...base, config: def.config, hold: stopped('untrusted') };
        const resolved = await ctx.resolve(def, config);
        if ('error' in resolved) return { ...base, config: def.config, hold: errored(redactCredentials(resolved.error)) };
        return { ...base, config: resolved.config, secrets: resolved.secrets };
      });
    }
  }
  // Resolve sequentially: input prompts must not pile up on top of each other.
  const servers: DesiredServer[] = [];
  for (const make of byName.values()) servers.push(await make());
  return { servers, warnings };
}
