// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode UDPServer}: a UDP port open while the service runs, after
 * `twisted.application.internet.UDPServer`.
 *
 * @module
 */

import type { Deferred } from "../../defer/deferred.ts";
import { getReactor } from "../default.ts";
import type {
  IDatagramProtocol,
  IListeningPort,
  ListenUDPOptions,
} from "../interfaces.ts";
import { Service } from "./service.ts";

/**
 * What {@linkcode UDPServer} needs of a reactor: `listenUDP` (the
 * `Reactor`, or a `MemoryReactor` that records the call).
 */
export interface UDPServerReactor {
  /**
   * Binds a UDP port and connects the protocol.
   *
   * @param port The port (0: any free port).
   * @param protocol The datagram protocol.
   * @param options Interface and maximum packet size.
   * @returns The port.
   */
  listenUDP(
    port: number,
    protocol: IDatagramProtocol,
    options?: ListenUDPOptions,
  ): IListeningPort;
}

/** Options of {@linkcode UDPServer}: `listenUDP`'s, and the reactor. */
export interface UDPServerOptions extends ListenUDPOptions {
  /** The reactor to listen with. @default {the default reactor} */
  reactor?: UDPServerReactor;
}

/**
 * A UDP port open while the service runs (Twisted's
 * `internet.UDPServer(port, protocol, interface=, maxPacketSize=,
 * reactor=)`): calls `reactor.listenUDP(...)` in
 * {@linkcode UDPServer.privilegedStartService} (or `startService`), and
 * stops listening in {@linkcode UDPServer.stopService}.
 *
 * @example Usage
 * ```ts
 * import { DatagramProtocol } from "@torsion/torsion/reactor";
 * import { UDPServer } from "@torsion/torsion/application";
 * import { MemoryReactor } from "@torsion/torsion/testing";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * const reactor = new MemoryReactor();
 * const protocol = new DatagramProtocol();
 * const server = new UDPServer(5353, protocol, { interface: "127.0.0.1", reactor });
 * server.startService();
 * deepEqual(reactor.udpServers, [[5353, protocol, "127.0.0.1", 8192]]);
 * await server.stopService();
 * equal(server.listeningPort, null);
 * ```
 */
export class UDPServer extends Service {
  /** The port number given (0: any free port). */
  readonly portNumber: number;
  /** The datagram protocol. */
  readonly protocol: IDatagramProtocol;
  /** The reactor, or `null` for the default reactor (looked up when listening). */
  reactor: UDPServerReactor | null;
  readonly #options: ListenUDPOptions;
  #port: IListeningPort | null = null;

  /**
   * Creates a `UDPServer`; nothing is bound until it starts.
   *
   * @param port The port (0: any free port).
   * @param protocol The datagram protocol.
   * @param options `interface`, `maxPacketSize`, and the reactor.
   */
  constructor(
    port: number,
    protocol: IDatagramProtocol,
    options: UDPServerOptions = {},
  ) {
    super();
    this.portNumber = port;
    this.protocol = protocol;
    const { reactor, ...listen } = options;
    this.reactor = reactor ?? null;
    this.#options = listen;
  }

  /** The port while the service listens, else `null`. */
  get listeningPort(): IListeningPort | null {
    return this.#port;
  }

  /**
   * Binds the port.
   *
   * @throws {CannotListenError} If the port cannot be bound.
   */
  override privilegedStartService(): void {
    super.privilegedStartService();
    this.#port ??= this.#listen();
  }

  /**
   * Marks the service running, and binds the port unless
   * {@linkcode UDPServer.privilegedStartService} did.
   *
   * @throws {CannotListenError} If the port cannot be bound.
   */
  override startService(): void {
    super.startService();
    this.#port ??= this.#listen();
  }

  /**
   * Stops listening: the protocol's `stopProtocol` runs.
   *
   * @returns The port's `stopListening()` Deferred; nothing if the service
   *   was not listening.
   */
  override stopService(): void | Deferred<void> {
    super.stopService();
    const port = this.#port;
    if (port === null) return;
    this.#port = null;
    return port.stopListening();
  }

  #listen(): IListeningPort {
    return (this.reactor ?? getReactor()).listenUDP(
      this.portNumber,
      this.protocol,
      this.#options,
    );
  }
}
