// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode deferLater}: a Deferred that fires after a delay, after
 * `twisted.internet.task.deferLater`.
 *
 * @module
 */

import { Deferred } from "../../defer/deferred.ts";
import type { IDelayedCall, IReactorTime } from "../interfaces.ts";

/**
 * Calls `callable(...args)` after `delay` seconds on `clock`, and returns a
 * Deferred of its outcome (Twisted's `task.deferLater`): its return value
 * (a returned Deferred or promise is waited for), or the error it threw.
 * Without a callable, the Deferred fires with `undefined` after the delay.
 *
 * Cancelling the Deferred before the delay has passed cancels the scheduled
 * call: the callable never runs and the Deferred fails with
 * `CancelledError`.
 *
 * @typeParam T What `callable` returns.
 * @typeParam A The types of its arguments.
 * @param clock The clock to wait on: the reactor, or a `Clock` in tests.
 * @param delay Seconds to wait.
 * @param callable The function to call, or `null`/omitted for none.
 * @param args Its arguments.
 * @returns A Deferred of the callable's result.
 *
 * @example Usage
 * ```ts
 * import { deferLater } from "@torsion/torsion/reactor";
 * import { Clock } from "@torsion/torsion/testing";
 * import { deepEqual } from "node:assert/strict";
 *
 * const clock = new Clock();
 * const seen: string[] = [];
 * deferLater(clock, 3, (a: string, b: string) => a + b, "fo", "o")
 *   .addCallback((s) => {
 *     seen.push(s);
 *   });
 * clock.advance(2);
 * deepEqual(seen, []);
 * clock.advance(1);
 * deepEqual(seen, ["foo"]);
 * ```
 *
 * @example Cancelling
 * ```ts
 * import { CancelledError } from "@torsion/torsion/defer";
 * import { deferLater } from "@torsion/torsion/reactor";
 * import { Clock } from "@torsion/torsion/testing";
 * import { equal, ok } from "node:assert/strict";
 *
 * const clock = new Clock();
 * let called = false;
 * let cancelled = false;
 * const d = deferLater(clock, 1, () => {
 *   called = true;
 * });
 * d.addErrback((f) => {
 *   cancelled = f.check(CancelledError) !== null;
 * });
 * d.cancel();
 * ok(cancelled);
 * equal(clock.getDelayedCalls().length, 0);
 * clock.advance(1);
 * equal(called, false);
 * ```
 */
export function deferLater<T = undefined, A extends unknown[] = []>(
  clock: IReactorTime,
  delay: number,
  callable?: ((...args: A) => T) | null,
  ...args: A
): Deferred<Awaited<T>> {
  const d = new Deferred<undefined>(() => {
    delayedCall.cancel();
  });
  const result = d.addCallback(() => {
    if (callable === undefined || callable === null) return undefined;
    return callable(...args);
  }) as unknown as Deferred<Awaited<T>>;
  const delayedCall: IDelayedCall = clock.callLater(
    delay,
    (v: undefined) => d.callback(v),
    undefined,
  );
  return result;
}
