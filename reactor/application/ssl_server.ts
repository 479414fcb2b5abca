// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode SSLServer}: listen on a TLS port while the service runs, after
 * `twisted.application.internet.SSLServer`.
 *
 * @module
 */

import { getReactor } from "../default.ts";
import type {
  IListeningPort,
  IProtocolFactory,
  IReactorSSL,
  ListenTCPOptions,
} from "../interfaces.ts";
import type { IOpenSSLServerConnectionCreator } from "../ssl.ts";
import { ListeningService } from "./listening_service.ts";

/** Options of {@linkcode SSLServer}: `listenSSL`'s, and the reactor. */
export interface SSLServerOptions extends ListenTCPOptions {
  /** The reactor to listen with. @default {the default reactor} */
  reactor?: IReactorSSL;
}

/**
 * Serves TLS clients while the service runs (Twisted's
 * `internet.SSLServer(port, factory, contextFactory, backlog, interface,
 * reactor=)`): calls `reactor.listenSSL(...)` in
 * {@linkcode SSLServer.privilegedStartService} (or `startService`), and
 * stops listening in {@linkcode SSLServer.stopService}.
 *
 * @example Usage
 * ```ts
 * import { DefaultOpenSSLContextFactory, Factory, Protocol } from "@torsion/torsion/reactor";
 * import { SSLServer } from "@torsion/torsion/application";
 * import { MemoryReactor } from "@torsion/torsion/testing";
 * import { equal } from "node:assert/strict";
 *
 * const reactor = new MemoryReactor();
 * const ctx = new DefaultOpenSSLContextFactory("server.key", "server.pem");
 * const server = new SSLServer(8443, Factory.forProtocol(Protocol), ctx, { reactor });
 * server.startService();
 * equal(reactor.sslServers[0][0], 8443);
 * equal(reactor.sslServers[0][2], ctx);
 * await server.stopService();
 * equal(server.listeningPort, null);
 * ```
 */
export class SSLServer extends ListeningService {
  /** The port number given (0: any free port). */
  readonly portNumber: number;
  /** The factory. */
  readonly factory: IProtocolFactory;
  /** The server's TLS context. */
  readonly contextFactory: IOpenSSLServerConnectionCreator;
  /** The reactor, or `null` for the default reactor (looked up when listening). */
  reactor: IReactorSSL | null;
  readonly #options: ListenTCPOptions;

  /**
   * Creates an `SSLServer`; nothing listens until it starts.
   *
   * @param port The port (0: any free port).
   * @param factory Builds a protocol per connection.
   * @param contextFactory The server's key and certificate.
   * @param options `backlog`, `interface`, and the reactor.
   */
  constructor(
    port: number,
    factory: IProtocolFactory,
    contextFactory: IOpenSSLServerConnectionCreator,
    options: SSLServerOptions = {},
  ) {
    super();
    this.portNumber = port;
    this.factory = factory;
    this.contextFactory = contextFactory;
    const { reactor, ...listen } = options;
    this.reactor = reactor ?? null;
    this.#options = listen;
  }

  /** Opens the port. */
  protected _listen(): IListeningPort {
    return (this.reactor ?? getReactor()).listenSSL(
      this.portNumber,
      this.factory,
      this.contextFactory,
      this.#options,
    );
  }
}
