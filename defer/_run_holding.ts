// Copyright 2026 the Torsion authors. MIT license.
import type { Deferred } from "./deferred.ts";
import type { Failure } from "./failure.ts";
import { maybeDeferred } from "./maybe_deferred.ts";

/** What `DeferredLock` and `DeferredSemaphore` share (Twisted's `_ConcurrencyPrimitive`). */
interface Primitive {
  acquire(): Deferred<unknown>;
  release(): void;
}

/**
 * Acquires `primitive`, runs `f(...args)`, and releases it once `f`'s outcome
 * (or its Deferred or promise) is there, success or failure.
 */
export function runHolding<U, A extends unknown[]>(
  primitive: Primitive,
  f: (...args: A) => U | PromiseLike<U> | Failure,
  args: A,
): Deferred<U> {
  return primitive.acquire().addCallback(() =>
    maybeDeferred(f, ...args).addBoth((r) => {
      primitive.release();
      return r;
    })
  ) as Deferred<U>;
}

/** Removes a cancelled `acquire()`'s Deferred from the waiters. */
export function removeWaiter<T>(waiting: T[], d: T): void {
  const i = waiting.indexOf(d);
  if (i !== -1) waiting.splice(i, 1);
}
