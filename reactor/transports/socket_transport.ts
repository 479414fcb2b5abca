// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode SocketTransport}: a {@linkcode StreamTransport} over a socket,
 * with its addresses and TCP options.
 *
 * @module
 */

import type {
  ConnectionOwner,
  NetStream,
  TransportReactor,
} from "../backend.ts";
import { toIAddress } from "../_addresses.ts";
import type { IAddress, IProtocol } from "../interfaces.ts";
import type {
  IOpenSSLClientConnectionCreator,
  IOpenSSLServerConnectionCreator,
} from "../ssl.ts";
import { StreamTransport } from "./stream_transport.ts";

/** What a socket transport needs of its socket besides moving bytes. */
export type SocketOptions = Pick<
  NetStream,
  | "localAddress"
  | "remoteAddress"
  | "setNoDelay"
  | "getNoDelay"
  | "setKeepAlive"
>;

/**
 * The part of a socket's transport that does not depend on how its bytes
 * move: the addresses, and `TCP_NODELAY` (set on every TCP connection) and
 * keepalive. {@linkcode Connection} (Deno's sockets) and the epoll
 * reactor's connections extend it.
 *
 * @example Usage
 * ```ts ignore
 * import { SocketTransport } from "@torsion/torsion/reactor";
 * // See Connection for a complete subclass.
 * ```
 */
export abstract class SocketTransport extends StreamTransport {
  #socket: SocketOptions;
  readonly #isTCP: boolean;
  #noDelay = false;
  #keepAlive = false;
  #host: IAddress | null = null;
  #peer: IAddress | null = null;

  /**
   * Made by a subclass.
   *
   * @param reactor The reactor.
   * @param socket The socket.
   * @param protocol The protocol.
   * @param sessionno An id for log lines.
   * @param owner The connector of a client connection.
   */
  constructor(
    reactor: TransportReactor,
    socket: SocketOptions,
    protocol: IProtocol,
    sessionno: number,
    owner: ConnectionOwner | null = null,
  ) {
    super(reactor, protocol, sessionno, owner);
    this.#socket = socket;
    this.#isTCP = socket.remoteAddress.transport === "tcp";
    if (this.#isTCP) {
      try {
        socket.setNoDelay(true);
        this.#noDelay = true;
      } catch {
        // A socket reset before it was set up: the first read reports it.
      }
    }
  }

  /**
   * Puts the socket that replaced the old one in its place (a TLS socket
   * made from it by `startTLS`, which consumes the TCP socket): the
   * socket options go to it from now on.
   *
   * @param socket The new socket.
   */
  protected _replaceSocket(socket: SocketOptions): void {
    this.#socket = socket;
  }

  /** Returns the local address. */
  getHost(): IAddress {
    return this.#host ??= toIAddress(this.#socket.localAddress);
  }

  /** Returns the peer's address. */
  getPeer(): IAddress {
    return this.#peer ??= toIAddress(this.#socket.remoteAddress);
  }

  /**
   * Returns whether TCP_NODELAY is set (on by default for TCP; off on a
   * TLS connection Deno accepted, which cannot set it).
   */
  override getTcpNoDelay(): boolean {
    return this.#socket.getNoDelay?.() ?? this.#noDelay;
  }

  /**
   * Sets TCP_NODELAY (no effect on Unix sockets).
   *
   * @param enabled Whether to turn Nagle's algorithm off.
   */
  override setTcpNoDelay(enabled: boolean): void {
    if (!this.#isTCP || this._isClosed) return;
    this.#socket.setNoDelay(enabled);
    this.#noDelay = enabled;
  }

  /**
   * Switches the connection to TLS (Twisted's `ITLSTransport.startTLS`);
   * see `Connection.startTLS`. This base throws: the epoll reactor's TCP
   * connections cannot switch (its sockets are not Deno's).
   *
   * @param _contextFactory The TLS context.
   * @param _normal Which side runs the client handshake.
   * @throws {Error} Always, here.
   */
  startTLS(
    _contextFactory:
      | IOpenSSLClientConnectionCreator
      | IOpenSSLServerConnectionCreator,
    _normal = true,
  ): void {
    throw new Error(
      "startTLS is not supported on this transport: the epoll reactor's " +
        "TCP connections cannot switch to TLS (use the default reactor)",
    );
  }

  /** Returns whether TCP keepalive is on. */
  override getTcpKeepAlive(): boolean {
    return this.#keepAlive;
  }

  /**
   * Sets TCP keepalive (no effect on Unix sockets).
   *
   * @param enabled Whether to turn it on.
   */
  override setTcpKeepAlive(enabled: boolean): void {
    if (!this.#isTCP || this._isClosed) return;
    this.#socket.setKeepAlive(enabled);
    this.#keepAlive = enabled;
  }
}
