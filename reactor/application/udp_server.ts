// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode UDPServer}: a UDP port open while the service runs, after
 * `twisted.application.internet.UDPServer`.
 *
 * @module
 */

import { getReactor } from "../default.ts";
import type {
  IDatagramProtocol,
  IListeningPort,
  ListenUDPOptions,
} from "../interfaces.ts";
import { ListeningService } from "./listening_service.ts";

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
export class UDPServer extends ListeningService {
  /** The port number given (0: any free port). */
  readonly portNumber: number;
  /** The datagram protocol. */
  readonly protocol: IDatagramProtocol;
  /** The reactor, or `null` for the default reactor (looked up when listening). */
  reactor: UDPServerReactor | null;
  readonly #options: ListenUDPOptions;

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

  /** Opens the port. */
  protected _listen(): IListeningPort {
    return (this.reactor ?? getReactor()).listenUDP(
      this.portNumber,
      this.protocol,
      this.#options,
    );
  }
}
