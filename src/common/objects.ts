/** Plain objects keyed by names that configs and servers choose. */

/**
 * Sets `key` as an own data property. Plain assignment would treat `__proto__` as the object's
 * prototype rather than as a name; a variable or field called that is data like any other.
 */
export function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}
