// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode SSLClient}: connect to a TLS server when the service starts,
 * after `twisted.application.internet.SSLClient`.
 *
 * @module
 */

import { getReactor } from "../default.ts";
import type {
  ConnectTCPOptions,
  IConnector,
  IProtocolFactory,
  IReactorSSL,
} from "../interfaces.ts";
import type { IOpenSSLClientConnectionCreator } from "../ssl.ts";
import { ConnectingService } from "./connecting_service.ts";

/** Options of {@linkcode SSLClient}: `connectSSL`'s, and the reactor. */
export interface SSLClientOptions extends ConnectTCPOptions {
  /** The reactor to connect with. @default {the default reactor} */
  reactor?: IReactorSSL;
}

/**
 * Connects to a TLS server when the service starts (Twisted's
 * `internet.SSLClient(host, port, factory, contextFactory, timeout,
 * bindAddress, reactor=)`): calls `reactor.connectSSL(...)` in
 * {@linkcode SSLClient.startService}, and `disconnect()`s in
 * {@linkcode SSLClient.stopService}.
 *
 * @example Usage
 * ```ts
 * import { ClientFactory, optionsForClientTLS } from "@torsion/torsion/reactor";
 * import { SSLClient } from "@torsion/torsion/application";
 * import { MemoryReactor } from "@torsion/torsion/testing";
 * import { equal } from "node:assert/strict";
 *
 * const reactor = new MemoryReactor();
 * const ctx = optionsForClientTLS("example.com");
 * const client = new SSLClient("example.com", 443, new ClientFactory(), ctx, { reactor });
 * client.startService();
 * equal(reactor.sslClients[0][1], 443);
 * client.stopService();
 * equal(reactor.connectors[0].disconnected, true);
 * ```
 */
export class SSLClient extends ConnectingService {
  /** The host to connect to. */
  readonly host: string;
  /** The port to connect to. */
  readonly portNumber: number;
  /** The client factory. */
  readonly factory: IProtocolFactory;
  /** The client's TLS context. */
  readonly contextFactory: IOpenSSLClientConnectionCreator;
  /** The reactor, or `null` for the default reactor (looked up when connecting). */
  reactor: IReactorSSL | null;
  readonly #options: ConnectTCPOptions;

  /**
   * Creates an `SSLClient`; nothing connects until it starts.
   *
   * @param host A host name or address.
   * @param port The port.
   * @param factory A client factory.
   * @param contextFactory The client's TLS context.
   * @param options `timeout`, and the reactor.
   */
  constructor(
    host: string,
    port: number,
    factory: IProtocolFactory,
    contextFactory: IOpenSSLClientConnectionCreator,
    options: SSLClientOptions = {},
  ) {
    super();
    this.host = host;
    this.portNumber = port;
    this.factory = factory;
    this.contextFactory = contextFactory;
    const { reactor, ...connect } = options;
    this.reactor = reactor ?? null;
    this.#options = connect;
  }

  /** Connects with the reactor's `connectSSL`. */
  protected _connect(): IConnector {
    return (this.reactor ?? getReactor()).connectSSL(
      this.host,
      this.portNumber,
      this.factory,
      this.contextFactory,
      this.#options,
    );
  }
}
