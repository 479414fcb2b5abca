// Copyright 2026 the Torsion authors. MIT license.
/**
 * The log prefix of a wrapper and the object it wraps.
 *
 * @module
 */

/**
 * Returns `"<wrapped prefix> (<wrapper class>)"`: the wrapped object's
 * `logPrefix()` if it has one, else its class name (Twisted's
 * `_wrappedLogPrefix`).
 *
 * @param wrapper The wrapper.
 * @param wrapped The wrapped object, or `null` once it was let go.
 * @returns The prefix.
 */
export function wrappedLogPrefix(wrapper: object, wrapped: unknown): string {
  let prefix: string;
  const logPrefix = (wrapped as { logPrefix?: unknown } | null)?.logPrefix;
  if (typeof logPrefix === "function") {
    prefix = String(logPrefix.call(wrapped));
  } else if (wrapped === null || wrapped === undefined) {
    prefix = String(wrapped);
  } else {
    prefix = (wrapped as object).constructor?.name ?? typeof wrapped;
  }
  return `${prefix} (${wrapper.constructor.name})`;
}
