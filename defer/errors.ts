// Copyright 2026 the Torsion authors. MIT license.
/**
 * The errors of `twisted.internet.defer`.
 *
 * @module
 */

import type { Failure } from "./failure.ts";

/**
 * Thrown by a second `callback()`/`errback()` on a Deferred that has already
 * fired.
 *
 * @example Usage
 * ```ts
 * import { AlreadyCalledError, succeed } from "@torsion/torsion/defer";
 * import { throws } from "node:assert/strict";
 *
 * throws(() => succeed(1).callback(2), AlreadyCalledError);
 * ```
 */
export class AlreadyCalledError extends Error {
  /**
   * Creates a `AlreadyCalledError`.
   *
   * @param message What was called twice.
   * @param options Standard error options.
   */
  constructor(
    message = "Deferred has already been called",
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "AlreadyCalledError";
  }
}

/**
 * The failure of a Deferred cancelled with `cancel()` when its canceller did
 * not fire it.
 *
 * @example Usage
 * ```ts
 * import { CancelledError, Deferred, Failure } from "@torsion/torsion/defer";
 * import { ok } from "node:assert/strict";
 *
 * const d = new Deferred<number>();
 * let f: Failure | undefined;
 * d.addErrback((e) => { f = e; });
 * d.cancel();
 * ok(f?.check(CancelledError));
 * ```
 */
export class CancelledError extends Error {
  /**
   * Creates a `CancelledError`.
   *
   * @param message A description.
   * @param options Standard error options.
   */
  constructor(message = "Deferred was cancelled", options?: ErrorOptions) {
    super(message, options);
    this.name = "CancelledError";
  }
}

/**
 * The failure of a Deferred timed out by `addTimeout` (Twisted's
 * `defer.TimeoutError`, not the connection timeout of the reactor's errors).
 *
 * @example Usage
 * ```ts
 * import { TimeoutError } from "@torsion/torsion/defer";
 * import { equal } from "node:assert/strict";
 *
 * equal(new TimeoutError(5).message, "Deferred timed out after 5 seconds");
 * ```
 */
export class TimeoutError extends Error {
  /** The timeout, in seconds. */
  readonly timeout: number | undefined;
  /**
   * Creates a `TimeoutError`.
   *
   * @param timeout The timeout that expired, in seconds.
   * @param what What timed out.
   */
  constructor(timeout?: number, what = "Deferred") {
    super(
      timeout === undefined
        ? `${what} timed out`
        : `${what} timed out after ${timeout} seconds`,
    );
    this.name = "TimeoutError";
    this.timeout = timeout;
  }
}

/**
 * The failure of a `gatherResults` or a `DeferredList` with
 * `fireOnOneErrback`: the first failure, and the index of the Deferred that
 * produced it.
 *
 * @example Usage
 * ```ts
 * import { fail, FirstError, gatherResults, succeed } from "@torsion/torsion/defer";
 * import { equal } from "node:assert/strict";
 *
 * let index = -1;
 * gatherResults([succeed(1), fail(new Error("no"))], true).addErrback((f) => {
 *   index = (f.value as FirstError).index;
 * });
 * equal(index, 1);
 * ```
 */
export class FirstError extends Error {
  /** The failure of the Deferred that failed first. */
  readonly subFailure: Failure;
  /** Its index in the list. */
  readonly index: number;
  /**
   * Creates a `FirstError`.
   *
   * @param subFailure The first failure.
   * @param index The index of the Deferred that failed.
   */
  constructor(subFailure: Failure, index: number) {
    super(`FirstError[#${index}, ${subFailure.getErrorMessage()}]`, {
      cause: subFailure.value,
    });
    this.name = "FirstError";
    this.subFailure = subFailure;
    this.index = index;
  }
}

/**
 * Thrown by `DeferredQueue.put()` when the queue is full.
 *
 * @example Usage
 * ```ts
 * import { DeferredQueue, QueueOverflow } from "@torsion/torsion/defer";
 * import { throws } from "node:assert/strict";
 *
 * const q = new DeferredQueue<number>(0);
 * throws(() => q.put(1), QueueOverflow);
 * ```
 */
export class QueueOverflow extends Error {
  /**
   * Creates a `QueueOverflow`.
   *
   * @param message A description.
   */
  constructor(message = "Cannot put into the queue: it is full") {
    super(message);
    this.name = "QueueOverflow";
  }
}

/**
 * Thrown by `DeferredQueue.get()` when the backlog of waiting getters is
 * full.
 *
 * @example Usage
 * ```ts
 * import { DeferredQueue, QueueUnderflow } from "@torsion/torsion/defer";
 * import { throws } from "node:assert/strict";
 *
 * const q = new DeferredQueue<number>(undefined, 0);
 * throws(() => q.get(), QueueUnderflow);
 * ```
 */
export class QueueUnderflow extends Error {
  /**
   * Creates a `QueueUnderflow`.
   *
   * @param message A description.
   */
  constructor(
    message = "Cannot get from the queue: the backlog of waiters is full",
  ) {
    super(message);
    this.name = "QueueUnderflow";
  }
}
