// Copyright 2026 the Torsion authors. MIT license.
/**
 * Finger, step 19b (the tutorial's `finger19b_changes.py` /
 * `finger19b.tac`, part 5: "pluggable backends"): **the system's `finger`
 * as a backend.** `LocalFingerService` answers by running the `finger`
 * command (step 9's {@linkcode getProcessOutput}), behind the same
 * adapters as every other {@linkcode IFingerService}: a finger server that
 * tells what the machine's own `finger` knows.
 *
 * ```sh
 * FINGER_PORT=7979 deno task run examples/finger/finger19b.ts  # 79 needs root
 * echo root | nc -C 127.0.0.1 7979         # Login: root   Name: root ...
 * ```
 *
 * It needs the `finger` program (Debian: `apt-get install finger`); an
 * unknown user makes `finger` write to stderr, which fails the Deferred:
 * "Internal error in server". It knows no list of users (`getUsers` gives
 * `[]`: the web site's list is empty, its user pages work). Step 19's web
 * front end runs on `FINGER_WEB_PORT` (8000); its IRC bot is left out.
 * Settings: [_env.ts](_env.ts); about uid/gid, see
 * [finger11.ts](finger11.ts).
 *
 * **Fixed quirk** (as in step 9): the client's line went to `finger` as an
 * argument, so `-l` was an option and `user@host` made the server finger
 * another host. A name that is not a plain username is answered `No such
 * user` without running anything.
 *
 * Python original (the rest is `finger19.tac`):
 *
 * ```py
 * @implementer(IFingerService)
 * class LocalFingerService(service.Service):
 *     def getUser(self, user):
 *         # need a local finger daemon running for this to work
 *         return utils.getProcessOutput(b"finger", [user])
 *
 *     def getUsers(self):
 *         return defer.succeed([])
 *
 * f = LocalFingerService()
 * ```
 *
 * @module
 */

import {
  type Deferred,
  type Failure,
  getProcessOutput,
  succeed,
  UnexpectedErrorOutput,
} from "../../mod.ts";
import {
  Application,
  IServiceCollection,
  Service,
  strports,
} from "../../reactor/application/mod.ts";
import { isPlainUsername } from "./finger09.ts";
import { IFingerFactory, type IFingerService, IResource } from "./finger19.ts";
import { Site } from "../../protocols/http/mod.ts";
import { envId, envPort, tcp } from "./_env.ts";

/** Answers with the output of the system's `finger` command. */
export class LocalFingerService extends Service implements IFingerService {
  /**
   * Runs `finger user`.
   *
   * @param user The username.
   * @returns A Deferred of what `finger` printed.
   */
  getUser(user: string): Deferred<string | Uint8Array> {
    if (!isPlainUsername(user)) return succeed("No such user");
    return getProcessOutput("finger", [user]).addErrback(
      (err: Failure): never => {
        // The process's end, which the error carries, is expected.
        if (err.value instanceof UnexpectedErrorOutput) {
          err.value.processEnded.addErrback(() => null);
        }
        throw err.value;
      },
    );
  }

  /** Returns a Deferred of no usernames: `finger` lists none. */
  getUsers(): Deferred<string[]> {
    return succeed([]);
  }
}

/** What the runner runs: finger on 79, answered by the `finger` command. */
export const application: Application = new Application("finger", {
  uid: envId("FINGER_UID"),
  gid: envId("FINGER_GID"),
});
const f = new LocalFingerService();
const serviceCollection = IServiceCollection(application);
strports.service(tcp(envPort("FINGER_PORT", 79)), IFingerFactory(f))
  .setServiceParent(serviceCollection);
strports.service(
  tcp(envPort("FINGER_WEB_PORT", 8000)),
  new Site(IResource(f)),
).setServiceParent(serviceCollection);
