/** Small builders shared by the policy tests. */
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { RuleFactoryOptions } from '../../src/policy/rules';

export type Hints = NonNullable<Tool['annotations']>;

/** A tool with one string property `path`, unless told otherwise. */
export function tool(name: string, annotations?: Hints, extra: Partial<Tool> = {}): Tool {
  return {
    name,
    description: `${name} does things`,
    inputSchema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
    ...(annotations ? { annotations } : {}),
    ...extra,
  };
}

/** Stable ids and clock: rule-1, rule-2, … created one second apart. */
export function factory(): RuleFactoryOptions {
  let n = 0;
  return {
    newId: () => `rule-${++n}`,
    now: () => new Date(Date.UTC(2026, 0, 1, 0, 0, n)),
  };
}

/** The identity the policy tests give a server named `name` (a user server, as if from config/identity). */
export const identityOf = (name: string): string => `user:${name}`;

/** The server most policy tests are about. */
export const FS = { name: 'fs', identity: identityOf('fs') } as const;

/** A server reference as a rule target's `server` and `identity`, or a decision's input. */
export const at = (ref: { name: string; identity: string }) => ({ server: ref.name, identity: ref.identity });
