// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode TimerService}: call a function every so many seconds while the
 * service runs, after `twisted.application.internet.TimerService`.
 *
 * @module
 */

import { Deferred } from "../../defer/deferred.ts";
import type { Failure } from "../../defer/failure.ts";
import * as log from "../../defer/log.ts";
import { succeed } from "../../defer/succeed.ts";
import { defineClockProperty } from "../_clock_property.ts";
import type { IReactorTime } from "../interfaces.ts";
import { LoopingCall } from "../task/looping_call.ts";
import { Service } from "./service.ts";

/**
 * Calls `f(...args)` every `step` seconds while the service runs (Twisted's
 * `internet.TimerService`).
 *
 * Each {@linkcode TimerService.startService} makes a new `LoopingCall` and
 * starts it with `now = true`: the first call is made at once. If the
 * function throws, or its Deferred or promise fails, the error is logged and
 * the loop stops (the service still counts as running until
 * {@linkcode TimerService.stopService}). `stopService` waits for a call in
 * progress (one whose Deferred has not fired) before its Deferred fires.
 *
 * Time comes from {@linkcode TimerService.clock}: the default reactor unless
 * set; tests set a `Clock` before starting the service.
 *
 * @typeParam A The types of the arguments passed to the function.
 *
 * @example Usage
 * ```ts
 * import { TimerService } from "@torsion/torsion/application";
 * import { Clock } from "@torsion/torsion/testing";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * const clock = new Clock();
 * const seen: string[] = [];
 * const timer = new TimerService(2, (s: string) => seen.push(`${s} at ${clock.seconds()}`), "tick");
 * timer.clock = clock;
 * timer.startService();
 * clock.pump([2, 2]);
 * await timer.stopService();
 * clock.advance(2);
 * deepEqual(seen, ["tick at 0", "tick at 2", "tick at 4"]);
 * equal(timer.running, false);
 * ```
 */
export class TimerService<A extends unknown[] = unknown[]> extends Service {
  /** The number of seconds between calls. */
  step: number;
  readonly #f: (...args: A) => unknown;
  readonly #args: A;
  #loop: LoopingCall<A> | null = null;
  #loopFinished: Deferred<unknown> | null = null;

  /**
   * Creates a `TimerService`; nothing is called until it starts.
   *
   * @param step Seconds between calls.
   * @param f The function. It may return a Deferred or a promise: the next
   *   call waits for it.
   * @param args Its arguments.
   */
  constructor(step: number, f: (...args: A) => unknown, ...args: A) {
    super();
    this.step = step;
    this.#f = f;
    this.#args = args;
  }

  /**
   * The clock the calls are scheduled on: the default reactor unless set.
   * Set it before {@linkcode TimerService.startService}.
   */
  declare clock: IReactorTime;

  /**
   * Starts calling the function: a new `LoopingCall`, started with the
   * first call made now.
   */
  override startService(): void {
    super.startService();
    const loop = new LoopingCall(this.#f, ...this.#args);
    loop.clock = this.clock;
    this.#loop = loop;
    this.#loopFinished = loop.start(this.step, true).addErrback(
      (why: Failure) => {
        // The loop stopped itself; remember that, so that stopService does
        // not stop it again.
        loop.running = false;
        log.err(why);
      },
    );
  }

  /**
   * Stops calling the function.
   *
   * @returns A Deferred that fires once the call in progress (if its
   *   Deferred has not fired yet) has finished; `running` is cleared then.
   *
   * @example Usage
   * ```ts
   * import { Deferred } from "@torsion/torsion/defer";
   * import { TimerService } from "@torsion/torsion/application";
   * import { Clock } from "@torsion/torsion/testing";
   * import { equal } from "node:assert/strict";
   *
   * const work = new Deferred<void>();
   * const timer = new TimerService(1, () => work);
   * timer.clock = new Clock();
   * timer.startService();
   * let stopped = false;
   * timer.stopService().addCallback(() => {
   *   stopped = true;
   * });
   * equal(stopped, false);
   * work.callback();
   * equal(stopped, true);
   * ```
   */
  override stopService(): Deferred<void> {
    const loop = this.#loop;
    const finished = this.#loopFinished;
    if (loop === null || finished === null) {
      super.stopService();
      return succeed(undefined);
    }
    if (loop.running) loop.stop();
    const d = new Deferred<void>();
    finished.addCallback(() => {
      super.stopService();
      d.callback();
    });
    return d;
  }
}
defineClockProperty(TimerService.prototype);
