// Copyright 2026 the Torsion authors. MIT license.
// deno-lint-ignore-file no-console
/**
 * The seeds' advanced client, ircLogBot: an {@linkcode IRCClient} that
 * joins a channel and logs what it sees to a file through a
 * {@linkcode MessageLogger}: the messages, the actions (`/me`) and the
 * nickname changes. It answers a whisper with "It isn't nice to whisper!
 * Play nice with the group." and a message that starts with its nickname
 * and a colon with "user: I am a log bot". The channel and the file name
 * live on the factory, which outlives the protocols: a new {@linkcode
 * LogBot} is built for each connection, and the factory connects again
 * when the server drops it.
 *
 * ```sh
 * deno run -A examples/irc_log_bot.ts torsion bot.log [--host H] [--port P] [--nick N]
 * tail -f bot.log
 * # [14:02:11] [connected at Sat Nov 28 14:02:11 2026]
 * # [14:02:11] [I have joined #torsion]
 * # [14:02:30] <alice> hello
 * # [14:02:41] * alice waves
 * # [14:02:50] alice is now known as alicia
 * ```
 *
 * The seed connects to irc.freenode.net, which is gone: this one connects
 * to 127.0.0.1:6667 unless told otherwise (any IRC server will do, such as
 * Debian's `ngircd`). The channel gets a `#` if it has none, as `join`
 * adds one. Twisted's log goes to stdout, as in the seed.
 *
 * Reconnecting: as in the seed, a lost connection is made again at once.
 * The seed stops when a connection attempt fails; a restarted server is
 * unreachable for a moment, so once the bot has been connected, a failed
 * attempt is retried with {@linkcode ReconnectingClientFactory}'s backoff
 * (about 2.7 s, then e times longer each time), after printing the seed's
 * "connection failed:" line. A first connection that fails still stops the
 * program (exit status 1). Ctrl-C stops it: a "before shutdown" trigger
 * calls `stopTrying()`, so the connection the shutdown closes is not made
 * again, and its end is logged.
 *
 * Python original (the seed's, "高级示例: ircLogBot"):
 *
 * ```py
 * class MessageLogger:
 *     def __init__(self, file):
 *         self.file = file
 *     def log(self, message):
 *         timestamp = time.strftime("[%H:%M:%S]", time.localtime(time.time()))
 *         self.file.write('%s %s\n' % (timestamp, message))
 *         self.file.flush()
 *     def close(self):
 *         self.file.close();
 *
 * class LogBot(irc.IRCClient):
 *     nickname = "twistedbot"
 *     def connectionMade(self):
 *         irc.IRCClient.connectionMade(self)
 *         self.logger = MessageLogger(open(self.factory.filename, "a"))
 *         self.logger.log("[connected at %s]" %time.asctime(time.localtime(time.time())))
 *     def connectionLost(self, reason):
 *         irc.IRCClient.connectionLost(self, reason)
 *         self.logger.log("[disconnected at %s]" % time.asctime(time.localtime(time.time())))
 *         self.logger.close()
 *     def signedOn(self):
 *         self.join(self.factory.channel)
 *     def joined(self, channel):
 *         self.logger.log("[I have joined %s]" % channel)
 *     def privmsg(self, user, channel, msg):
 *         user = user.split('!', 1)[0]
 *         self.logger.log("<%s> %s" % (user, msg))
 *         if channel == self.nickname:
 *             msg = "It isn't nice to whisper! Play nice with the group."
 *             self.msg(user, msg)
 *             return
 *         if msg.startswith(self.nickname + ":"):
 *             msg = "%s: I am a log bot" % user
 *             self.msg(channel, msg)
 *             self.logger.log("<%s> %s" % (self.nickname, msg))
 *     def action(self, user, channel, msg):
 *         user = user.split('!', 1)[0]
 *         self.logger.log("* %s %s" % (user, msg))
 *     def irc_NICK(self, prefix, params):
 *         old_nick = prefix.split('!')[0]
 *         new_nick = params[0]
 *         self.logger.log("%s is now known as %s" % (old_nick, new_nick))
 *
 * class LogBotFactory(protocol.ClientFactory):
 *     protocol = LogBot
 *     def __init__(self, channel, filename):
 *         self.channel = channel
 *         self.filename = filename
 *     def clientConnectionLost(self, connector, reason):
 *         connector.connect()
 *     def clientConnectionFailed(self, connector, reason):
 *         print "connection failed:", reason
 *         reactor.stop()
 *
 * if __name__ == '__main__':
 *     log.startLogging(sys.stdout)
 *     f = LogBotFactory(sys.argv[1], sys.argv[2])
 *     reactor.connectTCP("irc.freenode.net", 6667, f)
 *     reactor.run()
 * ```
 *
 * @module
 */

import {
  type Failure,
  type IAddress,
  type IConnector,
  type IProtocol,
  log,
  reactor,
  ReconnectingClientFactory,
} from "../mod.ts";
import { IRCClient } from "../protocols/irc/mod.ts";
import { cli, portNumber, usageError } from "./_cli.ts";

const encoder = new TextEncoder();
const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = [
  "Jan",
  "Feb",
  "Mar",
  "Apr",
  "May",
  "Jun",
  "Jul",
  "Aug",
  "Sep",
  "Oct",
  "Nov",
  "Dec",
];

function two(n: number): string {
  return String(n).padStart(2, "0");
}

/** Python's `time.strftime("%H:%M:%S")`: the local time. */
function clockTime(d: Date): string {
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** Python's `time.asctime()`: `Sat Nov 28 14:02:11 2026`, local time. */
function asctime(d: Date = new Date()): string {
  return `${DAYS[d.getDay()]} ${MONTHS[d.getMonth()]} ${
    String(d.getDate()).padStart(2, " ")
  } ${clockTime(d)} ${d.getFullYear()}`;
}

/**
 * An independent logger class (because separation of application and
 * protocol logic is a good thing).
 */
export class MessageLogger {
  /** The file the messages go to. */
  file: Deno.FsFile;

  /**
   * Makes a logger that writes to `file`.
   *
   * @param file An open file.
   */
  constructor(file: Deno.FsFile) {
    this.file = file;
  }

  /**
   * Writes a message to the file, after the time: `[14:02:11] message`.
   * The write is unbuffered, so nothing needs flushing.
   *
   * @param message The message.
   */
  log(message: string): void {
    const timestamp = `[${clockTime(new Date())}]`;
    const data = encoder.encode(`${timestamp} ${message}\n`);
    for (let off = 0; off < data.length;) {
      off += this.file.writeSync(data.subarray(off));
    }
  }

  /** Closes the file. */
  close(): void {
    this.file.close();
  }
}

/** A logging IRC bot. */
export class LogBot extends IRCClient {
  override nickname = "twistedbot";
  declare factory: LogBotFactory;
  /** The logger of this connection. */
  logger!: MessageLogger;

  /** Opens the log file (appending) and logs the connection. */
  override connectionMade(): void {
    super.connectionMade();
    this.logger = new MessageLogger(
      Deno.openSync(this.factory.filename, { append: true, create: true }),
    );
    this.logger.log(`[connected at ${asctime()}]`);
  }

  /**
   * Logs the end of the connection and closes the log file.
   *
   * @param reason Why it ended.
   */
  override connectionLost(reason: Failure): void {
    super.connectionLost(reason);
    this.logger.log(`[disconnected at ${asctime()}]`);
    this.logger.close();
  }

  // Callbacks for events.

  /** Called when the bot has successfully signed on to the server. */
  override signedOn(): void {
    this.join(this.factory.channel);
  }

  /**
   * Called when the bot joins the channel.
   *
   * @param channel The channel.
   */
  override joined(channel: string): void {
    this.logger.log(`[I have joined ${channel}]`);
  }

  /**
   * Called when the bot receives a message.
   *
   * @param user Who sent it: `nick!user@host`.
   * @param channel The channel, or the bot's nickname for a whisper.
   * @param msg The text.
   */
  override privmsg(user: string, channel: string, msg: string): void {
    user = user.split("!", 1)[0];
    this.logger.log(`<${user}> ${msg}`);

    // Check to see if they're sending me a private message.
    if (channel === this.nickname) {
      msg = "It isn't nice to whisper! Play nice with the group.";
      this.msg(user, msg);
      return;
    }
    // Otherwise check to see if it is a message directed at me.
    if (msg.startsWith(this.nickname + ":")) {
      msg = `${user}: I am a log bot`;
      this.msg(channel, msg);
      this.logger.log(`<${this.nickname}> ${msg}`);
    }
  }

  /**
   * Called when the bot sees someone do an action.
   *
   * @param user Who: `nick!user@host`.
   * @param _channel Where.
   * @param msg The action.
   */
  override action(user: string, _channel: string, msg: string): void {
    user = user.split("!", 1)[0];
    this.logger.log(`* ${user} ${msg}`);
  }

  // IRC callbacks.

  /**
   * Called when an IRC user changes their nickname (the seed replaces
   * `IRCClient`'s handler, so `userRenamed` and `nickChanged` are not
   * called).
   *
   * @param prefix Who: `nick!user@host`.
   * @param params The new nickname.
   */
  override irc_NICK(prefix: string, params: string[]): void {
    const oldNick = prefix.split("!")[0];
    const newNick = params[0];
    this.logger.log(`${oldNick} is now known as ${newNick}`);
  }
}

/**
 * A factory for LogBots. A new protocol instance is created each time we
 * connect to the server; the channel and the file name stay here.
 */
export class LogBotFactory extends ReconnectingClientFactory {
  // The class of the protocol to build when a new connection is made.
  override protocol = LogBot;
  override noisy = false;
  /** The channel to join. */
  channel: string;
  /** The log file's name. */
  filename: string;
  /** The bot's nickname. */
  nickname = "twistedbot";
  #connected = false;

  /**
   * Makes the factory.
   *
   * @param channel The channel to join.
   * @param filename The log file's name.
   */
  constructor(channel: string, filename: string) {
    super();
    this.channel = channel;
    this.filename = filename;
  }

  /**
   * Builds a {@linkcode LogBot} with the nickname, and starts the backoff
   * over.
   *
   * @param addr The server's address.
   * @returns The bot.
   */
  override buildProtocol(addr: IAddress): IProtocol | null {
    this.#connected = true;
    this.resetDelay();
    const bot = super.buildProtocol(addr) as LogBot;
    bot.nickname = this.nickname;
    return bot;
  }

  /**
   * If we get disconnected, reconnect to the server.
   *
   * @param connector The connector.
   * @param _reason Why the connection ended.
   */
  override clientConnectionLost(
    connector: IConnector,
    _reason: Failure,
  ): void {
    if (this.continueTrying) connector.connect();
  }

  /**
   * Prints why; stops if the bot has never been connected, else retries
   * later.
   *
   * @param connector The connector.
   * @param reason Why the attempt failed.
   */
  override clientConnectionFailed(
    connector: IConnector,
    reason: Failure,
  ): void {
    console.log("connection failed:", String(reason));
    if (this.#connected) {
      super.clientConnectionFailed(connector, reason);
    } else {
      Deno.exitCode = 1;
      reactor.stop();
    }
  }
}

const USAGE = `
Usage: deno run -A examples/irc_log_bot.ts CHANNEL LOGFILE
         [--host H] [--port P] [--nick N]

  CHANNEL    the channel to join and log (a # is added if missing)
  LOGFILE    the file to append the log to
  --host H   the IRC server [default: 127.0.0.1]
  --port P   its port [default: 6667]
  --nick N   the bot's nickname [default: twistedbot]
`;

if (import.meta.main) {
  const { values, positionals } = cli(USAGE, {
    host: { type: "string", default: "127.0.0.1" },
    port: { type: "string", default: "6667" },
    nick: { type: "string", default: "twistedbot" },
  });
  if (positionals.length !== 2) {
    usageError(USAGE, "expected CHANNEL and LOGFILE");
  }
  // Initialize logging.
  log.startLogging((line) => console.log(line));
  // Create the factory.
  const factory = new LogBotFactory(positionals[0], positionals[1]);
  factory.nickname = values.nick;
  // On Ctrl-C or SIGTERM, do not reconnect the connection the shutdown closes.
  reactor.addSystemEventTrigger(
    "before",
    "shutdown",
    () => factory.stopTrying(),
  );
  // Connect the factory to this host and port, and run the bot.
  reactor.connectTCP(values.host, portNumber(USAGE, values.port), factory);
  await reactor.run();
}
