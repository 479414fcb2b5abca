// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode UNIXServer}: listen on a Unix socket while the service runs,
 * after `twisted.application.internet.UNIXServer`.
 *
 * @module
 */

import { getReactor } from "../default.ts";
import type {
  IListeningPort,
  IProtocolFactory,
  IReactorUNIX,
  ListenUNIXOptions,
} from "../interfaces.ts";
import { ListeningService } from "./listening_service.ts";

/** Options of {@linkcode UNIXServer}: `listenUNIX`'s, and the reactor. */
export interface UNIXServerOptions extends ListenUNIXOptions {
  /** The reactor to listen with. @default {the default reactor} */
  reactor?: IReactorUNIX;
}

/**
 * Serves clients on a Unix socket while the service runs (Twisted's
 * `internet.UNIXServer(address, factory, backlog, mode, wantPID,
 * reactor=)`): calls `reactor.listenUNIX(path, factory, options)` in
 * {@linkcode UNIXServer.privilegedStartService} (or in `startService`, if
 * that was skipped), and stops listening in
 * {@linkcode UNIXServer.stopService}.
 *
 * @example Usage
 * ```ts
 * import { Factory, Protocol } from "@torsion/torsion/reactor";
 * import { UNIXServer } from "@torsion/torsion/application";
 * import { MemoryReactor } from "@torsion/torsion/testing";
 * import { equal } from "node:assert/strict";
 *
 * const reactor = new MemoryReactor();
 * const server = new UNIXServer("/tmp/echo.sock", Factory.forProtocol(Protocol), { mode: 0o600, reactor });
 * server.startService();
 * const [path, , , mode] = reactor.unixServers[0];
 * equal(path, "/tmp/echo.sock");
 * equal(mode, 0o600);
 * await server.stopService();
 * ```
 */
export class UNIXServer extends ListeningService {
  /** The socket's path. */
  readonly path: string;
  /** The factory. */
  readonly factory: IProtocolFactory;
  /** The reactor, or `null` for the default reactor (looked up when listening). */
  reactor: IReactorUNIX | null;
  readonly #options: ListenUNIXOptions;

  /**
   * Creates a `UNIXServer`; nothing listens until it starts.
   *
   * @param path The socket's path.
   * @param factory Builds a protocol per connection.
   * @param options `backlog`, `mode`, `wantPID`, and the reactor.
   */
  constructor(
    path: string,
    factory: IProtocolFactory,
    options: UNIXServerOptions = {},
  ) {
    super();
    this.path = path;
    this.factory = factory;
    const { reactor, ...listen } = options;
    this.reactor = reactor ?? null;
    this.#options = listen;
  }

  /** Opens the port. */
  protected _listen(): IListeningPort {
    return (this.reactor ?? getReactor()).listenUNIX(
      this.path,
      this.factory,
      this.#options,
    );
  }
}
