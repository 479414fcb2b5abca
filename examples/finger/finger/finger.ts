// Copyright 2026 the Torsion authors. MIT license.
/**
 * The finger library (the tutorial's `finger/finger.py`, parts 10 and 11:
 * "a finger library"): everything the steps built, in one module that
 * applications import, and {@linkcode makeService}, which puts it together
 * from a configuration: the `MultiService` that `simple_finger.ts` attaches
 * to an application and the runner plugin ([tap.ts](tap.ts)) returns.
 *
 * What runs:
 *
 * - the backend, a {@linkcode FingerService}: the users file, read at start
 *   and again when it changes (looked at every 30 seconds);
 * - finger on port **79** ({@linkcode IFingerFactory});
 * - the setter on 127.0.0.1:1079 ({@linkcode IFingerSetterFactory});
 * - the web site on 8000 ({@linkcode IResource}: the user list, a page per
 *   user, XML-RPC `getUser`/`getUsers` at `/RPC2`);
 * - with `ssl`, the same site over HTTPS on **443** (the given key and
 *   certificate, or a self-signed pair made for the run with `openssl`);
 * - the IRC bot, if an IRC server is given ({@linkcode IIRCClientFactory}
 *   through a `ClientService`).
 *
 * Not here: Perspective Broker on 8889 (`pbport`; part 7 is not ported).
 * `templates` is accepted and unused, as in the original's last version
 * (its pages are built in code).
 *
 * **Fixed bugs of the original**, run on Twisted 22.4: its `makeService`
 * never attaches the `FingerService` to the `MultiService`
 * (`f.setServiceParent(s)` is missing), so the users file is never read
 * and every query fails with `AttributeError`; it listens on
 * `tcp:1079` although its own comment ("finger on port 79") and the
 * tutorial's `twistd -n finger` mean 79; and its web resources mix bytes
 * and text (see [../finger20.ts](../finger20.ts)). Here the service is
 * attached, finger is on 79 (`port` overrides it), and the site works.
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
import { IResource } from "../finger20.ts";
import { ssl } from "../finger22.ts";
import { Site } from "../../../protocols/http/mod.ts";

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
export {
  IResource,
  UserStatus,
  UserStatusTree,
  UserStatusXR,
} from "../finger20.ts";
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
  /**
   * The web site's port (the pages and XML-RPC at `/RPC2`).
   *
   * @default {8000}
   */
  webPort?: number;
  /** The web pages' templates: accepted, unused (the pages are code). */
  templates?: string;
  /** The Perspective Broker port: PB is not ported. */
  pbport?: number;
  /**
   * Whether to serve the site over HTTPS too.
   *
   * @default {false}
   */
  ssl?: boolean;
  /**
   * The HTTPS port (443 needs root).
   *
   * @default {443}
   */
  sslPort?: number;
  /**
   * The private key's PEM file (it may hold the certificate too); with
   * neither this nor `certKey`, a self-signed pair is made for the run.
   */
  privateKey?: string | null;
  /** The certificate's PEM file (the key's file by default). */
  certKey?: string | null;
}

/**
 * Makes a self-signed certificate for `localhost` and 127.0.0.1 with the
 * `openssl` command, in a new temporary directory.
 *
 * @returns The directory, and the key's and the certificate's files.
 * @throws {Error} If `openssl` is missing or fails.
 */
export function selfSignedCertificate(): {
  dir: string;
  privateKey: string;
  certKey: string;
} {
  const dir = Deno.makeTempDirSync({ prefix: "finger-ssl-" });
  const privateKey = `${dir}/server.pem`;
  const certKey = `${dir}/cert.pem`;
  let output: Deno.CommandOutput;
  try {
    output = new Deno.Command("openssl", {
      args: [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        privateKey,
        "-out",
        certKey,
        "-days",
        "30",
        "-subj",
        "/CN=localhost",
        "-addext",
        "subjectAltName=DNS:localhost,IP:127.0.0.1",
      ],
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).outputSync();
  } catch (e) {
    Deno.removeSync(dir, { recursive: true });
    throw new Error(`Cannot make a certificate: cannot run openssl (${e})`);
  }
  if (!output.success) {
    Deno.removeSync(dir, { recursive: true });
    throw new Error(
      `Cannot make a certificate: openssl says ${
        new TextDecoder().decode(output.stderr).trim()
      }`,
    );
  }
  return { dir, privateKey, certKey };
}

/**
 * Says where the generated certificate is when started, and removes its
 * directory when stopped.
 */
class GeneratedCertificate extends Service {
  readonly dir: string;
  readonly certKey: string;

  constructor(dir: string, certKey: string) {
    super();
    this.dir = dir;
    this.certKey = certKey;
  }

  override startService(): void {
    super.startService();
    log.msg(`Serving HTTPS with a self-signed certificate: ${this.certKey}`);
  }

  override stopService(): void {
    super.stopService();
    try {
      Deno.removeSync(this.dir, { recursive: true });
    } catch (e) {
      log.err(e, `Cannot remove ${this.dir}`);
    }
  }
}

/**
 * Builds the finger services from `config`.
 *
 * @param config The users file, ports, HTTPS, IRC server and nickname.
 * @returns A `MultiService` of the backend and its front ends.
 * @throws {Error} If `config.ssl` is set without a key and `openssl`
 *   cannot make one.
 */
export function makeService(config: FingerConfig): MultiService {
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

  // website on port 8000, XML-RPC at /RPC2
  const site = new Site(IResource(f));
  strports.service(`tcp:${config.webPort ?? 8000}:interface=${iface}`, site)
    .setServiceParent(s);

  // the same site over HTTPS on port 443
  if (config.ssl) {
    let privateKey = config.privateKey ?? config.certKey ?? null;
    let certKey = config.certKey ?? privateKey;
    if (privateKey === null || certKey === null) {
      const made = selfSignedCertificate();
      new GeneratedCertificate(made.dir, made.certKey).setServiceParent(s);
      ({ privateKey, certKey } = made);
    }
    strports.service(
      ssl(config.sslPort ?? 443, privateKey, certKey, iface),
      site,
    ).setServiceParent(s);
  }

  // Perspective Broker on config.pbport: not ported (part 7).

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
