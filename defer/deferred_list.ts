// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode DeferredList} and {@linkcode gatherResults}: waiting for several
 * Deferreds at once.
 *
 * @module
 */

import { Deferred } from "./deferred.ts";
import { FirstError } from "./errors.ts";
import { Failure } from "./failure.ts";
import * as log from "./log.ts";

/** One entry of a {@linkcode DeferredList}'s result: `[true, value]` or `[false, failure]`. */
export type DeferredListEntry<T> = [true, T] | [false, Failure];

/** Options of {@linkcode DeferredList}. */
export interface DeferredListOptions {
  /**
   * Fire with `[result, index]` as soon as one Deferred succeeds.
   * @default {false}
   */
  fireOnOneCallback?: boolean;
  /**
   * Fail with a {@linkcode FirstError} as soon as one Deferred fails.
   * @default {false}
   */
  fireOnOneErrback?: boolean;
  /**
   * Stop a failure from travelling further down the failing Deferred's own
   * chain (it continues with `undefined`, and is not reported as unhandled);
   * the list still records the failure.
   * @default {false}
   */
  consumeErrors?: boolean;
}

/**
 * A Deferred that fires when all of the given Deferreds have, with
 * `[success, valueOrFailure]` pairs in input order (Twisted's `DeferredList`).
 *
 * It works by adding a callback/errback pair to each input, so steps added to
 * an input before it see results first. An empty list fires with `[]` at once
 * (never, with `fireOnOneCallback`). With `fireOnOneCallback` the result is
 * `[value, index]` of the first success: give the type parameter `R` as
 * `[T, number]` then. Cancelling the list before it fired cancels every input.
 *
 * @typeParam T The result type of the inputs.
 * @typeParam R The list's own result type.
 *
 * @example Usage
 * ```ts
 * import { DeferredList, fail, succeed } from "@torsion/torsion/defer";
 * import { deepEqual } from "node:assert/strict";
 *
 * const dl = new DeferredList([succeed(1), fail(new Error("x"))], { consumeErrors: true });
 * let flags: boolean[] = [];
 * dl.addCallback((entries) => { flags = entries.map(([ok]) => ok); });
 * deepEqual(flags, [true, false]);
 * ```
 */
export class DeferredList<T, R = DeferredListEntry<T>[]> extends Deferred<R> {
  /** The per-input outcomes so far (`undefined` where none yet). */
  readonly resultList: (DeferredListEntry<T> | undefined)[];
  /** How many inputs have fired. */
  finishedCount = 0;
  /** Whether the list fires on the first success. */
  readonly fireOnOneCallback: boolean;
  /** Whether the list fails on the first failure. */
  readonly fireOnOneErrback: boolean;
  /** Whether input failures are consumed. */
  readonly consumeErrors: boolean;
  #inputs: Deferred<T>[];

  /**
   * Creates a `DeferredList`.
   *
   * @param deferreds The Deferreds to wait for.
   * @param options When to fire, and whether to consume errors.
   */
  constructor(
    deferreds: Iterable<Deferred<T>>,
    options: DeferredListOptions = {},
  ) {
    super();
    this.#inputs = [...deferreds];
    this.resultList = new Array(this.#inputs.length).fill(undefined);
    this.fireOnOneCallback = options.fireOnOneCallback ?? false;
    this.fireOnOneErrback = options.fireOnOneErrback ?? false;
    this.consumeErrors = options.consumeErrors ?? false;
    if (this.#inputs.length === 0 && !this.fireOnOneCallback) {
      this.callback([] as R);
    }
    for (let i = 0; i < this.#inputs.length; i++) {
      this.#inputs[i].addCallbacks(
        (r: T) => this.#onResult(r, i, true),
        (f: Failure) => this.#onResult(f, i, false),
      );
    }
  }

  #onResult(result: T | Failure, index: number, succeeded: boolean): unknown {
    this.resultList[index] = [succeeded, result] as DeferredListEntry<T>;
    this.finishedCount++;
    if (!this.called) {
      if (succeeded && this.fireOnOneCallback) {
        this.callback([result, index] as R);
      } else if (!succeeded && this.fireOnOneErrback) {
        this.errback(new Failure(new FirstError(result as Failure, index)));
      } else if (this.finishedCount === this.resultList.length) {
        this.callback(this.resultList as R);
      }
    }
    if (!succeeded && this.consumeErrors) return undefined;
    return result;
  }

  /**
   * Cancels every input that has not fired yet, if the list itself has not
   * fired. An error thrown by an input's canceller is logged.
   *
   * @example Usage
   * ```ts
   * import { CancelledError, Deferred, DeferredList } from "@torsion/torsion/defer";
   * import { equal } from "node:assert/strict";
   *
   * const a = new Deferred<number>();
   * const dl = new DeferredList([a], { consumeErrors: true });
   * let failed = false;
   * dl.addCallback((entries) => { failed = entries[0][0] === false; });
   * dl.cancel();
   * equal(failed, true);
   * ```
   */
  override cancel(): void {
    if (this.called) return;
    for (const d of this.#inputs) {
      try {
        d.cancel();
      } catch (e) {
        log.err(e, "Exception raised from user supplied canceller");
      }
    }
  }
}

/**
 * A Deferred of all the inputs' results, in order; it fails with a
 * {@linkcode FirstError} (carrying the failure and its index) as soon as one
 * input fails. Cancelling it cancels every input.
 *
 * @typeParam T The result type of the inputs.
 * @param deferreds The Deferreds.
 * @param consumeErrors Whether failing inputs' own chains continue with
 *   `undefined` instead of the failure.
 * @returns A Deferred of the results.
 *
 * @example Usage
 * ```ts
 * import { gatherResults, succeed } from "@torsion/torsion/defer";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(await gatherResults([succeed(1), succeed(2)]), [1, 2]);
 * ```
 */
export function gatherResults<T>(
  deferreds: Iterable<Deferred<T>>,
  consumeErrors = false,
): Deferred<T[]> {
  return new DeferredList<T>(deferreds, {
    fireOnOneErrback: true,
    consumeErrors,
  })
    .addCallback((entries) => entries.map((e) => e[1] as T));
}
