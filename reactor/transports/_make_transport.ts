// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode makeTransport}: the transport of a connected socket, as the
 * reactor's backend makes it.
 *
 * @module
 */

import type {
  ConnectionOwner,
  NetStream,
  StartableTransport,
  TransportReactor,
} from "../backend.ts";
import type { IProtocol } from "../interfaces.ts";
import { Connection } from "./connection.ts";

/**
 * The backend's transport for `stream`, or a `Connection`. A TLS socket
 * (one with `handshake`) is always a `Connection`: a backend that drives
 * its own sockets (the epoll reactor) makes its TLS sockets with Deno's.
 */
export function makeTransport(
  reactor: TransportReactor,
  stream: NetStream,
  protocol: IProtocol,
  owner: ConnectionOwner | null,
): StartableTransport {
  const session = reactor._nextSession();
  const make = reactor._backend.createTransport;
  return make === undefined || stream.handshake !== undefined
    ? new Connection(reactor, stream, protocol, session, owner)
    : make.call(reactor._backend, reactor, stream, protocol, session, owner);
}
