// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode UNIXClient}: connect to a Unix socket when the service starts,
 * after `twisted.application.internet.UNIXClient`.
 *
 * @module
 */

import { getReactor } from "../default.ts";
import type {
  ConnectUNIXOptions,
  IConnector,
  IProtocolFactory,
  IReactorUNIX,
} from "../interfaces.ts";
import { ConnectingService } from "./connecting_service.ts";

/** Options of {@linkcode UNIXClient}: `connectUNIX`'s, and the reactor. */
export interface UNIXClientOptions extends ConnectUNIXOptions {
  /** The reactor to connect with. @default {the default reactor} */
  reactor?: IReactorUNIX;
}

/**
 * Connects to a Unix socket when the service starts (Twisted's
 * `internet.UNIXClient(address, factory, timeout, reactor=)`): calls
 * `reactor.connectUNIX(path, factory, options)` in
 * {@linkcode UNIXClient.startService}, and `disconnect()`s the connector in
 * {@linkcode UNIXClient.stopService}.
 *
 * @example Usage
 * ```ts
 * import { ClientFactory } from "@torsion/torsion/reactor";
 * import { UNIXClient } from "@torsion/torsion/application";
 * import { MemoryReactor } from "@torsion/torsion/testing";
 * import { equal } from "node:assert/strict";
 *
 * const reactor = new MemoryReactor();
 * const client = new UNIXClient("/tmp/echo.sock", new ClientFactory(), { timeout: 5, reactor });
 * client.startService();
 * equal(reactor.unixClients[0][2], 5);
 * client.stopService();
 * equal(reactor.connectors[0].disconnected, true);
 * ```
 */
export class UNIXClient extends ConnectingService {
  /** The socket's path. */
  readonly path: string;
  /** The client factory. */
  readonly factory: IProtocolFactory;
  /** The reactor, or `null` for the default reactor (looked up when connecting). */
  reactor: IReactorUNIX | null;
  readonly #options: ConnectUNIXOptions;

  /**
   * Creates a `UNIXClient`; nothing connects until it starts.
   *
   * @param path The socket's path.
   * @param factory A client factory.
   * @param options `timeout`, and the reactor.
   */
  constructor(
    path: string,
    factory: IProtocolFactory,
    options: UNIXClientOptions = {},
  ) {
    super();
    this.path = path;
    this.factory = factory;
    const { reactor, ...connect } = options;
    this.reactor = reactor ?? null;
    this.#options = connect;
  }

  /** Connects with the reactor's `connectUNIX`. */
  protected _connect(): IConnector {
    return (this.reactor ?? getReactor()).connectUNIX(
      this.path,
      this.factory,
      this.#options,
    );
  }
}
