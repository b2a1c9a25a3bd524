/**
 * Turns a tool's `CallToolResult` into what a language model is given: text and binary parts in a
 * neutral shape (the VS Code adapter maps them to LanguageModelTextPart / LanguageModelDataPart,
 * the CLI prints them). Large results are cut for the model with a note saying so; the original
 * result stays whole for the user.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

export type ModelPart =
  | { kind: 'text'; text: string }
  | { kind: 'data'; mimeType: string; data: Uint8Array };

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

export const DEFAULT_LIMITS: ConversionLimits = { maxTextChars: 64 * 1024, maxDataBytes: 4 * 1024 * 1024 };

type Content = CallToolResult['content'][number];
/** Internally, placeholders for what was left out are marked so the text budget never cuts them. */
type Part = ModelPart & { note?: true };

/** Media types a model can take as data; anything else embedded is described, not passed. */
const isModelMedia = (mime: string | undefined) => !!mime && /^(image|audio)\//.test(mime);

function convertItem(c: Content, limits: ConversionLimits, dropped: string[]): Part[] {
  switch (c.type) {
    case 'text':
      return [{ kind: 'text', text: c.text }];
    case 'image':
    case 'audio': {
      const data = Buffer.from(c.data, 'base64');
      if (data.byteLength > limits.maxDataBytes) {
        dropped.push(`${c.type} of ${data.byteLength} bytes`);
        return [{ kind: 'text', text: `[${c.type} ${c.mimeType}, ${data.byteLength} bytes: too large to pass on]`, note: true }];
      }
      return [{ kind: 'data', mimeType: c.mimeType, data: new Uint8Array(data) }];
    }
    case 'resource': {
      const r = c.resource;
      if ('text' in r && typeof r.text === 'string') {
        return [{ kind: 'text', text: `Resource ${r.uri}${r.mimeType ? ` (${r.mimeType})` : ''}:\n${r.text}` }];
      }
      const blob = 'blob' in r && typeof r.blob === 'string' ? Buffer.from(r.blob, 'base64') : Buffer.alloc(0);
      if (isModelMedia(r.mimeType) && blob.byteLength <= limits.maxDataBytes) {
        return [{ kind: 'text', text: `Resource ${r.uri}:` }, { kind: 'data', mimeType: r.mimeType!, data: new Uint8Array(blob) }];
      }
      return [{ kind: 'text', text: `[binary resource ${r.uri}${r.mimeType ? ` (${r.mimeType})` : ''}, ${blob.byteLength} bytes]` }];
    }
    case 'resource_link':
      return [{ kind: 'text', text: `Resource link: ${c.uri}${c.name ? ` "${c.name}"` : ''}${c.mimeType ? ` (${c.mimeType})` : ''}${c.description ? ` — ${c.description}` : ''}` }];
    default:
      return [{ kind: 'text', text: `[unsupported content type "${(c as { type?: string }).type}"]` }];
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
