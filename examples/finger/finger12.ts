// Copyright 2026 the Torsion authors. MIT license.
/**
 * Finger, step 12 (the tutorial's `finger12.tac`): **setting the message.**
 * A second protocol, on a second port (1079): a client sends two lines, a
 * username and a status, and closes; the setter then stores the status,
 * which the finger port (79) answers from then on. Both factories share the
 * one map of users: the setter's factory holds the finger factory.
 *
 * ```sh
 * FINGER_PORT=7979 deno task run examples/finger/finger12.ts  # 79 needs root
 * printf 'moshez\r\nHappy and well, and busy\r\n' | nc -N 127.0.0.1 1079
 * echo moshez | nc -C 127.0.0.1 7979                 # Happy and well, and busy
 * ```
 *
 * The status is stored when the setter's connection ends
 * (`connectionLost`), so the client must close its side (`nc -N`).
 * Settings: [_env.ts](_env.ts) (`FINGER_PORT`, `FINGER_SETTER_PORT`, ...);
 * about uid/gid, see [finger11.ts](finger11.ts).
 *
 * **Fixed quirk**: the original reads `self.lines[0]` and `self.lines[1]`
 * in `connectionLost`, so a connection that ends before two lines (a port
 * scan, a client that gives up) raises `IndexError` there. Here it sets
 * nothing.
 *
 * Python original (the finger protocol and factory are step 11's):
 *
 * ```py
 * class FingerSetterProtocol(basic.LineReceiver):
 *     def connectionMade(self):
 *         self.lines = []
 *
 *     def lineReceived(self, line):
 *         self.lines.append(line)
 *
 *     def connectionLost(self, reason):
 *         user = self.lines[0]
 *         status = self.lines[1]
 *         self.factory.setUser(user, status)
 *
 * class FingerSetterFactory(protocol.ServerFactory):
 *     protocol = FingerSetterProtocol
 *
 *     def __init__(self, fingerFactory):
 *         self.fingerFactory = fingerFactory
 *
 *     def setUser(self, user, status):
 *         self.fingerFactory.users[user] = status
 *
 * ff = FingerFactory({b"moshez": b"Happy and well"})
 * fsf = FingerSetterFactory(ff)
 *
 * application = service.Application("finger", uid=1, gid=1)
 * serviceCollection = service.IServiceCollection(application)
 * strports.service("tcp:79", ff).setServiceParent(serviceCollection)
 * strports.service("tcp:1079", fsf).setServiceParent(serviceCollection)
 * ```
 *
 * @module
 */

import {
  type Factory,
  type Failure,
  LineReceiver,
  type ProtocolClass,
  ServerFactory,
} from "../../mod.ts";
import {
  Application,
  IServiceCollection,
  strports,
} from "../../reactor/application/mod.ts";
import { FingerFactory } from "./finger08.ts";
import { envId, envPort, tcp } from "./_env.ts";

/** Reads a username and a status, and sets them when the client closes. */
export class FingerSetterProtocol extends LineReceiver {
  declare factory: Factory & { setUser(user: string, status: string): void };
  /** The lines received so far. */
  lines: string[] = [];

  /** Starts with no lines. */
  override connectionMade(): void {
    this.lines = [];
  }

  /**
   * Keeps a line.
   *
   * @param line The line.
   */
  override lineReceived(line: string): void {
    this.lines.push(line);
  }

  /**
   * Sets the user's status, if both lines came.
   *
   * @param reason Why the connection ended.
   */
  override connectionLost(reason: Failure): void {
    super.connectionLost(reason);
    if (this.lines.length < 2) return;
    const user = this.lines[0];
    const status = this.lines[1];
    this.factory.setUser(user, status);
  }
}

/** Builds setters that change the users of a {@linkcode FingerFactory}. */
export class FingerSetterFactory extends ServerFactory {
  override protocol: ProtocolClass = FingerSetterProtocol;
  /** The finger factory whose users are set. */
  fingerFactory: FingerFactory;

  /**
   * Makes a setter factory for `fingerFactory`.
   *
   * @param fingerFactory The finger factory whose users are set.
   */
  constructor(fingerFactory: FingerFactory) {
    super();
    this.fingerFactory = fingerFactory;
  }

  /**
   * Sets a user's status.
   *
   * @param user The username.
   * @param status The status.
   */
  setUser(user: string, status: string): void {
    this.fingerFactory.users.set(user, status);
  }
}

const ff = new FingerFactory(new Map([["moshez", "Happy and well"]]));
const fsf = new FingerSetterFactory(ff);

/** What the runner runs: finger on 79, the setter on 1079. */
export const application: Application = new Application("finger", {
  uid: envId("FINGER_UID"),
  gid: envId("FINGER_GID"),
});
const serviceCollection = IServiceCollection(application);
strports.service(tcp(envPort("FINGER_PORT", 79)), ff)
  .setServiceParent(serviceCollection);
strports.service(tcp(envPort("FINGER_SETTER_PORT", 1079)), fsf)
  .setServiceParent(serviceCollection);
