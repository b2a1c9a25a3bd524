/**
 * The names VS Code gives the gateway's tools. VS Code prefixes every tool of an MCP server with
 * `mcp_`, a short form of the server's title (else the definition's label; the gateway makes both
 * the server's name) and `_`; when two titles shorten alike, the second gets a `2` before the `_`,
 * the third a `3`, in the order VS Code met them. The id is then cut at 64 characters, dots made
 * underscores.
 */

/** The length of the label part of VS Code's prefix (`mcp_` + label + `_` make at most 18). */
const LABEL_LENGTH = 13;

/** VS Code's possible names for one served tool, the first for a label no other shortens to. */
export function hostToolNames(server: string, name: string, servers: number): string[] {
  const label = server.toLowerCase().replace(/[^a-z0-9_.-]+/g, '_').slice(0, LABEL_LENGTH);
  const names: string[] = [];
  for (let i = 1; i <= Math.max(1, servers); i++) {
    const tail = `${i === 1 ? '' : String(i)}_`;
    names.push(`mcp_${label.slice(0, LABEL_LENGTH + 1 - tail.length)}${tail}${name}`.replaceAll('.', '_').slice(0, 64));
  }
  return names;
}

/**
 * Our namespaced names → VS Code's, for the tools listed in `present`. A tool with more than one
 * of its possible names present (servers whose names shorten alike, with like tools) is left out:
 * which one is its own cannot be told, and a wrong guess would run another server's tool.
 */
export function matchHostTools(tools: readonly { name: string; server: string }[], present: readonly string[], servers: number): Map<string, string> {
  const listed = new Set(present);
  const out = new Map<string, string>();
  for (const t of tools) {
    const found = hostToolNames(t.server, t.name, servers).filter((n) => listed.has(n));
    if (found.length === 1) out.set(t.name, found[0]);
  }
  return out;
}
