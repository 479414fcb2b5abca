// Copyright 2026 the Torsion authors. MIT license.
/**
 * Finger, step 8 (the tutorial's `finger08.py`): **use Deferreds.**
 * `getUser` now returns a {@linkcode Deferred} of the answer rather than
 * the answer: a backend that must wait (for a database, a process, another
 * server) can answer later, and the protocol does not change. The protocol
 * adds an errback (an error becomes "Internal error in server") and a
 * callback that writes the answer and closes. Here the answer is known at
 * once: `succeed(...)` returns a Deferred that has already fired, so the
 * callbacks run as soon as they are added.
 *
 * ```sh
 * deno run --allow-net examples/finger/finger08.ts            # port 1079
 * echo moshez | nc -C 127.0.0.1 1079                          # Happy and well
 * ```
 *
 * **Fixed quirk**: the original's errback returns a `str`
 * (`"Internal error in server"`), which `writeResponse` then adds to
 * `b"\r\n"`: on Python 3 that raises `TypeError`, so a failing backend
 * leaves the client with a connection that never answers nor closes. Here
 * the answer is text throughout.
 *
 * Python original:
 *
 * ```py
 * from twisted.internet import defer, endpoints, protocol, reactor
 * from twisted.protocols import basic
 *
 * class FingerProtocol(basic.LineReceiver):
 *     def lineReceived(self, user):
 *         d = self.factory.getUser(user)
 *
 *         def onError(err):
 *             return "Internal error in server"
 *
 *         d.addErrback(onError)
 *
 *         def writeResponse(message):
 *             self.transport.write(message + b"\r\n")
 *             self.transport.loseConnection()
 *
 *         d.addCallback(writeResponse)
 *
 * class FingerFactory(protocol.ServerFactory):
 *     protocol = FingerProtocol
 *
 *     def __init__(self, users):
 *         self.users = users
 *
 *     def getUser(self, user):
 *         return defer.succeed(self.users.get(user, b"No such user"))
 *
 * fingerEndpoint = endpoints.serverFromString(reactor, "tcp:1079")
 * fingerEndpoint.listen(FingerFactory({b"moshez": b"Happy and well"}))
 * reactor.run()
 * ```
 *
 * @module
 */

import {
  type Deferred,
  type Factory,
  LineReceiver,
  log,
  type ProtocolClass,
  reactor,
  ServerFactory,
  serverFromString,
  succeed,
} from "../../mod.ts";
import { announce } from "../_cli.ts";
import { fingerCli } from "./_finger_cli.ts";

/**
 * Answers with what its factory's Deferred gives. Any factory with a
 * `getUser` will do: {@linkcode FingerFactory}, or (from step 13 on) a
 * plain `ServerFactory` given a service's `getUser`.
 */
export class FingerProtocol extends LineReceiver {
  declare factory: Factory & { getUser(user: string): Deferred<string> };

  /**
   * Asks the factory about `user`; writes the answer (or "Internal error in
   * server") and drops the connection.
   *
   * @param user The username.
   */
  override lineReceived(user: string): void {
    const d = this.factory.getUser(user);

    const onError = (): string => "Internal error in server";
    d.addErrback(onError);

    const writeResponse = (message: string): void => {
      this.transport.write(message + "\r\n");
      this.transport.loseConnection();
    };
    d.addCallback(writeResponse);
  }
}

/** Answers from the users it was given, through a Deferred. */
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
   * @returns A Deferred (already fired) of the status, or `No such user`.
   */
  getUser(user: string): Deferred<string> {
    return succeed(this.users.get(user) ?? "No such user");
  }
}

if (import.meta.main) {
  const { port, host } = fingerCli("finger08.ts");
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
