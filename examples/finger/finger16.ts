// Copyright 2026 the Torsion authors. MIT license.
/**
 * Finger, step 16 (the tutorial's `finger16.tac`): **an IRC bot.** The
 * `FingerService` of step 14 gets one more front end: `getIRCBot(nickname)`
 * builds a client factory of `IRCReplyBot`s, which a {@linkcode
 * ClientService} keeps connected to an IRC server (connecting again, with
 * backoff, when the connection is lost or fails). Whisper a username to the
 * bot and it answers with the user's status: `moshez: happy and well`.
 *
 * ```sh
 * FINGER_PORT=7979 FINGER_IRC_SERVER=tcp:127.0.0.1:6667 \
 *   deno task run examples/finger/finger16.ts
 * # in an IRC client on that server: /msg fingerbot moshez
 * # <fingerbot> moshez: happy and well
 * ```
 *
 * The tutorial connects to `irc.freenode.org:6667`, which is gone:
 * `FINGER_IRC_SERVER` (a client endpoint string) is the server, by default
 * `tcp:127.0.0.1:6667` (Debian's `ngircd` will do); `FINGER_IRC_NICK` the
 * nickname (`fingerbot`). Settings: [_env.ts](_env.ts); about uid/gid, see
 * [finger11.ts](finger11.ts).
 *
 * The web front end of step 15 stays, on `FINGER_WEB_PORT` (8000).
 * Added: the bot logs `fingerbot has signed on` once the server has
 * accepted it.
 *
 * **Fixed quirk**: the original's errback returns a `str` that the callback
 * then `.decode`s, which fails: a failing `getUser` left the asker without
 * an answer. Here both are text.
 *
 * Python original (`FingerProtocol` and the rest of `FingerService` are
 * step 14's):
 *
 * ```py
 * class IRCReplyBot(irc.IRCClient):
 *     def connectionMade(self):
 *         self.nickname = self.factory.nickname
 *         irc.IRCClient.connectionMade(self)
 *
 *     def privmsg(self, user, channel, msg):
 *         user = user.split("!")[0]
 *         if self.nickname.lower() == channel.lower():
 *             d = self.factory.getUser(msg.encode("ascii"))
 *
 *             def onError(err):
 *                 return "Internal error in server"
 *
 *             d.addErrback(onError)
 *
 *             def writeResponse(message):
 *                 message = message.decode("ascii")
 *                 irc.IRCClient.msg(self, user, msg + ": " + message)
 *
 *             d.addCallback(writeResponse)
 *
 * class FingerService(service.Service):
 *     ...
 *     def getIRCBot(self, nickname):
 *         f = protocol.ClientFactory()
 *         f.protocol = IRCReplyBot
 *         f.nickname = nickname
 *         f.getUser = self.getUser
 *         return f
 *
 * application = service.Application("finger", uid=1, gid=1)
 * f = FingerService("/etc/users")
 * serviceCollection = service.IServiceCollection(application)
 * f.setServiceParent(serviceCollection)
 * strports.service("tcp:79", f.getFingerFactory()).setServiceParent(
 *     serviceCollection
 * )
 * strports.service("tcp:8000", server.Site(f.getResource())).setServiceParent(
 *     serviceCollection
 * )
 * internet.ClientService(
 *     endpoints.clientFromString(reactor, "tcp:irc.freenode.org:6667"),
 *     f.getIRCBot("fingerbot"),
 * ).setServiceParent(serviceCollection)
 * ```
 *
 * @module
 */

import {
  ClientFactory,
  clientFromString,
  type Deferred,
  getReactor,
  log,
} from "../../mod.ts";
import {
  Application,
  ClientService,
  IServiceCollection,
  strports,
} from "../../reactor/application/mod.ts";
import { IRCClient } from "../../protocols/irc/mod.ts";
import { type Resource, Site } from "../../protocols/http/mod.ts";
import { FingerService as FileFingerService } from "./finger14.ts";
import { FingerResource } from "./finger15.ts";
import {
  envId,
  envPort,
  envSeconds,
  envString,
  tcp,
  usersFile,
} from "./_env.ts";

/** What the bot's factory offers it. */
export type IRCBotFactory = ClientFactory & {
  nickname: string;
  getUser(user: string): Deferred<string>;
};

/** Answers a whispered username with the user's status. */
export class IRCReplyBot extends IRCClient {
  declare factory: IRCBotFactory;

  /** Takes the factory's nickname, then registers. */
  override connectionMade(): void {
    this.nickname = this.factory.nickname;
    super.connectionMade();
  }

  /** Logs that the server has accepted the bot. */
  override signedOn(): void {
    log.msg(`${this.nickname} has signed on`);
  }

  /**
   * Answers a private message (one sent to the bot's nickname, not to a
   * channel) with `msg: status`.
   *
   * @param user Who sent it: `nick!user@host`.
   * @param channel The bot's nickname, or a channel.
   * @param msg The username asked about.
   */
  override privmsg(user: string, channel: string, msg: string): void {
    user = user.split("!")[0];
    if (this.nickname.toLowerCase() === channel.toLowerCase()) {
      const d = this.factory.getUser(msg);

      const onError = (): string => "Internal error in server";
      d.addErrback(onError);

      const writeResponse = (message: string): void => {
        this.msg(user, msg + ": " + message);
      };
      d.addCallback(writeResponse);
    }
  }
}

/** Step 14's service, with an IRC bot. */
export class FingerService extends FileFingerService {
  /** Returns step 15's web front end. */
  getResource(): Resource {
    return new FingerResource(this);
  }

  /**
   * Returns a factory of IRC bots that answer from this service.
   *
   * @param nickname The bots' nickname.
   * @returns The factory.
   */
  getIRCBot(nickname: string): IRCBotFactory {
    const f = new ClientFactory();
    f.protocol = IRCReplyBot;
    return Object.assign(f, {
      nickname,
      getUser: (user: string) => this.getUser(user),
    });
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
strports.service(tcp(envPort("FINGER_PORT", 79)), f.getFingerFactory())
  .setServiceParent(serviceCollection);
strports.service(
  tcp(envPort("FINGER_WEB_PORT", 8000)),
  new Site(f.getResource()),
).setServiceParent(serviceCollection);
new ClientService(
  clientFromString(
    getReactor(),
    envString("FINGER_IRC_SERVER", "tcp:127.0.0.1:6667"),
  ),
  f.getIRCBot(envString("FINGER_IRC_NICK", "fingerbot")),
).setServiceParent(serviceCollection);
