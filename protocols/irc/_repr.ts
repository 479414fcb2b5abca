// Copyright 2026 the Torsion authors. MIT license.
/**
 * Python's `repr` of strings and lists of strings, for the error texts kept
 * from Twisted (private).
 *
 * @module
 */

/** Python's `repr(s)` for a printable string. */
export function repr(s: string): string {
  if (s.includes("'") && !s.includes('"')) return `"${s}"`;
  return `'${s.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
}

/** Python's `repr(items)` for a list of strings. */
export function reprList(items: readonly string[]): string {
  return `[${items.map(repr).join(", ")}]`;
}
