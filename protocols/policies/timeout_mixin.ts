// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode TimeoutMixin}: an idle timeout for any protocol class, after
 * `twisted.protocols.policies.TimeoutMixin`.
 *
 * @module
 */

import type { IDelayedCall, IReactorTime } from "../../reactor/interfaces.ts";
import { defineClockProperty } from "../../reactor/_clock_property.ts";

/**
 * The members {@linkcode TimeoutMixin} adds to a protocol class. Use it as a
 * type for protocols made with the mixin.
 *
 * @example Usage
 * ```ts
 * import { TimeoutMixin } from "@torsion/torsion/protocols";
 * import { Protocol } from "@torsion/torsion/reactor";
 * import { Clock } from "@torsion/torsion/testing";
 * import { equal } from "node:assert/strict";
 *
 * function quietFor(p: TimeoutMixin, seconds: number): number | null {
 *   return p.setTimeout(seconds);
 * }
 * const p = new (TimeoutMixin(Protocol))();
 * p.clock = new Clock();
 * equal(quietFor(p, 10), null);
 * equal(p.timeOut, 10);
 * ```
 */
export interface TimeoutMixin {
  /**
   * The timeout in seconds, or `null` for none (the default). Set it with
   * {@linkcode TimeoutMixin.setTimeout}; a subclass may give it a default
   * to pass to `setTimeout` in `connectionMade`.
   */
  timeOut: number | null;
  /** The clock the timeout runs on: the default reactor unless set. */
  clock: IReactorTime;
  /**
   * Schedules `func` after `period` seconds on
   * {@linkcode TimeoutMixin.clock} (Twisted's overridable `callLater`
   * hook).
   *
   * @param period Seconds.
   * @param func The function.
   * @returns The pending call.
   */
  callLater(period: number, func: () => void): IDelayedCall;
  /**
   * Restarts the countdown from {@linkcode TimeoutMixin.timeOut}. Does
   * nothing without a running timeout (none set, cancelled, or already
   * fired). Call it when the peer shows it is alive, e.g. in
   * `dataReceived`: nothing calls it by itself.
   */
  resetTimeout(): void;
  /**
   * Changes the timeout: `null` cancels the running countdown, a number
   * restarts it with the new period (or starts one).
   *
   * @param period Seconds, or `null` for none.
   * @returns The previous {@linkcode TimeoutMixin.timeOut}.
   * @throws {RangeError} If `period` is not `null` or a number >= 0.
   */
  setTimeout(period: number | null): number | null;
  /**
   * Called when the timeout fires. The default calls
   * `this.transport.loseConnection()`; override it to do something else.
   */
  timeoutConnection(): void;
}

/**
 * The class {@linkcode TimeoutMixin} returns: `TBase`'s constructor and
 * statics, making instances of `TBase` that are also {@linkcode TimeoutMixin}s.
 *
 * @typeParam TBase The class the mixin was applied to.
 *
 * @example Usage
 * ```ts
 * import { TimeoutMixin, type TimeoutMixinClass } from "@torsion/torsion/protocols";
 * import { Protocol } from "@torsion/torsion/reactor";
 * import { ok } from "node:assert/strict";
 *
 * const TimedProtocol: TimeoutMixinClass<typeof Protocol> = TimeoutMixin(Protocol);
 * ok(new TimedProtocol() instanceof Protocol);
 * ```
 */
export type TimeoutMixinClass<TBase extends new (...args: never[]) => object> =
  & Omit<TBase, "prototype">
  & (new (
    ...args: ConstructorParameters<TBase>
  ) => InstanceType<TBase> & TimeoutMixin);

// TypeScript only lets a class expression extend a constructor whose
// parameters are `any[]` (TS2545); the public signature stays precise.
// deno-lint-ignore no-explicit-any
type MixinBase = new (...args: any[]) => object;

/**
 * Adds an idle timeout to a protocol class (Twisted's `TimeoutMixin`).
 * TypeScript has no multiple inheritance, so where Twisted writes
 * `class P(Protocol, TimeoutMixin)`, Torsion writes
 * `class P extends TimeoutMixin(Protocol)`: the function returns a subclass
 * of `Base` with Twisted's members, {@linkcode TimeoutMixin.timeOut},
 * {@linkcode TimeoutMixin.setTimeout}, {@linkcode TimeoutMixin.resetTimeout},
 * {@linkcode TimeoutMixin.timeoutConnection} and the
 * {@linkcode TimeoutMixin.callLater} hook, plus a writable
 * {@linkcode TimeoutMixin.clock} (the default reactor unless set; tests set a
 * `Clock`). It works with any class, `Protocol` or one of its subclasses
 * such as `LineReceiver`, and the subclass keeps `Base`'s constructor
 * arguments and statics.
 *
 * As in Twisted, the mixin only keeps the timer: the protocol starts it
 * (`setTimeout(period)`, usually in `connectionMade`), resets it on traffic
 * (`resetTimeout()` in `dataReceived`), and stops it
 * (`setTimeout(null)` in `connectionLost`).
 *
 * Differences from Twisted: a timeout cancelled behind the mixin's back
 * (e.g. by a test) makes `resetTimeout` do nothing and `setTimeout(period)`
 * start a new one, where Twisted raises `AlreadyCancelled`; `setTimeout`
 * rejects a negative or `NaN` period with a `RangeError`.
 *
 * @typeParam TBase The protocol class to extend.
 * @param Base The protocol class to extend.
 * @returns A subclass of `Base` with the timeout members.
 *
 * @example Usage
 * ```ts
 * import { TimeoutMixin } from "@torsion/torsion/protocols";
 * import { Protocol } from "@torsion/torsion/reactor";
 * import { Clock, StringTransport } from "@torsion/torsion/testing";
 * import type { Failure } from "@torsion/torsion/defer";
 * import { equal } from "node:assert/strict";
 *
 * class IdleProtocol extends TimeoutMixin(Protocol) {
 *   override connectionMade(): void {
 *     this.setTimeout(30);
 *   }
 *   override dataReceived(_data: Uint8Array): void {
 *     this.resetTimeout();
 *   }
 *   override connectionLost(_reason: Failure): void {
 *     this.setTimeout(null);
 *   }
 * }
 * const p = new IdleProtocol();
 * p.clock = new Clock();
 * const transport = new StringTransport();
 * p.makeConnection(transport);
 * (p.clock as Clock).advance(20);
 * p.dataReceived(new Uint8Array([1]));
 * (p.clock as Clock).advance(20);
 * equal(transport.disconnecting, false);
 * (p.clock as Clock).advance(10);
 * equal(transport.disconnecting, true);
 * ```
 */
export function TimeoutMixin<TBase extends new (...args: never[]) => object>(
  Base: TBase,
): TimeoutMixinClass<TBase> {
  class Timeout extends (Base as unknown as MixinBase) implements TimeoutMixin {
    timeOut: number | null = null;
    #timeoutCall: IDelayedCall | null = null;
    declare clock: IReactorTime;

    callLater(period: number, func: () => void): IDelayedCall {
      return this.clock.callLater(period, func);
    }

    resetTimeout(): void {
      const call = this.#timeoutCall;
      if (call !== null && this.timeOut !== null && call.active()) {
        call.reset(this.timeOut);
      }
    }

    setTimeout(period: number | null): number | null {
      if (period !== null && !(period >= 0)) {
        throw new RangeError(
          `Cannot set the timeout: period must be null or a number >= 0, received ${period}`,
        );
      }
      const prev = this.timeOut;
      this.timeOut = period;
      const call = this.#timeoutCall;
      if (call !== null && call.active()) {
        if (period === null) {
          call.cancel();
          this.#timeoutCall = null;
        } else {
          call.reset(period);
        }
      } else {
        this.#timeoutCall = null;
        if (period !== null) {
          this.#timeoutCall = this.callLater(period, () => this.#timedOut());
        }
      }
      return prev;
    }

    #timedOut(): void {
      this.#timeoutCall = null;
      this.timeoutConnection();
    }

    timeoutConnection(): void {
      (this as { transport?: { loseConnection(): void } }).transport
        ?.loseConnection();
    }
  }
  defineClockProperty(Timeout.prototype);
  return Timeout as unknown as TimeoutMixinClass<TBase>;
}
