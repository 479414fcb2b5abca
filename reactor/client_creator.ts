// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode ClientCreator}: connect a single protocol instance and get a
 * Deferred of it.
 *
 * @module
 */

import { Deferred } from "../defer/deferred.ts";
import type { Failure } from "../defer/failure.ts";
import { ClientFactory } from "./factory.ts";
import type {
  ConnectTCPOptions,
  ConnectUNIXOptions,
  IConnector,
  IDelayedCall,
  IProtocol,
  IProtocolFactory,
  IReactorSSL,
  IReactorTCP,
  IReactorTime,
  IReactorUNIX,
} from "./interfaces.ts";
import type { IOpenSSLClientConnectionCreator } from "./ssl.ts";

/**
 * What {@linkcode ClientCreator} needs of a reactor (`connectSSL` only for
 * {@linkcode ClientCreator.connectSSL}).
 */
export type ClientCreatorReactor =
  & IReactorTCP
  & IReactorUNIX
  & IReactorTime
  & Partial<IReactorSSL>;

/** A factory for one protocol instance, firing a Deferred once it is connected. */
class InstanceFactory<P extends IProtocol> extends ClientFactory {
  override noisy = false;
  pending: IDelayedCall | null = null;
  #deferred: Deferred<P> | null;
  readonly #reactor: IReactorTime;
  readonly #instance: P;

  constructor(reactor: IReactorTime, instance: P, deferred: Deferred<P>) {
    super();
    this.#reactor = reactor;
    this.#instance = instance;
    this.#deferred = deferred;
  }

  override buildProtocol(): P {
    const d = this.#deferred!;
    this.#deferred = null;
    // After connectionMade, as in Twisted.
    this.pending = this.#reactor.callLater(0, () => {
      this.pending = null;
      d.callback(this.#instance);
    });
    (this.#instance as { factory?: unknown }).factory = this;
    return this.#instance;
  }

  override clientConnectionFailed(_c: IConnector, reason: Failure): void {
    const d = this.#deferred;
    this.#deferred = null;
    if (d === null) return;
    this.pending = this.#reactor.callLater(0, () => {
      this.pending = null;
      d.errback(reason);
    });
  }
}

/**
 * Connects one instance of a protocol class and gives a Deferred of it,
 * fired once the connection is made (after `connectionMade`), or failed with
 * the connection error (Twisted's `ClientCreator`). Cancelling the Deferred
 * stops the attempt.
 *
 * @typeParam P The protocol type.
 * @typeParam A Its constructor's arguments.
 *
 * @example Usage
 * ```ts
 * import { ClientCreator, ConnectionRefusedError, Protocol, Reactor } from "@torsion/torsion/reactor";
 * import { rejects } from "node:assert/strict";
 *
 * const reactor = new Reactor();
 * const running = reactor.run({ installSignalHandlers: false });
 * const d = new ClientCreator(reactor, Protocol).connectTCP("127.0.0.1", 1);
 * await rejects(Promise.resolve(d), ConnectionRefusedError);
 * reactor.stop();
 * await running;
 * ```
 */
export class ClientCreator<P extends IProtocol, A extends unknown[] = []> {
  readonly #reactor: ClientCreatorReactor;
  readonly #protocolClass: new (...args: A) => P;
  readonly #args: A;

  /**
   * Creates a `ClientCreator`.
   *
   * @param reactor The reactor.
   * @param protocolClass The protocol class.
   * @param args Arguments for its constructor.
   */
  constructor(
    reactor: ClientCreatorReactor,
    protocolClass: new (...args: A) => P,
    ...args: A
  ) {
    this.#reactor = reactor;
    this.#protocolClass = protocolClass;
    this.#args = args;
  }

  #connect(
    connect: (factory: IProtocolFactory) => IConnector,
  ): Deferred<P> {
    let factory: InstanceFactory<P> | null = null;
    let connector: IConnector | null = null;
    const d = new Deferred<P>(() => {
      connector?.disconnect();
      factory?.pending?.cancel();
    });
    factory = new InstanceFactory(
      this.#reactor,
      new this.#protocolClass(...this.#args),
      d,
    );
    connector = connect(factory);
    return d;
  }

  /**
   * Connects over TCP.
   *
   * @param host The host.
   * @param port The port.
   * @param options Timeout (default 30 s).
   * @returns A Deferred of the connected protocol.
   */
  connectTCP(
    host: string,
    port: number,
    options?: ConnectTCPOptions,
  ): Deferred<P> {
    return this.#connect((f) =>
      this.#reactor.connectTCP(host, port, f, options)
    );
  }

  /**
   * Connects over TLS.
   *
   * @param host The host.
   * @param port The port.
   * @param contextFactory The client context, e.g. `optionsForClientTLS(host)`.
   * @param options Timeout (default 30 s).
   * @returns A Deferred of the connected protocol.
   * @throws {TypeError} If the reactor has no `connectSSL`.
   */
  connectSSL(
    host: string,
    port: number,
    contextFactory: IOpenSSLClientConnectionCreator,
    options?: ConnectTCPOptions,
  ): Deferred<P> {
    const reactor = this.#reactor;
    if (reactor.connectSSL === undefined) {
      throw new TypeError(
        "Cannot connect over TLS: the reactor has no connectSSL",
      );
    }
    return this.#connect((f) =>
      reactor.connectSSL!(host, port, f, contextFactory, options)
    );
  }

  /**
   * Connects to a Unix socket.
   *
   * @param path The socket's path.
   * @param options Timeout (default 30 s).
   * @returns A Deferred of the connected protocol.
   */
  connectUNIX(path: string, options?: ConnectUNIXOptions): Deferred<P> {
    return this.#connect((f) => this.#reactor.connectUNIX(path, f, options));
  }
}
