// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode maybeDeferred}, {@linkcode execute} and
 * {@linkcode ensureDeferred}: a Deferred from whatever a function produces.
 *
 * @module
 */

import { Deferred } from "./deferred.ts";
import { Failure } from "./failure.ts";
import { fail, succeed } from "./succeed.ts";
import { isPromiseLike } from "./_is_promise_like.ts";

/**
 * Calls `f(...args)` and returns its outcome as a {@linkcode Deferred}: a
 * returned Deferred as it is, a returned promise wrapped, a returned
 * {@linkcode Failure} or a thrown error as a failed Deferred, anything else as
 * a fired one.
 *
 * @typeParam U What `f` produces.
 * @typeParam A The argument types.
 * @param f The function.
 * @param args Its arguments.
 * @returns A Deferred of the outcome.
 *
 * @example Usage
 * ```ts
 * import { maybeDeferred } from "@torsion/torsion/defer";
 * import { equal } from "node:assert/strict";
 *
 * let out = "";
 * maybeDeferred(() => { throw new Error("sync failure"); })
 *   .addErrback((f) => { out = f.getErrorMessage(); });
 * equal(out, "sync failure");
 * ```
 */
export function maybeDeferred<U, A extends unknown[] = []>(
  f: (...args: A) => U | PromiseLike<U> | Failure,
  ...args: A
): Deferred<U> {
  let result: U | PromiseLike<U> | Failure;
  try {
    result = f(...args);
  } catch (e) {
    return fail(e);
  }
  if (result instanceof Deferred) return result as Deferred<U>;
  if (result instanceof Failure) return fail(result);
  if (isPromiseLike(result)) {
    return Deferred.fromPromise(result as PromiseLike<U>);
  }
  return succeed(result as U);
}

/**
 * Calls `f(...args)` and returns a Deferred that has fired with its return
 * value, or failed with what it threw. Unlike {@linkcode maybeDeferred}, a
 * returned Deferred or promise is the result itself.
 *
 * @typeParam U What `f` returns.
 * @typeParam A The argument types.
 * @param f The function.
 * @param args Its arguments.
 * @returns A fired Deferred.
 *
 * @example Usage
 * ```ts
 * import { execute } from "@torsion/torsion/defer";
 * import { equal } from "node:assert/strict";
 *
 * let out = 0;
 * execute((a: number, b: number) => a + b, 2, 3).addCallback((n) => { out = n; });
 * equal(out, 5);
 * ```
 */
export function execute<U, A extends unknown[] = []>(
  f: (...args: A) => U,
  ...args: A
): Deferred<U> {
  let result: U;
  try {
    result = f(...args);
  } catch (e) {
    return fail(e);
  }
  return succeed(result);
}

/**
 * Turns a promise (such as the result of an `async` function), a Deferred or
 * a plain value into a {@linkcode Deferred}, like `Promise.resolve` does for
 * promises. Twisted's version accepts coroutines and Deferreds only; a plain
 * value here gives a Deferred that has already fired with it.
 *
 * @typeParam T The type of the result.
 * @param value The promise, Deferred or value.
 * @returns A Deferred: `value` itself if it is one.
 *
 * @example Usage
 * ```ts
 * import { ensureDeferred } from "@torsion/torsion/defer";
 * import { equal } from "node:assert/strict";
 *
 * async function work(): Promise<number> {
 *   await Promise.resolve();
 *   return 42;
 * }
 * const d = ensureDeferred(work());
 * equal(await d, 42);
 * ```
 */
export function ensureDeferred<T>(value: T | PromiseLike<T>): Deferred<T> {
  if (value instanceof Deferred) return value as Deferred<T>;
  if (isPromiseLike(value)) {
    return Deferred.fromPromise(value as PromiseLike<T>);
  }
  return succeed(value);
}
