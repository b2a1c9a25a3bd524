/**
 * How deep and how large a parsed JSON value is, measured without recursion: what a server sends
 * can be nested deeper than the stack allows any recursive walk (JSON.stringify included), so the
 * host measures it this way before anything else walks it.
 */

export interface JsonLimits {
  /** Containers inside containers: `{}` is 1 deep, `{"a":[1]}` 2. */
  maxDepth: number;
  /** Values of every kind, containers included. */
  maxValues: number;
  /** Characters of all strings and keys together. */
  maxChars: number;
}

/** Why `value` is over `limits`, as the end of a sentence ("it is nested deeper than 100 levels"), or undefined. */
export function exceedsLimits(value: unknown, limits: JsonLimits): string | undefined {
  const stack: [unknown, number][] = [[value, 0]];
  let values = 0;
  let chars = 0;
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    values++;
    if (typeof v === 'string') chars += v.length;
    if (typeof v !== 'object' || v === null) {
      if (chars > limits.maxChars) return `its text is longer than ${count(limits.maxChars)} characters`;
      continue;
    }
    if (depth + 1 > limits.maxDepth) return `it is nested deeper than ${count(limits.maxDepth)} levels`;
    if (Array.isArray(v)) {
      if (values + stack.length + v.length > limits.maxValues) return tooMany(limits);
      for (const item of v) stack.push([item, depth + 1]);
      continue;
    }
    for (const key in v) {
      if (!Object.prototype.hasOwnProperty.call(v, key)) continue;
      if (values + stack.length >= limits.maxValues) return tooMany(limits);
      chars += key.length;
      stack.push([(v as Record<string, unknown>)[key], depth + 1]);
    }
    if (chars > limits.maxChars) return `its text is longer than ${count(limits.maxChars)} characters`;
  }
  return undefined;
}

const tooMany = (limits: JsonLimits) => `it has more than ${count(limits.maxValues)} values`;

/** 50000 → "50,000". Not toLocaleString: its first call loads locale data, a stall of its own. */
export const count = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
