// Copyright 2026 the Torsion authors. MIT license.
/**
 * Finger, step 19a (the tutorial's `finger19a_changes.py` /
 * `finger19a.tac`): **an in-memory backend with a setter.** With the front
 * ends now adapters (step 19), a backend is any {@linkcode IFingerService}.
 * `MemoryFingerService` keeps the users in memory and is also an
 * {@linkcode IFingerSetterService}, so the setter comes back (step 12's
 * protocol, through the {@linkcode IFingerSetterFactory} adapter), this
 * time listening on 127.0.0.1 only: only local users may change a status.
 *
 * ```sh
 * FINGER_PORT=7979 deno task run examples/finger/finger19a.ts  # 79 needs root
 * printf 'moshez\r\nHappy and well, and busy\r\n' | nc -N 127.0.0.1 1079
 * echo moshez | nc -C 127.0.0.1 7979                 # Happy and well, and busy
 * ```
 *
 * The finger port and the setter listen on `FINGER_INTERFACE` (127.0.0.1
 * by default, as the original's `tcp:1079:interface=127.0.0.1`). Step
 * 19's web front end (`IResource`) serves this backend unchanged on
 * `FINGER_WEB_PORT` (8000); its IRC bot would too, and is left out here.
 * Settings: [_env.ts](_env.ts);
 * about uid/gid, see [finger11.ts](finger11.ts).
 *
 * Python original (the rest is `finger19.tac`):
 *
 * ```py
 * @implementer(IFingerService, IFingerSetterService)
 * class MemoryFingerService(service.Service):
 *     def __init__(self, users):
 *         self.users = users
 *
 *     def getUser(self, user):
 *         return defer.succeed(self.users.get(user, b"No such user"))
 *
 *     def getUsers(self):
 *         return defer.succeed(list(self.users.keys()))
 *
 *     def setUser(self, user, status):
 *         self.users[user] = status
 *
 * f = MemoryFingerService({b"moshez": b"Happy and well"})
 * serviceCollection = service.IServiceCollection(application)
 * strports.service("tcp:79", IFingerFactory(f), reactor=reactor
 *                  ).setServiceParent(serviceCollection)
 * strports.service("tcp:1079:interface=127.0.0.1", IFingerSetterFactory(f),
 *                  reactor=reactor).setServiceParent(serviceCollection)
 * ```
 *
 * @module
 */

import { type Deferred, succeed } from "../../mod.ts";
import {
  Application,
  IServiceCollection,
  Service,
  strports,
} from "../../reactor/application/mod.ts";
import {
  IFingerFactory,
  type IFingerService,
  IFingerSetterFactory,
  type IFingerSetterService,
  IResource,
} from "./finger19.ts";
import { Site } from "../../protocols/http/mod.ts";
import { envId, envPort, tcp } from "./_env.ts";

/** Users in memory, which a setter may change. */
export class MemoryFingerService extends Service
  implements IFingerService, IFingerSetterService {
  /** The status of each user. */
  users: Map<string, string>;

  /**
   * Makes a backend that knows `users`.
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

  /** Returns a Deferred of the usernames known. */
  getUsers(): Deferred<string[]> {
    return succeed([...this.users.keys()]);
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
}

/** What the runner runs: finger on 79, the setter on 127.0.0.1:1079. */
export const application: Application = new Application("finger", {
  uid: envId("FINGER_UID"),
  gid: envId("FINGER_GID"),
});
const f = new MemoryFingerService(new Map([["moshez", "Happy and well"]]));
const serviceCollection = IServiceCollection(application);
strports.service(tcp(envPort("FINGER_PORT", 79)), IFingerFactory(f))
  .setServiceParent(serviceCollection);
strports.service(
  tcp(envPort("FINGER_SETTER_PORT", 1079)),
  IFingerSetterFactory(f),
).setServiceParent(serviceCollection);
strports.service(
  tcp(envPort("FINGER_WEB_PORT", 8000)),
  new Site(IResource(f)),
).setServiceParent(serviceCollection);
