// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode Clock}: a fake clock for tests.
 *
 * @module
 */

import { TimerHeap } from "../_timer_heap.ts";
import { DelayedCall, type DelayedCallOwner } from "../delayed_call.ts";
import type { IReactorTime } from "../interfaces.ts";

/**
 * A clock that only moves when told to (Twisted's `task.Clock`): give it to
 * anything that takes an `IReactorTime` (a `LoopingCall`'s `clock`,
 * `Deferred.addTimeout`, `deferLater`...) and drive time with
 * {@linkcode Clock.advance}.
 *
 * Calls due at the same time run in the order they were scheduled. Unlike a
 * reactor, a zero-delay call scheduled while `advance` runs calls runs in the
 * same `advance`. An error thrown by a call propagates out of `advance`.
 *
 * @example Usage
 * ```ts
 * import { Clock } from "@torsion/torsion/testing";
 * import { deepEqual } from "node:assert/strict";
 *
 * const clock = new Clock();
 * const log: string[] = [];
 * clock.callLater(2, (s: string) => log.push(s), "two");
 * clock.callLater(1, () => log.push("one"));
 * clock.advance(1.5);
 * deepEqual(log, ["one"]);
 * clock.advance(0.5);
 * deepEqual(log, ["one", "two"]);
 * ```
 */
export class Clock implements IReactorTime, DelayedCallOwner {
  /** The current time, in seconds (starts at 0). */
  rightNow = 0;
  #heap = new TimerHeap();

  /** Returns the current time. */
  seconds(): number {
    return this.rightNow;
  }

  /**
   * Schedules `f(...args)` at `seconds() + delay`.
   *
   * @param delay Seconds from now (a negative delay is due at once, as in
   *   Twisted's `Clock`).
   * @param f The function.
   * @param args Its arguments.
   * @returns The pending call.
   * @throws {RangeError} If `delay` is not a number (NaN).
   */
  callLater<A extends unknown[]>(
    delay: number,
    f: (...args: A) => unknown,
    ...args: A
  ): DelayedCall {
    if (typeof delay !== "number" || Number.isNaN(delay)) {
      throw new RangeError(
        `Cannot schedule a call: delay must be a number, received ${delay}`,
      );
    }
    const call = new DelayedCall(
      this.rightNow + delay,
      f as (...args: never[]) => unknown,
      args,
      this,
    );
    this.#heap.push(call);
    return call;
  }

  /** Returns the pending calls, soonest first. */
  getDelayedCalls(): DelayedCall[] {
    return [...this.#heap.items].sort((a, b) =>
      a.time - b.time || a._seq - b._seq
    );
  }

  /**
   * Moves time forward by `amount` seconds and runs every call that is due,
   * including calls those calls schedule for a time already reached.
   *
   * @param amount Seconds.
   */
  advance(amount: number): void {
    this.rightNow += amount;
    const heap = this.#heap;
    for (;;) {
      const next = heap.peek();
      if (next === undefined || next.time > this.rightNow) break;
      heap.pop();
      next._run();
    }
  }

  /**
   * Advances by each of `timings` in turn.
   *
   * @param timings Amounts of seconds.
   */
  pump(timings: Iterable<number>): void {
    for (const t of timings) this.advance(t);
  }

  /** @ignore */
  _cancelCall(call: DelayedCall): void {
    this.#heap.remove(call);
  }

  /** @ignore */
  _moveCall(call: DelayedCall): void {
    this.#heap.update(call);
  }
}
