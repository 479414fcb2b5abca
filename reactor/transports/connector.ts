// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode Connector}: an outgoing TCP or Unix connection attempt and its
 * reconnections.
 *
 * @module
 */

import { Failure } from "../../defer/failure.ts";
import * as log from "../../defer/log.ts";
import type {
  NetStream,
  ReactorResource,
  StartableTransport,
  TransportReactor,
} from "../backend.ts";
import { tcpAddress, toIAddress } from "../_addresses.ts";
import { closeQuietly } from "./_close_quietly.ts";
import { UNIXAddress } from "../address.ts";
import { makeTransport } from "./_make_transport.ts";
import {
  ConnectError,
  DNSLookupError,
  NotConnectingError,
  TimeoutError,
  UserError,
} from "../errors.ts";
import type {
  IAddress,
  IConnector,
  IDelayedCall,
  IProtocol,
  IProtocolFactory,
  ITCPTransport,
} from "../interfaces.ts";
import { Protocol } from "../protocol.ts";
import type { IOpenSSLClientConnectionCreator } from "../ssl.ts";
import { isIPAddress, isIPv6Address } from "../resolver.ts";

/** Where a {@linkcode Connector} connects to. */
export type ConnectorAddress =
  | {
    transport: "tcp";
    host: string;
    port: number;
    /** A TLS client's context (`connectSSL`). */
    tls?: IOpenSSLClientConnectionCreator;
  }
  | { transport: "unix"; path: string };

/** The client hooks a connector calls when its factory has them. */
interface ClientHooks {
  startedConnecting?(connector: IConnector): void;
  clientConnectionFailed?(connector: IConnector, reason: Failure): void;
  clientConnectionLost?(connector: IConnector, reason: Failure): void;
}

interface Attempt {
  readonly abort: AbortController;
  timer: IDelayedCall | null;
  done: boolean;
}

/**
 * A connection attempt (Twisted's `tcp.Connector`), made by
 * `reactor.connectTCP`/`connectUNIX`. It drives the factory's client hooks:
 * `startedConnecting`, then `buildProtocol` once connected, or
 * `clientConnectionFailed` (refused: `ConnectionRefusedError`; host not
 * found: `DNSLookupError`; no answer within `timeout`: `TimeoutError`;
 * `stopConnecting()`: `UserError`); and `clientConnectionLost` when an
 * established connection ends. From either hook, `connect()` tries again
 * with the same factory. The factory is started with the first attempt and
 * stopped when a hook does not reconnect at once.
 *
 * @example Usage
 * ```ts
 * import { ClientFactory, Reactor, type IConnector } from "@torsion/torsion/reactor";
 * import type { Failure } from "@torsion/torsion/defer";
 * import { ok } from "node:assert/strict";
 *
 * const reactor = new Reactor();
 * let reason: Failure | undefined;
 * class Probe extends ClientFactory {
 *   override noisy = false;
 *   override clientConnectionFailed(_c: IConnector, r: Failure): void {
 *     reason = r;
 *     reactor.stop();
 *   }
 * }
 * // Port 1 on the loopback is closed: the connection is refused.
 * reactor.connectTCP("127.0.0.1", 1, new Probe());
 * await reactor.run({ installSignalHandlers: false });
 * ok(reason?.check("ConnectionRefusedError"));
 * ```
 */
export class Connector implements IConnector, ReactorResource {
  /** `"disconnected"`, `"connecting"` or `"connected"`. */
  state: "disconnected" | "connecting" | "connected" = "disconnected";
  /** The factory. */
  readonly factory: IProtocolFactory;
  /** Seconds before an attempt fails with `TimeoutError` (`null`: never). */
  readonly timeout: number | null;
  /** The transport of the current connection, if connected. */
  transport: ITCPTransport | null = null;
  readonly #reactor: TransportReactor;
  readonly #address: ConnectorAddress;
  #factoryStarted = false;
  #attempt: Attempt | null = null;

  /**
   * Made by the reactor's `connectTCP`/`connectUNIX`.
   *
   * @param reactor The reactor.
   * @param address Where to connect.
   * @param factory The factory.
   * @param timeout Seconds before giving up (`null`: never).
   */
  constructor(
    reactor: TransportReactor,
    address: ConnectorAddress,
    factory: IProtocolFactory,
    timeout: number | null,
  ) {
    this.#reactor = reactor;
    this.#address = address;
    this.factory = factory;
    this.timeout = timeout;
  }

  /**
   * Starts a connection attempt (the socket work starts once the reactor
   * runs).
   *
   * @throws {Error} Unless the state is `"disconnected"`.
   */
  connect(): void {
    if (this.state !== "disconnected") {
      throw new Error("can't connect in this state");
    }
    this.state = "connecting";
    if (!this.#factoryStarted) {
      this.factory.doStart();
      this.#factoryStarted = true;
    }
    const attempt: Attempt = {
      abort: new AbortController(),
      timer: null,
      done: false,
    };
    this.#attempt = attempt;
    this.#reactor._addResource(this);
    if (this.timeout !== null) {
      attempt.timer = this.#reactor.callLater(
        this.timeout,
        () => this.#fail(attempt, new TimeoutError()),
      );
    }
    (this.factory as ClientHooks).startedConnecting?.(this);
    this.#reactor.callWhenRunning(() => {
      if (!attempt.done) this.#reactor._track(this.#run(attempt));
    });
  }

  async #run(attempt: Attempt): Promise<void> {
    const a = this.#address;
    const net = this.#reactor._backend;
    let stream: NetStream;
    let host = "";
    try {
      const resolver = this.#reactor._connectResolver;
      if (a.transport === "tcp") {
        host = a.host;
        if (resolver && !isIPAddress(host) && !isIPv6Address(host)) {
          try {
            host = await Promise.resolve(resolver.getHostByName(host));
          } catch (e) {
            throw e instanceof DNSLookupError ? e : new DNSLookupError(
              `address '${a.host}' not found: ${
                e instanceof Error ? e.message : String(e)
              }`,
            );
          }
          if (attempt.done) return;
        }
      }
      if (a.transport === "unix") {
        stream = await net.connectUNIX(a.path, attempt.abort.signal);
      } else if (a.tls === undefined) {
        stream = await net.connectTCP(host, a.port, attempt.abort.signal);
      } else {
        if (net.connectTLS === undefined) {
          throw new Error("this reactor's backend has no TLS");
        }
        stream = await net.connectTLS(
          host,
          a.port,
          attempt.abort.signal,
          a.tls.clientTLSConfig(a.host),
        );
      }
    } catch (e) {
      if (!attempt.done) this.#fail(attempt, this.#connectError(e));
      return;
    }
    if (attempt.done) {
      closeQuietly(stream);
      return;
    }
    this.#settle(attempt);
    this.state = "connected";
    let protocol: IProtocol | null;
    try {
      protocol = this.factory.buildProtocol(toIAddress(stream.remoteAddress));
    } catch (e) {
      log.err(e, "Error building the protocol of a client connection");
      protocol = null;
    }
    const refused = protocol === null;
    let transport: StartableTransport;
    try {
      transport = makeTransport(
        this.#reactor,
        stream,
        protocol ?? new Protocol(),
        this,
      );
    } catch (e) {
      log.err(e, "Error setting up a client connection");
      closeQuietly(stream);
      this.connectionFailed(new Failure(e));
      return;
    }
    this.transport = transport;
    transport._start();
    if (refused) transport.loseConnection();
  }

  /** The connect error for `e`; a failed lookup names the host, as Twisted's. */
  #connectError(e: unknown): Error {
    const error = this.#reactor._backend.connectError(e);
    const a = this.#address;
    if (
      error instanceof DNSLookupError && a.transport === "tcp" &&
      !error.message.includes(`'${a.host}'`)
    ) {
      const detail = error.message.replace(/^DNS lookup failed: |\.$/g, "");
      const named = new DNSLookupError(
        `address '${a.host}' not found: ${detail}`,
      );
      named.cause = e;
      return named;
    }
    return error;
  }

  #settle(attempt: Attempt): void {
    attempt.done = true;
    if (this.#attempt === attempt) this.#attempt = null;
    this.#reactor._removeResource(this);
    const timer = attempt.timer;
    attempt.timer = null;
    if (timer !== null && timer.active()) timer.cancel();
  }

  #fail(attempt: Attempt, error: Error): void {
    if (attempt.done) return;
    this.#settle(attempt);
    attempt.abort.abort();
    this.connectionFailed(new Failure(error));
  }

  /**
   * @ignore The attempt failed: tell the factory, and stop it unless it
   * reconnected.
   */
  connectionFailed(reason: Failure): void {
    this.transport = null;
    this.state = "disconnected";
    try {
      (this.factory as ClientHooks).clientConnectionFailed?.(this, reason);
    } catch (e) {
      log.err(e);
    }
    this.#stopFactoryUnlessReconnecting();
  }

  /**
   * @ignore The connection was lost: tell the factory, and stop it unless it
   * reconnected.
   */
  connectionLost(reason: Failure): void {
    this.transport = null;
    this.state = "disconnected";
    try {
      (this.factory as ClientHooks).clientConnectionLost?.(this, reason);
    } catch (e) {
      log.err(e);
    }
    this.#stopFactoryUnlessReconnecting();
  }

  #stopFactoryUnlessReconnecting(): void {
    if (this.state === "disconnected" && this.#factoryStarted) {
      this.#factoryStarted = false;
      try {
        this.factory.doStop();
      } catch (e) {
        log.err(e);
      }
    }
  }

  /**
   * Stops the connection attempt: the factory's `clientConnectionFailed`
   * gets a `UserError`.
   *
   * @throws {NotConnectingError} Unless connecting.
   */
  stopConnecting(): void {
    if (this.state !== "connecting" || this.#attempt === null) {
      throw new NotConnectingError("we're not trying to connect");
    }
    this.#fail(this.#attempt, new UserError());
  }

  /** Stops the attempt, or closes the connection, whichever is under way. */
  disconnect(): void {
    if (this.state === "connecting") this.stopConnecting();
    else if (this.state === "connected") this.transport?.loseConnection();
  }

  /** @ignore The reactor is shutting down: give up the attempt. */
  _reactorShutdown(): void {
    const attempt = this.#attempt;
    if (attempt !== null) {
      this.#fail(attempt, new ConnectError(undefined, "Connection lost"));
    }
  }

  /** Returns the address being connected to. */
  getDestination(): IAddress {
    const a = this.#address;
    if (a.transport === "unix") return new UNIXAddress(a.path);
    return tcpAddress(a.host, a.port);
  }

  /** Returns a description: `<Connector to 127.0.0.1:8000 (connecting)>`. */
  toString(): string {
    const a = this.#address;
    const where = a.transport === "tcp" ? `${a.host}:${a.port}` : a.path;
    return `<Connector to ${where} (${this.state})>`;
  }
}
