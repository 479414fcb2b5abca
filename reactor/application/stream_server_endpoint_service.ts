// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode StreamServerEndpointService}: listen on a server endpoint while
 * the service runs, after
 * `twisted.application.internet.StreamServerEndpointService`.
 *
 * @module
 */

import type { Deferred } from "../../defer/deferred.ts";
import { CancelledError } from "../../defer/errors.ts";
import type { Failure } from "../../defer/failure.ts";
import * as log from "../../defer/log.ts";
import { maybeDeferred } from "../../defer/maybe_deferred.ts";
import { succeed } from "../../defer/succeed.ts";
import type { IStreamServerEndpoint } from "../endpoints.ts";
import type { IListeningPort, IProtocolFactory } from "../interfaces.ts";
import { Service } from "./service.ts";

/** Options of {@linkcode StreamServerEndpointService}. */
export interface StreamServerEndpointServiceOptions {
  /**
   * Whether a listen that fails at once (the endpoint's Deferred has
   * already failed) makes the first `privilegedStartService` (or
   * `startService`) throw, instead of logging the error. `strports.service`
   * sets it, as Twisted's does, so that a port in use stops the program
   * from starting. A listen that fails later is always logged.
   *
   * @default {false}
   */
  raiseSynchronously?: boolean;
}

/**
 * Runs a server on an {@linkcode IStreamServerEndpoint} while the service
 * runs (Twisted's `internet.StreamServerEndpointService`): listens with
 * `endpoint.listen(factory)` in
 * {@linkcode StreamServerEndpointService.privilegedStartService} (or in
 * `startService`, if that was skipped), and stops listening in
 * {@linkcode StreamServerEndpointService.stopService}, cancelling a listen
 * still under way.
 *
 * A failed listen is logged (an error other than a cancellation), unless
 * `raiseSynchronously` makes the start throw it. Unlike Twisted 22.4's, the
 * service can be started again after it was stopped: it listens anew.
 *
 * @example Usage
 * ```ts
 * import { Factory, Protocol, serverFromString } from "@torsion/torsion/reactor";
 * import { StreamServerEndpointService } from "@torsion/torsion/application";
 * import { MemoryReactor } from "@torsion/torsion/testing";
 * import { equal } from "node:assert/strict";
 *
 * const reactor = new MemoryReactor();
 * const endpoint = serverFromString(reactor, "tcp:8080:interface=127.0.0.1");
 * const service = new StreamServerEndpointService(endpoint, Factory.forProtocol(Protocol));
 * service.privilegedStartService();
 * service.startService();
 * equal(reactor.tcpServers[0][0], 8080);
 * await service.stopService();
 * equal(service.running, false);
 * ```
 */
export class StreamServerEndpointService extends Service {
  /** Where to listen. */
  readonly endpoint: IStreamServerEndpoint;
  /** The server factory. */
  readonly factory: IProtocolFactory;
  #raiseSynchronously: boolean;
  /** The listen under way or done (its result is `null` if it failed), or `null` before it starts. */
  #waitingForPort: Deferred<IListeningPort | null> | null = null;

  /**
   * Creates a `StreamServerEndpointService`; nothing listens until it
   * starts.
   *
   * @param endpoint Where to listen.
   * @param factory Builds a protocol per connection.
   * @param options Whether a listen that fails at once throws.
   */
  constructor(
    endpoint: IStreamServerEndpoint,
    factory: IProtocolFactory,
    options: StreamServerEndpointServiceOptions = {},
  ) {
    super();
    this.endpoint = endpoint;
    this.factory = factory;
    this.#raiseSynchronously = options.raiseSynchronously ?? false;
  }

  /**
   * Starts listening on the endpoint.
   *
   * @throws {Error} What the listen failed with, if it failed at once and
   *   `raiseSynchronously` was set.
   */
  override privilegedStartService(): void {
    super.privilegedStartService();
    const raisedNow: Failure[] = [];
    this.#waitingForPort = maybeDeferred(() =>
      this.endpoint.listen(this.factory)
    )
      .addErrback((err: Failure) => {
        if (this.#raiseSynchronously) {
          raisedNow.push(err);
        } else if (err.check(CancelledError) === null) {
          log.err(err);
        }
        return null;
      });
    if (raisedNow.length > 0) throw raisedNow[0].value;
    this.#raiseSynchronously = false;
  }

  /**
   * Marks the service running, and starts listening unless
   * {@linkcode StreamServerEndpointService.privilegedStartService} did.
   *
   * @throws {Error} As `privilegedStartService`.
   */
  override startService(): void {
    super.startService();
    if (this.#waitingForPort === null) this.privilegedStartService();
  }

  /**
   * Stops listening, or cancels the listen if it is still under way (the
   * cancellation is not logged).
   *
   * @returns A Deferred that fires once the port has stopped listening;
   *   `running` is cleared then.
   */
  override stopService(): Deferred<void> {
    const waiting = this.#waitingForPort;
    if (waiting === null) {
      super.stopService();
      return succeed(undefined);
    }
    this.#waitingForPort = null;
    waiting.cancel();
    return waiting
      .addCallback((port) => port?.stopListening())
      .addBoth((passthrough) => {
        this.running = false;
        return passthrough;
      }) as Deferred<void>;
  }
}
