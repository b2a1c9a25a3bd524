// @ts-check
// What the demo model does with a request, without VS Code so it is unit-tested: pick the tool
// the prompt names (its namespaced name, or failing that the tool sharing most words with the
// prompt) and fill its arguments from the prompt (a JSON object if there is one, else quoted
// strings and numbers in order for the schema's properties).

/** @typedef {{ name: string, description?: string, inputSchema?: any }} ToolInfo */

const escape = (/** @type {string} */ s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const words = (/** @type {string} */ s) => s.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length > 2);

/**
 * @param {readonly ToolInfo[]} tools
 * @param {string} prompt
 * @returns {ToolInfo | undefined}
 */
function pickTool(tools, prompt) {
  const lower = prompt.toLowerCase();
  const named = tools.filter((t) => new RegExp(`(^|[^a-z0-9_])${escape(t.name.toLowerCase())}($|[^a-z0-9_-])`).test(lower));
  if (named.length) return named.sort((a, b) => b.name.length - a.name.length)[0];
  const asked = new Set(words(prompt));
  let best;
  let bestScore = 0;
  for (const t of tools) {
    // A word of the tool's name counts more than one of its description.
    const score = words(t.name).filter((w) => asked.has(w)).length * 3 + words(t.description ?? '').filter((w) => asked.has(w)).length;
    if (score > bestScore) { best = t; bestScore = score; }
  }
  return bestScore >= 3 ? best : undefined;
}

/** The first JSON object in the text that parses, if any. */
function jsonObject(/** @type {string} */ text) {
  for (let start = text.indexOf('{'); start >= 0; start = text.indexOf('{', start + 1)) {
    for (let end = text.lastIndexOf('}'); end > start; end = text.lastIndexOf('}', end - 1)) {
      try {
        const v = JSON.parse(text.slice(start, end + 1));
        if (v && typeof v === 'object' && !Array.isArray(v)) return v;
      } catch { /* a longer or shorter slice may parse */ }
    }
  }
  return undefined;
}

/**
 * @param {ToolInfo} tool
 * @param {string} prompt
 * @returns {Record<string, unknown>}
 */
function fillArguments(tool, prompt) {
  const json = jsonObject(prompt);
  if (json) return json;
  const schema = tool.inputSchema ?? {};
  const props = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const rest = prompt.replace(new RegExp(escape(tool.name), 'gi'), ' ');
  const strings = [...rest.matchAll(/"([^"]*)"|'([^']*)'|“([^”]*)”/g)].map((m) => m[1] ?? m[2] ?? m[3]);
  const numbers = [...rest.replace(/"[^"]*"|'[^']*'/g, ' ').matchAll(/-?\d+(\.\d+)?/g)].map((m) => Number(m[0]));
  /** @type {Record<string, unknown>} */
  const args = {};
  for (const [key, p] of Object.entries(props)) {
    const type = Array.isArray(p.type) ? p.type[0] : p.type;
    if (Array.isArray(p.enum) && p.enum.length) { if (required.has(key)) args[key] = p.enum[0]; continue; }
    if (type === 'string' && strings.length) args[key] = strings.shift();
    else if ((type === 'number' || type === 'integer') && numbers.length) args[key] = numbers.shift();
    else if (required.has(key)) {
      if (p.default !== undefined) args[key] = p.default;
      else if (type === 'string') args[key] = '';
      else if (type === 'number' || type === 'integer') args[key] = 0;
      else if (type === 'boolean') args[key] = false;
      else if (type === 'array') args[key] = [];
      else if (type === 'object') args[key] = {};
    }
  }
  return args;
}

/**
 * @param {readonly ToolInfo[]} tools
 * @param {string} prompt
 * @returns {{ tool: string, input: Record<string, unknown> } | undefined}
 */
function planCall(tools, prompt) {
  const tool = pickTool(tools, prompt);
  return tool && { tool: tool.name, input: fillArguments(tool, prompt) };
}

module.exports = { planCall, pickTool, fillArguments };
