// Copyright 2026 the Torsion authors. MIT license.
/**
 * Finger, step 6 (the tutorial's `finger06.py`): **output from an empty
 * factory.** The answer now comes from the factory (`getUser`), which the
 * protocol reaches as `this.factory`: the protocol speaks finger, the
 * factory knows the users. This one still knows nobody: `No such user`.
 *
 * ```sh
 * deno run --allow-net examples/finger/finger06.ts            # port 1079
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
 *         self.transport.write(self.factory.getUser(user) + b"\r\n")
 *         self.transport.loseConnection()
 *
 * class FingerFactory(protocol.ServerFactory):
 *     protocol = FingerProtocol
 *
 *     def getUser(self, user):
 *         return b"No such user"
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

/** Answers with what its factory says about the user. */
export class FingerProtocol extends LineReceiver {
  declare factory: FingerFactory;

  /**
   * Writes the factory's answer and drops the connection.
   *
   * @param user The username.
   */
  override lineReceived(user: string): void {
    this.transport.write(this.factory.getUser(user) + "\r\n");
    this.transport.loseConnection();
  }
}

/** Knows no user. */
export class FingerFactory extends ServerFactory {
  override protocol: ProtocolClass = FingerProtocol;

  /**
   * Says what is known about `user`: nothing.
   *
   * @param _user The username.
   * @returns `No such user`.
   */
  getUser(_user: string): string {
    return "No such user";
  }
}

if (import.meta.main) {
  const { port, host } = fingerCli("finger06.ts");
  log.startLogging();
  const fingerEndpoint = serverFromString(
    reactor,
    `tcp:${port}:interface=${host}`,
  );
  fingerEndpoint.listen(new FingerFactory()).addCallback(announce);
  await reactor.run();
}
