// Copyright 2026 the Torsion authors. MIT license.
/**
 * IRC, after Twisted's `twisted.words.protocols.irc`: the client protocol
 * {@linkcode IRCClient} with Twisted's callbacks and `irc_<COMMAND>`
 * handlers, the sans-I/O message parser and builder
 * ({@linkcode parseMessage}, {@linkcode formatMessage}: RFC 1459/2812 with
 * IRCv3 tags), CTCP ({@linkcode ctcpExtract}, {@linkcode ctcpStringify},
 * the quoting functions), {@linkcode split} for long messages,
 * {@linkcode parseModes}, the server's ISUPPORT features
 * ({@linkcode ServerSupportedFeatures}) and the numerics' names.
 *
 * ```ts
 * import { IRCClient } from "@torsion/torsion/irc";
 * import { StringTransport } from "@torsion/torsion/testing";
 * import { deepEqual } from "node:assert/strict";
 *
 * class LogBot extends IRCClient {
 *   override nickname = "logbot";
 *   lines: string[] = [];
 *   override signedOn(): void {
 *     this.join("deno");
 *   }
 *   override joined(channel: string): void {
 *     this.lines.push(`[I have joined ${channel}]`);
 *   }
 *   override privmsg(user: string, _channel: string, message: string): void {
 *     this.lines.push(`<${user.split("!")[0]}> ${message}`);
 *   }
 * }
 * const bot = new LogBot();
 * bot.heartbeatInterval = null;
 * bot.makeConnection(new StringTransport());
 * const server = ":irc.example 001 logbot :Welcome\r\n" +
 *   ":logbot!l@host JOIN #deno\r\n" +
 *   ":alice!a@host PRIVMSG #deno :hello\r\n";
 * for (const byte of new TextEncoder().encode(server)) {
 *   bot.dataReceived(new Uint8Array([byte]));
 * }
 * deepEqual(bot.lines, ["[I have joined #deno]", "<alice> hello"]);
 * ```
 *
 * @module
 */

export { IRCClient } from "./irc_client.ts";
export {
  formatMessage,
  type FormatMessageOptions,
  type IRCMessage,
  MAX_COMMAND_LENGTH,
  MAX_TAGS_LENGTH,
  parseMessage,
  parsemsg,
} from "./message.ts";
export {
  type CtcpData,
  ctcpDequote,
  ctcpExtract,
  type CtcpExtracted,
  type CtcpMessage,
  ctcpQuote,
  ctcpStringify,
  lowDequote,
  lowQuote,
  M_QUOTE,
  X_DELIM,
  X_QUOTE,
} from "./ctcp.ts";
export { split } from "./split.ts";
export { type ModeChange, parseModes } from "./parse_modes.ts";
export {
  type ChannelModes,
  type FeatureValue,
  type KnownFeatures,
  type PrefixModes,
  ServerSupportedFeatures,
} from "./server_supported_features.ts";
export { NUMERIC_TO_SYMBOLIC, SYMBOLIC_TO_NUMERIC } from "./numerics.ts";
export { IRCBadMessage, IRCBadModes, IRCPasswordMismatch } from "./errors.ts";
