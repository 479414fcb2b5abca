// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode IRCClient}: the client side of IRC, after Twisted's
 * `twisted.words.protocols.irc.IRCClient`.
 *
 * The handlers keep Twisted's names on purpose, underscores included:
 * `irc_PRIVMSG`, `irc_RPL_WELCOME`, `ctcpQuery_VERSION`. The dispatch finds
 * them by name (`"irc_" + command`), and programs written for Twisted
 * override them as they are. (Deno's `camelcase` lint rule leaves method
 * names alone, so no lint exception is needed for them.)
 *
 * @module
 */

import type { Failure } from "../../defer/failure.ts";
import * as log from "../../defer/log.ts";
import type { IDelayedCall, IReactorTime } from "../../reactor/interfaces.ts";
import { defineClockProperty } from "../../reactor/_clock_property.ts";
import { LoopingCall } from "../../reactor/task/looping_call.ts";
import { LineReceiver } from "../line_receiver.ts";
import { asctime } from "../_asctime.ts";
import { repr } from "./_repr.ts";
import { utf8Length } from "./_utf8.ts";
import {
  type CtcpData,
  ctcpExtract,
  type CtcpMessage,
  ctcpStringify,
  lowDequote,
  lowQuote,
  X_DELIM,
} from "./ctcp.ts";
import { IRCBadMessage, IRCBadModes, IRCPasswordMismatch } from "./errors.ts";
import {
  formatMessage,
  type FormatMessageOptions,
  type IRCMessage,
  MAX_COMMAND_LENGTH,
  MAX_TAGS_LENGTH,
  parseMessage,
} from "./message.ts";
import { NUMERIC_TO_SYMBOLIC } from "./numerics.ts";
import { parseModes } from "./parse_modes.ts";
import { ServerSupportedFeatures } from "./server_supported_features.ts";
import { split } from "./split.ts";

/** The characters that start a channel name (Twisted's `CHANNEL_PREFIXES`). */
const CHANNEL_PREFIXES = "&#!+";
const NO_TAGS: ReadonlyMap<string, string> = new Map();
const PING_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ" +
  "0123456789!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

/** `#channel` for `channel` without a channel prefix. */
function channelName(channel: string): string {
  return CHANNEL_PREFIXES.includes(channel[0] ?? "#") ? channel : "#" + channel;
}

/** The nickname of a `nick!user@host` prefix. */
function nickOf(prefix: string): string {
  const i = prefix.indexOf("!");
  return i === -1 ? prefix : prefix.slice(0, i);
}

/** Python's `s.split(None, maxsplit)`. */
function splitWords(s: string, maxsplit = -1): string[] {
  const words: string[] = [];
  let rest = s.trimStart();
  while (rest !== "") {
    if (maxsplit >= 0 && words.length === maxsplit) {
      words.push(rest);
      break;
    }
    const m = /\s/.exec(rest);
    if (m === null) {
      words.push(rest);
      break;
    }
    words.push(rest.slice(0, m.index));
    rest = rest.slice(m.index).trimStart();
  }
  return words;
}

/** Python's `int(s)` for a decimal integer, else `null`. */
function toInt(s: string): number | null {
  const m = /^\s*([+-]?\d+(?:_\d+)*)\s*$/.exec(s);
  return m ? Number(m[1].replaceAll("_", "")) : null;
}

/**
 * Throws {@linkcode IRCBadMessage} unless `params` has at least `n`
 * parameters (where Twisted would fail on an `IndexError`).
 */
function need(command: string, params: readonly string[], n: number): void {
  if (params.length < n) {
    throw new IRCBadMessage(
      `Cannot handle ${command}: it needs ${n} parameters, got ${params.length}`,
    );
  }
}

/**
 * The client side of the IRC protocol (Twisted's `IRCClient`): a
 * {@linkcode LineReceiver} that registers with the server on connection,
 * turns each message from the server into a call of a callback, and sends
 * commands.
 *
 * **Receiving.** Each line (LF-delimited; CRs are dropped, so CR LF and
 * bare LF both work) is decoded as UTF-8, low-level dequoted, parsed
 * ({@linkcode parseMessage}) and dispatched by
 * {@linkcode IRCClient.handleCommand} to the method named `irc_<COMMAND>`:
 * `irc_PRIVMSG`, or for numerics the RFC 2812 name (`001` calls
 * `irc_RPL_WELCOME`, `433` `irc_ERR_NICKNAMEINUSE`), falling back to
 * {@linkcode IRCClient.irc_unknown}. The handlers call the callbacks you
 * override: {@linkcode IRCClient.signedOn}, {@linkcode IRCClient.joined},
 * {@linkcode IRCClient.privmsg}, {@linkcode IRCClient.action},
 * {@linkcode IRCClient.userRenamed} and so on. While a handler runs,
 * {@linkcode IRCClient.messageTags} holds the message's IRCv3 tags.
 *
 * **Bad input is logged and skipped**, and the connection stays: a line
 * that is not UTF-8, is empty of a command, or is longer than 512 bytes
 * (without its tags) goes to {@linkcode IRCClient.badMessage}; a line
 * longer than {@linkcode IRCClient.MAX_LENGTH} is dropped up to its end;
 * an error thrown by a handler or a callback (a numeric without its
 * parameters, say) is logged with `log.err`.
 *
 * **Sending.** {@linkcode IRCClient.join}, {@linkcode IRCClient.msg} (which
 * splits long texts), {@linkcode IRCClient.describe} and the other commands
 * go through {@linkcode IRCClient.sendLine}, which low-level quotes the line
 * (a newline cannot start another command) and, with
 * {@linkcode IRCClient.lineRate} set, queues lines to send one per
 * `lineRate` seconds.
 *
 * **Time.** The flood control, the heartbeat (a `PING` to the server every
 * {@linkcode IRCClient.heartbeatInterval} seconds once signed on) and the
 * CTCP `PING` and `TIME` answers use {@linkcode IRCClient.clock}: the
 * default reactor unless set (tests set a `Clock`).
 *
 * Differences from Twisted: no DCC (`DCC` queries go to
 * `ctcpUnknownQuery`); `realname` defaults to the nickname in `USER`
 * (Twisted sends `None`); lengths are UTF-8 bytes, not characters; empty
 * lines are ignored; the queued lines are dropped when the connection is
 * lost; and the additions {@linkcode IRCClient.who},
 * {@linkcode IRCClient.sendCommand} and {@linkcode IRCClient.messageTags}.
 *
 * @example A bot
 * ```ts
 * import { IRCClient } from "@torsion/torsion/irc";
 * import { Clock, StringTransport } from "@torsion/torsion/testing";
 * import { equal } from "node:assert/strict";
 *
 * class Bot extends IRCClient {
 *   override nickname = "bot";
 *   override signedOn(): void {
 *     this.join("deno");
 *   }
 *   override privmsg(user: string, channel: string, message: string): void {
 *     if (message === "!ping") this.say(channel, `${user.split("!")[0]}: pong`);
 *   }
 * }
 * const t = new StringTransport();
 * const bot = new Bot();
 * bot.clock = new Clock();
 * bot.makeConnection(t);
 * equal(t.valueText(), "NICK bot\r\nUSER bot foo bar :bot\r\n");
 * t.clear();
 * bot.dataReceived(new TextEncoder().encode(
 *   ":irc.example 001 bot :Welcome\r\n" +
 *     ":alice!a@host PRIVMSG #deno :!ping\r\n",
 * ));
 * equal(t.valueText(), "JOIN #deno\r\nPRIVMSG #deno :alice: pong\r\n");
 * ```
 */
export class IRCClient extends LineReceiver {
  /**
   * The server's name, from the prefix of its welcome (`RPL_WELCOME`);
   * `null` before.
   */
  hostname: string | null = null;
  /**
   * The lines of the message of the day, between `RPL_MOTDSTART` and
   * `RPL_ENDOFMOTD`; `null` otherwise.
   */
  motd: string[] | null = null;
  /**
   * The nickname: the one to register with, then the one the server
   * accepted (set on `RPL_WELCOME` and by
   * {@linkcode IRCClient.nickChanged}).
   *
   * @default {"irc"}
   */
  nickname: string = "irc";
  /** The server password, sent with `PASS` on registration; `null` for none. */
  password: string | null = null;
  /**
   * The real name sent in `USER`; `null` sends the nickname.
   */
  realname: string | null = null;
  /**
   * The user name sent in `USER`; `null` sends the nickname (and sets this
   * to it).
   */
  username: string | null = null;
  /** The answer to a CTCP `USERINFO` query; `null` for no answer. */
  userinfo: string | null = null;
  /**
   * The answer to a CTCP `FINGER` query, or a function that returns it;
   * `null` for no answer.
   */
  fingerReply: string | (() => string) | null = null;
  /** The client's name in the answer to a CTCP `VERSION`; `null` for no answer. */
  versionName: string | null = null;
  /** The client's version in the answer to a CTCP `VERSION`. */
  versionNum: string | null = null;
  /** The client's environment in the answer to a CTCP `VERSION`. */
  versionEnv: string | null = null;
  /**
   * The answer to a CTCP `SOURCE` query; `null` for no answer.
   *
   * @default {"http://twistedmatrix.com/downloads/"}
   */
  sourceURL: string | null = "http://twistedmatrix.com/downloads/";
  /**
   * Whether to register (`PASS`, `NICK`, `USER`) in `connectionMade`.
   *
   * @default {true}
   */
  performLogin: boolean = true;
  /**
   * The least time between two lines sent, in seconds: lines are queued
   * and sent one per `lineRate` (the first at once). `null`: no delay.
   *
   * @default {null}
   */
  lineRate: number | null = null;
  /**
   * Seconds between the `PING`s sent to the server to keep the connection
   * alive, from the welcome on; `null` for none.
   *
   * @default {120}
   */
  heartbeatInterval: number | null = 120;
  /**
   * The nickname to register with after `ERR_ERRONEUSNICKNAME` during
   * registration.
   *
   * @default {"defaultnick"}
   */
  erroneousNickFallback: string = "defaultnick";
  /** The server's ISUPPORT features; reset on each connection. */
  supported: ServerSupportedFeatures = new ServerSupportedFeatures();
  /**
   * The tags of the message being handled (empty outside a handler, and for
   * a message without tags).
   */
  messageTags: ReadonlyMap<string, string> = NO_TAGS;
  /**
   * The line delimiter: LF, the CR before it being dropped.
   *
   * @default {"\n"}
   */
  override delimiter: string | Uint8Array = "\n";
  /**
   * The longest line read, in bytes, without its LF: the tags
   * ({@linkcode MAX_TAGS_LENGTH}) and 510 bytes and a CR. A longer line is
   * logged and dropped up to its LF.
   *
   * @default {8702}
   */
  override MAX_LENGTH: number = MAX_TAGS_LENGTH + MAX_COMMAND_LENGTH - 1;
  /**
   * The clock of the flood control, the heartbeat and the CTCP answers:
   * the default reactor unless set.
   */
  declare clock: IReactorTime;

  #registered = false;
  #attemptedNick = "";
  #queue: (string | Uint8Array)[] = [];
  #queueEmptying: IDelayedCall | null = null;
  #heartbeat: LoopingCall | null = null;
  // Sent CTCP PINGs: JSON of [nick, key] to the time sent.
  #pings: Map<string, number> | null = null;
  // Dropping the rest of a line that was too long, up to its LF.
  #discarding = false;
  // What followed a line that was too long, to deliver next.
  #afterLongLine: Uint8Array | null = null;
  #utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

  /**
   * The most CTCP `PING`s waiting for an answer (Twisted's
   * `_MAX_PINGRING`); older ones are forgotten.
   *
   * @default {12}
   */
  static MAX_PINGRING = 12;

  /**
   * Whether the server has welcomed the client (`RPL_WELCOME`).
   *
   * @example Usage
   * ```ts
   * import { IRCClient } from "@torsion/torsion/irc";
   * import { StringTransport } from "@torsion/torsion/testing";
   * import { equal } from "node:assert/strict";
   *
   * const c = new IRCClient();
   * c.heartbeatInterval = null;
   * c.makeConnection(new StringTransport());
   * equal(c.registered, false);
   * c.dataReceived(new TextEncoder().encode(":srv 001 irc :Welcome\r\n"));
   * equal(c.registered, true);
   * ```
   */
  get registered(): boolean {
    return this.#registered;
  }

  // -- Sending --------------------------------------------------------

  /**
   * Sends a line (without CR LF): low-level quoted ({@linkcode lowQuote}),
   * then with CR LF; with {@linkcode IRCClient.lineRate}, through the
   * queue. Bytes are sent as they are, with CR LF.
   *
   * @param line The line.
   *
   * @example Usage
   * ```ts
   * import { IRCClient } from "@torsion/torsion/irc";
   * import { StringTransport } from "@torsion/torsion/testing";
   * import { equal } from "node:assert/strict";
   *
   * const t = new StringTransport();
   * const c = new IRCClient();
   * c.performLogin = false;
   * c.makeConnection(t);
   * c.sendLine("PRIVMSG #a :one\ntwo");
   * equal(t.valueText(), "PRIVMSG #a :one\x10ntwo\r\n");
   * ```
   */
  override sendLine(line: string | Uint8Array): void {
    if (this.lineRate === null) {
      this.#reallySendLine(line);
    } else {
      this.#queue.push(line);
      if (this.#queueEmptying === null) this.#sendQueued();
    }
  }

  #reallySendLine(line: string | Uint8Array): void {
    if (typeof line === "string") {
      super.sendLine(lowQuote(line) + "\r");
    } else {
      const bytes = new Uint8Array(line.length + 1);
      bytes.set(line);
      bytes[line.length] = 13;
      super.sendLine(bytes);
    }
  }

  #sendQueued(): void {
    const line = this.#queue.shift();
    if (line === undefined) {
      this.#queueEmptying = null;
      return;
    }
    this.#reallySendLine(line);
    this.#queueEmptying = this.clock.callLater(
      this.lineRate ?? 0,
      () => this.#sendQueued(),
    );
  }

  /**
   * Sends a message built by {@linkcode formatMessage}: the last parameter
   * gets its `:` when it needs one, and tags may be given. (An addition:
   * Twisted's client has only the commands below and `sendLine`.)
   *
   * @param command The command.
   * @param params The parameters.
   * @param options The tags (and a prefix, which clients do not send).
   * @throws {TypeError} As {@linkcode formatMessage}.
   * @throws {RangeError} As {@linkcode formatMessage}.
   *
   * @example Usage
   * ```ts
   * import { IRCClient } from "@torsion/torsion/irc";
   * import { StringTransport } from "@torsion/torsion/testing";
   * import { equal } from "node:assert/strict";
   *
   * const t = new StringTransport();
   * const c = new IRCClient();
   * c.performLogin = false;
   * c.makeConnection(t);
   * c.sendCommand("TAGMSG", ["#deno"], { tags: { "+typing": "active" } });
   * equal(t.valueText(), "@+typing=active TAGMSG #deno\r\n");
   * ```
   */
  sendCommand(
    command: string,
    params: readonly string[],
    options?: FormatMessageOptions,
  ): void {
    this.sendLine(formatMessage(command, params, options));
  }

  // -- Connection ------------------------------------------------------

  /**
   * Resets the ISUPPORT features and registers, unless
   * {@linkcode IRCClient.performLogin} is off.
   */
  override connectionMade(): void {
    this.supported = new ServerSupportedFeatures();
    this.#queue = [];
    if (this.performLogin) this.register(this.nickname);
  }

  /**
   * Stops the heartbeat and drops the lines still queued.
   *
   * @param reason Why the connection ended.
   */
  override connectionLost(reason: Failure): void {
    super.connectionLost(reason);
    this.stopHeartbeat();
    if (this.#queueEmptying !== null) {
      if (this.#queueEmptying.active()) this.#queueEmptying.cancel();
      this.#queueEmptying = null;
    }
    this.#queue = [];
  }

  /**
   * Starts sending a `PING` to the server every
   * {@linkcode IRCClient.heartbeatInterval} seconds (the first after one
   * interval); called on the welcome. Does nothing if the interval is
   * `null`.
   *
   * @example Usage
   * ```ts
   * import { IRCClient } from "@torsion/torsion/irc";
   * import { Clock, StringTransport } from "@torsion/torsion/testing";
   * import { equal } from "node:assert/strict";
   *
   * const clock = new Clock();
   * const t = new StringTransport();
   * const c = new IRCClient();
   * c.performLogin = false;
   * c.clock = clock;
   * c.makeConnection(t);
   * c.irc_RPL_WELCOME("irc.example", []);
   * clock.advance(120);
   * equal(t.valueText(), "PING irc.example\r\n");
   * c.stopHeartbeat();
   * ```
   */
  startHeartbeat(): void {
    this.stopHeartbeat();
    if (this.heartbeatInterval === null) return;
    const heartbeat = new LoopingCall(() => {
      this.sendLine("PING " + (this.hostname ?? ""));
    });
    heartbeat.clock = this.clock;
    this.#heartbeat = heartbeat;
    heartbeat.start(this.heartbeatInterval, false);
  }

  /** Stops the `PING`s of {@linkcode IRCClient.startHeartbeat}, if any. */
  stopHeartbeat(): void {
    const heartbeat = this.#heartbeat;
    if (heartbeat === null) return;
    this.#heartbeat = null;
    if (heartbeat.running) heartbeat.stop();
  }

  // -- Receiving -------------------------------------------------------

  /**
   * Splits received bytes into lines and handles them; after a line that
   * was too long, first drops what is left of it.
   *
   * @param data The bytes received.
   * @returns What `LineReceiver.dataReceived` returned.
   */
  override dataReceived(data: Uint8Array): unknown {
    if (this.#discarding) {
      const i = data.indexOf(10);
      if (i === -1) return undefined;
      this.#discarding = false;
      data = data.subarray(i + 1);
    }
    let result = super.dataReceived(data);
    while (this.#afterLongLine !== null) {
      const rest = this.#afterLongLine;
      this.#afterLongLine = null;
      result = super.dataReceived(rest);
    }
    return result;
  }

  /**
   * Drops the CRs of a line, decodes it as UTF-8 and passes it to
   * {@linkcode IRCClient.lineReceived}; a line that is not UTF-8 goes to
   * {@linkcode IRCClient.badMessage} instead.
   *
   * @param line The line, without its LF.
   * @returns Nothing.
   */
  override lineReceivedBytes(line: Uint8Array): unknown {
    if (line.includes(13)) line = line.filter((b) => b !== 13);
    let text: string;
    try {
      text = this.#utf8.decode(line);
    } catch (e) {
      this.badMessage(
        new TextDecoder().decode(line),
        new IRCBadMessage("Cannot decode the message: it is not UTF-8", {
          cause: e,
        }),
      );
      return undefined;
    }
    return this.lineReceived(text);
  }

  /**
   * Handles one line from the server: low-level dequotes it, parses it,
   * names a numeric, and calls {@linkcode IRCClient.handleCommand}. An
   * empty line is ignored; one that does not parse goes to
   * {@linkcode IRCClient.badMessage}.
   *
   * @param line The line, without CR LF.
   *
   * @example Usage
   * ```ts
   * import { IRCClient } from "@torsion/torsion/irc";
   * import { deepEqual } from "node:assert/strict";
   *
   * const seen: string[] = [];
   * class C extends IRCClient {
   *   override created(when: string): void {
   *     seen.push(when);
   *   }
   * }
   * new C().lineReceived(":srv 003 me :This server was created today");
   * deepEqual(seen, ["This server was created today"]);
   * ```
   */
  override lineReceived(line: string): void {
    if (line === "") return;
    let message: IRCMessage;
    try {
      message = parseMessage(lowDequote(line));
    } catch (e) {
      this.badMessage(line, e);
      return;
    }
    const command = NUMERIC_TO_SYMBOLIC.get(message.command) ??
      message.command;
    this.messageTags = message.tags;
    try {
      this.handleCommand(command, message.prefix, message.params);
    } finally {
      this.messageTags = NO_TAGS;
    }
  }

  /**
   * Calls the handler of a command, `irc_<command>(prefix, params)`, or
   * {@linkcode IRCClient.irc_unknown} if there is none. What a handler
   * throws is logged (`log.err`), not thrown.
   *
   * @param command The command, or the name of a numeric
   *   (`RPL_WELCOME`).
   * @param prefix The message's prefix (`""` if none).
   * @param params Its parameters.
   *
   * @example Usage
   * ```ts
   * import { IRCClient } from "@torsion/torsion/irc";
   * import { deepEqual } from "node:assert/strict";
   *
   * const seen: unknown[] = [];
   * class C extends IRCClient {
   *   irc_WALLOPS(prefix: string, params: string[]): void {
   *     seen.push([prefix, params]);
   *   }
   *   override irc_unknown(prefix: string, command: string, params: string[]): void {
   *     seen.push(["unknown", command]);
   *   }
   * }
   * const c = new C();
   * c.handleCommand("WALLOPS", "op!o@h", ["hello"]);
   * c.handleCommand("FOO", "", []);
   * deepEqual(seen, [["op!o@h", ["hello"]], ["unknown", "FOO"]]);
   * ```
   */
  handleCommand(command: string, prefix: string, params: string[]): void {
    const method = (this as unknown as Record<string, unknown>)[
      "irc_" + command
    ];
    try {
      if (typeof method === "function") {
        method.call(this, prefix, params);
      } else {
        this.irc_unknown(prefix, command, params);
      }
    } catch (e) {
      log.err(e, `Cannot handle the IRC command ${command}`, {
        system: this.#system(),
      });
    }
  }

  #system(): string {
    try {
      return this.logPrefix();
    } catch {
      return "IRCClient";
    }
  }

  /**
   * Called with a line that is too long: logs it, and drops it up to its
   * LF (then goes on with the next line).
   *
   * @param line What was received after the last good line.
   * @returns Nothing.
   */
  override lineLengthExceeded(line: Uint8Array): unknown {
    this.badMessage(
      new TextDecoder().decode(line.subarray(0, 80)) + "...",
      new IRCBadMessage(
        `Cannot parse the message: the line is longer than ${this.MAX_LENGTH} bytes`,
      ),
    );
    const i = line.indexOf(10);
    if (i === -1) this.#discarding = true;
    else this.#afterLongLine = line.subarray(i + 1);
    return undefined;
  }

  /**
   * Called with a line that cannot be used (Twisted's `badMessage`): not
   * UTF-8, too long, without a command. The default logs it
   * (`log.msg`); the connection goes on.
   *
   * @param line The line (decoded with replacement characters if it was
   *   not UTF-8).
   * @param error Why it cannot be used (an {@linkcode IRCBadMessage}).
   */
  badMessage(line: string, error: unknown): void {
    const why = error instanceof Error ? error.message : String(error);
    log.msg(`Bad IRC message ${JSON.stringify(line)}: ${why}`, {
      system: this.#system(),
    });
  }

  /**
   * Called with a description of a message that is peculiar but usable
   * (a CTCP `VERSION` query with data, say). The default logs it.
   *
   * @param s The description.
   */
  quirkyMessage(s: string): void {
    log.msg(s, { system: this.#system() });
  }

  // -- Callbacks: the server --------------------------------------------

  /**
   * Called with when the server was created (`RPL_CREATED`).
   *
   * @param _when The server's text.
   */
  created(_when: string): void {}

  /**
   * Called with what software the server runs (`RPL_YOURHOST`).
   *
   * @param _info The server's text.
   */
  yourHost(_info: string): void {}

  /**
   * Called with the server's name, version and modes (`RPL_MYINFO`); a
   * part the server did not send is `null`.
   *
   * @param _servername The server's name.
   * @param _version Its version.
   * @param _umodes The user modes it has.
   * @param _cmodes The channel modes it has.
   */
  myInfo(
    _servername: string | null,
    _version: string | null,
    _umodes: string | null,
    _cmodes: string | null,
  ): void {}

  /**
   * Called with the number of clients and servers (`RPL_LUSERCLIENT`).
   *
   * @param _info The server's text.
   */
  luserClient(_info: string): void {}

  /**
   * Called with where to reconnect (`RPL_BOUNCE`).
   *
   * @param _info The server's text.
   */
  bounce(_info: string): void {}

  /**
   * Called with what the server supports (`RPL_ISUPPORT`), after
   * {@linkcode IRCClient.supported} has been updated.
   *
   * @param _options The features, `NAME` or `NAME=VALUE`.
   */
  isupport(_options: string[]): void {}

  /**
   * Called with the number of channels (`RPL_LUSERCHANNELS`).
   *
   * @param _channels The number.
   */
  luserChannels(_channels: number): void {}

  /**
   * Called with the number of operators online (`RPL_LUSEROP`).
   *
   * @param _ops The number.
   */
  luserOp(_ops: number): void {}

  /**
   * Called with the number of clients and servers on this server
   * (`RPL_LUSERME`).
   *
   * @param _info The server's text.
   */
  luserMe(_info: string): void {}

  /**
   * Called with the message of the day, once it has all arrived.
   *
   * @param _motd Its lines (without the leading `- `).
   */
  receivedMOTD(_motd: string[]): void {}

  // -- Callbacks: about me -----------------------------------------------

  /**
   * Called with a message to me or to a channel I am on.
   *
   * @param _user Who sent it: `nick!user@host`.
   * @param _channel Where: a channel, or my nickname for a private message.
   * @param _message The text.
   *
   * @example Usage
   * ```ts
   * import { IRCClient } from "@torsion/torsion/irc";
   * import { deepEqual } from "node:assert/strict";
   *
   * const seen: string[][] = [];
   * class C extends IRCClient {
   *   override privmsg(user: string, channel: string, message: string): void {
   *     seen.push([user, channel, message]);
   *   }
   * }
   * new C().lineReceived(":bob!b@host PRIVMSG #deno :hi all");
   * deepEqual(seen, [["bob!b@host", "#deno", "hi all"]]);
   * ```
   */
  privmsg(_user: string, _channel: string, _message: string): void {}

  /**
   * Called when I have joined a channel (the server echoes my `JOIN`).
   *
   * @param _channel The channel, with its `#`.
   */
  joined(_channel: string): void {}

  /**
   * Called when I have left a channel.
   *
   * @param _channel The channel, with its `#`.
   */
  left(_channel: string): void {}

  /**
   * Called with a notice to me or to a channel I am on. Per the RFC, never
   * answer a notice automatically.
   *
   * @param _user Who sent it.
   * @param _channel Where.
   * @param _message The text.
   */
  noticed(_user: string, _channel: string, _message: string): void {}

  /**
   * Called when modes change on a channel or on me; once for the modes
   * added and once for those removed.
   *
   * @param _user Who changed them.
   * @param _channel The channel (or my nickname, for my user modes).
   * @param _set Whether the modes were added (`true`) or removed.
   * @param _modes The mode characters.
   * @param _args Each mode's parameter, or `null`.
   */
  modeChanged(
    _user: string,
    _channel: string,
    _set: boolean,
    _modes: string,
    _args: (string | null)[],
  ): void {}

  /**
   * Called with the answer to my CTCP `PING` ({@linkcode IRCClient.ping}).
   *
   * @param _user Who answered.
   * @param _secs The round trip, in seconds.
   */
  pong(_user: string, _secs: number): void {}

  /** Called once the server has welcomed me: now join channels. */
  signedOn(): void {}

  /**
   * Called when I am kicked from a channel.
   *
   * @param _channel The channel.
   * @param _kicker Who kicked me (their nickname).
   * @param _message Why.
   */
  kickedFrom(_channel: string, _kicker: string, _message: string): void {}

  /**
   * Called when my nickname has changed; the default records it in
   * {@linkcode IRCClient.nickname}.
   *
   * @param nick The new nickname.
   */
  nickChanged(nick: string): void {
    this.nickname = nick;
  }

  // -- Callbacks: others -----------------------------------------------

  /**
   * Called when someone else joins a channel I am on.
   *
   * @param _user Their nickname.
   * @param _channel The channel.
   */
  userJoined(_user: string, _channel: string): void {}

  /**
   * Called when someone else leaves a channel I am on.
   *
   * @param _user Their nickname.
   * @param _channel The channel.
   */
  userLeft(_user: string, _channel: string): void {}

  /**
   * Called when someone (me included) quits the network.
   *
   * @param _user Their nickname.
   * @param _quitMessage Their message.
   */
  userQuit(_user: string, _quitMessage: string): void {}

  /**
   * Called when someone else is kicked from a channel I am on.
   *
   * @param _kickee Who was kicked.
   * @param _channel The channel.
   * @param _kicker Who kicked them.
   * @param _message Why.
   */
  userKicked(
    _kickee: string,
    _channel: string,
    _kicker: string,
    _message: string,
  ): void {}

  /**
   * Called when someone does an action (CTCP `ACTION`, `/me`).
   *
   * @param _user Who: `nick!user@host`.
   * @param _channel Where: a channel, or my nickname.
   * @param _data The action (`""` if none).
   *
   * @example Usage
   * ```ts
   * import { IRCClient } from "@torsion/torsion/irc";
   * import { deepEqual } from "node:assert/strict";
   *
   * const seen: string[] = [];
   * class C extends IRCClient {
   *   override action(user: string, channel: string, data: string): void {
   *     seen.push(`* ${user.split("!")[0]} ${data} (${channel})`);
   *   }
   * }
   * new C().lineReceived(":bob!b@h PRIVMSG #deno :\x01ACTION waves\x01");
   * deepEqual(seen, ["* bob waves (#deno)"]);
   * ```
   */
  action(_user: string, _channel: string, _data: string): void {}

  /**
   * Called when a channel's topic changes, and with the topic on joining.
   *
   * @param _user Who set it (their nickname), or the server.
   * @param _channel The channel.
   * @param _newTopic The topic (`""` for none).
   */
  topicUpdated(_user: string, _channel: string, _newTopic: string): void {}

  /**
   * Called when someone else changes their nickname.
   *
   * @param _oldname The old nickname.
   * @param _newname The new one.
   */
  userRenamed(_oldname: string, _newname: string): void {}

  // -- Commands ----------------------------------------------------------

  /**
   * Joins a channel.
   *
   * @param channel The channel; `#` is added if it has no channel prefix
   *   (`&#!+`).
   * @param key Its key, if it has one.
   *
   * @example Usage
   * ```ts
   * import { IRCClient } from "@torsion/torsion/irc";
   * import { StringTransport } from "@torsion/torsion/testing";
   * import { equal } from "node:assert/strict";
   *
   * const t = new StringTransport();
   * const c = new IRCClient();
   * c.performLogin = false;
   * c.makeConnection(t);
   * c.join("deno");
   * c.join("&secret", "sesame");
   * equal(t.valueText(), "JOIN #deno\r\nJOIN &secret sesame\r\n");
   * ```
   */
  join(channel: string, key?: string | null): void {
    channel = channelName(channel);
    this.sendLine(key ? `JOIN ${channel} ${key}` : `JOIN ${channel}`);
  }

  /**
   * Leaves a channel.
   *
   * @param channel The channel (`#` added if needed).
   * @param reason Why, if given.
   *
   * @example Usage
   * ```ts
   * import { IRCClient } from "@torsion/torsion/irc";
   * import { StringTransport } from "@torsion/torsion/testing";
   * import { equal } from "node:assert/strict";
   *
   * const t = new StringTransport();
   * const c = new IRCClient();
   * c.performLogin = false;
   * c.makeConnection(t);
   * c.leave("deno", "bye now");
   * equal(t.valueText(), "PART #deno :bye now\r\n");
   * ```
   */
  leave(channel: string, reason?: string | null): void {
    channel = channelName(channel);
    this.sendLine(reason ? `PART ${channel} :${reason}` : `PART ${channel}`);
  }

  /**
   * Leaves a channel: the same as {@linkcode IRCClient.leave}.
   *
   * @param channel The channel (`#` added if needed).
   * @param reason Why, if given.
   */
  part(channel: string, reason?: string | null): void {
    this.leave(channel, reason);
  }

  /**
   * Kicks someone from a channel.
   *
   * @param channel The channel (`#` added if needed).
   * @param user Their nickname.
   * @param reason Why, if given.
   *
   * @example Usage
   * ```ts
   * import { IRCClient } from "@torsion/torsion/irc";
   * import { StringTransport } from "@torsion/torsion/testing";
   * import { equal } from "node:assert/strict";
   *
   * const t = new StringTransport();
   * const c = new IRCClient();
   * c.performLogin = false;
   * c.makeConnection(t);
   * c.kick("deno", "spammer", "no spam");
   * equal(t.valueText(), "KICK #deno spammer :no spam\r\n");
   * ```
   */
  kick(channel: string, user: string, reason?: string | null): void {
    channel = channelName(channel);
    this.sendLine(
      reason ? `KICK ${channel} ${user} :${reason}` : `KICK ${channel} ${user}`,
    );
  }

  /**
   * Invites someone to a channel.
   *
   * @param user Their nickname.
   * @param channel The channel (`#` added if needed).
   *
   * @example Usage
   * ```ts
   * import { IRCClient } from "@torsion/torsion/irc";
   * import { StringTransport } from "@torsion/torsion/testing";
   * import { equal } from "node:assert/strict";
   *
   * const t = new StringTransport();
   * const c = new IRCClient();
   * c.performLogin = false;
   * c.makeConnection(t);
   * c.invite("alice", "deno");
   * equal(t.valueText(), "INVITE alice #deno\r\n");
   * ```
   */
  invite(user: string, channel: string): void {
    this.sendLine(`INVITE ${user} ${channelName(channel)}`);
  }

  /**
   * Sets a channel's topic, or asks for it (then the server answers with
   * the topic, and {@linkcode IRCClient.topicUpdated} is called).
   *
   * @param channel The channel (`#` added if needed).
   * @param topic The new topic; `null` or missing to ask.
   *
   * @example Usage
   * ```ts
   * import { IRCClient } from "@torsion/torsion/irc";
   * import { StringTransport } from "@torsion/torsion/testing";
   * import { equal } from "node:assert/strict";
   *
   * const t = new StringTransport();
   * const c = new IRCClient();
   * c.performLogin = false;
   * c.makeConnection(t);
   * c.topic("deno", "Deno and Torsion");
   * c.topic("deno");
   * equal(t.valueText(), "TOPIC #deno :Deno and Torsion\r\nTOPIC #deno\r\n");
   * ```
   */
  topic(channel: string, topic?: string | null): void {
    channel = channelName(channel);
    this.sendLine(
      topic !== undefined && topic !== null
        ? `TOPIC ${channel} :${topic}`
        : `TOPIC ${channel}`,
    );
  }

  /**
   * Changes the modes of a channel or a user. `limit`, `user` and `mask`
   * are exclusive: the first given is sent.
   *
   * @param chan The channel or nickname (sent as given).
   * @param set Whether to add (`+`) or remove (`-`) the modes.
   * @param modes The mode characters.
   * @param limit For `l`, the most users.
   * @param user The nickname the modes are about (`o`, `v`).
   * @param mask For `b`, the mask.
   *
   * @example Usage
   * ```ts
   * import { IRCClient } from "@torsion/torsion/irc";
   * import { StringTransport } from "@torsion/torsion/testing";
   * import { equal } from "node:assert/strict";
   *
   * const t = new StringTransport();
   * const c = new IRCClient();
   * c.performLogin = false;
   * c.makeConnection(t);
   * c.mode("#deno", true, "l", 20);
   * c.mode("#deno", false, "o", null, "alice");
   * equal(t.valueText(), "MODE #deno +l 20\r\nMODE #deno -o alice\r\n");
   * ```
   */
  mode(
    chan: string,
    set: boolean,
    modes: string,
    limit?: number | null,
    user?: string | null,
    mask?: string | null,
  ): void {
    let line = `MODE ${chan} ${set ? "+" : "-"}${modes}`;
    if (limit !== undefined && limit !== null) {
      line += ` ${Math.trunc(limit)}`;
    } else if (user !== undefined && user !== null) {
      line += ` ${user}`;
    } else if (mask !== undefined && mask !== null) {
      line += ` ${mask}`;
    }
    this.sendLine(line);
  }

  /**
   * Sends a message to a channel: {@linkcode IRCClient.msg} with `#` added
   * to the channel if needed.
   *
   * @param channel The channel.
   * @param message The text.
   * @param length The longest line, as for `msg`.
   *
   * @example Usage
   * ```ts
   * import { IRCClient } from "@torsion/torsion/irc";
   * import { StringTransport } from "@torsion/torsion/testing";
   * import { equal } from "node:assert/strict";
   *
   * const t = new StringTransport();
   * const c = new IRCClient();
   * c.performLogin = false;
   * c.makeConnection(t);
   * c.say("thechannel", "the message");
   * equal(t.valueText(), "PRIVMSG #thechannel :the message\r\n");
   * ```
   */
  say(channel: string, message: string, length?: number | null): void {
    this.msg(channelName(channel), message, length);
  }

  /**
   * The longest line that surely fits once the server puts our longest
   * possible `:nick!user@host` in front of it (Twisted's
   * `_safeMaximumLineLength`).
   */
  #safeMaximumLineLength(command: string): number {
    const nicklen = this.supported.getFeature("NICKLEN") ?? 9;
    // :nickname!realname@hostname COMMAND ...: the user name's 10 is
    // observed, the host name's 63 from RFC 2812 §2.3.1; 10 to spare.
    const theoretical = `:${"a".repeat(nicklen)}!${"b".repeat(10)}@${
      "c".repeat(63)
    } ${command}`;
    return MAX_COMMAND_LENGTH - utf8Length(theoretical) - 10;
  }

  /**
   * Sends a message to a user or a channel. It is split into several
   * `PRIVMSG`s at its newlines, and where a line would be longer than
   * `length` bytes ({@linkcode split}: at spaces where possible); empty
   * lines are not sent.
   *
   * @param user The nickname or channel.
   * @param message The text.
   * @param length The longest line, in bytes with the `PRIVMSG user :` and
   *   the CR LF; by default what surely fits the 512-byte limit once the
   *   server adds our prefix.
   * @throws {RangeError} "Maximum length must exceed N for message to
   *   user" if `length` leaves no room for the text.
   *
   * @example Usage
   * ```ts
   * import { IRCClient } from "@torsion/torsion/irc";
   * import { StringTransport } from "@torsion/torsion/testing";
   * import { equal } from "node:assert/strict";
   *
   * const t = new StringTransport();
   * const c = new IRCClient();
   * c.performLogin = false;
   * c.makeConnection(t);
   * c.msg("foo", "bar baz bo", "PRIVMSG foo :".length + 2 + 7);
   * equal(t.valueText(), "PRIVMSG foo :bar baz\r\nPRIVMSG foo :bo\r\n");
   * ```
   */
  msg(user: string, message: string, length?: number | null): void {
    const fmt = `PRIVMSG ${user} :`;
    if (length === undefined || length === null) {
      length = this.#safeMaximumLineLength(fmt);
    }
    // With the line end.
    const minimumLength = utf8Length(fmt) + 2;
    if (length <= minimumLength) {
      throw new RangeError(
        `Maximum length must exceed ${minimumLength} for message to ${user}`,
      );
    }
    for (const line of split(message, length - minimumLength)) {
      this.sendLine(fmt + line);
    }
  }

  /**
   * Sends a notice to a user or a channel: like a message, but never to be
   * answered automatically.
   *
   * @param user The nickname or channel.
   * @param message The text.
   *
   * @example Usage
   * ```ts
   * import { IRCClient } from "@torsion/torsion/irc";
   * import { StringTransport } from "@torsion/torsion/testing";
   * import { equal } from "node:assert/strict";
   *
   * const t = new StringTransport();
   * const c = new IRCClient();
   * c.performLogin = false;
   * c.makeConnection(t);
   * c.notice("alice", "the build is green");
   * equal(t.valueText(), "NOTICE alice :the build is green\r\n");
   * ```
   */
  notice(user: string, message: string): void {
    this.sendLine(`NOTICE ${user} :${message}`);
  }

  /**
   * Marks me as away.
   *
   * @param message The away message.
   *
   * @example Usage
   * ```ts
   * import { IRCClient } from "@torsion/torsion/irc";
   * import { StringTransport } from "@torsion/torsion/testing";
   * import { equal } from "node:assert/strict";
   *
   * const t = new StringTransport();
   * const c = new IRCClient();
   * c.performLogin = false;
   * c.makeConnection(t);
   * c.away("lunch");
   * c.back();
   * equal(t.valueText(), "AWAY :lunch\r\nAWAY :\r\n");
   * ```
   */
  away(message = ""): void {
    this.sendLine(`AWAY :${message}`);
  }

  /** Marks me as back: an empty `AWAY`. */
  back(): void {
    this.away();
  }

  /**
   * Asks about a user.
   *
   * @param nickname Their nickname.
   * @param server The server to ask, if not mine.
   *
   * @example Usage
   * ```ts
   * import { IRCClient } from "@torsion/torsion/irc";
   * import { StringTransport } from "@torsion/torsion/testing";
   * import { equal } from "node:assert/strict";
   *
   * const t = new StringTransport();
   * const c = new IRCClient();
   * c.performLogin = false;
   * c.makeConnection(t);
   * c.whois("alice");
   * c.whois("alice", "example.org");
   * equal(t.valueText(), "WHOIS alice\r\nWHOIS example.org alice\r\n");
   * ```
   */
  whois(nickname: string, server?: string | null): void {
    this.sendLine(
      server === undefined || server === null
        ? `WHOIS ${nickname}`
        : `WHOIS ${server} ${nickname}`,
    );
  }

  /**
   * Asks who matches a mask, or is on a channel (an addition: Twisted's
   * client has no `who`). The answers arrive as `RPL_WHOREPLY` and
   * `RPL_ENDOFWHO`: override `irc_RPL_WHOREPLY` to see them.
   *
   * @param mask A channel or a mask; all visible users without one.
   * @param operatorsOnly Only operators (`o`).
   *
   * @example Usage
   * ```ts
   * import { IRCClient } from "@torsion/torsion/irc";
   * import { StringTransport } from "@torsion/torsion/testing";
   * import { equal } from "node:assert/strict";
   *
   * const t = new StringTransport();
   * const c = new IRCClient();
   * c.performLogin = false;
   * c.makeConnection(t);
   * c.who("#deno");
   * c.who("*.example.org", true);
   * equal(t.valueText(), "WHO #deno\r\nWHO *.example.org o\r\n");
   * ```
   */
  who(mask?: string | null, operatorsOnly = false): void {
    let line = "WHO";
    if (mask !== undefined && mask !== null) {
      line += ` ${mask}`;
      if (operatorsOnly) line += " o";
    }
    this.sendLine(line);
  }

  /**
   * Registers with the server: `PASS` (if {@linkcode IRCClient.password}
   * is set), `NICK` and `USER`. `connectionMade` calls it with
   * {@linkcode IRCClient.nickname}.
   *
   * @param nickname The nickname to register.
   * @param hostname The host name sent in `USER` (ignored by servers).
   * @param servername The server name sent in `USER` (ignored by servers).
   *
   * @example Usage
   * ```ts
   * import { IRCClient } from "@torsion/torsion/irc";
   * import { StringTransport } from "@torsion/torsion/testing";
   * import { equal } from "node:assert/strict";
   *
   * const t = new StringTransport();
   * const c = new IRCClient();
   * c.performLogin = false;
   * c.password = "secret";
   * c.realname = "Torsion bot";
   * c.makeConnection(t);
   * c.register("bot");
   * equal(
   *   t.valueText(),
   *   "PASS secret\r\nNICK bot\r\nUSER bot foo bar :Torsion bot\r\n",
   * );
   * ```
   */
  register(nickname: string, hostname = "foo", servername = "bar"): void {
    if (this.password !== null) this.sendLine(`PASS ${this.password}`);
    this.setNick(nickname);
    if (this.username === null) this.username = nickname;
    this.sendLine(
      `USER ${this.username} ${hostname} ${servername} :${
        this.realname ?? nickname
      }`,
    );
  }

  /**
   * Asks to change my nickname. {@linkcode IRCClient.nickname} changes when
   * the server agrees (see {@linkcode IRCClient.nickChanged}).
   *
   * @param nickname The new nickname.
   *
   * @example Usage
   * ```ts
   * import { IRCClient } from "@torsion/torsion/irc";
   * import { StringTransport } from "@torsion/torsion/testing";
   * import { equal } from "node:assert/strict";
   *
   * const t = new StringTransport();
   * const c = new IRCClient();
   * c.performLogin = false;
   * c.makeConnection(t);
   * c.setNick("newbie");
   * equal(t.valueText(), "NICK newbie\r\n");
   * equal(c.nickname, "irc");
   * ```
   */
  setNick(nickname: string): void {
    this.#attemptedNick = nickname;
    this.sendLine(`NICK ${nickname}`);
  }

  /**
   * Leaves the server; it then closes the connection.
   *
   * @param message The quit message.
   *
   * @example Usage
   * ```ts
   * import { IRCClient } from "@torsion/torsion/irc";
   * import { StringTransport } from "@torsion/torsion/testing";
   * import { equal } from "node:assert/strict";
   *
   * const t = new StringTransport();
   * const c = new IRCClient();
   * c.performLogin = false;
   * c.makeConnection(t);
   * c.quit("bye");
   * equal(t.valueText(), "QUIT :bye\r\n");
   * ```
   */
  quit(message = ""): void {
    this.sendLine(`QUIT :${message}`);
  }

  /**
   * Does an action (CTCP `ACTION`, `/me`) in a channel or to a user.
   *
   * @param channel The channel or nickname (sent as given).
   * @param action The action.
   *
   * @example Usage
   * ```ts
   * import { IRCClient } from "@torsion/torsion/irc";
   * import { StringTransport } from "@torsion/torsion/testing";
   * import { equal } from "node:assert/strict";
   *
   * const t = new StringTransport();
   * const c = new IRCClient();
   * c.performLogin = false;
   * c.makeConnection(t);
   * c.describe("#deno", "waves");
   * equal(t.valueText(), "PRIVMSG #deno :\x01ACTION waves\x01\r\n");
   * ```
   */
  describe(channel: string, action: string): void {
    this.ctcpMakeQuery(channel, [["ACTION", action]]);
  }

  /**
   * Measures the round trip to another client with a CTCP `PING`; its
   * answer calls {@linkcode IRCClient.pong}. At most
   * {@linkcode IRCClient.MAX_PINGRING} pings wait for an answer; older
   * ones are forgotten.
   *
   * @param user The nickname.
   * @param text The key to send; 12 random characters if missing.
   *
   * @example Usage
   * ```ts
   * import { IRCClient } from "@torsion/torsion/irc";
   * import { Clock, StringTransport } from "@torsion/torsion/testing";
   * import { deepEqual, equal } from "node:assert/strict";
   *
   * const seen: unknown[] = [];
   * class C extends IRCClient {
   *   override pong(user: string, secs: number): void {
   *     seen.push([user, secs]);
   *   }
   * }
   * const clock = new Clock();
   * const t = new StringTransport();
   * const c = new C();
   * c.performLogin = false;
   * c.clock = clock;
   * c.makeConnection(t);
   * c.ping("bob", "k1");
   * equal(t.valueText(), "PRIVMSG bob :\x01PING k1\x01\r\n");
   * clock.advance(1.5);
   * c.lineReceived(":bob!b@h NOTICE irc :\x01PING k1\x01");
   * deepEqual(seen, [["bob!b@h", 1.5]]);
   * ```
   */
  ping(user: string, text?: string | null): void {
    const pings = this.#pings ??= new Map();
    let key: string;
    if (text === undefined || text === null) {
      key = "";
      for (let i = 0; i < 12; i++) {
        key += PING_CHARS[Math.floor(Math.random() * PING_CHARS.length)];
      }
    } else {
      key = String(text);
    }
    const id = JSON.stringify([user, key]);
    pings.delete(id);
    pings.set(id, this.clock.seconds());
    this.ctcpMakeQuery(user, [["PING", key]]);
    const max = (this.constructor as typeof IRCClient).MAX_PINGRING;
    if (pings.size > max) {
      // The oldest first.
      const byTime = [...pings].sort((a, b) => a[1] - b[1]);
      for (const [k] of byTime.slice(0, pings.size - max)) pings.delete(k);
    }
  }

  // -- Handlers of the server's messages ----------------------------------

  /**
   * `ERR_NICKNAMEINUSE`: tries again with
   * {@linkcode IRCClient.alterCollidedNick} of the nickname tried.
   *
   * @param _prefix The server.
   * @param _params The parameters.
   */
  irc_ERR_NICKNAMEINUSE(_prefix: string, _params: string[]): void {
    this.#attemptedNick = this.alterCollidedNick(this.#attemptedNick);
    this.setNick(this.#attemptedNick);
  }

  /**
   * Makes another nickname from one that is taken: the default appends
   * `_`.
   *
   * @param nickname The nickname that is taken.
   * @returns The one to try next.
   *
   * @example Usage
   * ```ts
   * import { IRCClient } from "@torsion/torsion/irc";
   * import { StringTransport } from "@torsion/torsion/testing";
   * import { equal } from "node:assert/strict";
   *
   * const t = new StringTransport();
   * const c = new IRCClient();
   * c.nickname = "bot";
   * c.makeConnection(t);
   * t.clear();
   * c.lineReceived(":srv 433 * bot :Nickname is already in use");
   * c.lineReceived(":srv 433 * bot_ :Nickname is already in use");
   * equal(t.valueText(), "NICK bot_\r\nNICK bot__\r\n");
   * ```
   */
  alterCollidedNick(nickname: string): string {
    return nickname + "_";
  }

  /**
   * `ERR_ERRONEUSNICKNAME`: during registration, tries
   * {@linkcode IRCClient.erroneousNickFallback} (or the server would wait
   * forever); afterwards the old nickname stays.
   *
   * @param _prefix The server.
   * @param _params The parameters.
   */
  irc_ERR_ERRONEUSNICKNAME(_prefix: string, _params: string[]): void {
    if (!this.#registered) this.setNick(this.erroneousNickFallback);
  }

  /**
   * `ERR_PASSWDMISMATCH`: throws {@linkcode IRCPasswordMismatch}
   * ("Password Incorrect."), which the dispatch logs.
   *
   * @param _prefix The server.
   * @param _params The parameters.
   * @throws {IRCPasswordMismatch} Always.
   */
  irc_ERR_PASSWDMISMATCH(_prefix: string, _params: string[]): void {
    throw new IRCPasswordMismatch("Password Incorrect.");
  }

  /**
   * `RPL_WELCOME`: registration is done. Records the server's name and the
   * nickname, calls {@linkcode IRCClient.signedOn} and starts the
   * heartbeat.
   *
   * @param prefix The server.
   * @param _params The parameters.
   */
  irc_RPL_WELCOME(prefix: string, _params: string[]): void {
    this.hostname = prefix;
    this.#registered = true;
    this.nickname = this.#attemptedNick;
    this.signedOn();
    this.startHeartbeat();
  }

  /**
   * `JOIN`: {@linkcode IRCClient.joined} for me, else
   * {@linkcode IRCClient.userJoined}.
   *
   * @param prefix Who joined.
   * @param params The channel last.
   */
  irc_JOIN(prefix: string, params: string[]): void {
    need("JOIN", params, 1);
    const nick = nickOf(prefix);
    const channel = params[params.length - 1];
    if (nick === this.nickname) this.joined(channel);
    else this.userJoined(nick, channel);
  }

  /**
   * `PART`: {@linkcode IRCClient.left} for me, else
   * {@linkcode IRCClient.userLeft}.
   *
   * @param prefix Who left.
   * @param params The channel first.
   */
  irc_PART(prefix: string, params: string[]): void {
    need("PART", params, 1);
    const nick = nickOf(prefix);
    if (nick === this.nickname) this.left(params[0]);
    else this.userLeft(nick, params[0]);
  }

  /**
   * `QUIT`: {@linkcode IRCClient.userQuit}.
   *
   * @param prefix Who quit.
   * @param params The message (`""` when missing).
   */
  irc_QUIT(prefix: string, params: string[]): void {
    this.userQuit(nickOf(prefix), params[0] ?? "");
  }

  /**
   * `MODE`: parses the changes with {@linkcode parseModes} (the modes that
   * take parameters from {@linkcode IRCClient.getUserModeParams} or
   * {@linkcode IRCClient.getChannelModeParams}) and calls
   * {@linkcode IRCClient.modeChanged} for the modes added, then for those
   * removed. A mode string without `+` or `-` counts as added; one that
   * does not parse is logged.
   *
   * @param user Who changed the modes.
   * @param params The target, the modes, their parameters.
   */
  irc_MODE(user: string, params: string[]): void {
    need("MODE", params, 2);
    const channel = params[0];
    let modes = params[1];
    const args = params.slice(2);
    if (modes[0] !== "-" && modes[0] !== "+") modes = "+" + modes;
    const paramModes = channel === this.nickname
      ? this.getUserModeParams()
      : this.getChannelModeParams();
    let changes: ReturnType<typeof parseModes>;
    try {
      changes = parseModes(modes, args, paramModes);
    } catch (e) {
      if (!(e instanceof IRCBadModes)) throw e;
      log.err(
        e,
        `An error occurred while parsing the following MODE message: MODE ${
          params.join(" ")
        }`,
        { system: this.#system() },
      );
      return;
    }
    const [added, removed] = changes;
    if (added.length > 0) {
      this.modeChanged(
        user,
        channel,
        true,
        added.map((c) => c[0]).join(""),
        added.map((c) => c[1]),
      );
    }
    if (removed.length > 0) {
      this.modeChanged(
        user,
        channel,
        false,
        removed.map((c) => c[0]).join(""),
        removed.map((c) => c[1]),
      );
    }
  }

  /**
   * `PING`: answers with a `PONG`.
   *
   * @param _prefix The server.
   * @param params The token last.
   */
  irc_PING(_prefix: string, params: string[]): void {
    need("PING", params, 1);
    const token = params[params.length - 1];
    this.sendLine(
      token === "" || token.includes(" ") || token[0] === ":"
        ? `PONG :${token}`
        : `PONG ${token}`,
    );
  }

  /**
   * `PRIVMSG`: CTCP queries go to {@linkcode IRCClient.ctcpQuery}, the
   * text around them to {@linkcode IRCClient.privmsg}. An empty message is
   * ignored.
   *
   * @param prefix Who sent it.
   * @param params The target, the text.
   */
  irc_PRIVMSG(prefix: string, params: string[]): void {
    need("PRIVMSG", params, 2);
    const channel = params[0];
    let message = params[params.length - 1];
    if (!message) return;
    if (message[0] === X_DELIM) {
      const m = ctcpExtract(message);
      if (m.extended.length > 0) this.ctcpQuery(prefix, channel, m.extended);
      if (m.normal.length === 0) return;
      message = m.normal.join(" ");
    }
    this.privmsg(prefix, channel, message);
  }

  /**
   * `NOTICE`: CTCP replies go to {@linkcode IRCClient.ctcpReply}, the text
   * around them to {@linkcode IRCClient.noticed}. An empty notice is
   * ignored.
   *
   * @param prefix Who sent it.
   * @param params The target, the text.
   */
  irc_NOTICE(prefix: string, params: string[]): void {
    need("NOTICE", params, 2);
    const channel = params[0];
    let message = params[params.length - 1];
    if (!message) return;
    if (message[0] === X_DELIM) {
      const m = ctcpExtract(message);
      if (m.extended.length > 0) this.ctcpReply(prefix, channel, m.extended);
      if (m.normal.length === 0) return;
      message = m.normal.join(" ");
    }
    this.noticed(prefix, channel, message);
  }

  /**
   * `NICK`: {@linkcode IRCClient.nickChanged} for me, else
   * {@linkcode IRCClient.userRenamed}.
   *
   * @param prefix Who changed nickname.
   * @param params The new nickname.
   */
  irc_NICK(prefix: string, params: string[]): void {
    need("NICK", params, 1);
    const nick = nickOf(prefix);
    if (nick === this.nickname) this.nickChanged(params[0]);
    else this.userRenamed(nick, params[0]);
  }

  /**
   * `KICK`: {@linkcode IRCClient.kickedFrom} for me (nicknames compared
   * without case), else {@linkcode IRCClient.userKicked}.
   *
   * @param prefix Who kicked.
   * @param params The channel, who was kicked, why (`""` when missing).
   */
  irc_KICK(prefix: string, params: string[]): void {
    need("KICK", params, 2);
    const kicker = nickOf(prefix);
    const [channel, kicked] = params;
    const message = params.length > 2 ? params[params.length - 1] : "";
    if (kicked.toLowerCase() === this.nickname.toLowerCase()) {
      this.kickedFrom(channel, kicker, message);
    } else {
      this.userKicked(kicked, channel, kicker, message);
    }
  }

  /**
   * `TOPIC`: {@linkcode IRCClient.topicUpdated}.
   *
   * @param prefix Who set it.
   * @param params The channel, the topic.
   */
  irc_TOPIC(prefix: string, params: string[]): void {
    need("TOPIC", params, 2);
    this.topicUpdated(nickOf(prefix), params[0], params[1]);
  }

  /**
   * `RPL_TOPIC`, the topic on joining or on asking:
   * {@linkcode IRCClient.topicUpdated}.
   *
   * @param prefix The server.
   * @param params My nickname, the channel, the topic.
   */
  irc_RPL_TOPIC(prefix: string, params: string[]): void {
    need("RPL_TOPIC", params, 3);
    this.topicUpdated(nickOf(prefix), params[1], params[2]);
  }

  /**
   * `RPL_NOTOPIC`: {@linkcode IRCClient.topicUpdated} with `""`.
   *
   * @param prefix The server.
   * @param params My nickname, the channel.
   */
  irc_RPL_NOTOPIC(prefix: string, params: string[]): void {
    need("RPL_NOTOPIC", params, 2);
    this.topicUpdated(nickOf(prefix), params[1], "");
  }

  /**
   * `RPL_MOTDSTART`: starts collecting the message of the day.
   *
   * @param _prefix The server.
   * @param params The line last.
   */
  irc_RPL_MOTDSTART(_prefix: string, params: string[]): void {
    need("RPL_MOTDSTART", params, 1);
    this.motd = [motdLine(params[params.length - 1])];
  }

  /**
   * `RPL_MOTD`: a line of the message of the day.
   *
   * @param _prefix The server.
   * @param params The line last.
   */
  irc_RPL_MOTD(_prefix: string, params: string[]): void {
    need("RPL_MOTD", params, 1);
    (this.motd ??= []).push(motdLine(params[params.length - 1]));
  }

  /**
   * `RPL_ENDOFMOTD`: {@linkcode IRCClient.receivedMOTD} with the lines.
   *
   * @param _prefix The server.
   * @param _params The parameters.
   */
  irc_RPL_ENDOFMOTD(_prefix: string, _params: string[]): void {
    const motd = this.motd ?? [];
    this.motd = null;
    this.receivedMOTD(motd);
  }

  /**
   * `RPL_CREATED`: {@linkcode IRCClient.created}.
   *
   * @param _prefix The server.
   * @param params My nickname, the text.
   */
  irc_RPL_CREATED(_prefix: string, params: string[]): void {
    need("RPL_CREATED", params, 2);
    this.created(params[1]);
  }

  /**
   * `RPL_YOURHOST`: {@linkcode IRCClient.yourHost}.
   *
   * @param _prefix The server.
   * @param params My nickname, the text.
   */
  irc_RPL_YOURHOST(_prefix: string, params: string[]): void {
    need("RPL_YOURHOST", params, 2);
    this.yourHost(params[1]);
  }

  /**
   * `RPL_MYINFO`: {@linkcode IRCClient.myInfo}, from the parameters after
   * my nickname, or from the words of one text parameter (as Twisted
   * reads it).
   *
   * @param _prefix The server.
   * @param params My nickname, then the name, version and modes.
   */
  irc_RPL_MYINFO(_prefix: string, params: string[]): void {
    need("RPL_MYINFO", params, 2);
    const info: (string | null)[] = params.length > 2
      ? params.slice(1, 5)
      : splitWords(params[1], 3);
    while (info.length < 4) info.push(null);
    this.myInfo(info[0], info[1], info[2], info[3]);
  }

  /**
   * `RPL_BOUNCE`: {@linkcode IRCClient.bounce}.
   *
   * @param _prefix The server.
   * @param params My nickname, the text.
   */
  irc_RPL_BOUNCE(_prefix: string, params: string[]): void {
    need("RPL_BOUNCE", params, 2);
    this.bounce(params[1]);
  }

  /**
   * `RPL_ISUPPORT`: updates {@linkcode IRCClient.supported}, then calls
   * {@linkcode IRCClient.isupport}.
   *
   * @param _prefix The server.
   * @param params My nickname, the features, a text.
   */
  irc_RPL_ISUPPORT(_prefix: string, params: string[]): void {
    const args = params.slice(1, -1);
    this.supported.parse(args);
    this.isupport(args);
  }

  /**
   * `RPL_LUSERCLIENT`: {@linkcode IRCClient.luserClient}.
   *
   * @param _prefix The server.
   * @param params My nickname, the text.
   */
  irc_RPL_LUSERCLIENT(_prefix: string, params: string[]): void {
    need("RPL_LUSERCLIENT", params, 2);
    this.luserClient(params[1]);
  }

  /**
   * `RPL_LUSEROP`: {@linkcode IRCClient.luserOp}, if the count is a
   * number.
   *
   * @param _prefix The server.
   * @param params My nickname, the count.
   */
  irc_RPL_LUSEROP(_prefix: string, params: string[]): void {
    need("RPL_LUSEROP", params, 2);
    const n = toInt(params[1]);
    if (n !== null) this.luserOp(n);
  }

  /**
   * `RPL_LUSERCHANNELS`: {@linkcode IRCClient.luserChannels}, if the count
   * is a number.
   *
   * @param _prefix The server.
   * @param params My nickname, the count.
   */
  irc_RPL_LUSERCHANNELS(_prefix: string, params: string[]): void {
    need("RPL_LUSERCHANNELS", params, 2);
    const n = toInt(params[1]);
    if (n !== null) this.luserChannels(n);
  }

  /**
   * `RPL_LUSERME`: {@linkcode IRCClient.luserMe}.
   *
   * @param _prefix The server.
   * @param params My nickname, the text.
   */
  irc_RPL_LUSERME(_prefix: string, params: string[]): void {
    need("RPL_LUSERME", params, 2);
    this.luserMe(params[1]);
  }

  /**
   * Called for a command without a handler. The default does nothing.
   *
   * @param _prefix The message's prefix.
   * @param _command The command, or a numeric's name or digits.
   * @param _params The parameters.
   */
  irc_unknown(_prefix: string, _command: string, _params: string[]): void {}

  // -- CTCP ----------------------------------------------------------------

  /**
   * Dispatches CTCP queries to `ctcpQuery_<TAG>(user, channel, data)`, or
   * to {@linkcode IRCClient.ctcpUnknownQuery}. A tag repeated in one
   * message is handled once.
   *
   * @param user Who asked.
   * @param channel Where.
   * @param messages The queries.
   */
  ctcpQuery(user: string, channel: string, messages: CtcpMessage[]): void {
    const seen = new Set<string>();
    for (const [tag, data] of messages) {
      if (seen.has(tag)) continue;
      seen.add(tag);
      const method = this.#ctcpQueryHandler(tag);
      if (method !== null) method.call(this, user, channel, data);
      else this.ctcpUnknownQuery(user, channel, tag, data);
    }
  }

  #ctcpQueryHandler(
    tag: string,
  ): ((user: string, channel: string, data: string | null) => void) | null {
    const method = (this as unknown as Record<string, unknown>)[
      "ctcpQuery_" + tag
    ];
    return typeof method === "function"
      ? method as (user: string, channel: string, data: string | null) => void
      : null;
  }

  /**
   * Called for a CTCP query without a handler: logs it (no `ERRMSG` is
   * sent, which would let others make us flood).
   *
   * @param user Who asked.
   * @param _channel Where.
   * @param tag The query.
   * @param data Its data.
   */
  ctcpUnknownQuery(
    user: string,
    _channel: string,
    tag: string,
    data: string | null,
  ): void {
    log.msg(
      `Unknown CTCP query from ${repr(user)}: ${repr(tag)} ${
        data === null ? "None" : repr(data)
      }`,
      { system: this.#system() },
    );
  }

  /**
   * CTCP `ACTION`: {@linkcode IRCClient.action}.
   *
   * @param user Who.
   * @param channel Where.
   * @param data The action.
   */
  ctcpQuery_ACTION(user: string, channel: string, data: string | null): void {
    this.action(user, channel, data ?? "");
  }

  /**
   * CTCP `PING`: answers with the same data.
   *
   * @param user Who asked.
   * @param _channel Where.
   * @param data The key.
   */
  ctcpQuery_PING(user: string, _channel: string, data: string | null): void {
    this.ctcpMakeReply(nickOf(user), [["PING", data]]);
  }

  /**
   * CTCP `FINGER`: answers with {@linkcode IRCClient.fingerReply}, if set.
   *
   * @param user Who asked.
   * @param _channel Where.
   * @param data Should be `null`.
   */
  ctcpQuery_FINGER(user: string, _channel: string, data: string | null): void {
    if (data !== null) {
      this.quirkyMessage(`Why did ${user} send '${data}' with a FINGER query?`);
    }
    const reply = this.fingerReply;
    if (!reply) return;
    this.ctcpMakeReply(nickOf(user), [[
      "FINGER",
      typeof reply === "function" ? reply() : String(reply),
    ]]);
  }

  /**
   * CTCP `VERSION`: answers `name:version:environment` from
   * {@linkcode IRCClient.versionName} and the others, if a name is set.
   *
   * @param user Who asked.
   * @param _channel Where.
   * @param data Should be `null`.
   *
   * @example Usage
   * ```ts
   * import { IRCClient } from "@torsion/torsion/irc";
   * import { StringTransport } from "@torsion/torsion/testing";
   * import { equal } from "node:assert/strict";
   *
   * const t = new StringTransport();
   * const c = new IRCClient();
   * c.performLogin = false;
   * c.versionName = "FrobozzIRC";
   * c.versionNum = "1.2g";
   * c.makeConnection(t);
   * c.lineReceived(":nick!guy@over.there PRIVMSG irc :\x01VERSION\x01");
   * equal(t.valueText(), "NOTICE nick :\x01VERSION FrobozzIRC:1.2g:\x01\r\n");
   * ```
   */
  ctcpQuery_VERSION(user: string, _channel: string, data: string | null): void {
    if (data !== null) {
      this.quirkyMessage(
        `Why did ${user} send '${data}' with a VERSION query?`,
      );
    }
    if (!this.versionName) return;
    this.ctcpMakeReply(nickOf(user), [[
      "VERSION",
      `${this.versionName}:${this.versionNum ?? ""}:${this.versionEnv ?? ""}`,
    ]]);
  }

  /**
   * CTCP `SOURCE`: answers with {@linkcode IRCClient.sourceURL} (a URL
   * where Twisted's spec wants an FTP location), then an empty `SOURCE`.
   *
   * @param user Who asked.
   * @param _channel Where.
   * @param data Should be `null`.
   */
  ctcpQuery_SOURCE(user: string, _channel: string, data: string | null): void {
    if (data !== null) {
      this.quirkyMessage(`Why did ${user} send '${data}' with a SOURCE query?`);
    }
    if (!this.sourceURL) return;
    this.ctcpMakeReply(nickOf(user), [
      ["SOURCE", this.sourceURL],
      ["SOURCE", null],
    ]);
  }

  /**
   * CTCP `USERINFO`: answers with {@linkcode IRCClient.userinfo}, if set.
   *
   * @param user Who asked.
   * @param _channel Where.
   * @param data Should be `null`.
   */
  ctcpQuery_USERINFO(
    user: string,
    _channel: string,
    data: string | null,
  ): void {
    if (data !== null) {
      this.quirkyMessage(
        `Why did ${user} send '${data}' with a USERINFO query?`,
      );
    }
    if (!this.userinfo) return;
    this.ctcpMakeReply(nickOf(user), [["USERINFO", this.userinfo]]);
  }

  /**
   * CTCP `CLIENTINFO`: without data, answers with the queries this class
   * handles (its `ctcpQuery_` methods, sorted); with a query name, an
   * empty `CLIENTINFO` if it is handled (Twisted sends the method's
   * docstring), else an `ERRMSG`.
   *
   * @param user Who asked.
   * @param _channel Where.
   * @param data A query name, or nothing.
   *
   * @example Usage
   * ```ts
   * import { IRCClient } from "@torsion/torsion/irc";
   * import { StringTransport } from "@torsion/torsion/testing";
   * import { equal } from "node:assert/strict";
   *
   * const t = new StringTransport();
   * const c = new IRCClient();
   * c.performLogin = false;
   * c.makeConnection(t);
   * c.ctcpQuery_CLIENTINFO("bob!b@h", "irc", null);
   * equal(
   *   t.valueText(),
   *   "NOTICE bob :\x01CLIENTINFO ACTION CLIENTINFO ERRMSG FINGER PING SOURCE TIME USERINFO VERSION\x01\r\n",
   * );
   * ```
   */
  ctcpQuery_CLIENTINFO(
    user: string,
    _channel: string,
    data: string | null,
  ): void {
    const nick = nickOf(user);
    const args = splitWords(data ?? "");
    if (args.length === 0) {
      this.ctcpMakeReply(nick, [["CLIENTINFO", this.#ctcpQueryNames()]]);
      return;
    }
    if (this.#ctcpQueryHandler(args[0]) === null) {
      this.ctcpMakeReply(nick, [[
        "ERRMSG",
        `CLIENTINFO ${data} :Unknown query '${args[0]}'`,
      ]]);
      return;
    }
    this.ctcpMakeReply(nick, [["CLIENTINFO", null]]);
  }

  /** The tags of the `ctcpQuery_` methods of this object's class, sorted. */
  #ctcpQueryNames(): string {
    const names = new Set<string>();
    for (
      let proto = Object.getPrototypeOf(this);
      proto !== null && proto !== Object.prototype;
      proto = Object.getPrototypeOf(proto)
    ) {
      for (const name of Object.getOwnPropertyNames(proto)) {
        if (
          name.startsWith("ctcpQuery_") &&
          typeof Object.getOwnPropertyDescriptor(proto, name)?.value ===
            "function"
        ) {
          names.add(name.slice("ctcpQuery_".length));
        }
      }
    }
    return [...names].sort().join(" ");
  }

  /**
   * CTCP `ERRMSG` as a query: answers that no error has occurred.
   *
   * @param user Who asked.
   * @param _channel Where.
   * @param data What it was about.
   */
  ctcpQuery_ERRMSG(user: string, _channel: string, data: string | null): void {
    this.ctcpMakeReply(nickOf(user), [[
      "ERRMSG",
      `${data ?? ""} :No error has occurred.`,
    ]]);
  }

  /**
   * CTCP `TIME`: answers with the local time of
   * {@linkcode IRCClient.clock}, as C's `asctime` (`:Sun Jun  5 23:21:05
   * 1993`, the leading `:` kept from Twisted).
   *
   * @param user Who asked.
   * @param _channel Where.
   * @param data Should be `null`.
   */
  ctcpQuery_TIME(user: string, _channel: string, data: string | null): void {
    if (data !== null) {
      this.quirkyMessage(`Why did ${user} send '${data}' with a TIME query?`);
    }
    this.ctcpMakeReply(nickOf(user), [[
      "TIME",
      ":" + asctime(this.clock.seconds()),
    ]]);
  }

  /**
   * Sends CTCP replies, in a `NOTICE`.
   *
   * @param user The nickname.
   * @param messages The replies: tag and data.
   *
   * @example Usage
   * ```ts
   * import { IRCClient } from "@torsion/torsion/irc";
   * import { StringTransport } from "@torsion/torsion/testing";
   * import { equal } from "node:assert/strict";
   *
   * const t = new StringTransport();
   * const c = new IRCClient();
   * c.performLogin = false;
   * c.makeConnection(t);
   * c.ctcpMakeReply("bob", [["PING", "123"]]);
   * equal(t.valueText(), "NOTICE bob :\x01PING 123\x01\r\n");
   * ```
   */
  ctcpMakeReply(
    user: string,
    messages: Iterable<readonly [tag: string, data?: CtcpData]>,
  ): void {
    this.notice(user, ctcpStringify(messages));
  }

  /**
   * Sends CTCP queries, in a `PRIVMSG`.
   *
   * @param user The nickname or channel.
   * @param messages The queries: tag and data.
   *
   * @example Usage
   * ```ts
   * import { IRCClient } from "@torsion/torsion/irc";
   * import { StringTransport } from "@torsion/torsion/testing";
   * import { equal } from "node:assert/strict";
   *
   * const t = new StringTransport();
   * const c = new IRCClient();
   * c.performLogin = false;
   * c.makeConnection(t);
   * c.ctcpMakeQuery("bob", [["VERSION", null]]);
   * equal(t.valueText(), "PRIVMSG bob :\x01VERSION\x01\r\n");
   * ```
   */
  ctcpMakeQuery(
    user: string,
    messages: Iterable<readonly [tag: string, data?: CtcpData]>,
  ): void {
    this.msg(user, ctcpStringify(messages));
  }

  /**
   * Dispatches CTCP replies to `ctcpReply_<TAG>(user, channel, data)`, or
   * to {@linkcode IRCClient.ctcpUnknownReply}.
   *
   * @param user Who replied.
   * @param channel Where.
   * @param messages The replies.
   */
  ctcpReply(user: string, channel: string, messages: CtcpMessage[]): void {
    for (const [tag, data] of messages) {
      const method = (this as unknown as Record<string, unknown>)[
        "ctcpReply_" + tag
      ];
      if (typeof method === "function") method.call(this, user, channel, data);
      else this.ctcpUnknownReply(user, channel, tag, data);
    }
  }

  /**
   * CTCP `PING` reply: {@linkcode IRCClient.pong} with the round trip of
   * the {@linkcode IRCClient.ping} it answers.
   *
   * @param user Who replied.
   * @param _channel Where.
   * @param data The key.
   * @throws {IRCBadMessage} "Bogus PING response from ...: ..." for a key
   *   we did not send (the dispatch logs it).
   */
  ctcpReply_PING(user: string, _channel: string, data: string | null): void {
    const id = JSON.stringify([nickOf(user), data]);
    const t0 = this.#pings?.get(id);
    if (t0 === undefined) {
      throw new IRCBadMessage(`Bogus PING response from ${user}: ${data}`);
    }
    this.pong(user, this.clock.seconds() - t0);
  }

  /**
   * Called for a CTCP reply without a handler: logs it.
   *
   * @param user Who replied.
   * @param _channel Where.
   * @param tag The reply's tag.
   * @param data Its data.
   */
  ctcpUnknownReply(
    user: string,
    _channel: string,
    tag: string,
    data: string | null,
  ): void {
    log.msg(`Unknown CTCP reply from ${user}: ${tag} ${data ?? "None"}`, {
      system: this.#system(),
    });
  }

  // -- Modes ---------------------------------------------------------------

  /**
   * The user modes that take a parameter: `[whenAdded, whenRemoved]`. The
   * default has none.
   *
   * @returns The modes.
   */
  getUserModeParams(): [string, string] {
    return ["", ""];
  }

  /**
   * The channel modes that take a parameter, from the server's `PREFIX`
   * (which always do) and `CHANMODES` (address and parameter modes always,
   * the set-only ones when added): `[whenAdded, whenRemoved]`.
   *
   * @returns The modes.
   *
   * @example Usage
   * ```ts
   * import { IRCClient } from "@torsion/torsion/irc";
   * import { deepEqual } from "node:assert/strict";
   *
   * deepEqual(new IRCClient().getChannelModeParams(), ["ovhblk", "ovhb"]);
   * ```
   */
  getChannelModeParams(): [string, string] {
    const prefixes = this.supported.getFeature("PREFIX") ?? {};
    let add = Object.keys(prefixes).join("");
    let remove = add;
    const chanmodes = this.supported.getFeature("CHANMODES");
    if (chanmodes !== null) {
      add += (chanmodes.addressModes ?? "") + (chanmodes.param ?? "");
      remove = add;
      add += chanmodes.setParam ?? "";
    }
    return [add, remove];
  }
}
defineClockProperty(IRCClient.prototype);

/** A line of the message of the day without its leading `- `. */
function motdLine(line: string): string {
  return line.startsWith("- ") ? line.slice(2) : line;
}
