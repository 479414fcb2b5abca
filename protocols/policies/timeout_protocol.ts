// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode TimeoutFactory} and {@linkcode TimeoutProtocol}: close
 * connections that stay idle, after `twisted.protocols.policies`.
 *
 * @module
 */

import type { Failure } from "../../defer/failure.ts";
import type {
  IAddress,
  IDelayedCall,
  IProtocol,
  IProtocolFactory,
  IReactorTime,
} from "../../reactor/interfaces.ts";
import { defineClockProperty } from "../../reactor/_clock_property.ts";
import { ProtocolWrapper } from "./protocol_wrapper.ts";
import { WrappingFactory } from "./wrapping_factory.ts";

function checkPeriod(period: number | null): void {
  if (period !== null && !(period >= 0)) {
    throw new RangeError(
      `Cannot set the timeout: period must be null or a number >= 0, received ${period}`,
    );
  }
}

/**
 * The wrapper {@linkcode TimeoutFactory} puts around each protocol (Twisted's
 * `TimeoutProtocol`): it closes the connection once no data was received or
 * written for {@linkcode TimeoutProtocol.timeoutPeriod} seconds. `write`,
 * `writeSequence` and `dataReceived` restart the countdown; `connectionLost`
 * cancels it. The timer runs on the factory's clock
 * ({@linkcode TimeoutFactory.callLater}) and starts when the wrapper is
 * built.
 *
 * Difference from Twisted: traffic after the timeout fired (before the close
 * completes) is let through; Twisted's `resetTimeout` raises
 * `AlreadyCalled` then.
 *
 * @example Usage
 * ```ts
 * import { TimeoutFactory, TimeoutProtocol } from "@torsion/torsion/protocols";
 * import { Factory, Protocol } from "@torsion/torsion/reactor";
 * import { Clock, StringTransport } from "@torsion/torsion/testing";
 * import { equal } from "node:assert/strict";
 *
 * const factory = new TimeoutFactory(Factory.forProtocol(Protocol), 10);
 * factory.clock = new Clock();
 * const p = new TimeoutProtocol(factory, new Protocol(), 5);
 * const transport = new StringTransport();
 * p.makeConnection(transport);
 * (factory.clock as Clock).advance(5);
 * equal(transport.disconnecting, true);
 * ```
 */
export class TimeoutProtocol extends ProtocolWrapper {
  /** The factory that built this wrapper. */
  declare factory: TimeoutFactory;
  /** The pending timeout, or `null` when none is set. */
  timeoutCall: IDelayedCall | null = null;
  /** The idle period in seconds, or `null` when no timeout is set. */
  timeoutPeriod: number | null = null;

  /**
   * Creates a wrapper and starts its countdown.
   *
   * @param factory The factory, whose `callLater` schedules the timeout.
   * @param wrappedProtocol The protocol to wrap.
   * @param timeoutPeriod Seconds of silence before the connection is
   *   closed, or `null` for no timeout.
   * @throws {RangeError} If `timeoutPeriod` is not `null` or a number >= 0.
   */
  constructor(
    factory: TimeoutFactory,
    wrappedProtocol: IProtocol,
    timeoutPeriod: number | null,
  ) {
    super(factory, wrappedProtocol);
    this.setTimeout(timeoutPeriod);
  }

  /**
   * Cancels the countdown, then starts a new one of `timeoutPeriod` seconds
   * if it is not `null`.
   *
   * @param timeoutPeriod Seconds, or `null` (the default) for no timeout.
   * @throws {RangeError} If `timeoutPeriod` is not `null` or a number >= 0.
   *
   * @example Usage
   * ```ts
   * import { TimeoutFactory } from "@torsion/torsion/protocols";
   * import { Factory, IPv4Address, Protocol } from "@torsion/torsion/reactor";
   * import { Clock } from "@torsion/torsion/testing";
   * import { equal } from "node:assert/strict";
   *
   * const clock = new Clock();
   * const factory = new TimeoutFactory(Factory.forProtocol(Protocol), null);
   * factory.clock = clock;
   * const p = factory.buildProtocol(new IPv4Address("TCP", "10.0.0.2", 1))!;
   * equal(clock.getDelayedCalls().length, 0);
   * p.setTimeout(3);
   * equal(clock.getDelayedCalls()[0].getTime(), 3);
   * p.setTimeout();
   * equal(clock.getDelayedCalls().length, 0);
   * ```
   */
  setTimeout(timeoutPeriod: number | null = null): void {
    checkPeriod(timeoutPeriod);
    this.cancelTimeout();
    this.timeoutPeriod = timeoutPeriod;
    if (timeoutPeriod !== null) {
      this.timeoutCall = this.factory.callLater(
        timeoutPeriod,
        () => this.timeoutFunc(),
      );
    }
  }

  /**
   * Cancels the countdown and forgets the period. Does nothing if there is
   * none, and ignores a timeout that already fired or was cancelled
   * elsewhere.
   */
  cancelTimeout(): void {
    this.timeoutPeriod = null;
    const call = this.timeoutCall;
    if (call !== null) {
      this.timeoutCall = null;
      if (call.active()) call.cancel();
    }
  }

  /**
   * Restarts the countdown, because some traffic just happened. Does nothing
   * without a pending timeout.
   */
  resetTimeout(): void {
    const call = this.timeoutCall;
    if (call !== null && this.timeoutPeriod !== null && call.active()) {
      call.reset(this.timeoutPeriod);
    }
  }

  /**
   * Restarts the countdown and writes.
   *
   * @param data Bytes, or a string sent as UTF-8.
   */
  override write(data: Uint8Array | string): void {
    this.resetTimeout();
    super.write(data);
  }

  /**
   * Restarts the countdown and writes.
   *
   * @param data The pieces.
   */
  override writeSequence(data: Iterable<Uint8Array | string>): void {
    this.resetTimeout();
    super.writeSequence(data);
  }

  /**
   * Restarts the countdown and hands `data` to the wrapped protocol.
   *
   * @param data The bytes.
   */
  override dataReceived(data: Uint8Array): void {
    this.resetTimeout();
    super.dataReceived(data);
  }

  /**
   * Cancels the countdown, then unregisters and tells the wrapped protocol.
   *
   * @param reason Why the connection closed.
   */
  override connectionLost(reason: Failure): void {
    this.cancelTimeout();
    super.connectionLost(reason);
  }

  /**
   * Called when the timeout fires. The default closes the connection
   * (`loseConnection()`); override it to do something else.
   */
  timeoutFunc(): void {
    this.loseConnection();
  }
}

/**
 * Wraps a factory so that its connections close after
 * {@linkcode TimeoutFactory.timeoutPeriod} seconds without traffic in either
 * direction (Twisted's `TimeoutFactory`), by wrapping each protocol in a
 * {@linkcode TimeoutProtocol}. Timers run on
 * {@linkcode TimeoutFactory.clock}: the default reactor unless set.
 *
 * @example Usage
 * ```ts
 * import { TimeoutFactory } from "@torsion/torsion/protocols";
 * import { Factory, IPv4Address, Protocol } from "@torsion/torsion/reactor";
 * import { Clock, StringTransport } from "@torsion/torsion/testing";
 * import { equal } from "node:assert/strict";
 *
 * const clock = new Clock();
 * const factory = new TimeoutFactory(Factory.forProtocol(Protocol), 60);
 * factory.clock = clock;
 * const p = factory.buildProtocol(new IPv4Address("TCP", "10.0.0.2", 1))!;
 * const transport = new StringTransport();
 * p.makeConnection(transport);
 * clock.advance(59);
 * p.dataReceived(new TextEncoder().encode("still here"));
 * clock.advance(59);
 * equal(transport.disconnecting, false);
 * clock.advance(1);
 * equal(transport.disconnecting, true);
 * ```
 */
export class TimeoutFactory extends WrappingFactory {
  /** The idle period given to each new connection, in seconds (`null`: none). */
  timeoutPeriod: number | null;
  /**
   * Creates a factory wrapping `wrappedFactory`.
   *
   * @param wrappedFactory The factory whose protocols to wrap.
   * @param timeoutPeriod Seconds of silence before a connection is closed,
   *   or `null` for no timeout.
   * @throws {RangeError} If `timeoutPeriod` is not `null` or a number >= 0.
   */
  constructor(
    wrappedFactory: IProtocolFactory,
    timeoutPeriod: number | null = 30 * 60,
  ) {
    checkPeriod(timeoutPeriod);
    super(wrappedFactory);
    this.timeoutPeriod = timeoutPeriod;
  }

  /** The clock timeouts run on: the default reactor unless set. */
  declare clock: IReactorTime;

  /**
   * Wraps `wrappedProtocol` in a {@linkcode TimeoutProtocol} with
   * {@linkcode TimeoutFactory.timeoutPeriod}.
   *
   * @param wrappedProtocol The protocol the wrapped factory built.
   * @returns Its wrapper.
   */
  override wrapProtocol(wrappedProtocol: IProtocol): TimeoutProtocol {
    return new TimeoutProtocol(this, wrappedProtocol, this.timeoutPeriod);
  }

  /**
   * Builds the wrapped factory's protocol, wrapped in a
   * {@linkcode TimeoutProtocol}.
   *
   * @param addr The address of the other side.
   * @returns The wrapper, or `null` if the wrapped factory refused.
   */
  override buildProtocol(addr: IAddress): TimeoutProtocol | null {
    return super.buildProtocol(addr) as TimeoutProtocol | null;
  }

  /**
   * Schedules `func` after `period` seconds on
   * {@linkcode TimeoutFactory.clock} (Twisted's overridable hook).
   *
   * @param period Seconds.
   * @param func The function.
   * @returns The pending call.
   */
  callLater(period: number, func: () => void): IDelayedCall {
    return this.clock.callLater(period, func);
  }
}
defineClockProperty(TimeoutFactory.prototype);
