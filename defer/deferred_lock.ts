// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode DeferredLock}: a lock whose `acquire` is a Deferred.
 *
 * @module
 */

import { Deferred } from "./deferred.ts";
import { removeWaiter, runHolding } from "./_run_holding.ts";
import type { Failure } from "./failure.ts";

/**
 * A lock for code built on Deferreds (Twisted's `DeferredLock`). Waiters get
 * it in FIFO order; handing it over is synchronous.
 *
 * @example Usage
 * ```ts
 * import { Deferred, DeferredLock } from "@torsion/torsion/defer";
 * import { deepEqual } from "node:assert/strict";
 *
 * const lock = new DeferredLock();
 * const order: string[] = [];
 * const first = new Deferred<void>();
 * lock.run(() => {
 *   order.push("a start");
 *   return first.addCallback(() => { order.push("a end"); });
 * });
 * lock.run(() => { order.push("b"); });
 * first.callback();
 * deepEqual(order, ["a start", "a end", "b"]);
 * ```
 */
export class DeferredLock {
  /** Whether the lock is held. */
  locked = false;
  /** The Deferreds of the waiting `acquire()` calls, first in line first. */
  readonly waiting: Deferred<DeferredLock>[] = [];

  /**
   * Asks for the lock.
   *
   * @returns A Deferred that fires with the lock once it is held (at once if
   *   it is free). Cancelling it before then leaves the queue.
   */
  acquire(): Deferred<DeferredLock> {
    const d = new Deferred<DeferredLock>((w) => removeWaiter(this.waiting, w));
    if (this.locked) {
      this.waiting.push(d);
    } else {
      this.locked = true;
      d.callback(this);
    }
    return d;
  }

  /**
   * Releases the lock, handing it to the first waiter.
   *
   * @throws {Error} If the lock is not held.
   */
  release(): void {
    if (!this.locked) {
      throw new Error("Cannot release the lock: it is not locked");
    }
    this.locked = false;
    const next = this.waiting.shift();
    if (next !== undefined) {
      this.locked = true;
      next.callback(this);
    }
  }

  /**
   * Acquires the lock, runs `f`, and releases the lock once `f`'s result (or
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
