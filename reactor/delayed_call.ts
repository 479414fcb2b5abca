// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode DelayedCall}: a call scheduled with `callLater`.
 *
 * @module
 */

import { AlreadyCalled, AlreadyCancelled } from "./errors.ts";
import type { IDelayedCall } from "./interfaces.ts";

/**
 * What a {@linkcode DelayedCall} needs of the clock that scheduled it.
 * Implemented by the reactor and `Clock`.
 */
export interface DelayedCallOwner {
  /** Returns the clock's current time, in seconds. */
  seconds(): number;
  /**
   * Forgets a cancelled call.
   *
   * @param call The call.
   */
  _cancelCall(call: DelayedCall): void;
  /**
   * Takes note that `call.time` changed.
   *
   * @param call The call.
   */
  _moveCall(call: DelayedCall): void;
}

let nextSeq = 0;

/**
 * A call scheduled with `callLater` (Twisted's `DelayedCall`): cancel it,
 * move it, or ask when it runs. `called` is set before the function runs, so
 * a `cancel()` from inside the call throws {@linkcode AlreadyCalled}.
 *
 * @example Usage
 * ```ts
 * import { Clock } from "@torsion/torsion/testing";
 * import { equal } from "node:assert/strict";
 *
 * const clock = new Clock();
 * let runs = 0;
 * const call = clock.callLater(5, () => runs++);
 * call.delay(2);
 * equal(call.getTime(), 7);
 * clock.advance(6);
 * equal(runs, 0);
 * clock.advance(1);
 * equal(runs, 1);
 * equal(call.active(), false);
 * ```
 */
export class DelayedCall implements IDelayedCall {
  /** When the call runs, in the owner's seconds. */
  time: number;
  /** Whether the function has been called (set just before it runs). */
  called = false;
  /** Whether the call was cancelled. */
  cancelled = false;
  /** The function. */
  func: ((...args: never[]) => unknown) | null;
  /** Its arguments. */
  args: unknown[];
  /** @ignore */
  _heapIndex = -1;
  /** @ignore */
  readonly _seq: number = nextSeq++;
  #owner: DelayedCallOwner;

  /**
   * Creates a `DelayedCall`.
   *
   * @param time When to run, in the owner's seconds.
   * @param func The function.
   * @param args Its arguments.
   * @param owner The clock that runs it.
   */
  constructor(
    time: number,
    func: (...args: never[]) => unknown,
    args: unknown[],
    owner: DelayedCallOwner,
  ) {
    this.time = time;
    this.func = func;
    this.args = args;
    this.#owner = owner;
  }

  /** Returns when the call runs. */
  getTime(): number {
    return this.time;
  }

  /**
   * Cancels the call.
   *
   * @throws {AlreadyCancelled} If it was cancelled already.
   * @throws {AlreadyCalled} If it has run (or is running).
   */
  cancel(): void {
    if (this.cancelled) throw new AlreadyCancelled();
    if (this.called) throw new AlreadyCalled();
    this.cancelled = true;
    this.#owner._cancelCall(this);
    this.func = null;
    this.args = [];
  }

  #checkActive(): void {
    if (this.cancelled) throw new AlreadyCancelled();
    if (this.called) throw new AlreadyCalled();
  }

  /**
   * Reschedules the call `secondsFromNow` seconds from now.
   *
   * @param secondsFromNow Seconds from now.
   * @throws {AlreadyCancelled} If it was cancelled.
   * @throws {AlreadyCalled} If it has run.
   */
  reset(secondsFromNow: number): void {
    this.#checkActive();
    this.time = this.#owner.seconds() + secondsFromNow;
    this.#owner._moveCall(this);
  }

  /**
   * Moves the call by `secondsLater` from its scheduled time.
   *
   * @param secondsLater Seconds to add (negative: earlier).
   * @throws {AlreadyCancelled} If it was cancelled.
   * @throws {AlreadyCalled} If it has run.
   */
  delay(secondsLater: number): void {
    this.#checkActive();
    this.time += secondsLater;
    this.#owner._moveCall(this);
  }

  /** Returns whether the call has neither run nor been cancelled. */
  active(): boolean {
    return !(this.cancelled || this.called);
  }

  /** Returns a description like Twisted's repr of a DelayedCall. */
  toString(): string {
    const left = this.time - this.#owner.seconds();
    const name = this.func?.name || "<anonymous>";
    return `<DelayedCall [${left.toFixed(3)}s] called=${
      Number(this.called)
    } cancelled=${Number(this.cancelled)} ${name}>`;
  }

  /** @ignore Runs the call (the owner calls this once it is due). */
  _run(): void {
    this.called = true;
    const f = this.func!;
    const args = this.args;
    this.func = null;
    this.args = [];
    (f as (...a: unknown[]) => unknown)(...args);
  }
}
