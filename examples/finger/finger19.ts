// Copyright 2026 the Torsion authors. MIT license.
/**
 * Finger, step 19 (the tutorial's `finger19.tac`, part 4: "moving to
 * component-based architecture"): **interfaces and adapters.** What a
 * finger backend offers is now an interface, {@linkcode IFingerService}
 * (`getUser`, `getUsers`), and each front end is an *adapter* that turns
 * any such service into what a port needs: {@linkcode IFingerFactory}
 * (a finger server factory), {@linkcode IFingerSetterFactory} (a setter
 * factory, for services that are also {@linkcode IFingerSetterService}s)
 * and {@linkcode IIRCClientFactory} (an IRC bot factory). A backend no
 * longer builds its own front ends, so steps 19a to 19c swap the backend and
 * keep the rest.
 *
 * ```sh
 * FINGER_PORT=7979 deno task run examples/finger/finger19.ts  # 79 needs root
 * echo moshez | nc -C 127.0.0.1 7979                 # happy and well
 * # on the IRC server (FINGER_IRC_SERVER): /msg fingerbot moshez
 * # <fingerbot> Status of moshez: happy and well
 * ```
 *
 * Twisted declares interfaces with `zope.interface` and looks adapters up
 * in a registry (`components.registerAdapter(FingerFactoryFromService,
 * IFingerService, IFingerFactory)`, then `IFingerFactory(service)`). Here
 * an interface is a TypeScript `interface`, and its adapter a function of
 * the same name that wraps the service: `IFingerFactory(service)` reads as
 * in Python, and the type checker, not a registry, says which services fit.
 * The service is step 14's (the users file read every 30 seconds, with its
 * fixes) plus `getUsers`.
 *
 * The web front end is one more adapter, {@linkcode IResource}: step 18's
 * `UserStatusTree` (the user list, the users' pages) with `UserStatusXR`
 * at `/RPC2`, on `FINGER_WEB_PORT` (8000). Settings: [_env.ts](_env.ts);
 * about uid/gid, see [finger11.ts](finger11.ts).
 *
 * **Fixed quirks**: `catchError` returns a `str`, which `writeValue` adds to
 * `b"\r\n"` (`TypeError`: a failing backend left the client hanging); the
 * bot formats bytes into text (`"Status of %s: %s"` gives
 * `Status of b'moshez': b'happy and well'` on Python 3). Here it is text
 * throughout, in the web resources too (see step 18). As in step 12, a setter connection sets only when it got two
 * lines.
 *
 * Python original (abridged: the interfaces' docstrings, the web resources
 * and `FingerService._read`, which is step 14's, are left out):
 *
 * ```py
 * class IFingerService(Interface):
 *     def getUser(user):
 *         """Return a deferred returning L{bytes}"""
 *     def getUsers():
 *         """Return a deferred returning a L{list} of L{bytes}"""
 *
 * class IFingerSetterService(Interface):
 *     def setUser(user, status):
 *         """Set the user's status to something"""
 *
 * def catchError(err):
 *     return "Internal error in server"
 *
 * class FingerProtocol(basic.LineReceiver):
 *     def lineReceived(self, user):
 *         d = self.factory.getUser(user)
 *         d.addErrback(catchError)
 *         def writeValue(value):
 *             self.transport.write(value + b"\r\n")
 *             self.transport.loseConnection()
 *         d.addCallback(writeValue)
 *
 * class IFingerFactory(Interface):
 *     def getUser(user): ...
 *     def buildProtocol(addr): ...
 *
 * @implementer(IFingerFactory)
 * class FingerFactoryFromService(protocol.ServerFactory):
 *     protocol = FingerProtocol
 *     def __init__(self, service):
 *         self.service = service
 *     def getUser(self, user):
 *         return self.service.getUser(user)
 *
 * components.registerAdapter(FingerFactoryFromService, IFingerService,
 *                            IFingerFactory)
 *
 * class FingerSetterProtocol(basic.LineReceiver):
 *     def connectionMade(self):
 *         self.lines = []
 *     def lineReceived(self, line):
 *         self.lines.append(line)
 *     def connectionLost(self, reason):
 *         if len(self.lines) == 2:
 *             self.factory.setUser(*self.lines)
 *
 * class IFingerSetterFactory(Interface):
 *     def setUser(user, status): ...
 *     def buildProtocol(addr): ...
 *
 * @implementer(IFingerSetterFactory)
 * class FingerSetterFactoryFromService(protocol.ServerFactory):
 *     protocol = FingerSetterProtocol
 *     def __init__(self, service):
 *         self.service = service
 *     def setUser(self, user, status):
 *         self.service.setUser(user, status)
 *
 * components.registerAdapter(FingerSetterFactoryFromService,
 *                            IFingerSetterService, IFingerSetterFactory)
 *
 * class IRCReplyBot(irc.IRCClient):
 *     def connectionMade(self):
 *         self.nickname = self.factory.nickname
 *         irc.IRCClient.connectionMade(self)
 *     def privmsg(self, user, channel, msg):
 *         user = user.split("!")[0]
 *         if self.nickname.lower() == channel.lower():
 *             d = self.factory.getUser(msg)
 *             d.addErrback(catchError)
 *             d.addCallback(lambda m: "Status of %s: %s" % (msg, m))
 *             d.addCallback(lambda m: self.msg(user, m))
 *
 * class IIRCClientFactory(Interface):
 *     nickname = Attribute("A nickname for the client")
 *     def getUser(user): ...
 *     def buildProtocol(addr): ...
 *
 * @implementer(IIRCClientFactory)
 * class IRCClientFactoryFromService(protocol.ClientFactory):
 *     protocol = IRCReplyBot
 *     nickname = None
 *     def __init__(self, service):
 *         self.service = service
 *     def getUser(self, user):
 *         return self.service.getUser(user)
 *
 * components.registerAdapter(IRCClientFactoryFromService, IFingerService,
 *                            IIRCClientFactory)
 *
 * @implementer(IFingerService)
 * class FingerService(service.Service):
 *     ...  # step 14's, plus:
 *     def getUsers(self):
 *         return defer.succeed(list(self.users.keys()))
 *
 * application = service.Application("finger", uid=1, gid=1)
 * f = FingerService("/etc/users")
 * serviceCollection = service.IServiceCollection(application)
 * f.setServiceParent(serviceCollection)
 * strports.service("tcp:79", IFingerFactory(f)).setServiceParent(
 *     serviceCollection)
 * site = server.Site(resource.IResource(f))
 * strports.service("tcp:8000", site).setServiceParent(serviceCollection)
 * i = IIRCClientFactory(f)
 * i.nickname = "fingerbot"
 * internet.ClientService(
 *     endpoints.clientFromString(reactor, "tcp:irc.freenode.org:6667"), i
 * ).setServiceParent(serviceCollection)
 * ```
 *
 * @module
 */

import {
  ClientFactory,
  clientFromString,
  type Deferred,
  type Factory,
  getReactor,
  type IProtocolFactory,
  LineReceiver,
  log,
  type ProtocolClass,
  ServerFactory,
  succeed,
} from "../../mod.ts";
import {
  Application,
  ClientService,
  IServiceCollection,
  strports,
} from "../../reactor/application/mod.ts";
import { IRCClient } from "../../protocols/irc/mod.ts";
import { FingerSetterProtocol } from "./finger12.ts";
import { FingerService as FileFingerService } from "./finger14.ts";
import { UserStatusTree, UserStatusXR } from "./finger18.ts";
import { type Resource, Site } from "../../protocols/http/mod.ts";
import {
  envId,
  envPort,
  envSeconds,
  envString,
  tcp,
  usersFile,
} from "./_env.ts";

/** A finger backend. */
export interface IFingerService {
  /**
   * Says what is known about `user`.
   *
   * @param user The username.
   * @returns A Deferred of the user's status (or `No such user`).
   */
  getUser(user: string): Deferred<string | Uint8Array>;
  /** Returns a Deferred of the usernames known. */
  getUsers(): Deferred<string[]>;
}

/** A finger backend whose users' status can be set. */
export interface IFingerSetterService {
  /**
   * Sets the user's status to something.
   *
   * @param user The username.
   * @param status The status.
   */
  setUser(user: string, status: string): void;
}

/** The errback of every front end: a failed query becomes this answer. */
export function catchError(): string {
  return "Internal error in server";
}

/** Answers the username line with its factory's answer. */
export class FingerProtocol extends LineReceiver {
  declare factory: Factory & IFingerFactory;

  /**
   * Asks the factory about `user`, writes the answer, and closes.
   *
   * @param user The username.
   */
  override lineReceived(user: string): void {
    const d = this.factory.getUser(user);
    d.addErrback(catchError);
    const writeValue = (value: string | Uint8Array): void => {
      this.transport.write(value);
      this.transport.write("\r\n");
      this.transport.loseConnection();
    };
    d.addCallback(writeValue);
  }
}

/** A factory of finger servers. */
export interface IFingerFactory extends IProtocolFactory {
  /**
   * Says what is known about `user`.
   *
   * @param user The username.
   * @returns A Deferred of the answer.
   */
  getUser(user: string): Deferred<string | Uint8Array>;
}

/** The {@linkcode IFingerFactory} of an {@linkcode IFingerService}. */
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

/**
 * Adapts a finger backend to a finger server factory (Twisted's
 * `IFingerFactory(service)`, through the adapter registry).
 *
 * @param service The backend.
 * @returns The factory.
 */
export function IFingerFactory(service: IFingerService): IFingerFactory {
  return new FingerFactoryFromService(service);
}

/** A factory of setters. */
export interface IFingerSetterFactory extends IProtocolFactory {
  /**
   * Sets the user's status.
   *
   * @param user The username.
   * @param status The status.
   */
  setUser(user: string, status: string): void;
}

/** The {@linkcode IFingerSetterFactory} of an {@linkcode IFingerSetterService}. */
export class FingerSetterFactoryFromService extends ServerFactory
  implements IFingerSetterFactory {
  override protocol: ProtocolClass = FingerSetterProtocol;
  /** The backend. */
  service: IFingerSetterService;

  /**
   * Adapts `service`.
   *
   * @param service The backend.
   */
  constructor(service: IFingerSetterService) {
    super();
    this.service = service;
  }

  /**
   * Sets the status in the backend.
   *
   * @param user The username.
   * @param status The status.
   */
  setUser(user: string, status: string): void {
    this.service.setUser(user, status);
  }
}

/**
 * Adapts a settable backend to a setter factory.
 *
 * @param service The backend.
 * @returns The factory.
 */
export function IFingerSetterFactory(
  service: IFingerSetterService,
): IFingerSetterFactory {
  return new FingerSetterFactoryFromService(service);
}

/** Answers a whispered username with `Status of user: status`. */
export class IRCReplyBot extends IRCClient {
  declare factory: Factory & IIRCClientFactory;

  /** Takes the factory's nickname, then registers. */
  override connectionMade(): void {
    this.nickname = this.factory.nickname ?? this.nickname;
    super.connectionMade();
  }

  /** Logs that the server has accepted the bot. */
  override signedOn(): void {
    log.msg(`${this.nickname} has signed on`);
  }

  /**
   * Answers a private message with the status of the user it names.
   *
   * @param user Who sent it: `nick!user@host`.
   * @param channel The bot's nickname, or a channel.
   * @param msg The username asked about.
   */
  override privmsg(user: string, channel: string, msg: string): void {
    user = user.split("!")[0];
    if (this.nickname.toLowerCase() === channel.toLowerCase()) {
      const decoder = new TextDecoder();
      this.factory.getUser(msg)
        .addErrback(catchError)
        .addCallback((m) =>
          `Status of ${msg}: ${typeof m === "string" ? m : decoder.decode(m)}`
        )
        .addCallback((m) => this.msg(user, m));
    }
  }
}

/** A factory of IRC bots. */
export interface IIRCClientFactory extends IProtocolFactory {
  /** A nickname for the client. */
  nickname: string | null;
  /**
   * Says what is known about `user`.
   *
   * @param user The username.
   * @returns A Deferred of the answer.
   */
  getUser(user: string): Deferred<string | Uint8Array>;
}

/** The {@linkcode IIRCClientFactory} of an {@linkcode IFingerService}. */
export class IRCClientFactoryFromService extends ClientFactory
  implements IIRCClientFactory {
  override protocol: ProtocolClass = IRCReplyBot;
  /** The bots' nickname (`null`: the IRC client's default). */
  nickname: string | null = null;
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

/**
 * Adapts a finger backend to an IRC bot factory.
 *
 * @param service The backend.
 * @returns The factory.
 */
export function IIRCClientFactory(service: IFingerService): IIRCClientFactory {
  return new IRCClientFactoryFromService(service);
}

/**
 * Adapts a finger backend to the web site's root resource (Twisted's
 * `components.registerAdapter(UserStatusTree, IFingerService,
 * resource.IResource)`): step 18's tree, with `/RPC2`.
 *
 * @param service The backend.
 * @returns The root resource.
 */
export function IResource(service: IFingerService): Resource {
  const r = new UserStatusTree(service);
  r.putChild("RPC2", new UserStatusXR(service));
  return r;
}

/** Step 14's backend (the users file), now an {@linkcode IFingerService}. */
export class FingerService extends FileFingerService implements IFingerService {
  /** Returns a Deferred of the usernames in the file. */
  getUsers(): Deferred<string[]> {
    return succeed([...this.users.keys()]);
  }
}

/** What the runner runs: finger on 79 and the IRC bot. */
export const application: Application = new Application("finger", {
  uid: envId("FINGER_UID"),
  gid: envId("FINGER_GID"),
});
const f = new FingerService(usersFile(), envSeconds("FINGER_RELOAD", 30));
const serviceCollection = IServiceCollection(application);
f.setServiceParent(serviceCollection);
strports.service(tcp(envPort("FINGER_PORT", 79)), IFingerFactory(f))
  .setServiceParent(serviceCollection);
strports.service(
  tcp(envPort("FINGER_WEB_PORT", 8000)),
  new Site(IResource(f)),
).setServiceParent(serviceCollection);
const i = IIRCClientFactory(f);
i.nickname = envString("FINGER_IRC_NICK", "fingerbot");
new ClientService(
  clientFromString(
    getReactor(),
    envString("FINGER_IRC_SERVER", "tcp:127.0.0.1:6667"),
  ),
  i,
).setServiceParent(serviceCollection);
