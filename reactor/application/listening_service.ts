// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode ListeningService}: what the listening services (`TCPServer`,
 * `UNIXServer`, `SSLServer`, `UDPServer`) share.
 *
 * @module
 */

import type { Deferred } from "../../defer/deferred.ts";
import type { IListeningPort } from "../interfaces.ts";
import { Service } from "./service.ts";

/**
 * A service that holds a listening port while it runs (Twisted's
 * `internet._AbstractServer`): it listens in
 * {@linkcode ListeningService.privilegedStartService} (or in `startService`
 * if that was skipped) and stops listening in
 * {@linkcode ListeningService.stopService}. A subclass says how to listen;
 * `TCPServer`, `UNIXServer`, `SSLServer` and `UDPServer` are such
 * subclasses.
 *
 * @example Usage
 * ```ts
 * import { ListeningService } from "@torsion/torsion/application";
 * import { Factory, type IListeningPort, Protocol } from "@torsion/torsion/reactor";
 * import { MemoryReactor } from "@torsion/torsion/testing";
 * import { equal } from "node:assert/strict";
 *
 * const reactor = new MemoryReactor();
 * class OnPort7 extends ListeningService {
 *   protected _listen(): IListeningPort {
 *     return reactor.listenTCP(7, Factory.forProtocol(Protocol));
 *   }
 * }
 * const service = new OnPort7();
 * service.privilegedStartService();
 * equal(reactor.tcpServers[0][0], 7);
 * service.stopService();
 * equal(service.listeningPort, null);
 * ```
 */
export abstract class ListeningService extends Service {
  #port: IListeningPort | null = null;

  /** The port while the service listens, else `null` (Twisted's `_port`). */
  get listeningPort(): IListeningPort | null {
    return this.#port;
  }

  /**
   * Listens.
   *
   * @throws {CannotListenError} If the port cannot be bound.
   */
  override privilegedStartService(): void {
    super.privilegedStartService();
    this.#port ??= this._listen();
  }

  /**
   * Marks the service running, and listens unless
   * {@linkcode ListeningService.privilegedStartService} did.
   *
   * @throws {CannotListenError} If the port cannot be bound.
   */
  override startService(): void {
    super.startService();
    this.#port ??= this._listen();
  }

  /**
   * Stops listening (connections already accepted stay open).
   *
   * @returns The port's `stopListening()` Deferred, which fires once it is
   *   closed; nothing if the service was not listening.
   */
  override stopService(): void | Deferred<void> {
    super.stopService();
    const port = this.#port;
    if (port === null) return;
    this.#port = null;
    return port.stopListening();
  }

  /** Opens the port. */
  protected abstract _listen(): IListeningPort;
}
