// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode TCPServer}: listen on a TCP port while the service runs, after
 * `twisted.application.internet.TCPServer`.
 *
 * @module
 */

import { getReactor } from "../default.ts";
import type {
  IListeningPort,
  IProtocolFactory,
  IReactorTCP,
  ListenTCPOptions,
} from "../interfaces.ts";
import { ListeningService } from "./listening_service.ts";

/** Options of {@linkcode TCPServer}: `listenTCP`'s, and the reactor. */
export interface TCPServerOptions extends ListenTCPOptions {
  /** The reactor to listen with. @default {the default reactor} */
  reactor?: IReactorTCP;
}

/**
 * Serves TCP clients while the service runs (Twisted's
 * `internet.TCPServer(port, factory, backlog, interface, reactor=)`): calls
 * `reactor.listenTCP(port, factory, options)` in
 * {@linkcode TCPServer.privilegedStartService} (or in `startService`, if
 * that was skipped), and stops listening in
 * {@linkcode TCPServer.stopService}. A port that cannot be bound throws
 * `CannotListenError` from the start.
 *
 * @example Usage
 * ```ts
 * import { Factory, Protocol } from "@torsion/torsion/reactor";
 * import { TCPServer } from "@torsion/torsion/application";
 * import { MemoryReactor } from "@torsion/torsion/testing";
 * import { equal } from "node:assert/strict";
 *
 * const reactor = new MemoryReactor();
 * const factory = Factory.forProtocol(Protocol);
 * const server = new TCPServer(8000, factory, { interface: "127.0.0.1", reactor });
 * server.privilegedStartService();
 * server.startService();
 * const [port, f, , iface] = reactor.tcpServers[0];
 * equal(port, 8000);
 * equal(f, factory);
 * equal(iface, "127.0.0.1");
 * await server.stopService();
 * equal(server.listeningPort, null);
 * ```
 */
export class TCPServer extends ListeningService {
  /** The port number given (0: any free port; `listeningPort.getHost()` tells which). */
  readonly portNumber: number;
  /** The factory. */
  readonly factory: IProtocolFactory;
  /** The reactor, or `null` for the default reactor (looked up when listening). */
  reactor: IReactorTCP | null;
  readonly #options: ListenTCPOptions;

  /**
   * Creates a `TCPServer`; nothing listens until it starts.
   *
   * @param port The port (0: any free port).
   * @param factory Builds a protocol per connection.
   * @param options `backlog`, `interface`, and the reactor.
   */
  constructor(
    port: number,
    factory: IProtocolFactory,
    options: TCPServerOptions = {},
  ) {
    super();
    this.portNumber = port;
    this.factory = factory;
    const { reactor, ...listen } = options;
    this.reactor = reactor ?? null;
    this.#options = listen;
  }

  /** Listens on the port with the factory. */
  protected _listen(): IListeningPort {
    return (this.reactor ?? getReactor()).listenTCP(
      this.portNumber,
      this.factory,
      this.#options,
    );
  }
}
