/**
 * When the bundle began to evaluate. extension.ts imports this first and notes when its own last
 * line has run, so the difference is the cost of loading our code, which VS Code counts in
 * activation too.
 */
export const BUNDLE_START = performance.now();
