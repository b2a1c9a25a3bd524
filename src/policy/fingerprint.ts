/**
 * What "the same tool" means for a permission: its description, input schema and annotations —
 * what the model reads to decide how to use it and what the user read to decide to trust it.
 * The output schema, the top-level `title`, `icons` and `_meta` are left out on purpose: changing them does not change
 * what a call can do, and re-asking for them would teach users to click through prompts.
 */
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { sha256Hex } from '../common/hash';
import { canonicalJson } from '../config/diff';
import type { DefinitionChange, PinnedDefinition, ToolDefinition } from './types';

/** The pinned parts of a tool, copied so later mutation of the tool cannot alter the pin. */
export function definitionOf(tool: Tool | ToolDefinition): ToolDefinition {
  // Through canonical JSON: a deep copy with sorted keys and no undefined members.
  return JSON.parse(canonicalJson({
    description: tool.description,
    inputSchema: tool.inputSchema,
    annotations: tool.annotations,
  })) as ToolDefinition;
}

/** sha256 (hex) of a definition's canonical JSON, so key order never counts as a change. */
export function hashDefinition(definition: ToolDefinition): string {
  return sha256Hex(canonicalJson(definitionOf(definition)));
}

/** The pin an allow rule stores for a tool. */
export function pinTool(tool: Tool | ToolDefinition): PinnedDefinition {
  const definition = definitionOf(tool);
  return { hash: hashDefinition(definition), definition };
}

/**
 * Hashes of the tool objects the catalog holds: every call checks a pin, and a catalog entry is
 * replaced (never changed in place) when the server lists it anew, so its hash can be kept.
 */
const hashes = new WeakMap<object, string>();

/** Whether `tool` still has the definition that was pinned. */
export function matchesPin(pin: PinnedDefinition, tool: Tool | ToolDefinition): boolean {
  let hash = hashes.get(tool);
  if (hash === undefined) {
    hash = hashDefinition(definitionOf(tool));
    hashes.set(tool, hash);
  }
  return pin.hash === hash;
}

type Schema = Record<string, unknown>;

const isObject = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `string`, `string | null`, `any` (no type keyword), for "type changed" messages. */
function typeLabel(schema: unknown): string {
  if (!isObject(schema)) return 'any';
  const t = schema.type;
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) return t.map(String).join(' | ');
  return 'any';
}

function describeSchemaChange(before: Schema, after: Schema): string[] {
  const out: string[] = [];
  const props = (s: Schema): Schema => (isObject(s.properties) ? s.properties : {});
  const required = (s: Schema): Set<string> => new Set(Array.isArray(s.required) ? s.required.map(String) : []);
  const oldProps = props(before);
  const newProps = props(after);
  const oldRequired = required(before);
  const newRequired = required(after);
  const names = [...new Set([...Object.keys(oldProps), ...Object.keys(newProps), ...oldRequired, ...newRequired])].sort();
  for (const name of names) {
    const label = `input schema: property ${JSON.stringify(name)}`;
    const [was, is] = [Object.hasOwn(oldProps, name), Object.hasOwn(newProps, name)];
    if (!was && is) {
      out.push(`${label} added${newRequired.has(name) ? ' (required)' : ''}`);
      continue;
    }
    if (was && !is) {
      out.push(`${label} removed`);
      continue;
    }
    if (was && is) {
      const [a, b] = [typeLabel(oldProps[name]), typeLabel(newProps[name])];
      if (a !== b) out.push(`${label} type changed: ${a} → ${b}`);
      else if (canonicalJson(oldProps[name]) !== canonicalJson(newProps[name])) out.push(`${label} changed`);
    }
    if (oldRequired.has(name) !== newRequired.has(name)) {
      out.push(`${label} ${newRequired.has(name) ? 'is now required' : 'is no longer required'}`);
    }
  }
  // Anything beyond properties/required (additionalProperties, $defs, …) is summed up in one line.
  const rest = (s: Schema): string => canonicalJson({ ...s, properties: undefined, required: undefined });
  if (rest(before) !== rest(after)) out.push('input schema: other keywords changed');
  return out;
}

const show = (v: unknown): string => (v === undefined ? 'unset' : JSON.stringify(v));

function describeAnnotationChange(before: Schema, after: Schema): string[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return keys
    .filter((k) => canonicalJson(before[k]) !== canonicalJson(after[k]))
    .map((k) => `annotations: ${k} ${show(before[k])} → ${show(after[k])}`);
}

/**
 * Human-readable differences between a pinned definition and the tool as it is now, in a fixed
 * order (description, input schema, annotations). Empty when the two are the same.
 */
export function describeDefinitionChange(before: ToolDefinition, after: Tool | ToolDefinition): DefinitionChange[] {
  const a = definitionOf(before);
  const b = definitionOf(after);
  const changes: DefinitionChange[] = [];
  if (a.description !== b.description) {
    changes.push({ part: 'description', message: 'description changed' });
  }
  for (const message of describeSchemaChange(a.inputSchema ?? {}, b.inputSchema ?? {})) {
    changes.push({ part: 'inputSchema', message });
  }
  for (const message of describeAnnotationChange(a.annotations ?? {}, b.annotations ?? {})) {
    changes.push({ part: 'annotations', message });
  }
  return changes;
}
