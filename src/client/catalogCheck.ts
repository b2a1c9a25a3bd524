/**
 * Checks what a server lists before anything else sees it. Names are identifiers the user judges
 * and the router keys calls by, so a name that is not a plain, well-formed, bounded string
 * (a NUL, a lone surrogate, a control or bidi-override character, thousands of characters) gets
 * its item rejected alone; a name listed twice is ambiguous, so every copy goes. Free text
 * (descriptions, titles, server info) is kept, cleaned of the same characters and shortened.
 *
 * Also checks a stored catalog with the SDK's own schemas and the same rules, so a cached catalog
 * is as well-formed as a listed one.
 */
import {
  ImplementationSchema, PromptSchema, ResourceSchema, ResourceTemplateSchema, ServerCapabilitiesSchema, ToolSchema,
  type Implementation, type Prompt, type Resource, type ResourceTemplate, type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { stripControls } from '../common/terminalText';
import { keepBounded } from './catalogBounds';
import type { CatalogKind, ServerCatalog } from './types';

/** The spec's bound for tool names, applied to every name a server gives. */
export const MAX_NAME_LENGTH = 128;
export const MAX_URI_LENGTH = 8192;
export const MAX_DESCRIPTION_LENGTH = 8192;
export const MAX_TITLE_LENGTH = 256;
export const MAX_INSTRUCTIONS_LENGTH = 65_536;

/** Receives one line per rejected item (`error`) or shortened list (`warn`), for the server's log. */
export type CatalogReport = (problem: string, level: 'error' | 'warn') => void;

// Lone surrogates; C0 and C1 controls (NUL included) and DEL; bidi marks, embeddings, overrides and isolates.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

/** Why `name` cannot name anything, or undefined when it can. */
export function nameProblem(name: unknown, max = MAX_NAME_LENGTH): string | undefined {
  if (typeof name !== 'string') return 'is not a string';
  if (name.length === 0) return 'is empty';
  if (name.length > max) return `is ${name.length} characters long (at most ${max})`;
  if (name.includes('\u0000')) return 'contains a NUL character';
  if (LONE_SURROGATE.test(name)) return 'contains a lone surrogate (not valid Unicode)';
  if (CONTROL.test(name)) return 'contains a control character';
  if (BIDI.test(name)) return 'contains a bidirectional-text override';
  return undefined;
}

/** `text` shortened to `max` characters and cleaned of lone surrogates, escape sequences, controls (tab and newlines stay) and bidi overrides. */
export function cleanText(text: string, max: number): string {
  // Cut before a pair's high half rather than through the pair.
  let t = text.length > max ? text.slice(0, max - 1).replace(/[\uD800-\uDBFF]$/, '') + '…' : text;
  t = stripControls(t);
  return LONE_SURROGATE.test(t) ? t.replace(new RegExp(LONE_SURROGATE.source, 'g'), '\uFFFD') : t;
}

/** A server's string shown in a log line: short, quoted, with anything unprintable escaped. */
export function quote(text: string, max = 60): string {
  const short = text.length > max ? `${text.slice(0, max)}…` : text;
  return JSON.stringify(short).replace(/[\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\uD800-\uDFFF]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

type Item = Tool | Prompt | Resource | ResourceTemplate;
const LABEL: Record<CatalogKind, string> = { tools: 'tool', prompts: 'prompt', resources: 'resource', resourceTemplates: 'resource template' };

/** Why one item cannot be used, or undefined. */
function itemProblem(kind: CatalogKind, item: Item): string | undefined {
  const name = nameProblem(item.name);
  if (name) return `its name ${name}`;
  if (kind === 'resources') {
    const uri = nameProblem((item as Resource).uri, MAX_URI_LENGTH);
    if (uri) return `its URI ${uri}`;
  }
  if (kind === 'resourceTemplates') {
    const uri = nameProblem((item as ResourceTemplate).uriTemplate, MAX_URI_LENGTH);
    if (uri) return `its URI template ${uri}`;
  }
  if (kind === 'prompts') {
    for (const arg of (item as Prompt).arguments ?? []) {
      const p = nameProblem(arg.name);
      if (p) return `an argument's name ${p}`;
    }
  }
  return undefined;
}

/** The item with its free text cleaned and shortened; `shortened` learns whether any was. */
function cleanItem<T extends Item>(item: T, shortened: () => void): T {
  const text = (value: string | undefined, max: number) => {
    if (typeof value !== 'string') return value;
    if (value.length > max) shortened();
    return cleanText(value, max);
  };
  const out = { ...item, description: text(item.description, MAX_DESCRIPTION_LENGTH), title: text(item.title, MAX_TITLE_LENGTH) };
  if (out.description === undefined) delete out.description;
  if (out.title === undefined) delete out.title;
  const annotations = (item as Tool).annotations;
  if (typeof annotations?.title === 'string') (out as Tool).annotations = { ...annotations, title: text(annotations.title, MAX_TITLE_LENGTH) };
  const args = (item as Prompt).arguments;
  if (args) (out as Prompt).arguments = args.map((a) => ({ ...a, description: text(a.description, MAX_DESCRIPTION_LENGTH) }));
  return out;
}

/** Checks one listed kind: bad and duplicated names are rejected alone, free text cleaned; see the file comment. */
export function checkList<T extends Item>(kind: CatalogKind, items: readonly T[], report: CatalogReport = () => {}): T[] {
  const label = LABEL[kind];
  const count = new Map<string, number>();
  for (const item of items) if (typeof item.name === 'string') count.set(item.name, (count.get(item.name) ?? 0) + 1);
  const out: T[] = [];
  const duplicates = new Set<string>();
  let shortened = 0;
  for (const item of items) {
    const problem = itemProblem(kind, item);
    if (problem) {
      report(`${label} ${typeof item.name === 'string' ? quote(item.name) : '(no name)'} rejected: ${problem}`, 'error');
      continue;
    }
    const n = count.get(item.name)!;
    if (n > 1) {
      if (!duplicates.has(item.name)) report(`${label} ${quote(item.name)} rejected: it is listed ${n} times, so which one a call would run is unclear`, 'error');
      duplicates.add(item.name);
      continue;
    }
    out.push(cleanItem(item, () => { shortened++; }));
  }
  if (shortened) report(`${shortened} ${label} description(s) or title(s) shortened to ${MAX_DESCRIPTION_LENGTH} (titles ${MAX_TITLE_LENGTH}) characters`, 'warn');
  return out;
}

/** Server info with every string cleaned and shortened. */
export function cleanServerInfo(info: Implementation | undefined): Implementation | undefined {
  if (!info) return undefined;
  const out: Implementation = { ...info, name: cleanText(String(info.name), MAX_TITLE_LENGTH), version: cleanText(String(info.version), MAX_TITLE_LENGTH) };
  if (typeof info.title === 'string') out.title = cleanText(info.title, MAX_TITLE_LENGTH);
  return out;
}

/** A server's instructions, cleaned and shortened. */
export function cleanInstructions(text: string | undefined): string | undefined {
  return typeof text === 'string' ? cleanText(text, MAX_INSTRUCTIONS_LENGTH) : undefined;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The catalog in `value`, or `undefined` when its lists do not parse; a bad server info or capabilities is dropped alone. */
export function parseCatalog(value: unknown): ServerCatalog | undefined {
  if (!isObject(value)) return undefined;
  const tools = ToolSchema.array().safeParse(value.tools);
  const resources = ResourceSchema.array().safeParse(value.resources);
  const templates = ResourceTemplateSchema.array().safeParse(value.resourceTemplates);
  const prompts = PromptSchema.array().safeParse(value.prompts);
  if (!tools.success || !resources.success || !templates.success || !prompts.success) return undefined;
  const info = ImplementationSchema.safeParse(value.serverInfo);
  const caps = ServerCapabilitiesSchema.safeParse(value.capabilities);
  return {
    serverInfo: info.success ? cleanServerInfo(info.data) : undefined,
    capabilities: caps.success ? caps.data : undefined,
    instructions: cleanInstructions(typeof value.instructions === 'string' ? value.instructions : undefined),
    protocolVersion: typeof value.protocolVersion === 'string' ? value.protocolVersion : undefined,
    // Stored by a version without the connection's bounds and checks, an item may fail them.
    tools: checkList('tools', keepBounded('tools', tools.data).kept),
    resources: checkList('resources', keepBounded('resources', resources.data).kept),
    resourceTemplates: checkList('resourceTemplates', keepBounded('resourceTemplates', templates.data).kept),
    prompts: checkList('prompts', keepBounded('prompts', prompts.data).kept),
  };
}
