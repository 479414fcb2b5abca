// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode ClientService}: keep one connection to a client endpoint up,
 * reconnecting with backoff, after
 * `twisted.application.internet.ClientService`.
 *
 * @module
 */

import { Deferred } from "../../defer/deferred.ts";
import { CancelledError } from "../../defer/errors.ts";
import { Failure } from "../../defer/failure.ts";
import * as log from "../../defer/log.ts";
import { maybeDeferred } from "../../defer/maybe_deferred.ts";
import { fail, succeed } from "../../defer/succeed.ts";
import { defineClockProperty } from "../_clock_property.ts";
import type { IStreamClientEndpoint } from "../endpoints.ts";
import type {
  IDelayedCall,
  IProtocol,
  IProtocolFactory,
  IReactorTime,
} from "../interfaces.ts";
import {
  DisconnectFactory,
  type ReconnectingProtocolProxy,
} from "./_reconnecting_protocol_proxy.ts";
import { backoffPolicy } from "./backoff_policy.ts";
import { Service } from "./service.ts";

/** Options of {@linkcode ClientService}. */
export interface ClientServiceOptions<P extends IProtocol = IProtocol> {
  /**
   * Given the number of failed attempts in a row (1 for the first retry),
   * returns the seconds to wait before the next attempt.
   *
   * @default {backoffPolicy(): 1.5 s, 2.25 s... up to 60 s, plus up to 1 s of jitter}
   */
  retryPolicy?: (failedAttempts: number) => number;
  /**
   * The clock retries are scheduled on; the same as setting
   * {@linkcode ClientService.clock}.
   *
   * @default {the default reactor}
   */
  clock?: IReactorTime;
  /**
   * Called with the protocol of each new connection before it is handed to
   * {@linkcode ClientService.whenConnected} callers: to log in, or check the
   * connection is healthy. It may return a Deferred or promise, which they
   * wait for. If it throws or fails, the connection is closed and the
   * attempt counts as a failed one (the next is scheduled by the retry
   * policy). Its successful result is ignored.
   */
  prepareConnection?: (protocol: P) => unknown;
}

/** Options of {@linkcode ClientService.whenConnected}. */
export interface WhenConnectedOptions {
  /**
   * Fail after this many connection attempts in a row have failed (1: on
   * the first failure) with the last attempt's error, rather than wait for
   * a connection for as long as the service runs.
   *
   * @default {null: wait until connected or stopped}
   */
  failAfterFailures?: number | null;
}

type State =
  | "init"
  | "connecting"
  | "waiting"
  | "connected"
  | "disconnecting"
  | "restarting"
  | "stopped";

/** Names an endpoint for a log line: its own `toString()`, else its class. */
function describe(endpoint: object): string {
  try {
    if (endpoint.toString !== Object.prototype.toString) {
      return String(endpoint);
    }
    return `<${endpoint.constructor?.name ?? "endpoint"}>`;
  } catch {
    return "<endpoint>";
  }
}

/** The default policy (Twisted's `_defaultPolicy`). */
const DEFAULT_POLICY = backoffPolicy();

/**
 * Keeps one outgoing connection to an endpoint up (Twisted's
 * `internet.ClientService`): it connects when started, and whenever a
 * connection attempt fails or an established connection is lost it waits
 * (per the retry policy) and tries again, until stopped.
 *
 * - The wait after `n` failed attempts in a row is `retryPolicy(n)`; with
 *   the default {@linkcode backoffPolicy}, the first retry comes after
 *   1.5 s plus up to 1 s of jitter. A connection made resets the count;
 *   when it is lost, the next attempt waits `retryPolicy(1)`, not zero.
 * - {@linkcode ClientService.whenConnected} gives the application's protocol
 *   of the current connection, or of the next one.
 * - {@linkcode ClientService.stopService} cancels a pending retry or
 *   connection attempt, closes the connection, and fires once it is closed;
 *   pending `whenConnected` Deferreds fail with `CancelledError`.
 *
 * Deliberate differences from Twisted 22.4: `prepareConnection` gets the
 * application's protocol (Twisted passes its wrapper, which forwards
 * attribute access); a connection whose `prepareConnection` fails is closed
 * (Twisted leaves it open); a connection lost while `prepareConnection` runs
 * counts as a failed attempt (Twisted ignores the loss and stays connected
 * to nothing).
 *
 * Time comes from {@linkcode ClientService.clock}: the default reactor
 * unless set.
 *
 * @typeParam P The type of the protocols the factory builds.
 *
 * @example Usage
 * ```ts
 * import { Deferred, Failure } from "@torsion/torsion/defer";
 * import { ConnectionDone, Factory, Protocol, type IProtocol, type IProtocolFactory, type IStreamClientEndpoint } from "@torsion/torsion/reactor";
 * import { ClientService } from "@torsion/torsion/application";
 * import { Clock, StringTransport } from "@torsion/torsion/testing";
 * import { equal } from "node:assert/strict";
 *
 * // An endpoint whose connection attempts the example settles by hand.
 * const attempts: [Deferred<IProtocol>, IProtocolFactory][] = [];
 * const endpoint: IStreamClientEndpoint = {
 *   connect(factory) {
 *     const d = new Deferred<IProtocol>();
 *     attempts.push([d, factory]);
 *     return d;
 *   },
 * };
 * const transportSide: IProtocol[] = [];
 * function connectAttempt(i: number): void {
 *   const [d, factory] = attempts[i];
 *   const p = factory.buildProtocol({ type: "TCP" })!;
 *   transportSide.push(p);
 *   p.makeConnection(new StringTransport());
 *   d.callback(p);
 * }
 *
 * const clock = new Clock();
 * const service = new ClientService(endpoint, Factory.forProtocol(Protocol), {
 *   clock,
 *   retryPolicy: (failed) => failed * 10,
 * });
 * service.startService();
 * attempts[0][0].errback(new Error("refused"));
 * clock.advance(9);
 * equal(attempts.length, 1);
 * clock.advance(1); // 10 s after the first failure
 * connectAttempt(1);
 * const protocol = await service.whenConnected();
 * equal(protocol instanceof Protocol, true);
 * const stopped = service.stopService(); // closes the connection...
 * transportSide[0].connectionLost(new Failure(new ConnectionDone()));
 * await stopped; // ...and fires once it is lost
 * equal(clock.getDelayedCalls().length, 0);
 * ```
 */
export class ClientService<P extends IProtocol = IProtocol> extends Service {
  readonly #endpoint: IStreamClientEndpoint;
  readonly #factory: IProtocolFactory;
  readonly #retryPolicy: (failedAttempts: number) => number;
  readonly #prepareConnection: ((protocol: P) => unknown) | null;
  #state: State = "init";
  #failedAttempts = 0;
  #connectionInProgress: Deferred<unknown> = succeed(undefined);
  #retryCall: IDelayedCall | null = null;
  /** The wrapper of the current connection (connected, disconnecting, restarting). */
  #current: ReconnectingProtocolProxy | null = null;
  #awaitingConnected: [Deferred<P>, number | null][] = [];
  #stopWaiters: Deferred<void>[] = [];

  /**
   * Creates a `ClientService`; nothing connects until it starts.
   *
   * @param endpoint Where to connect.
   * @param factory Builds the protocol of each connection.
   * @param options The retry policy, the clock, and a function to prepare
   *   each new connection.
   */
  constructor(
    endpoint: IStreamClientEndpoint,
    factory: IProtocolFactory,
    options: ClientServiceOptions<P> = {},
  ) {
    super();
    this.#endpoint = endpoint;
    this.#factory = factory;
    this.#retryPolicy = options.retryPolicy ?? DEFAULT_POLICY;
    this.#prepareConnection = options.prepareConnection ?? null;
    if (options.clock !== undefined) this.clock = options.clock;
  }

  /**
   * The clock retries are scheduled on: the default reactor unless set.
   */
  declare clock: IReactorTime;

  /**
   * Returns the protocol of the current connection, or of the next one.
   *
   * @param options After how many failed attempts in a row to give up.
   * @returns A Deferred that fires with the application's protocol (the one
   *   the factory built) once connected (at once if connected now), or
   *   fails with `CancelledError` when the service stops (at once if it is
   *   stopped), or with the connection error after `failAfterFailures`
   *   failed attempts in a row.
   *
   * @example Usage
   * ```ts
   * import { CancelledError } from "@torsion/torsion/defer";
   * import { Factory, Protocol } from "@torsion/torsion/reactor";
   * import { ClientService } from "@torsion/torsion/application";
   * import { failureResultOf } from "@torsion/torsion/testing";
   * import { ok } from "node:assert/strict";
   *
   * const endpoint = { connect: () => { throw new Error("unused"); } };
   * const service = new ClientService(endpoint, Factory.forProtocol(Protocol));
   * service.stopService(); // never started: stopped at once
   * ok(failureResultOf(service.whenConnected(), CancelledError));
   * ```
   */
  whenConnected(options: WhenConnectedOptions = {}): Deferred<P> {
    switch (this.#state) {
      case "connected":
        return succeed(this.#current!.protocol as P);
      case "stopped":
        return fail(new CancelledError());
      default: {
        const d = new Deferred<P>();
        this.#awaitingConnected.push([d, options.failAfterFailures ?? null]);
        return d;
      }
    }
  }

  /**
   * Starts the service: connects (or, while a stop is under way, connects
   * again once the connection is closed). If it runs already, only logs
   * "Duplicate ClientService.startService".
   */
  override startService(): void {
    if (this.running) {
      log.msg(`Duplicate ClientService.startService ${this}`);
      return;
    }
    super.startService();
    switch (this.#state) {
      case "init":
      case "stopped":
        this.#state = "connecting";
        this.#connect();
        break;
      case "disconnecting":
        this.#state = "restarting";
        this.#failedAttempts = 0;
        break;
      default:
        break;
    }
  }

  /**
   * Stops retrying and closes the connection.
   *
   * @returns A Deferred that fires once the connection is closed and any
   *   attempt in progress stopped (at once if there was none).
   */
  override stopService(): Deferred<void> {
    super.stopService();
    switch (this.#state) {
      case "init":
      case "stopped":
        this.#state = "stopped";
        return succeed(undefined);
      case "connecting": {
        this.#state = "disconnecting";
        const d = this.#waitForStop();
        // Cancelling fails the attempt, usually at once: that finishes the
        // stop (see #connectionFailed).
        this.#connectionInProgress.cancel();
        return d;
      }
      case "waiting": {
        this.#state = "stopped";
        const d = this.#waitForStop();
        this.#unawait(new Failure(new CancelledError()));
        this.#retryCall?.cancel();
        this.#retryCall = null;
        this.#finishStopping();
        return d;
      }
      case "connected": {
        this.#state = "disconnecting";
        const d = this.#waitForStop();
        this.#current!.transport?.loseConnection();
        return d;
      }
      case "disconnecting":
        return this.#waitForStop();
      case "restarting":
        this.#state = "disconnecting";
        return this.#waitForStop();
    }
  }

  #waitForStop(): Deferred<void> {
    const d = new Deferred<void>();
    this.#stopWaiters.push(d);
    return d;
  }

  #finishStopping(): void {
    const waiting = this.#stopWaiters;
    this.#stopWaiters = [];
    for (const w of waiting) w.callback();
  }

  /** Fires every `whenConnected` Deferred with `value`. */
  #unawait(value: P | Failure): void {
    const waiting = this.#awaitingConnected;
    this.#awaitingConnected = [];
    for (const [w] of waiting) {
      if (value instanceof Failure) w.errback(value);
      else w.callback(value);
    }
  }

  /** Starts a connection attempt. */
  #connect(): void {
    const factory = new DisconnectFactory(
      this.#factory,
      (proxy) => this.#lost(proxy),
    );
    this.#connectionInProgress = maybeDeferred(() =>
      this.#endpoint.connect(factory)
    )
      .addCallback((protocol) =>
        this.#runPrepareConnection(protocol as ReconnectingProtocolProxy)
      )
      .addCallback((proxy) => this.#connectionMade(proxy))
      .addErrback((f: Failure) => this.#connectionFailed(f));
  }

  #runPrepareConnection(
    proxy: ReconnectingProtocolProxy,
  ): ReconnectingProtocolProxy | Deferred<ReconnectingProtocolProxy> {
    const prepare = this.#prepareConnection;
    if (prepare === null) return proxy;
    return maybeDeferred(() => prepare(proxy.protocol as P)).addCallbacks<
      ReconnectingProtocolProxy,
      never
    >(
      () => proxy,
      (f: Failure) => {
        // The connection will not be used: close it.
        proxy.transport?.loseConnection();
        return f;
      },
    );
  }

  #connectionMade(proxy: ReconnectingProtocolProxy): void {
    if (proxy.lostReason !== null) {
      // Lost while prepareConnection ran: a failed attempt.
      this.#connectionFailed(proxy.lostReason);
      return;
    }
    switch (this.#state) {
      case "connecting":
        this.#state = "connected";
        this.#failedAttempts = 0;
        this.#current = proxy;
        this.#unawait(proxy.protocol as P);
        break;
      case "disconnecting":
      case "restarting":
        // Stopped while the attempt could not be cancelled: close the
        // connection; its loss finishes the stop (or the restart).
        this.#current = proxy;
        proxy.transport?.loseConnection();
        break;
      default:
        proxy.transport?.loseConnection();
        break;
    }
  }

  #connectionFailed(f: Failure): void {
    switch (this.#state) {
      case "connecting":
        this.#state = "waiting";
        this.#doWait();
        this.#deliverConnectionFailure(f);
        break;
      case "disconnecting":
        this.#state = "stopped";
        this.#unawait(new Failure(new CancelledError()));
        this.#finishStopping();
        break;
      case "restarting":
        this.#state = "connecting";
        this.#finishStopping();
        this.#connect();
        break;
      default:
        break;
    }
  }

  /** Schedules the next attempt. */
  #doWait(): void {
    const attempt = ++this.#failedAttempts;
    let delay: number;
    try {
      delay = this.#retryPolicy(attempt);
    } catch (e) {
      log.err(e, "Error in the retry policy of a ClientService");
      delay = DEFAULT_POLICY(attempt);
    }
    log.msg(
      `Scheduling retry ${attempt} to connect ${
        describe(this.#endpoint)
      } in ${delay} seconds.`,
    );
    this.#retryCall = this.clock.callLater(delay, () => this.#reconnect());
  }

  #reconnect(): void {
    this.#retryCall = null;
    if (this.#state !== "waiting") return;
    this.#state = "connecting";
    this.#connect();
  }

  /** Fails the `whenConnected` Deferreds whose patience ran out. */
  #deliverConnectionFailure(f: Failure): void {
    const ready: Deferred<P>[] = [];
    const notReady: [Deferred<P>, number | null][] = [];
    for (const [w, remaining] of this.#awaitingConnected) {
      if (remaining === null) notReady.push([w, remaining]);
      else if (remaining <= 1) ready.push(w);
      else notReady.push([w, remaining - 1]);
    }
    this.#awaitingConnected = notReady;
    for (const w of ready) w.errback(f);
  }

  /** A connection made through this service was lost. */
  #lost(proxy: ReconnectingProtocolProxy): void {
    // Connections that are not the current one (one being prepared, one
    // closed after its preparation failed) are handled elsewhere.
    if (proxy !== this.#current) return;
    switch (this.#state) {
      case "connected":
        this.#state = "waiting";
        this.#current = null;
        this.#doWait();
        break;
      case "disconnecting":
        this.#state = "stopped";
        this.#unawait(new Failure(new CancelledError()));
        this.#finishStopping();
        this.#current = null;
        break;
      case "restarting":
        this.#state = "connecting";
        this.#current = null;
        this.#finishStopping();
        this.#connect();
        break;
      default:
        break;
    }
  }
}
defineClockProperty(ClientService.prototype);
