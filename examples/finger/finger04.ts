// Copyright 2026 the Torsion authors. MIT license.
/**
 * Finger, step 4 (the tutorial's `finger04.py`): **read the username, drop
 * the connection.** The protocol is now a {@linkcode LineReceiver}: it
 * waits for one line (the user asked about, ended by `\r\n`), then closes
 * the connection, still without an answer.
 *
 * ```sh
 * deno run --allow-net examples/finger/finger04.ts            # port 1079
 * echo moshez | nc -C 127.0.0.1 1079                          # closed after the line
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

/** Reads the username, then drops the connection. */
export class FingerProtocol extends LineReceiver {
  /**
   * Drops the connection once the username has come.
   *
   * @param _user The username.
   */
  override lineReceived(_user: string): void {
    this.transport.loseConnection();
  }
}

/** Builds a {@linkcode FingerProtocol} per connection. */
export class FingerFactory extends ServerFactory {
  override protocol: ProtocolClass = FingerProtocol;
}

if (import.meta.main) {
  const { port, host } = fingerCli("finger04.ts");
  log.startLogging();
  const fingerEndpoint = serverFromString(
    reactor,
    `tcp:${port}:interface=${host}`,
  );
  fingerEndpoint.listen(new FingerFactory()).addCallback(announce);
  await reactor.run();
}
