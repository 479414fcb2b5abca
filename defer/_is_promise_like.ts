// Copyright 2026 the Torsion authors. MIT license.

/** Whether `value` has a callable `then`, i.e. can be awaited as a promise. */
export function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return value !== null &&
    (typeof value === "object" || typeof value === "function") &&
    typeof (value as { then?: unknown }).then === "function";
}
