// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode TCPClient}: connect to a TCP server when the service starts,
 * after `twisted.application.internet.TCPClient`.
 *
 * @module
 */

import { getReactor } from "../default.ts";
import type {
  ConnectTCPOptions,
  IConnector,
  IProtocolFactory,
  IReactorTCP,
} from "../interfaces.ts";
import { ConnectingService } from "./connecting_service.ts";

/** Options of {@linkcode TCPClient}: `connectTCP`'s, and the reactor. */
export interface TCPClientOptions extends ConnectTCPOptions {
  /** The reactor to connect with. @default {the default reactor} */
  reactor?: IReactorTCP;
}

/**
 * Connects to a TCP server when the service starts (Twisted's
 * `internet.TCPClient(host, port, factory, timeout, bindAddress,
 * reactor=)`): calls `reactor.connectTCP(host, port, factory, options)` in
 * {@linkcode TCPClient.startService}, and `disconnect()`s the connector in
 * {@linkcode TCPClient.stopService}. The factory's client hooks
 * (`clientConnectionFailed`, `clientConnectionLost`) report how it goes;
 * for a connection kept up with retries, use `ClientService`.
 *
 * @example Usage
 * ```ts
 * import { ClientFactory } from "@torsion/torsion/reactor";
 * import { TCPClient } from "@torsion/torsion/application";
 * import { MemoryReactor } from "@torsion/torsion/testing";
 * import { equal } from "node:assert/strict";
 *
 * const reactor = new MemoryReactor();
 * const client = new TCPClient("127.0.0.1", 1234, new ClientFactory(), { reactor });
 * client.startService();
 * equal(reactor.tcpClients[0][1], 1234);
 * client.stopService();
 * equal(reactor.connectors[0].disconnected, true);
 * ```
 */
export class TCPClient extends ConnectingService {
  /** The host to connect to. */
  readonly host: string;
  /** The port to connect to. */
  readonly portNumber: number;
  /** The client factory. */
  readonly factory: IProtocolFactory;
  /** The reactor, or `null` for the default reactor (looked up when connecting). */
  reactor: IReactorTCP | null;
  readonly #options: ConnectTCPOptions;

  /**
   * Creates a `TCPClient`; nothing connects until it starts.
   *
   * @param host A host name or address.
   * @param port The port.
   * @param factory A client factory.
   * @param options `timeout`, `bindAddress` (refused by Deno's reactor),
   *   and the reactor.
   */
  constructor(
    host: string,
    port: number,
    factory: IProtocolFactory,
    options: TCPClientOptions = {},
  ) {
    super();
    this.host = host;
    this.portNumber = port;
    this.factory = factory;
    const { reactor, ...connect } = options;
    this.reactor = reactor ?? null;
    this.#options = connect;
  }

  /** Connects with the reactor's `connectTCP`. */
  protected _connect(): IConnector {
    return (this.reactor ?? getReactor()).connectTCP(
      this.host,
      this.portNumber,
      this.factory,
      this.#options,
    );
  }
}
