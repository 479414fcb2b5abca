// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode successResultOf}, {@linkcode failureResultOf} and
 * {@linkcode assertNoResult}: read a Deferred's result synchronously in a
 * test, as trial's `SynchronousTestCase` does.
 *
 * @module
 */

import type { Deferred } from "../../defer/deferred.ts";
import { type ErrorClass, Failure } from "../../defer/failure.ts";

const NONE: unique symbol = Symbol("no result");

function resultOf<T>(d: Deferred<T>): T | Failure | typeof NONE {
  let result: T | Failure | typeof NONE = NONE;
  d.addBoth((r) => {
    result = r;
    return r;
  });
  return result;
}

/**
 * Returns the result a Deferred has already fired with.
 *
 * @typeParam T The result type.
 * @param d The Deferred.
 * @returns Its result.
 * @throws {Error} If it has no result yet, or failed (the failure is the
 *   `cause`; it is handled, so it is not also reported as unhandled).
 *
 * @example Usage
 * ```ts
 * import { succeed } from "@torsion/torsion/defer";
 * import { successResultOf } from "@torsion/torsion/testing";
 * import { equal } from "node:assert/strict";
 *
 * equal(successResultOf(succeed(3)), 3);
 * ```
 */
export function successResultOf<T>(d: Deferred<T>): T {
  const r = resultOf(d);
  if (r === NONE) {
    throw new Error(`Expected a success result of ${d}: it has no result`);
  }
  if (r instanceof Failure) {
    // Handle it, as trial does: the error is reported here.
    d.addErrback(() => undefined);
    throw new Error(
      `Expected a success result of ${d}: it failed with ${r.getTraceback()}`,
      { cause: r.value },
    );
  }
  return r;
}

/**
 * Returns the failure a Deferred has already failed with, and handles it (so
 * it is not reported as unhandled).
 *
 * @param d The Deferred.
 * @param types If given, the failure must match one of them.
 * @returns The failure.
 * @throws {Error} If it has no result, succeeded, or failed otherwise.
 *
 * @example Usage
 * ```ts
 * import { fail } from "@torsion/torsion/defer";
 * import { failureResultOf } from "@torsion/torsion/testing";
 * import { equal } from "node:assert/strict";
 *
 * equal(failureResultOf(fail(new RangeError("r")), RangeError).getErrorMessage(), "r");
 * ```
 */
export function failureResultOf(
  d: Deferred<unknown>,
  ...types: (ErrorClass | string)[]
): Failure {
  const r = resultOf(d);
  if (r === NONE) {
    throw new Error(`Expected a failure result of ${d}: it has no result`);
  }
  if (!(r instanceof Failure)) {
    throw new Error(
      `Expected a failure result of ${d}: it succeeded with ${String(r)}`,
    );
  }
  // Handle it: the chain continues with undefined.
  d.addErrback(() => undefined);
  if (types.length > 0 && r.check(...types) === null) {
    throw new Error(
      `Expected a failure of type ${
        types.map((t) => typeof t === "string" ? t : t.name).join(" or ")
      }: got ${r.getTraceback()}`,
    );
  }
  return r;
}

/**
 * Checks that a Deferred has no result yet. If it has a failure result, the
 * failure is handled (the error thrown reports it), as in trial.
 *
 * @param d The Deferred.
 * @throws {Error} If it has one.
 *
 * @example Usage
 * ```ts
 * import { Deferred } from "@torsion/torsion/defer";
 * import { assertNoResult } from "@torsion/torsion/testing";
 *
 * assertNoResult(new Deferred());
 * ```
 */
export function assertNoResult(d: Deferred<unknown>): void {
  const r = resultOf(d);
  if (r !== NONE) {
    // Swallow a failure, as trial does: the error is reported here.
    if (r instanceof Failure) d.addErrback(() => undefined);
    throw new Error(
      `Expected ${d} to have no result: it has ${
        r instanceof Failure ? r.toString() : String(r)
      }`,
    );
  }
}
