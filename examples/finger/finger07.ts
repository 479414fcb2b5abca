// Copyright 2026 the Torsion authors. MIT license.
/**
 * Finger, step 7 (the tutorial's `finger07.py`): **output from a non-empty
 * factory.** The factory is given its users (a map from username to
 * status) when it is built, and answers from it: `moshez` is "Happy and
 * well", anyone else `No such user`.
 *
 * ```sh
 * deno run --allow-net examples/finger/finger07.ts            # port 1079
 * echo moshez | nc -C 127.0.0.1 1079                          # Happy and well
 * echo nobody | nc -C 127.0.0.1 1079                          # No such user
 * ```
 *
 * Python keys the users by bytes (`b"moshez"`); here the line arrives as a
 * string (UTF-8), and the users are a `Map` of strings. A `Map`, not a
 * plain object, so that asking for `constructor` or `__proto__` finds no
 * user.
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
 *     def __init__(self, users):
 *         self.users = users
 *
 *     def getUser(self, user):
 *         return self.users.get(user, b"No such user")
 *
 * fingerEndpoint = endpoints.serverFromString(reactor, "tcp:1079")
 * fingerEndpoint.listen(FingerFactory({b"moshez": b"Happy and well"}))
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

/** Answers from the users it was given. */
export class FingerFactory extends ServerFactory {
  override protocol: ProtocolClass = FingerProtocol;
  /** The status of each user. */
  users: Map<string, string>;

  /**
   * Makes a factory that knows `users`.
   *
   * @param users The status of each user.
   */
  constructor(users: Map<string, string>) {
    super();
    this.users = users;
  }

  /**
   * Says what is known about `user`.
   *
   * @param user The username.
   * @returns The user's status, or `No such user`.
   */
  getUser(user: string): string {
    return this.users.get(user) ?? "No such user";
  }
}

if (import.meta.main) {
  const { port, host } = fingerCli("finger07.ts");
  log.startLogging();
  const fingerEndpoint = serverFromString(
    reactor,
    `tcp:${port}:interface=${host}`,
  );
  fingerEndpoint.listen(
    new FingerFactory(new Map([["moshez", "Happy and well"]])),
  ).addCallback(announce);
  await reactor.run();
}
