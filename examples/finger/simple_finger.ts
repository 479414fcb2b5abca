// Copyright 2026 the Torsion authors. MIT license.
/**
 * The thin application of the finger library (the tutorial's
 * `simple-finger.tac`, part 10): all the wiring is the library's
 * {@linkcode makeService}; the application only gives it options and
 * attaches what it returns.
 *
 * ```sh
 * sudo deno task run examples/finger/simple_finger.ts           # finger on 79
 * FINGER_PORT=7979 deno task run examples/finger/simple_finger.ts
 * echo moshez | nc -C 127.0.0.1 7979                            # happy and well
 * ```
 *
 * The options are the tutorial's, except: the users file is the sample
 * beside this module (`FINGER_USERS`; the original's is `/etc/users`), the
 * IRC bot runs only if `FINGER_IRC_SERVER` names a host (the original's
 * irc.freenode.net is gone), and the ports follow the `FINGER_*`
 * variables of [_env.ts](_env.ts). About uid/gid, see
 * [finger11.ts](finger11.ts).
 *
 * **Quirk noted**: the original passes `"ssl": "ssl=0"`, a non-empty
 * string, which `config.get("ssl")` takes for true (its library had the
 * HTTPS lines commented out, so nothing came of it). Here `ssl` is `false`.
 *
 * Python original:
 *
 * ```py
 * from twisted.application import service
 * import finger
 *
 * options = {
 *     "file": "/etc/users",
 *     "templates": "/usr/share/finger/templates",
 *     "ircnick": "fingerbot",
 *     "ircserver": "irc.freenode.net",
 *     "pbport": 8889,
 *     "ssl": "ssl=0",
 * }
 *
 * ser = finger.makeService(options)
 * application = service.Application("finger", uid=1, gid=1)
 * ser.setServiceParent(service.IServiceCollection(application))
 * ```
 *
 * @module
 */

import {
  Application,
  IServiceCollection,
} from "../../reactor/application/mod.ts";
import { type FingerConfig, makeService } from "./finger/finger.ts";
import {
  envId,
  envPort,
  envSeconds,
  envString,
  fingerInterface,
  usersFile,
} from "./_env.ts";

const options: FingerConfig = {
  file: usersFile(),
  templates: "/usr/share/finger/templates",
  ircnick: envString("FINGER_IRC_NICK", "fingerbot"),
  ircserver: Deno.env.get("FINGER_IRC_SERVER") ?? null,
  ircport: envPort("FINGER_IRC_PORT", 6667),
  pbport: 8889,
  ssl: false,
  port: envPort("FINGER_PORT", 79),
  setterPort: envPort("FINGER_SETTER_PORT", 1079),
  webPort: envPort("FINGER_WEB_PORT", 8000),
  interface: fingerInterface(),
  reload: envSeconds("FINGER_RELOAD", 30),
};

const ser = makeService(options);
/** What the runner runs: the library's services. */
export const application: Application = new Application("finger", {
  uid: envId("FINGER_UID"),
  gid: envId("FINGER_GID"),
});
ser.setServiceParent(IServiceCollection(application));
