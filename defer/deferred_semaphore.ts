// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode DeferredSemaphore}: a counting semaphore whose `acquire` is a
 * Deferred.
 *
 * @module
 */

import { Deferred } from "./deferred.ts";
import { removeWaiter, runHolding } from "./_run_holding.ts";
import type { Failure } from "./failure.ts";

/**
 * A semaphore for code built on Deferreds (Twisted's `DeferredSemaphore`):
 * at most `limit` holders at once, the rest wait in FIFO order.
 *
 * @example Usage
 * ```ts
 * import { Deferred, DeferredSemaphore } from "@torsion/torsion/defer";
 * import { equal } from "node:assert/strict";
 *
 * const sem = new DeferredSemaphore(2);
 * let running = 0, most = 0;
 * const jobs = [new Deferred<void>(), new Deferred<void>(), new Deferred<void>()];
 * for (const job of jobs) {
 *   sem.run(() => {
 *     running++;
 *     most = Math.max(most, running);
 *     return job.addCallback(() => { running--; });
 *   });
 * }
 * equal(running, 2);
 * for (const job of jobs) job.callback();
 * equal(most, 2);
 * ```
 */
export class DeferredSemaphore {
  /** Tokens free now. */
  tokens: number;
  /** The number of tokens in all. */
  readonly limit: number;
  /** The Deferreds of the waiting `acquire()` calls, first in line first. */
  readonly waiting: Deferred<DeferredSemaphore>[] = [];

  /**
   * Creates a `DeferredSemaphore`.
   *
   * @param tokens How many holders may hold it at once (at least 1).
   * @throws {RangeError} If `tokens` is less than 1.
   */
  constructor(tokens: number) {
    if (!(tokens >= 1)) {
      throw new RangeError(
        `Cannot create a DeferredSemaphore: tokens must be at least 1, received ${tokens}`,
      );
    }
    this.tokens = tokens;
    this.limit = tokens;
  }

  /**
   * Asks for a token.
   *
   * @returns A Deferred that fires with the semaphore once a token is held
   *   (at once if one is free). Cancelling it before then leaves the queue.
   */
  acquire(): Deferred<DeferredSemaphore> {
    const d = new Deferred<DeferredSemaphore>((w) =>
      removeWaiter(this.waiting, w)
    );
    if (this.tokens === 0) {
      this.waiting.push(d);
    } else {
      this.tokens--;
      d.callback(this);
    }
    return d;
  }

  /**
   * Gives a token back, handing it to the first waiter.
   *
   * @throws {Error} If more tokens were released than acquired.
   */
  release(): void {
    if (this.tokens >= this.limit) {
      throw new Error(
        "Cannot release the semaphore: it was released more times than acquired",
      );
    }
    this.tokens++;
    const next = this.waiting.shift();
    if (next !== undefined) {
      this.tokens--;
      next.callback(this);
    }
  }

  /**
   * Acquires a token, runs `f`, and releases the token once `f`'s result (or
   * its Deferred or promise) is there, success or failure.
   *
   * @typeParam U What `f` produces.
   * @typeParam A The argument types.
   * @param f The function.
   * @param args Its arguments.
   * @returns A Deferred of `f`'s outcome.
   */
  run<U, A extends unknown[] = []>(
    f: (...args: A) => U | PromiseLike<U> | Failure,
    ...args: A
  ): Deferred<U> {
    return runHolding(this, f, args);
  }
}
