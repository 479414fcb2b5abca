// Copyright 2026 the Torsion authors. MIT license.
/**
 * The finger client and proxy (the tutorial's `fingerproxy.tac`, part 9:
 * "a Twisted finger client"): a backend that answers by asking *another*
 * finger server. `FingerClient` is a client protocol that sends the
 * username, collects the answer and hands it to its factory when the
 * server closes; `FingerClientFactory` holds the Deferred of that answer;
 * `finger(user, host)` connects through a `TCP4ClientEndpoint` and returns
 * the Deferred. `ProxyFingerService` is an {@linkcode IFingerService} whose
 * `getUser("moshez@host")` fingers `moshez` at `host` (no `@`: at
 * 127.0.0.1), behind a finger port of its own, 7779.
 *
 * ```sh
 * FINGER_PORT=1079 deno task run examples/finger/finger11.ts &   # a server to ask
 * FINGER_REMOTE_PORT=1079 deno task run examples/finger/fingerproxy.ts
 * echo moshez@127.0.0.1 | nc -C 127.0.0.1 7779        # Happy and well
 * ```
 *
 * The remote servers are asked on port 79, as finger clients do;
 * `FINGER_REMOTE_PORT` changes that (for servers on other ports, and
 * tests), `FINGER_PORT` the proxy's own port. Settings: [_env.ts](_env.ts);
 * about uid/gid, see [finger11.ts](finger11.ts).
 *
 * **Fixed quirks**: the original waits for `clientConnectionFailed` to fail
 * its Deferred, but an endpoint never calls it (it fails the Deferred that
 * `connect` returns instead), so a host that refuses the connection left
 * the client waiting forever; here the failure of `connect` fails the
 * answer, and the client gets "Could not connect to remote host". The
 * original joins the received bytes with `""` (`TypeError` on Python 3)
 * and hands `TCP4ClientEndpoint` a host in bytes; here the chunks are
 * concatenated as bytes and the host is text. Its error answers had no
 * line end; here they end with `\r\n`, as a finger answer does.
 *
 * Python original:
 *
 * ```py
 * def catchError(err):
 *     return "Internal error in server"
 *
 * class FingerProtocol(basic.LineReceiver):
 *     def lineReceived(self, user):
 *         d = self.factory.getUser(user)
 *         d.addErrback(catchError)
 *         def writeValue(value):
 *             self.transport.write(value)
 *             self.transport.loseConnection()
 *         d.addCallback(writeValue)
 *
 * @implementer(IFingerFactory)
 * class FingerFactoryFromService(protocol.ClientFactory):
 *     protocol = FingerProtocol
 *     def __init__(self, service):
 *         self.service = service
 *     def getUser(self, user):
 *         return self.service.getUser(user)
 *
 * components.registerAdapter(FingerFactoryFromService, IFingerService,
 *                            IFingerFactory)
 *
 * class FingerClient(protocol.Protocol):
 *     def connectionMade(self):
 *         self.transport.write(self.factory.user + b"\r\n")
 *         self.buf = []
 *     def dataReceived(self, data):
 *         self.buf.append(data)
 *     def connectionLost(self, reason):
 *         self.factory.gotData("".join(self.buf))
 *
 * class FingerClientFactory(protocol.ClientFactory):
 *     protocol = FingerClient
 *     def __init__(self, user):
 *         self.user = user
 *         self.d = defer.Deferred()
 *     def clientConnectionFailed(self, _, reason):
 *         self.d.errback(reason)
 *     def gotData(self, data):
 *         self.d.callback(data)
 *
 * def finger(user, host, port=79):
 *     f = FingerClientFactory(user)
 *     endpoint = endpoints.TCP4ClientEndpoint(reactor, host, port)
 *     endpoint.connect(f)
 *     return f.d
 *
 * @implementer(IFingerService)
 * class ProxyFingerService(service.Service):
 *     def getUser(self, user):
 *         try:
 *             user, host = user.split("@", 1)
 *         except BaseException:
 *             user = user.strip()
 *             host = "127.0.0.1"
 *         ret = finger(user, host)
 *         ret.addErrback(lambda _: "Could not connect to remote host")
 *         return ret
 *     def getUsers(self):
 *         return defer.succeed([])
 *
 * application = service.Application("finger", uid=1, gid=1)
 * f = ProxyFingerService()
 * strports.service("tcp:7779", IFingerFactory(f)).setServiceParent(
 *     application)
 * ```
 *
 * @module
 */

import {
  ClientFactory,
  Deferred,
  type Factory,
  type Failure,
  getReactor,
  type IConnector,
  LineReceiver,
  Protocol,
  type ProtocolClass,
  ServerFactory,
  succeed,
  TCP4ClientEndpoint,
} from "../../mod.ts";
import {
  Application,
  IServiceCollection,
  Service,
  strports,
} from "../../reactor/application/mod.ts";
import {
  catchError,
  type IFingerFactory,
  type IFingerService,
} from "./finger19.ts";
import { envId, envPort, tcp } from "./_env.ts";

/** Answers the username line with its factory's answer, as it is. */
export class FingerProtocol extends LineReceiver {
  declare factory: Factory & IFingerFactory;

  /**
   * Asks the factory about `user`, writes the answer, and closes.
   *
   * @param user The username (`user@host` for the proxy).
   */
  override lineReceived(user: string): void {
    const d = this.factory.getUser(user);
    d.addErrback(() => catchError() + "\r\n");
    const writeValue = (value: string | Uint8Array): void => {
      this.transport.write(value);
      this.transport.loseConnection();
    };
    d.addCallback(writeValue);
  }
}

/** The finger server factory of an {@linkcode IFingerService}. */
export class FingerFactoryFromService extends ServerFactory
  implements IFingerFactory {
  override protocol: ProtocolClass = FingerProtocol;
  /** The backend. */
  service: IFingerService;

  /**
   * Adapts `service`.
   *
   * @param service The backend.
   */
  constructor(service: IFingerService) {
    super();
    this.service = service;
  }

  /**
   * Asks the backend.
   *
   * @param user The username.
   * @returns The backend's Deferred.
   */
  getUser(user: string): Deferred<string | Uint8Array> {
    return this.service.getUser(user);
  }
}

/** Sends the username, and gives the factory all it got back. */
export class FingerClient extends Protocol {
  declare factory: FingerClientFactory;
  /** The chunks received. */
  buf: Uint8Array[] = [];

  /** Sends the username line. */
  override connectionMade(): void {
    this.transport.write(this.factory.user + "\r\n");
    this.buf = [];
  }

  /**
   * Keeps a chunk of the answer.
   *
   * @param data The chunk.
   */
  override dataReceived(data: Uint8Array): void {
    this.buf.push(data.slice());
  }

  /**
   * Hands the whole answer to the factory.
   *
   * @param _reason Why the connection ended.
   */
  override connectionLost(_reason: Failure): void {
    const data = new Uint8Array(this.buf.reduce((n, c) => n + c.length, 0));
    let off = 0;
    for (const chunk of this.buf) {
      data.set(chunk, off);
      off += chunk.length;
    }
    this.factory.gotData(data);
  }
}

/** Holds the username to ask about, and the Deferred of the answer. */
export class FingerClientFactory extends ClientFactory {
  override protocol: ProtocolClass = FingerClient;
  /** The username to ask about. */
  user: string;
  /** The answer. */
  d: Deferred<Uint8Array> = new Deferred();

  /**
   * Makes a factory that asks about `user`.
   *
   * @param user The username.
   */
  constructor(user: string) {
    super();
    this.user = user;
  }

  /**
   * Fails the answer. An endpoint never calls this: {@linkcode finger}
   * calls it when `connect` fails.
   *
   * @param _connector Unused.
   * @param reason Why the connection failed.
   */
  override clientConnectionFailed(
    _connector: IConnector | null,
    reason: Failure,
  ): void {
    this.d.errback(reason);
  }

  /**
   * Fires the answer.
   *
   * @param data The answer.
   */
  gotData(data: Uint8Array): void {
    this.d.callback(data);
  }
}

/**
 * Fingers `user` at `host`.
 *
 * @param user The username.
 * @param host The finger server.
 * @param port Its port.
 * @returns A Deferred of the answer, failing if the connection fails.
 */
export function finger(
  user: string,
  host: string,
  port = 79,
): Deferred<Uint8Array> {
  const f = new FingerClientFactory(user);
  const endpoint = new TCP4ClientEndpoint(getReactor(), host, port);
  endpoint.connect(f).addErrback((reason: Failure) => {
    f.clientConnectionFailed(null, reason);
  });
  return f.d;
}

/** Answers `user@host` by asking `host`'s finger server. */
export class ProxyFingerService extends Service implements IFingerService {
  /** The port the remote finger servers are asked on. */
  remotePort: number;

  /**
   * Makes the proxy.
   *
   * @param remotePort The remote servers' port.
   */
  constructor(remotePort = 79) {
    super();
    this.remotePort = remotePort;
  }

  /**
   * Fingers `user@host` (no `@`: at 127.0.0.1).
   *
   * @param user `user@host`, or a username.
   * @returns A Deferred of the remote answer, or of "Could not connect to
   *   remote host".
   */
  getUser(user: string): Deferred<string | Uint8Array> {
    let host: string;
    const at = user.indexOf("@");
    if (at !== -1) {
      host = user.slice(at + 1);
      user = user.slice(0, at);
    } else {
      user = user.trim();
      host = "127.0.0.1";
    }
    const ret: Deferred<string | Uint8Array> = finger(
      user,
      host,
      this.remotePort,
    );
    ret.addErrback(() => "Could not connect to remote host\r\n");
    return ret;
  }

  /** Returns a Deferred of no usernames. */
  getUsers(): Deferred<string[]> {
    return succeed([]);
  }
}

/** What the runner runs: the proxy on 7779. */
export const application: Application = new Application("finger", {
  uid: envId("FINGER_UID"),
  gid: envId("FINGER_GID"),
});
const f = new ProxyFingerService(envPort("FINGER_REMOTE_PORT", 79));
// The original's `IFingerFactory(f)` finds the adapter registered in this
// file; here it is named.
strports.service(
  tcp(envPort("FINGER_PORT", 7779)),
  new FingerFactoryFromService(f),
).setServiceParent(IServiceCollection(application));
