// Copyright 2026 the Torsion authors. MIT license.
/**
 * The finger library (the tutorial's `finger/finger.py`, parts 10 and 11:
 * "a finger library"): everything the steps built, in one module that
 * applications import, and {@linkcode makeService}, which puts it together
 * from a configuration: the `MultiService` that `simple_finger.ts` attaches
 * to an application and the runner plugin ([tap.ts](tap.ts)) returns.
 *
 * What runs (the tutorial's services that Torsion can serve today):
 *
 * - the backend, a {@linkcode FingerService}: the users file, read at start
 *   and again when it changes (looked at every 30 seconds);
 * - finger on port **79** ({@linkcode IFingerFactory});
 * - the setter on 127.0.0.1:1079 ({@linkcode IFingerSetterFactory});
 * - the IRC bot, if an IRC server is given ({@linkcode IIRCClientFactory}
 *   through a `ClientService`).
 *
 * Not yet (hooks are marked in {@linkcode makeService}): the web front end
 * and XML-RPC (`/RPC2`) on 8000, HTTPS on 443 (`ssl`), Perspective Broker
 * on 8889 (`pbport`); they need a web server, TLS and PB.
 *
 * **Fixed bugs of the original**, run on Twisted 22.4: its `makeService`
 * never attaches the `FingerService` to the `MultiService`
 * (`f.setServiceParent(s)` is missing), so the users file is never read
 * and every query fails with `AttributeError`; and it listens on
 * `tcp:1079` although its own comment ("finger on port 79") and the
 * tutorial's `twistd -n finger` mean 79. Here the service is attached and
 * finger is on 79 (`port` overrides it).
 *
 * The backend also takes the setter (the original's library has the setter
 * protocol but no service for it): a status set stays until the users file
 * changes, when the file wins again.
 *
 * @module
 */

import {
  type Deferred,
  getReactor,
  type IDelayedCall,
  type IReactorTime,
  log,
  succeed,
  TCP4ClientEndpoint,
} from "../../../mod.ts";
import {
  ClientService,
  MultiService,
  Service,
  strports,
} from "../../../reactor/application/mod.ts";
import {
  IFingerFactory,
  type IFingerService,
  IFingerSetterFactory,
  type IFingerSetterService,
  IIRCClientFactory,
} from "../finger19.ts";
import { parseUsers } from "../finger14.ts";

export {
  catchError,
  FingerFactoryFromService,
  FingerProtocol,
  FingerSetterFactoryFromService,
  IFingerFactory,
  type IFingerService,
  IFingerSetterFactory,
  type IFingerSetterService,
  IIRCClientFactory,
  IRCClientFactoryFromService,
  IRCReplyBot,
} from "../finger19.ts";
export { FingerSetterProtocol } from "../finger12.ts";
export { parseUsers } from "../finger14.ts";

/**
 * The users file as a backend, with a setter: read at start, and every
 * `period` seconds again if it changed (its size or modification time).
 */
export class FingerService extends Service
  implements IFingerService, IFingerSetterService {
  /** The status of each user. */
  users: Map<string, string> = new Map();
  /** The users file. */
  filename: string;
  /** Seconds between two looks at the file. */
  period: number;
  /** The next look, while the service runs. */
  call: IDelayedCall | null = null;
  #clock: IReactorTime | null = null;
  #seen: string | null = null;

  /**
   * Makes a backend that reads `filename`.
   *
   * @param filename The users file.
   * @param period Seconds between two looks at the file.
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

  /**
   * Reads the file if it changed since the last read (keeping the users if
   * it cannot be read), then schedules the next look.
   */
  _read(): void {
    try {
      const stat = Deno.statSync(this.filename);
      const version = `${stat.size} ${stat.mtime?.getTime()}`;
      if (version !== this.#seen) {
        this.users = parseUsers(Deno.readTextFileSync(this.filename));
        this.#seen = version;
      }
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

  /** Stops, and cancels the next look at the file. */
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

  /** Returns a Deferred of the usernames known. */
  getUsers(): Deferred<string[]> {
    return succeed([...this.users.keys()]);
  }

  /**
   * Sets a user's status, until the file changes.
   *
   * @param user The username.
   * @param status The status.
   */
  setUser(user: string, status: string): void {
    this.users.set(user, status);
  }
}

/** The configuration of {@linkcode makeService} (the tutorial's options). */
export interface FingerConfig {
  /** The users file. */
  file: string;
  /**
   * The IRC bot's nickname.
   *
   * @default {"fingerbot"}
   */
  ircnick?: string;
  /**
   * The IRC server; no bot without one.
   *
   * @default {null}
   */
  ircserver?: string | null;
  /**
   * The IRC server's port.
   *
   * @default {6667}
   */
  ircport?: number;
  /**
   * The finger port.
   *
   * @default {79}
   */
  port?: number;
  /**
   * The setter's port (on 127.0.0.1 only).
   *
   * @default {1079}
   */
  setterPort?: number;
  /**
   * The address the finger port listens on.
   *
   * @default {"127.0.0.1"}
   */
  interface?: string;
  /**
   * Seconds between two looks at the users file.
   *
   * @default {30}
   */
  reload?: number;
  /** The web pages' templates: for the web front end, not yet served. */
  templates?: string;
  /** The Perspective Broker port: PB is not ported. */
  pbport?: number;
  /** HTTPS on 443: needs TLS, not yet in Torsion. */
  ssl?: boolean;
}

/**
 * Builds the finger services from `config`.
 *
 * @param config The users file, ports, IRC server and nickname.
 * @returns A `MultiService` of the backend and its front ends.
 * @throws {Error} If `config.ssl` is set (no TLS yet).
 */
export function makeService(config: FingerConfig): MultiService {
  if (config.ssl) {
    throw new Error("Cannot serve HTTPS: Torsion has no TLS yet");
  }
  const iface = config.interface ?? "127.0.0.1";
  const s = new MultiService();
  const f = new FingerService(config.file, config.reload ?? 30);
  f.setServiceParent(s); // missing in the original

  // finger on port 79
  const h = strports.service(
    `tcp:${config.port ?? 79}:interface=${iface}`,
    IFingerFactory(f),
  );
  h.setServiceParent(s);

  // the setter, for local users only
  strports.service(
    `tcp:${config.setterPort ?? 1079}:interface=127.0.0.1`,
    IFingerSetterFactory(f),
  ).setServiceParent(s);

  // Hooks: the website and XML-RPC on port 8000 (resource.IResource(f),
  // with config.templates), and with config.ssl the same site on
  // ssl:port=443, go here once Torsion has a web server and TLS; PB on
  // config.pbport once it has Perspective Broker.

  // irc fingerbot
  if (config.ircserver) {
    const i = IIRCClientFactory(f);
    i.nickname = config.ircnick ?? "fingerbot";
    new ClientService(
      new TCP4ClientEndpoint(
        getReactor(),
        config.ircserver,
        config.ircport ?? 6667,
      ),
      i,
    ).setServiceParent(s);
  }
  return s;
}
