/**
 * Which servers may use a language model (sampling), as kept in the user setting
 * `switchboard.sampling`: `{ "<server>": { allowed, model, identity } }`. The entry is found by
 * name, so the setting stays readable, but it counts only for the server identity it was given to
 * (config/identity.ts): a workspace server named like a user server is asked afresh. Entries from
 * before identities were recorded keep a refusal and lose a consent (the server asks again).
 */
import type { ServerRef } from '../config/identity';

/** What a server was granted; an empty object means it has not been asked. */
export interface SamplingConsent {
  allowed?: boolean;
  /** `<vendor>/<id>` (or a bare id) of the model it uses. */
  model?: string;
}

interface StoredConsent extends SamplingConsent {
  identity?: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The setting's entries, own properties only: a server named `constructor` finds no function. */
function entries(setting: unknown): [string, unknown][] {
  return isRecord(setting) ? Object.entries(setting) : [];
}

/** What `server` was granted, from the setting's value as read. */
export function consentFor(setting: unknown, server: ServerRef): SamplingConsent {
  const entry = entries(setting).find(([name]) => name === server.name)?.[1];
  if (!isRecord(entry)) return {};
  const allowed = typeof entry.allowed === 'boolean' ? entry.allowed : undefined;
  const model = typeof entry.model === 'string' ? entry.model : undefined;
  if (entry.identity === undefined) return allowed === false ? { allowed } : {};
  if (entry.identity !== server.identity) return {};
  return { ...(allowed !== undefined && { allowed }), ...(model !== undefined && { model }) };
}

/** The setting's new value with `consent` recorded for `server` (replacing what its name held). */
export function withConsent(setting: unknown, server: ServerRef, consent: SamplingConsent): Record<string, StoredConsent> {
  const next = entries(setting).filter(([name]) => name !== server.name);
  next.push([server.name, { ...consent, identity: server.identity }]);
  // fromEntries defines each key as data: `__proto__` is a name like any other.
  return Object.fromEntries(next) as Record<string, StoredConsent>;
}
