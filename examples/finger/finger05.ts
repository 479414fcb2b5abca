// Copyright 2026 the Torsion authors. MIT license.
/**
 * Finger, step 5 (the tutorial's `finger05.py`): **read the username,
 * output an error, drop the connection.** The first real answer: whoever is
 * asked about, the server writes `No such user` and closes. `write` then
 * `loseConnection` is safe: the transport sends what was written before it
 * closes.
 *
 * ```sh
 * deno run --allow-net examples/finger/finger05.ts            # port 1079
 * echo moshez | nc -C 127.0.0.1 1079                          # No such user
 * ```
 *
 * Python original:
 *
 * ```py
 * from twisted.internet import endpoints, protocol, reactor
 * from twisted.protocols import basic
 *
 * class FingerProtocol(basic.LineReceiver):
 *     def lineReceived(self, user):
 *         self.transport.write(b"No such user\r\n")
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
  LineReceiver,
  log,
  type ProtocolClass,
  reactor,
  ServerFactory,
  serverFromString,
} from "../../mod.ts";
import { announce } from "../_cli.ts";
import { fingerCli } from "./_finger_cli.ts";

/** Answers every query with `No such user`. */
export class FingerProtocol extends LineReceiver {
  /**
   * Writes the error and drops the connection.
   *
   * @param _user The username.
   */
  override lineReceived(_user: string): void {
    this.transport.write("No such user\r\n");
    this.transport.loseConnection();
  }
}

/** Builds a {@linkcode FingerProtocol} per connection. */
export class FingerFactory extends ServerFactory {
  override protocol: ProtocolClass = FingerProtocol;
}

if (import.meta.main) {
  const { port, host } = fingerCli("finger05.ts");
  log.startLogging();
  const fingerEndpoint = serverFromString(
    reactor,
    `tcp:${port}:interface=${host}`,
  );
  fingerEndpoint.listen(new FingerFactory()).addCallback(announce);
  await reactor.run();
}
