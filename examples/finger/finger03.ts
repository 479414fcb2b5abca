// Copyright 2026 the Torsion authors. MIT license.
/**
 * Finger, step 3 (the tutorial's `finger03.py`): **drop connections.** The
 * protocol closes each connection as soon as it is made
 * (`connectionMade` calls `transport.loseConnection()`): a client sees the
 * connection accepted, then closed, without a byte.
 *
 * ```sh
 * deno run --allow-net examples/finger/finger03.ts            # port 1079
 * nc 127.0.0.1 1079                                           # closed at once
 * ```
 *
 * Python original:
 *
 * ```py
 * from twisted.internet import endpoints, protocol, reactor
 *
 * class FingerProtocol(protocol.Protocol):
 *     def connectionMade(self):
 *         self.transport.loseConnection()
 *
 * class FingerFactory(protocol.ServerFactory):
 *     protocol = FingerProtocol
 *
 * fingerEndpoint = endpoints.serverFromString(reactor, "tcp:1079")
 * fingerEndpoint.listen(FingerFactory())
 * reactor.run()
 * ```
 *
 * @module
 */

import {
  log,
  Protocol,
  type ProtocolClass,
  reactor,
  ServerFactory,
  serverFromString,
} from "../../mod.ts";
import { announce } from "../_cli.ts";
import { fingerCli } from "./_finger_cli.ts";

/** Closes each connection as soon as it is made. */
export class FingerProtocol extends Protocol {
  /** Drops the connection. */
  override connectionMade(): void {
    this.transport.loseConnection();
  }
}

/** Builds a {@linkcode FingerProtocol} per connection. */
export class FingerFactory extends ServerFactory {
  override protocol: ProtocolClass = FingerProtocol;
}

if (import.meta.main) {
  const { port, host } = fingerCli("finger03.ts");
  log.startLogging();
  const fingerEndpoint = serverFromString(
    reactor,
    `tcp:${port}:interface=${host}`,
  );
  fingerEndpoint.listen(new FingerFactory()).addCallback(announce);
  await reactor.run();
}
