// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode ConnectingService}: what the client services (`TCPClient`,
 * `UNIXClient`, `SSLClient`) share.
 *
 * @module
 */

import type { IConnector } from "../interfaces.ts";
import { Service } from "./service.ts";

/**
 * A service that connects when it starts and disconnects when it stops
 * (Twisted's `internet._AbstractClient`). A subclass says how to connect;
 * `TCPClient`, `UNIXClient` and `SSLClient` are such subclasses. For a
 * connection kept up with retries, use `ClientService`.
 *
 * @example Usage
 * ```ts
 * import { ConnectingService } from "@torsion/torsion/application";
 * import { ClientFactory, type IConnector } from "@torsion/torsion/reactor";
 * import { MemoryReactor } from "@torsion/torsion/testing";
 * import { equal } from "node:assert/strict";
 *
 * const reactor = new MemoryReactor();
 * class ToPort7 extends ConnectingService {
 *   protected _connect(): IConnector {
 *     return reactor.connectTCP("127.0.0.1", 7, new ClientFactory());
 *   }
 * }
 * const client = new ToPort7();
 * client.startService();
 * equal(reactor.tcpClients[0][1], 7);
 * client.stopService();
 * equal(reactor.connectors[0].disconnected, true);
 * ```
 */
export abstract class ConnectingService extends Service {
  #connector: IConnector | null = null;

  /** The connector while the service runs, else `null` (Twisted's `_connection`). */
  get connector(): IConnector | null {
    return this.#connector;
  }

  /** Marks the service running and connects. */
  override startService(): void {
    super.startService();
    this.#connector = this._connect();
  }

  /** Marks the service stopped and disconnects (or stops connecting). */
  override stopService(): void {
    super.stopService();
    const connector = this.#connector;
    if (connector === null) return;
    this.#connector = null;
    connector.disconnect();
  }

  /** Starts connecting. */
  protected abstract _connect(): IConnector;
}
