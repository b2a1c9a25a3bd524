/** Promise helpers shared by the core. */

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class TimeoutError extends Error {}

/** Rejects with `TimeoutError(message())` if `p` has not settled within `ms`; the timer never keeps Node alive. */
export function withTimeout<T>(p: Promise<T>, ms: number, message: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(message())), ms);
    timer.unref?.();
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
