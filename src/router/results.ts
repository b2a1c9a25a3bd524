/**
 * Turns a tool's `CallToolResult` into what a language model is given: text and binary parts in a
 * neutral shape (the VS Code adapter maps them to LanguageModelTextPart / LanguageModelDataPart,
 * the CLI prints them). Large results are cut for the model with a note saying so; the original
 * result stays whole for the user.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { count, exceedsLimits, type JsonLimits } from '../common/jsonBounds';

/**
 * What a result may hold to be accepted at all, for the model, the user or the gateway. Each
 * message from a server is already bounded as it arrives (messageBounds.ts); these are tighter
 * where the host's own work needs it: every walk over the result (JSON.stringify for the model's
 * text, the gateway's answer, the output schema) must not overflow the stack.
 */
export const MAX_CONTENT_BLOCKS = 1000;
export const RESULT_LIMITS: JsonLimits = { maxDepth: 100, maxValues: 50_000, maxChars: 64 * 1024 * 1024 };

/** Why the host does not accept `result` ("it has more than 1,000 content blocks"), or undefined. */
export function resultProblem(result: CallToolResult): string | undefined {
  const content: unknown = result.content;
  if (Array.isArray(content) && content.length > MAX_CONTENT_BLOCKS) return `it has more than ${count(MAX_CONTENT_BLOCKS)} content blocks`;
  if (result.structuredContent !== undefined) {
    const over = exceedsLimits(result.structuredContent, RESULT_LIMITS);
    if (over) return `its structured content ${over.replace(/^its? /, '')}`;
  }
  return exceedsLimits(result, { ...RESULT_LIMITS, maxDepth: RESULT_LIMITS.maxDepth + 2 });
}

/** One piece of what the model is given; the VS Code adapter maps each kind to its own part class. */
export type ModelPart =
  | { kind: 'text'; text: string }
  | { kind: 'data'; mimeType: string; data: Uint8Array };

/** A result converted for a model. */
export interface ModelResult {
  parts: ModelPart[];
  isError: boolean;
  /** Set when something was cut or dropped for the model. */
  truncated?: string;
}

export interface ConversionLimits {
  /** Total characters of text the model gets. */
  maxTextChars: number;
  /** Largest single image/audio part passed on; bigger ones are replaced by a note. */
  maxDataBytes: number;
}

/** 64 Ki characters of text keep a result well inside a model's context; images up to 4 MiB pass. */
export const DEFAULT_LIMITS: ConversionLimits = { maxTextChars: 64 * 1024, maxDataBytes: 4 * 1024 * 1024 };

type Content = CallToolResult['content'][number];
/** Internally, placeholders for what was left out are marked so the text budget never cuts them. */
type Part = ModelPart & { note?: true };

/** Media types a model can take as data; anything else embedded is described, not passed. */
const isModelMedia = (mime: string | undefined) => !!mime && /^(image|audio)\//.test(mime);

function convertItem(c: Content, limits: ConversionLimits, dropped: string[]): Part[] {
  // The SDK parses results, but a server newer than it may send kinds it passes through unknown.
  if (typeof c !== 'object' || c === null) return [{ kind: 'text', text: '[malformed content item]', note: true }];
  switch (c.type) {
    case 'text':
      return [{ kind: 'text', text: c.text }];
    case 'image':
    case 'audio': {
      // Sized without decoding, so an oversized image costs nothing before it is dropped.
      const size = Buffer.byteLength(c.data, 'base64');
      if (size > limits.maxDataBytes) {
        dropped.push(`${c.type} of ${size} bytes`);
        return [{ kind: 'text', text: `[${c.type} ${c.mimeType}, ${size} bytes: too large to pass on]`, note: true }];
      }
      return [{ kind: 'data', mimeType: c.mimeType, data: new Uint8Array(Buffer.from(c.data, 'base64')) }];
    }
    case 'resource': {
      const r = c.resource;
      if ('text' in r && typeof r.text === 'string') {
        return [{ kind: 'text', text: `Resource ${r.uri}${r.mimeType ? ` (${r.mimeType})` : ''}:\n${r.text}` }];
      }
      const blob = 'blob' in r && typeof r.blob === 'string' ? Buffer.from(r.blob, 'base64') : Buffer.alloc(0);
      const label = `${r.uri}${r.mimeType ? ` (${r.mimeType})` : ''}`;
      if (isModelMedia(r.mimeType)) {
        if (blob.byteLength <= limits.maxDataBytes) {
          return [{ kind: 'text', text: `Resource ${r.uri}:` }, { kind: 'data', mimeType: r.mimeType!, data: new Uint8Array(blob) }];
        }
        dropped.push(`resource ${r.uri} of ${blob.byteLength} bytes`);
        return [{ kind: 'text', text: `[resource ${label}, ${blob.byteLength} bytes: too large to pass on]`, note: true }];
      }
      // Other binaries (zip, pdf, …) mean nothing to a model as bytes; say what there is instead.
      return [{ kind: 'text', text: `[binary resource ${label}, ${blob.byteLength} bytes]`, note: true }];
    }
    case 'resource_link':
      return [{ kind: 'text', text: `Resource link: ${c.uri}${c.name ? ` "${c.name}"` : ''}${c.mimeType ? ` (${c.mimeType})` : ''}${c.description ? ` — ${c.description}` : ''}` }];
    default:
      return [{ kind: 'text', text: `[unsupported content type "${String((c as { type?: unknown }).type)}"]`, note: true }];
  }
}

/** Cuts text parts to the budget, front to back, noting where. */
function capText(parts: Part[], max: number): { parts: ModelPart[]; cut: number } {
  let left = max;
  let cut = 0;
  const out: ModelPart[] = [];
  for (const p of parts) {
    if (p.kind !== 'text' || p.note) { out.push(p.kind === 'text' ? { kind: 'text', text: p.text } : p); continue; }
    if (p.text.length <= left) { out.push(p); left -= p.text.length; continue; }
    cut += p.text.length - left;
    if (left > 0) out.push({ kind: 'text', text: p.text.slice(0, left) });
    left = 0;
  }
  return { parts: out, cut };
}

/**
 * The result as a model should get it: every content item converted, structured content added as
 * JSON when no text item already carries it, and the whole cut to `limits` with a closing note.
 * The caller keeps `result` itself for the user; nothing here modifies it.
 */
export function toModelResult(result: CallToolResult, limits: ConversionLimits = DEFAULT_LIMITS): ModelResult {
  const dropped: string[] = [];
  const converted = (result.content ?? []).flatMap((c) => convertItem(c, limits, dropped));
  if (result.structuredContent !== undefined) {
    const json = JSON.stringify(result.structuredContent);
    // Servers are asked to mirror structured content as text; don't send it twice.
    const mirrored = converted.some((p) => p.kind === 'text' && sameJson(p.text, result.structuredContent));
    if (!mirrored) converted.push({ kind: 'text', text: json });
  }
  const capped = capText(converted, limits.maxTextChars);
  const parts = capped.parts;
  const notes = [
    ...(capped.cut ? [`${capped.cut} of ${capped.cut + limits.maxTextChars} characters cut`] : []),
    ...dropped.map((d) => `${d} left out`),
  ];
  const truncated = notes.length ? `Result shortened for the model: ${notes.join('; ')}. The full result is kept for the user.` : undefined;
  if (truncated) parts.push({ kind: 'text', text: `\n[${truncated}]` });
  if (!parts.length) parts.push({ kind: 'text', text: result.isError ? 'The tool failed without a message.' : '(no content)' });
  return { parts, isError: result.isError === true, ...(truncated ? { truncated } : {}) };
}

function sameJson(text: string, value: unknown): boolean {
  try {
    return JSON.stringify(JSON.parse(text)) === JSON.stringify(value);
  } catch {
    return false;
  }
}

/** The whole result as readable text, for an editor or a terminal: nothing cut. */
export function renderResultText(result: CallToolResult): string {
  const unlimited: ConversionLimits = { maxTextChars: Number.MAX_SAFE_INTEGER, maxDataBytes: Number.MAX_SAFE_INTEGER };
  const body = (result.content ?? []).flatMap((c) => convertItem(c, unlimited, []))
    .map((p) => (p.kind === 'text' ? p.text : `[${p.mimeType}, ${p.data.byteLength} bytes]`));
  if (result.structuredContent !== undefined) body.push(`Structured content:\n${JSON.stringify(result.structuredContent, null, 2)}`);
  return `${result.isError ? 'Tool error:\n' : ''}${body.join('\n\n') || '(no content)'}\n`;
}
