/**
 * Turns configuration text (or the setting's value) into the config model. The file is JSONC, so
 * comments and trailing commas are fine, and every finding points at the exact node it is about.
 *
 * One broken server entry never takes the others down: valid entries are returned as servers,
 * broken ones as `invalidServers` with their errors, so a typo while editing restarts at most the
 * server being edited.
 */
import { findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { SETTING_SERVERS } from './paths';
import { LineIndex, ZERO_RANGE } from './ranges';
import { TOP_LEVEL_KEYS } from './schema';
import { emptyConfig, type ConfigError, type ConfigSource, type ParsedConfig, type ServerConfig, type SourceRange } from './types';
import { formatJsonPath, type JsonPath } from './jsonPath';
import { isPlainObject, suggestKey, validateInputs, validateServerEntry, type ValueIssue } from './validate';
import { listVariables } from './variables';

/** Collects findings for one source and renders their messages with the path in front. */
class Report {
  readonly result: ParsedConfig;

  constructor(source: ConfigSource, private readonly _root: string) {
    this.result = emptyConfig(source);
  }

  add(issue: ValueIssue, range: SourceRange, server?: string): ConfigError {
    const where = formatJsonPath(issue.path, this._root);
    const message = where ? `${where}: ${issue.detail}` : issue.detail;
    const error: ConfigError = {
      file: this.result.source.file, range, message, path: issue.path, severity: issue.severity,
    };
    if (server !== undefined) error.server = server;
    this.result.errors.push(error);
    return error;
  }

  /** Records one server's outcome; errors make it invalid, warnings alone do not. */
  server(name: string, path: JsonPath, config: ServerConfig | undefined, errors: ConfigError[], range?: SourceRange): void {
    const blocking = errors.filter((e) => e.severity === 'error');
    if (config && blocking.length === 0) {
      this.result.servers.push({ name, source: this.result.source, config, path, ...(range && { range }) });
    } else {
      this.result.invalidServers.push({ name, errors: blocking });
    }
  }
}

/** `CommaExpected` → `comma expected`. */
function describeParseError(error: ParseError): string {
  return printParseErrorCode(error.error).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

const keyOf = (property: Node): string => String(property.children?.[0]?.value ?? '');

/**
 * The node an issue is about, found below `anchor` (the node at `base`). A missing node falls
 * back to its nearest existing ancestor; `at: 'key'` moves from a value to its property name.
 */
function nodeFor(anchor: Node, relative: JsonPath, at: ValueIssue['at']): Node {
  let path = relative;
  let node = findNodeAtLocation(anchor, path);
  while (!node && path.length) {
    path = path.slice(0, -1);
    node = findNodeAtLocation(anchor, path);
  }
  node ??= anchor;
  const key = node.parent?.type === 'property' ? node.parent.children?.[0] : undefined;
  return at === 'key' && key ? key : node;
}

/** Warnings for repeated keys; JSON semantics keep the last one, and so do we. */
function duplicateKeyIssues(node: Node, skip: Set<Node>, out: { node: Node; issue: ValueIssue }[], path: JsonPath = []): void {
  if (node.type === 'object' && !skip.has(node)) {
    const seen = new Set<string>();
    for (const prop of node.children ?? []) {
      const key = keyOf(prop);
      if (seen.has(key)) {
        out.push({ node: prop.children![0], issue: { path: [...path, key], detail: `duplicate key "${key}"; the last one is used`, severity: 'warning', at: 'key' } });
      }
      seen.add(key);
    }
  }
  (node.children ?? []).forEach((child, index) => {
    const value = child.type === 'property' ? child.children?.[1] : child;
    const segment = child.type === 'property' ? keyOf(child) : index;
    if (value) duplicateKeyIssues(value, skip, out, [...path, segment]);
  });
}

/** Warnings about variables that will fail later, reported where they are written. */
function variableIssues(config: ServerConfig, base: JsonPath, inputIds: Set<string> | undefined): ValueIssue[] {
  const issues: ValueIssue[] = [];
  for (const use of listVariables(config)) {
    const path = [...base, ...use.path];
    if (use.variable.kind === 'unknown') {
      issues.push({ path, detail: `unknown variable \${${use.body}}`, severity: 'warning', at: 'value' });
    } else if (use.variable.kind === 'input' && inputIds && !inputIds.has(use.variable.id)) {
      issues.push({ path, detail: `input "${use.variable.id}" is not defined in "inputs"`, severity: 'warning', at: 'value' });
    }
  }
  return issues;
}

function byPosition(a: ConfigError, b: ConfigError): number {
  return a.range.offset - b.range.offset;
}

/**
 * Parses a configuration file (`servers` + `inputs`, or the Claude Desktop / Cursor `mcpServers`
 * shape). Empty or whitespace-only text means no servers and no errors. Errors are sorted by
 * position.
 */
export function parseConfigText(text: string, source: ConfigSource): ParsedConfig {
  // A BOM is replaced by a space rather than removed so offsets still match the file.
  const clean = text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text;
  const syntax: ParseError[] = [];
  const root = parseTree(clean, syntax, { allowTrailingComma: true, allowEmptyContent: true, disallowComments: false });
  const lines = new LineIndex(clean);
  const report = new Report(source, '');
  const at = (anchor: Node, base: JsonPath, issue: ValueIssue): SourceRange => {
    const node = nodeFor(anchor, issue.path.slice(base.length), issue.at);
    return lines.range(node.offset, node.length);
  };

  // Syntax errors inside a server entry make that server invalid; the rest are file-level.
  // An unclosed brace is reported once per open object, all at the end: keep one of each.
  const distinct = syntax.filter((e, i) => syntax.findIndex((o) => o.offset === e.offset && o.error === e.error) === i);
  const pendingSyntax = distinct.map((e) => ({
    offset: e.offset,
    issue: { path: [], detail: `syntax error: ${describeParseError(e)}`, severity: 'error', at: 'value' } as ValueIssue,
    range: lines.range(e.offset, e.length),
    claimed: false,
  }));
  const finish = (): ParsedConfig => {
    for (const s of pendingSyntax) if (!s.claimed) report.add(s.issue, s.range);
    report.result.errors.sort(byPosition);
    return report.result;
  };

  if (!root) return finish();
  if (root.type !== 'object') {
    report.add({ path: [], detail: 'expected an object with "servers" (or "mcpServers")', severity: 'error', at: 'value' }, lines.range(root.offset, root.length));
    return finish();
  }

  // Last occurrence wins, as in JSON.parse; repeats get a duplicate-key warning below.
  const topLevel = new Map<string, Node>();
  for (const prop of root.children ?? []) {
    const key = keyOf(prop);
    topLevel.set(key, prop);
    if (!TOP_LEVEL_KEYS.includes(key)) {
      const guess = suggestKey(key, TOP_LEVEL_KEYS);
      const detail = guess ? `unknown property "${key}"; did you mean "${guess}"?` : `unknown property "${key}" (ignored)`;
      const keyNode = prop.children?.[0] ?? prop;
      report.add({ path: [key], detail, severity: 'warning', at: 'key' }, lines.range(keyNode.offset, keyNode.length));
    }
  }
  const serverMaps = ['servers', 'mcpServers'].map((k) => topLevel.get(k)).filter((p): p is Node => !!p)
    .sort((a, b) => a.offset - b.offset);

  const duplicates: { node: Node; issue: ValueIssue }[] = [];
  duplicateKeyIssues(root, new Set(serverMaps.map((p) => p.children?.[1]).filter((n): n is Node => !!n)), duplicates);
  for (const d of duplicates) report.add(d.issue, lines.range(d.node.offset, d.node.length));

  const inputsProp = topLevel.get('inputs');
  const inputsNode = inputsProp?.children?.[1];
  if (inputsNode) {
    const { inputs, issues } = validateInputs(getNodeValue(inputsNode), ['inputs']);
    report.result.inputs = inputs;
    for (const issue of issues) report.add(issue, at(inputsNode, ['inputs'], issue));
  }
  const inputIds = new Set(report.result.inputs.map((i) => i.id));

  const names = new Map<string, string>();
  for (const mapProp of serverMaps) {
    const mapKey = keyOf(mapProp);
    const mapNode = mapProp.children?.[1];
    if (!mapNode) continue; // the parser has already reported the missing value
    if (mapNode.type !== 'object') {
      const detail = `expected an object mapping server names to entries, got ${mapNode.type}`;
      report.add({ path: [mapKey], detail, severity: 'error', at: 'value' }, lines.range(mapNode.offset, mapNode.length));
      continue;
    }
    for (const entry of mapNode.children ?? []) {
      const keyNode = entry.children?.[0];
      if (!keyNode) continue;
      const name = String(keyNode.value);
      const path = [mapKey, name];
      const keyRange = lines.range(keyNode.offset, keyNode.length);
      const firstIn = names.get(name);
      if (firstIn !== undefined) {
        const where = firstIn === mapKey ? '' : ` (first defined in "${firstIn}")`;
        report.add({ path, detail: `duplicate server name "${name}"${where}`, severity: 'error', at: 'key' }, keyRange, name);
        continue;
      }
      names.set(name, mapKey);

      const errors: ConfigError[] = [];
      for (const s of pendingSyntax) {
        const end = entry.offset + entry.length;
        // An entry left open at the end of the file owns the errors reported at the very end.
        if (!s.claimed && s.offset >= entry.offset && (s.offset < end || (s.offset === end && end === clean.length))) {
          s.claimed = true;
          errors.push(report.add({ ...s.issue, path }, s.range, name));
        }
      }
      if (errors.length) {
        // A half-typed entry is not validated: its errors would only echo the syntax error.
        report.server(name, path, undefined, errors);
        continue;
      }
      if (name.trim() === '') {
        errors.push(report.add({ path, detail: 'server name must not be empty', severity: 'error', at: 'key' }, keyRange, name));
      }
      const valueNode = entry.children?.[1] ?? keyNode;
      const { config, issues } = validateServerEntry(getNodeValue(valueNode), path);
      if (config) issues.push(...variableIssues(config, path, inputIds));
      for (const issue of issues) errors.push(report.add(issue, at(valueNode, path, issue), name));
      report.server(name, path, config, errors, keyRange);
    }
  }
  return finish();
}

/**
 * Parses the `switchboard.servers` setting: a plain object `{ "<name>": serverEntry }`. There is
 * no text to point into, so ranges are zero; messages and paths still name the offending field
 * (paths are relative to the setting, e.g. `['weather', 'command']`).
 */
export function parseSettingValue(value: unknown, source: ConfigSource): ParsedConfig {
  const report = new Report(source, SETTING_SERVERS);
  if (value === undefined || value === null) return report.result;
  if (!isPlainObject(value)) {
    report.add({ path: [], detail: 'expected an object mapping server names to entries', severity: 'error', at: 'value' }, ZERO_RANGE);
    return report.result;
  }
  for (const [name, entry] of Object.entries(value)) {
    const { config, issues } = validateServerEntry(entry, [name]);
    if (config) issues.push(...variableIssues(config, [name], undefined));
    const wrapped = (name === 'servers' || name === 'mcpServers') && isPlainObject(entry) && !('command' in entry || 'url' in entry);
    if (wrapped) {
      issues.push({ path: [name], detail: `this setting maps names to entries directly; remove the "${name}" wrapper`, severity: 'error', at: 'key' });
    }
    const errors = issues.map((issue) => report.add(issue, ZERO_RANGE, name));
    report.server(name, [name], config, errors);
  }
  return report.result;
}
