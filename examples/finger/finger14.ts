// Copyright 2026 the Torsion authors. MIT license.
/**
 * Finger, step 14 (the tutorial's `finger14.tac`): **read the status file.**
 * The `FingerService` now reads its users from a file of `user: status`
 * lines (the sample is [etc.users](etc.users)) when it starts, and again
 * every 30 seconds with `callLater`, so that an edit to the file shows up
 * without a restart. The service joins the application, which starts it
 * (and so reads the file) and stops it (and so cancels the next read). The
 * setter is gone: the file is the one source of the users.
 *
 * ```sh
 * FINGER_PORT=7979 deno task run examples/finger/finger14.ts  # 79 needs root
 * echo moshez | nc -C 127.0.0.1 7979                 # happy and well
 * FINGER_USERS=/etc/users FINGER_RELOAD=5 deno task run examples/finger/finger14.ts
 * ```
 *
 * The original reads `/etc/users`; this reads `FINGER_USERS`, by default
 * the sample beside this module. `FINGER_RELOAD` changes the period; the
 * service's `clock` (the reactor unless set) is what a test replaces with a
 * `Clock` to reload without waiting. Settings: [_env.ts](_env.ts); about
 * uid/gid, see [finger11.ts](finger11.ts).
 *
 * **Fixed quirks**: the original splits every line at `:` and stops at
 * the first that has none (a blank line, say) with `ValueError`, having
 * already cleared the users, and never schedules the next read: from then
 * on every query is "No such user", until a restart. Here lines without a
 * `:` are skipped, a file that cannot be read is logged and the users read
 * last are kept, and the next read is scheduled whatever happened.
 *
 * Python original (the protocol is step 12's):
 *
 * ```py
 * class FingerService(service.Service):
 *     def __init__(self, filename):
 *         self.users = {}
 *         self.filename = filename
 *
 *     def _read(self):
 *         self.users.clear()
 *         with open(self.filename, "rb") as f:
 *             for line in f:
 *                 user, status = line.split(b":", 1)
 *                 user = user.strip()
 *                 status = status.strip()
 *                 self.users[user] = status
 *         self.call = reactor.callLater(30, self._read)
 *
 *     def startService(self):
 *         self._read()
 *         service.Service.startService(self)
 *
 *     def stopService(self):
 *         service.Service.stopService(self)
 *         self.call.cancel()
 *
 *     def getUser(self, user):
 *         return defer.succeed(self.users.get(user, b"No such user"))
 *
 *     def getFingerFactory(self):
 *         f = protocol.ServerFactory()
 *         f.protocol = FingerProtocol
 *         f.getUser = self.getUser
 *         return f
 *
 * application = service.Application("finger", uid=1, gid=1)
 * f = FingerService("/etc/users")
 * finger = strports.service("tcp:79", f.getFingerFactory())
 *
 * finger.setServiceParent(service.IServiceCollection(application))
 * f.setServiceParent(service.IServiceCollection(application))
 * ```
 *
 * @module
 */

import {
  type Deferred,
  getReactor,
  type IDelayedCall,
  type IReactorTime,
  log,
  ServerFactory,
  succeed,
} from "../../mod.ts";
import {
  Application,
  IServiceCollection,
  Service,
  strports,
} from "../../reactor/application/mod.ts";
import { FingerProtocol } from "./finger08.ts";
import { envId, envPort, envSeconds, tcp, usersFile } from "./_env.ts";

/**
 * Parses a users file: one `user: status` per line, both trimmed; lines
 * without a `:` are skipped.
 *
 * @param text The file's text.
 * @returns The status of each user.
 */
export function parseUsers(text: string): Map<string, string> {
  const users = new Map<string, string>();
  for (const line of text.split("\n")) {
    const colon = line.indexOf(":");
    if (colon === -1) continue;
    users.set(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  return users;
}

/** Reads its users from a file, at start and every `period` seconds. */
export class FingerService extends Service {
  /** The status of each user, as last read. */
  users: Map<string, string> = new Map();
  /** The users file. */
  filename: string;
  /** Seconds between two reads of the file. */
  period: number;
  /** The next read, while the service runs. */
  call: IDelayedCall | null = null;
  #clock: IReactorTime | null = null;

  /**
   * Makes a service that reads `filename`.
   *
   * @param filename The users file.
   * @param period Seconds between two reads (the tutorial's 30).
   */
  constructor(filename: string, period = 30) {
    super();
    this.filename = filename;
    this.period = period;
  }

  /** The clock the reads are scheduled on: the reactor unless set. */
  get clock(): IReactorTime {
    return this.#clock ?? getReactor();
  }
  set clock(clock: IReactorTime) {
    this.#clock = clock;
  }

  /** Reads the file (keeping the users if it fails), then schedules the next read. */
  _read(): void {
    try {
      this.users = parseUsers(Deno.readTextFileSync(this.filename));
    } catch (e) {
      log.err(e, `Cannot read the users file ${this.filename}`);
    }
    this.call = this.clock.callLater(this.period, () => this._read());
  }

  /** Reads the file, and starts. */
  override startService(): void {
    this._read();
    super.startService();
  }

  /** Stops, and cancels the next read. */
  override stopService(): void {
    super.stopService();
    this.call?.cancel();
    this.call = null;
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

  /** Returns a factory of finger protocols that ask this service. */
  getFingerFactory(): ServerFactory {
    const f = new ServerFactory();
    f.protocol = FingerProtocol;
    return Object.assign(f, { getUser: (user: string) => this.getUser(user) });
  }
}

/** What the runner runs: finger on 79, answered from the users file. */
export const application: Application = new Application("finger", {
  uid: envId("FINGER_UID"),
  gid: envId("FINGER_GID"),
});
const f = new FingerService(usersFile(), envSeconds("FINGER_RELOAD", 30));
const finger = strports.service(
  tcp(envPort("FINGER_PORT", 79)),
  f.getFingerFactory(),
);

finger.setServiceParent(IServiceCollection(application));
f.setServiceParent(IServiceCollection(application));
