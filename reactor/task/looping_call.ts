// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode LoopingCall}: call a function every so many seconds, after
 * `twisted.internet.task.LoopingCall`.
 *
 * @module
 */

import { Deferred } from "../../defer/deferred.ts";
import type { Failure } from "../../defer/failure.ts";
import { maybeDeferred } from "../../defer/maybe_deferred.ts";
import type { IDelayedCall, IReactorTime } from "../interfaces.ts";
import { defineClockProperty } from "../_clock_property.ts";

/** Python's `%` on floats: the result has the sign of the divisor. */
function pyMod(a: number, n: number): number {
  const r = a % n;
  return r !== 0 && (r < 0) !== (n < 0) ? r + n : r;
}

/** A short, never-throwing description of a value, for `toString()`. */
function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "function") return value.name || "<anonymous>";
  try {
    return String(value);
  } catch {
    return "<unprintable>";
  }
}

/**
 * Calls a function repeatedly, every `interval` seconds (Twisted's
 * `task.LoopingCall`).
 *
 * {@linkcode LoopingCall.start} returns a Deferred that fires with the
 * `LoopingCall` itself once {@linkcode LoopingCall.stop} is called, or fails
 * with the error if the function throws or returns a Deferred (or promise)
 * that fails; the loop is then no longer running. If the function returns a
 * Deferred or promise, the next call is scheduled only once it has settled.
 *
 * Calls stay on the grid `starttime + k * interval`: when a call runs late
 * (the clock jumped, or the function or the Deferred it returned took longer
 * than an interval), the next call goes to the next grid point still in the
 * future, and the ticks missed in between are skipped, not made up for. A
 * `LoopingCall` made with {@linkcode LoopingCall.withCount} tells its
 * function how many ticks have passed. An interval of 0 calls the function
 * again on every turn of the clock (`callLater(0)`).
 *
 * Time comes from {@linkcode LoopingCall.clock}: the default reactor unless
 * set. Tests set a `Clock`, before calling `start`.
 *
 * @typeParam A The types of the arguments passed to the function.
 *
 * @example Usage
 * ```ts
 * import { LoopingCall } from "@torsion/torsion/reactor";
 * import { Clock } from "@torsion/torsion/testing";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * const clock = new Clock();
 * const seen: number[] = [];
 * const lc = new LoopingCall(() => seen.push(clock.seconds()));
 * lc.clock = clock;
 * let stopped: LoopingCall | undefined;
 * lc.start(1).addCallback((l) => {
 *   stopped = l;
 * });
 * clock.pump([1, 1, 0.5]);
 * deepEqual(seen, [0, 1, 2]);
 * lc.stop();
 * equal(stopped, lc);
 * equal(clock.getDelayedCalls().length, 0);
 * ```
 */
export class LoopingCall<A extends unknown[] = unknown[]> {
  /** The function to call. */
  f: (...args: A) => unknown;
  /** The arguments it is called with. */
  a: A;
  /** The pending call of the function, or `null` while it runs or waits for its Deferred, or when stopped. */
  call: IDelayedCall | null = null;
  /**
   * Whether the loop runs: set by {@linkcode LoopingCall.start}, cleared by
   * {@linkcode LoopingCall.stop} or when the function fails; always `false`
   * by the time the Deferred returned by `start` fires.
   */
  running = false;
  /** The interval, in seconds (`null` before the first `start`). */
  interval: number | null = null;
  /** When the grid starts: the time of `start`, or of the last `reset` (`null` before the first `start`). */
  starttime: number | null = null;
  #deferred: Deferred<this> | null = null;
  #runAtStart = false;
  #realLastTime: number | null = null;
  /**
   * Creates a `LoopingCall`; nothing happens until
   * {@linkcode LoopingCall.start}.
   *
   * @param f The function to call. It may return a Deferred or a promise:
   *   the next call waits for it.
   * @param args The arguments to call it with.
   */
  constructor(f: (...args: A) => unknown, ...args: A) {
    this.f = f;
    this.a = args;
  }

  /**
   * The clock the calls are scheduled on: the default reactor unless set.
   * Set it before {@linkcode LoopingCall.start}.
   */
  declare clock: IReactorTime;

  /**
   * Makes a `LoopingCall` that calls `countCallable` with the number of
   * intervals elapsed since its last call (Twisted's
   * `LoopingCall.withCount`). The count is normally 1; it is more when ticks
   * were skipped because the clock ran late, or because the Deferred returned
   * by the previous call took longer than an interval. It is never 0, and
   * always 1 with an interval of 0.
   *
   * @param countCallable Called with the count; it may return a Deferred or
   *   a promise, as with the constructor.
   * @returns The `LoopingCall`, not started.
   *
   * @example Usage
   * ```ts
   * import { LoopingCall } from "@torsion/torsion/reactor";
   * import { Clock } from "@torsion/torsion/testing";
   * import { deepEqual } from "node:assert/strict";
   *
   * const clock = new Clock();
   * const counts: number[] = [];
   * const lc = LoopingCall.withCount((n) => counts.push(n));
   * lc.clock = clock;
   * lc.start(1);
   * clock.advance(1);
   * clock.advance(3); // ticks at 2 and 3 were missed
   * deepEqual(counts, [1, 1, 3]);
   * lc.stop();
   * ```
   */
  static withCount(
    countCallable: (count: number) => unknown,
  ): LoopingCall<[]> {
    const counter = (): unknown => {
      const now = self.clock.seconds();
      if (self.interval === 0) {
        self.#realLastTime = now;
        return countCallable(1);
      }
      let lastTime = self.#realLastTime;
      if (lastTime === null) {
        lastTime = self.starttime!;
        if (self.#runAtStart) lastTime -= self.interval!;
      }
      const count = self.#intervalOf(now) - self.#intervalOf(lastTime);
      if (count > 0) {
        self.#realLastTime = now;
        return countCallable(count);
      }
      return undefined;
    };
    const self = new LoopingCall<[]>(counter);
    return self;
  }

  /** The number of whole intervals from `starttime` to `t`. */
  #intervalOf(t: number): number {
    return Math.trunc((t - this.starttime!) / this.interval!);
  }

  /**
   * Starts calling the function every `interval` seconds.
   *
   * @param interval Seconds between calls (may be less than 1, or 0 to call
   *   again on every turn of the clock).
   * @param now Whether to make the first call at once; otherwise it is made
   *   after one interval.
   * @returns A Deferred that fires with this `LoopingCall` once
   *   {@linkcode LoopingCall.stop} is called (after the Deferred returned by
   *   a call in progress, if any, has fired), or fails with the error of the
   *   function or of the Deferred it returned.
   * @throws {Error} "Tried to start an already running LoopingCall." if it
   *   is running (Twisted's `AssertionError`).
   * @throws {RangeError} "interval must be >= 0" if `interval` is negative
   *   (Twisted's `ValueError`).
   *
   * @example Usage
   * ```ts
   * import { LoopingCall } from "@torsion/torsion/reactor";
   * import { Clock } from "@torsion/torsion/testing";
   * import { equal } from "node:assert/strict";
   *
   * const clock = new Clock();
   * let calls = 0;
   * const lc = new LoopingCall(() => calls++);
   * lc.clock = clock;
   * lc.start(10, false);
   * equal(calls, 0);
   * clock.advance(10);
   * equal(calls, 1);
   * lc.stop();
   * ```
   */
  start(interval: number, now = true): Deferred<this> {
    if (this.running) {
      throw new Error("Tried to start an already running LoopingCall.");
    }
    if (interval < 0) throw new RangeError("interval must be >= 0");
    this.running = true;
    // The call below may fail and clear #deferred: keep our own reference.
    const deferred = this.#deferred = new Deferred<this>();
    this.starttime = this.clock.seconds();
    this.interval = interval;
    this.#runAtStart = now;
    if (now) {
      this.#fire();
    } else {
      this.#scheduleFrom(this.starttime);
    }
    return deferred;
  }

  /**
   * Stops the loop: cancels the pending call and fires the Deferred returned
   * by {@linkcode LoopingCall.start} with this `LoopingCall`. Called while
   * the function's Deferred is still pending, the Deferred of `start` fires
   * once that one does, and no further call is made.
   *
   * @throws {Error} "Tried to stop a LoopingCall that was not running." if
   *   it is not running (Twisted's `AssertionError`).
   *
   * @example Usage
   * ```ts
   * import { LoopingCall } from "@torsion/torsion/reactor";
   * import { Clock } from "@torsion/torsion/testing";
   * import { equal } from "node:assert/strict";
   *
   * const clock = new Clock();
   * let calls = 0;
   * const lc = new LoopingCall(() => calls++);
   * lc.clock = clock;
   * lc.start(1);
   * lc.stop();
   * clock.advance(5);
   * equal(calls, 1);
   * equal(lc.running, false);
   * ```
   */
  stop(): void {
    if (!this.running) {
      throw new Error("Tried to stop a LoopingCall that was not running.");
    }
    this.running = false;
    if (this.call !== null) {
      this.call.cancel();
      this.call = null;
      const d = this.#deferred!;
      this.#deferred = null;
      d.callback(this);
    }
  }

  /**
   * Skips the next call and starts the grid over from now: the next call is
   * one interval from now. Does nothing while the function's Deferred is
   * pending.
   *
   * @throws {Error} "Tried to reset a LoopingCall that was not running." if
   *   it is not running (Twisted's `AssertionError`).
   *
   * @example Usage
   * ```ts
   * import { LoopingCall } from "@torsion/torsion/reactor";
   * import { Clock } from "@torsion/torsion/testing";
   * import { deepEqual } from "node:assert/strict";
   *
   * const clock = new Clock();
   * const seen: number[] = [];
   * const lc = new LoopingCall(() => seen.push(clock.seconds()));
   * lc.clock = clock;
   * lc.start(2, false);
   * clock.advance(1);
   * lc.reset();
   * clock.pump([1, 1]);
   * deepEqual(seen, [3]);
   * lc.stop();
   * ```
   */
  reset(): void {
    if (!this.running) {
      throw new Error("Tried to reset a LoopingCall that was not running.");
    }
    if (this.call !== null) {
      this.call.cancel();
      this.call = null;
      this.starttime = this.clock.seconds();
      this.#scheduleFrom(this.starttime);
    }
  }

  /** Calls the function, then schedules the next call or finishes. */
  #fire = (): void => {
    this.call = null;
    const d = maybeDeferred(this.f, ...this.a);
    d.addCallback(() => {
      if (this.running) {
        this.#scheduleFrom(this.clock.seconds());
      } else {
        const done = this.#deferred!;
        this.#deferred = null;
        done.callback(this);
      }
    });
    d.addErrback((failure: Failure) => {
      this.running = false;
      const done = this.#deferred!;
      this.#deferred = null;
      done.errback(failure);
    });
  };

  /** Schedules the next call at the first grid point after `when`. */
  #scheduleFrom(when: number): void {
    this.call = this.clock.callLater(this.#howLong(when), this.#fire);
  }

  #howLong(when: number): number {
    const interval = this.interval!;
    // An interval of 0: as fast as the clock goes.
    if (interval === 0) return 0;
    const runningFor = when - this.starttime!;
    const untilNextInterval = interval - pyMod(runningFor, interval);
    // A wait too small to change `when` when added to it is effectively
    // zero: we are on a grid point, so wait for the next one.
    if (when === when + untilNextInterval) return interval;
    return untilNextInterval;
  }

  /**
   * Returns a description like Twisted's repr:
   * `LoopingCall<interval>(function, *[args])`.
   *
   * @returns The description.
   *
   * @example Usage
   * ```ts
   * import { LoopingCall } from "@torsion/torsion/reactor";
   * import { equal } from "node:assert/strict";
   *
   * function tick(n: number, s: string): void {}
   * equal(String(new LoopingCall(tick, 1, "a")), 'LoopingCall<null>(tick, *[1, "a"])');
   * ```
   */
  toString(): string {
    return `LoopingCall<${this.interval}>(${describe(this.f)}, *[${
      this.a.map(describe).join(", ")
    }])`;
  }
}
defineClockProperty(LoopingCall.prototype);
