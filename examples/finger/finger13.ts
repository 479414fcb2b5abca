// Copyright 2026 the Torsion authors. MIT license.
/**
 * Finger, step 13 (the tutorial's `finger13.tac`): **use services to make
 * dependencies sane.** The users move out of the factories into a
 * `FingerService` (a {@linkcode Service}), which builds the two factories
 * it needs: plain `ServerFactory`s given the protocol and the service's own
 * `getUser` or `setUser`. The protocols do not change; the data now has one
 * owner, which later steps turn into a file, a process or another server.
 *
 * ```sh
 * FINGER_PORT=7979 deno task run examples/finger/finger13.ts  # 79 needs root
 * printf 'moshez\r\nHappy and well, and busy\r\n' | nc -N 127.0.0.1 1079
 * echo moshez | nc -C 127.0.0.1 7979                 # Happy and well, and busy
 * ```
 *
 * Settings: [_env.ts](_env.ts); about uid/gid, see
 * [finger11.ts](finger11.ts). The protocols are step 8's and step 12's
 * (with its fix: a setter connection with fewer than two lines sets
 * nothing).
 *
 * Python original (the protocols are step 12's):
 *
 * ```py
 * class FingerService(service.Service):
 *     def __init__(self, users):
 *         self.users = users
 *
 *     def getUser(self, user):
 *         return defer.succeed(self.users.get(user, b"No such user"))
 *
 *     def setUser(self, user, status):
 *         self.users[user] = status
 *
 *     def getFingerFactory(self):
 *         f = protocol.ServerFactory()
 *         f.protocol = FingerProtocol
 *         f.getUser = self.getUser
 *         return f
 *
 *     def getFingerSetterFactory(self):
 *         f = protocol.ServerFactory()
 *         f.protocol = FingerSetterProtocol
 *         f.setUser = self.setUser
 *         return f
 *
 * application = service.Application("finger", uid=1, gid=1)
 * f = FingerService({b"moshez": b"Happy and well"})
 * serviceCollection = service.IServiceCollection(application)
 * strports.service("tcp:79", f.getFingerFactory()).setServiceParent(
 *     serviceCollection
 * )
 * strports.service("tcp:1079", f.getFingerSetterFactory()).setServiceParent(
 *     serviceCollection
 * )
 * ```
 *
 * @module
 */

import { type Deferred, ServerFactory, succeed } from "../../mod.ts";
import {
  Application,
  IServiceCollection,
  Service,
  strports,
} from "../../reactor/application/mod.ts";
import { FingerProtocol } from "./finger08.ts";
import { FingerSetterProtocol } from "./finger12.ts";
import { envId, envPort, tcp } from "./_env.ts";

/** Owns the users; builds the finger and setter factories. */
export class FingerService extends Service {
  /** The status of each user. */
  users: Map<string, string>;

  /**
   * Makes a service that knows `users`.
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

  /**
   * Sets a user's status.
   *
   * @param user The username.
   * @param status The status.
   */
  setUser(user: string, status: string): void {
    this.users.set(user, status);
  }

  /** Returns a factory of finger protocols that ask this service. */
  getFingerFactory(): ServerFactory {
    const f = new ServerFactory();
    f.protocol = FingerProtocol;
    return Object.assign(f, { getUser: (user: string) => this.getUser(user) });
  }

  /** Returns a factory of setter protocols that change this service. */
  getFingerSetterFactory(): ServerFactory {
    const f = new ServerFactory();
    f.protocol = FingerSetterProtocol;
    return Object.assign(f, {
      setUser: (user: string, status: string) => this.setUser(user, status),
    });
  }
}

/** What the runner runs: finger on 79, the setter on 1079. */
export const application: Application = new Application("finger", {
  uid: envId("FINGER_UID"),
  gid: envId("FINGER_GID"),
});
const f = new FingerService(new Map([["moshez", "Happy and well"]]));
const serviceCollection = IServiceCollection(application);
strports.service(tcp(envPort("FINGER_PORT", 79)), f.getFingerFactory())
  .setServiceParent(serviceCollection);
strports.service(
  tcp(envPort("FINGER_SETTER_PORT", 1079)),
  f.getFingerSetterFactory(),
).setServiceParent(serviceCollection);
