/**
 * Who a server is, for everything a user granted it: permission rules, pinned definitions and
 * sampling consent. A name alone is not enough: a workspace can declare a server with the name of
 * one of the user's, and must not inherit what the user granted theirs. So the identity is the
 * name, where the definition comes from (user or workspace), and what is launched (command and
 * arguments, or the URL) as written, before variables are resolved, so no secret that an input or
 * the environment supplies ever goes into it.
 */
import { sha256Hex } from '../common/hash';
import { canonicalJson } from './diff';
import type { ConfigSourceKind, ServerConfig } from './types';

/** What is launched, without environment, headers or OAuth settings (where secrets live). */
function launchOf(config: ServerConfig): unknown {
  return config.type === 'stdio'
    ? { type: config.type, command: config.command, args: config.args }
    : { type: config.type, url: config.url };
}

/**
 * `<source>:<hash>`, e.g. `user:3f0c…`. Changing the command, the arguments or the URL makes a new
 * identity, whose tools are asked about afresh: what the user allowed was another program.
 */
export function serverIdentity(name: string, source: ConfigSourceKind, config: ServerConfig): string {
  return `${source}:${sha256Hex(canonicalJson({ name, launch: launchOf(config) })).slice(0, 32)}`;
}

/** A server as permissions see it: its config name (shown to people) and its identity (matched). */
export interface ServerRef {
  name: string;
  identity: string;
}
