// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode ReconnectingClientFactory}: a client factory that reconnects
 * with exponential backoff.
 *
 * @module
 */

import type { Failure } from "../defer/failure.ts";
import * as log from "../defer/log.ts";
import { NotConnectingError } from "./errors.ts";
import { ClientFactory } from "./factory.ts";
import type { IConnector, IDelayedCall, IReactorTime } from "./interfaces.ts";
import { defineClockProperty } from "./_clock_property.ts";

/** A sample of the normal distribution (Box-Muller), like Python's `random.normalvariate`. */
function normalVariate(mu: number, sigma: number): number {
  let u = 0;
  while (u === 0) u = Math.random();
  const v = Math.random();
  return mu + sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * A client factory that reconnects after a connection fails or is lost,
 * waiting longer each time (Twisted's `ReconnectingClientFactory`, with its
 * defaults). Call {@linkcode ReconnectingClientFactory.resetDelay} once a
 * connection works (typically in `buildProtocol` or the protocol's
 * `connectionMade`), and {@linkcode ReconnectingClientFactory.stopTrying}
 * to give up.
 *
 * The first retry waits `initialDelay * factor` (about 2.7 s), each next one
 * `factor` times longer up to `maxDelay`, each with Gaussian jitter (relative
 * standard deviation `jitter`). Waits run on {@linkcode
 * ReconnectingClientFactory.clock}: the default reactor unless set (tests set
 * a `Clock`).
 *
 * @example Usage
 * ```ts
 * import { ReconnectingClientFactory } from "@torsion/torsion/reactor";
 * import { Clock } from "@torsion/torsion/testing";
 * import type { IConnector } from "@torsion/torsion/reactor";
 * import { Failure } from "@torsion/torsion/defer";
 * import { equal } from "node:assert/strict";
 *
 * const f = new ReconnectingClientFactory();
 * f.noisy = false;
 * f.jitter = 0;
 * f.clock = new Clock();
 * let attempts = 0;
 * const connector = { connect: () => { attempts++; } } as unknown as IConnector;
 * f.clientConnectionFailed(connector, new Failure(new Error("refused")));
 * equal(Math.round(f.delay * 1000), 2718);
 * (f.clock as Clock).advance(2.72);
 * equal(attempts, 1);
 * ```
 */
export class ReconnectingClientFactory extends ClientFactory {
  /** The longest wait, in seconds. */
  maxDelay = 3600;
  /** The first delay before it is multiplied, in seconds. */
  initialDelay = 1.0;
  /** How much longer each wait is than the last (e). */
  factor = 2.7182818284590451;
  /** The relative standard deviation of the Gaussian jitter (0: none). */
  jitter = 0.119626565582;
  /** The current delay. */
  delay: number = this.initialDelay;
  /** Retries since the last {@linkcode ReconnectingClientFactory.resetDelay}. */
  retries = 0;
  /** Give up after this many retries (`null`: never). */
  maxRetries: number | null = null;
  /** Whether to keep reconnecting. */
  continueTrying = true;
  /** The connector of the last attempt. */
  connector: IConnector | null = null;
  #callID: IDelayedCall | null = null;
  /** The clock the waits run on: the default reactor unless set. */
  declare clock: IReactorTime;

  /**
   * Retries if {@linkcode ReconnectingClientFactory.continueTrying}.
   *
   * @param connector The connector.
   * @param _reason Why it failed.
   */
  override clientConnectionFailed(
    connector: IConnector,
    _reason: Failure,
  ): void {
    if (this.continueTrying) {
      this.connector = connector;
      this.retry();
    }
  }

  /**
   * Retries if {@linkcode ReconnectingClientFactory.continueTrying}.
   *
   * @param connector The connector.
   * @param _reason Why it was lost.
   */
  override clientConnectionLost(connector: IConnector, _reason: Failure): void {
    if (this.continueTrying) {
      this.connector = connector;
      this.retry();
    }
  }

  /**
   * Schedules the next connection attempt after the next delay.
   *
   * @param connector The connector (default: the last one).
   * @throws {Error} If there is no connector to retry.
   */
  retry(connector?: IConnector): void {
    if (!this.continueTrying) {
      if (this.noisy) log.msg(`Abandoning ${connector} on explicit request`);
      return;
    }
    if (connector === undefined) {
      if (this.connector === null) throw new Error("no connector to retry");
      connector = this.connector;
    }
    this.retries++;
    if (this.maxRetries !== null && this.retries > this.maxRetries) {
      if (this.noisy) {
        log.msg(`Abandoning ${connector} after ${this.retries} retries.`);
      }
      return;
    }
    this.delay = Math.min(this.delay * this.factor, this.maxDelay);
    if (this.jitter) {
      this.delay = normalVariate(this.delay, this.delay * this.jitter);
    }
    if (this.noisy) {
      log.msg(`${connector} will retry in ${Math.trunc(this.delay)} seconds`);
    }
    const target = connector;
    this.#callID = this.clock.callLater(this.delay, () => {
      this.#callID = null;
      target.connect();
    });
  }

  /** Stops reconnecting: cancels a pending retry and stops a connection attempt in progress. */
  stopTrying(): void {
    if (this.#callID !== null) {
      this.#callID.cancel();
      this.#callID = null;
    }
    this.continueTrying = false;
    if (this.connector !== null) {
      try {
        this.connector.stopConnecting();
      } catch (e) {
        if (!(e instanceof NotConnectingError)) throw e;
      }
    }
  }

  /** Starts the backoff over; call it once a connection works. */
  resetDelay(): void {
    this.delay = this.initialDelay;
    this.retries = 0;
    this.#callID = null;
    this.continueTrying = true;
  }
}
defineClockProperty(ReconnectingClientFactory.prototype);
