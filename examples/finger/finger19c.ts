// Copyright 2026 the Torsion authors. MIT license.
/**
 * Finger, step 19c (the tutorial's `finger19c_changes.py` /
 * `finger19c.tac`): **users' `.plan` files as a backend.** The classic
 * finger answer: `LocalFingerService` looks the user up in the password
 * database, and answers with the `.plan` file in their home directory
 * (trimmed), or `No such user` if there is no such user or no readable
 * `.plan`.
 *
 * ```sh
 * echo "Writing the finger tutorial" > ~/.plan
 * FINGER_PORT=7979 deno task run examples/finger/finger19c.ts  # 79 needs root
 * echo $USER | nc -C 127.0.0.1 7979        # Writing the finger tutorial
 * ```
 *
 * **No `getpwnam` in Deno**: Python asks the C library
 * (`pwd.getpwnam(user)`, which also sees NIS or LDAP users); Deno has no
 * such call. This port parses a passwd file itself, `/etc/passwd` by
 * default (`FINGER_PASSWD`, or the `passwd` option: the seam a test uses
 * to give its own users and home directories). Users that only a directory
 * service knows are not found. Step 19's web front end runs on
 * `FINGER_WEB_PORT` (8000); its IRC bot is left out. Settings: [_env.ts](_env.ts); about
 * uid/gid, see [finger11.ts](finger11.ts).
 *
 * **Fixed quirks**: on Python 3 the user arrives as bytes, which
 * `getpwnam` refuses (`TypeError`), and the `.plan` is read as text while
 * the protocol writes bytes: the original cannot answer at all. Here the
 * name is text and the answer is the file's text. The original reads the
 * file synchronously; so does this port (a `.plan` is small).
 *
 * Python original (the rest is `finger19.tac`):
 *
 * ```py
 * @implementer(IFingerService)
 * class LocalFingerService(service.Service):
 *     def getUser(self, user):
 *         user = user.strip()
 *         try:
 *             entry = pwd.getpwnam(user)
 *         except KeyError:
 *             return defer.succeed(b"No such user")
 *         try:
 *             f = open(os.path.join(entry[5], ".plan"))
 *         except OSError:
 *             return defer.succeed(b"No such user")
 *         with f:
 *             data = f.read()
 *         data = data.strip()
 *         return defer.succeed(data)
 *
 *     def getUsers(self):
 *         return defer.succeed([])
 *
 * f = LocalFingerService()
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
import { IFingerFactory, type IFingerService, IResource } from "./finger19.ts";
import { Site } from "../../protocols/http/mod.ts";
import { envId, envPort, envString, tcp } from "./_env.ts";

/** An entry of a passwd file (the fields `pwd.struct_passwd` has). */
export interface PasswdEntry {
  /** `pw_name`. */
  name: string;
  /** `pw_uid`. */
  uid: number;
  /** `pw_gid`. */
  gid: number;
  /** `pw_gecos`. */
  gecos: string;
  /** `pw_dir`: the home directory. */
  dir: string;
  /** `pw_shell`. */
  shell: string;
}

/**
 * Finds `name` in the text of a passwd file (`name:x:uid:gid:gecos:dir:shell`
 * lines; comments, blank and short lines skipped): what `getpwnam` does
 * with `/etc/passwd`.
 *
 * @param passwd The file's text.
 * @param name The username.
 * @returns Its entry, or `null`.
 */
export function getpwnam(passwd: string, name: string): PasswdEntry | null {
  for (const line of passwd.split("\n")) {
    if (line.startsWith("#")) continue;
    const fields = line.replace(/\r$/, "").split(":");
    if (fields.length < 7 || fields[0] !== name) continue;
    return {
      name: fields[0],
      uid: Number(fields[2]),
      gid: Number(fields[3]),
      gecos: fields[4],
      dir: fields[5],
      shell: fields[6],
    };
  }
  return null;
}

/** Options of {@linkcode LocalFingerService}. */
export interface LocalFingerServiceOptions {
  /**
   * The passwd file users are looked up in.
   *
   * @default {"/etc/passwd"}
   */
  passwd?: string;
}

/** Answers with the user's `~/.plan`. */
export class LocalFingerService extends Service implements IFingerService {
  /** The passwd file users are looked up in. */
  passwd: string;

  /**
   * Makes the backend.
   *
   * @param options The passwd file.
   */
  constructor(options: LocalFingerServiceOptions = {}) {
    super();
    this.passwd = options.passwd ?? "/etc/passwd";
  }

  /**
   * Reads the user's `.plan`.
   *
   * @param user The username.
   * @returns A Deferred (already fired) of the trimmed `.plan`, or `No such
   *   user`.
   */
  getUser(user: string): Deferred<string> {
    user = user.trim();
    // A name with ":" or "/" is no username: it could match a wrong field
    // or leave the home directory.
    if (user === "" || /[:/\n]/.test(user)) return succeed("No such user");
    let entry: PasswdEntry | null;
    try {
      entry = getpwnam(Deno.readTextFileSync(this.passwd), user);
    } catch {
      entry = null;
    }
    if (entry === null) return succeed("No such user");
    let data: string;
    try {
      data = Deno.readTextFileSync(`${entry.dir.replace(/\/$/, "")}/.plan`);
    } catch {
      return succeed("No such user");
    }
    data = data.trim();
    return succeed(data);
  }

  /** Returns a Deferred of no usernames. */
  getUsers(): Deferred<string[]> {
    return succeed([]);
  }
}

/** What the runner runs: finger on 79, answered from users' `.plan`s. */
export const application: Application = new Application("finger", {
  uid: envId("FINGER_UID"),
  gid: envId("FINGER_GID"),
});
const f = new LocalFingerService({
  passwd: envString("FINGER_PASSWD", "/etc/passwd"),
});
const serviceCollection = IServiceCollection(application);
strports.service(tcp(envPort("FINGER_PORT", 79)), IFingerFactory(f))
  .setServiceParent(serviceCollection);
strports.service(
  tcp(envPort("FINGER_WEB_PORT", 8000)),
  new Site(IResource(f)),
).setServiceParent(serviceCollection);
