// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode succeed} and {@linkcode fail}: Deferreds that have already fired.
 *
 * @module
 */

import { Deferred } from "./deferred.ts";
import { Failure } from "./failure.ts";

/**
 * Creates a {@linkcode Deferred} that has already fired with `value`.
 *
 * Callbacks added to it run synchronously, before `addCallback` returns.
 *
 * @typeParam T The type of the result.
 * @param value The result to fire with.
 * @returns A Deferred that has already fired.
 *
 * @example Usage
 * ```ts
 * import { succeed } from "@torsion/torsion/defer";
 * import { deepEqual } from "node:assert/strict";
 *
 * const seen: number[] = [];
 * succeed(42).addCallback((v) => {
 *   seen.push(v);
 * });
 * deepEqual(seen, [42]);
 * ```
 */
export function succeed<T>(value: T): Deferred<T> {
  const d = new Deferred<T>();
  d.callback(value);
  return d;
}

/**
 * Creates a {@linkcode Deferred} that has already failed with `error`
 * (wrapped in a {@linkcode Failure} unless it is one).
 *
 * @typeParam T The type of the result it would have had.
 * @param error The error.
 * @returns A failed Deferred.
 *
 * @example Usage
 * ```ts
 * import { fail } from "@torsion/torsion/defer";
 * import { equal } from "node:assert/strict";
 *
 * let message = "";
 * fail(new Error("no route")).addErrback((f) => {
 *   message = f.getErrorMessage();
 * });
 * equal(message, "no route");
 * ```
 */
export function fail<T = never>(error: unknown): Deferred<T> {
  const d = new Deferred<T>();
  d.errback(error instanceof Failure ? error : new Failure(error));
  return d;
}
