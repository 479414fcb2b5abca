// Copyright 2026 the Torsion authors. MIT license.
/**
 * IRC messages as text, without I/O: {@linkcode parseMessage} (and Twisted's
 * {@linkcode parsemsg}) reads one, {@linkcode formatMessage} writes one.
 * The wire format is RFC 1459/2812's, with the IRCv3 message tags.
 *
 * @module
 */

import { IRCBadMessage } from "./errors.ts";
import { utf8Length } from "./_utf8.ts";

/**
 * The longest IRC line, in bytes, with its CR LF and without its tags (RFC
 * 2812 §2.3; Twisted's `MAX_COMMAND_LENGTH`).
 *
 * @example Usage
 * ```ts
 * import { MAX_COMMAND_LENGTH } from "@torsion/torsion/irc";
 * import { equal } from "node:assert/strict";
 *
 * equal(MAX_COMMAND_LENGTH, 512);
 * ```
 */
export const MAX_COMMAND_LENGTH = 512;

/**
 * The longest tags section of a line, in bytes, with its `@` and the space
 * after it (the IRCv3 message-tags limit).
 *
 * @example Usage
 * ```ts
 * import { MAX_TAGS_LENGTH } from "@torsion/torsion/irc";
 * import { equal } from "node:assert/strict";
 *
 * equal(MAX_TAGS_LENGTH, 8191);
 * ```
 */
export const MAX_TAGS_LENGTH = 8191;

/** At most this many parameters are sent (RFC 2812 §2.3.1). */
const MAX_PARAMS = 15;

/**
 * One IRC message: `@tags :prefix COMMAND params...`.
 *
 * @example Usage
 * ```ts
 * import { type IRCMessage, parseMessage } from "@torsion/torsion/irc";
 * import { equal } from "node:assert/strict";
 *
 * const m: IRCMessage = parseMessage(":nick!user@host PRIVMSG #chan :hi there");
 * equal(m.params[1], "hi there");
 * ```
 */
export interface IRCMessage {
  /**
   * The IRCv3 tags, unescaped (a tag without a value has `""`); empty when
   * the line has none.
   */
  tags: Map<string, string>;
  /** The prefix (the source) without its `:`, or `""` when there is none. */
  prefix: string;
  /** The command (`PRIVMSG`) or the 3-digit numeric (`001`), as sent. */
  command: string;
  /** The parameters, the trailing one (after ` :`) last, without its `:`. */
  params: string[];
}

/**
 * Options of {@linkcode formatMessage}.
 *
 * @example Usage
 * ```ts
 * import { type FormatMessageOptions, formatMessage } from "@torsion/torsion/irc";
 * import { equal } from "node:assert/strict";
 *
 * const options: FormatMessageOptions = {
 *   prefix: "irc.example",
 *   tags: new Map([["time", "2026-01-01T00:00:00Z"]]),
 * };
 * equal(
 *   formatMessage("NOTICE", ["*", "hi"], options),
 *   "@time=2026-01-01T00:00:00Z :irc.example NOTICE * hi",
 * );
 * ```
 */
export interface FormatMessageOptions {
  /**
   * The prefix (the source), without its `:`.
   *
   * @default {""}
   */
  prefix?: string;
  /**
   * The IRCv3 tags: name to unescaped value; `null`, `undefined` or `""`
   * sends the name alone.
   *
   * @default {undefined}
   */
  tags?:
    | Readonly<Record<string, string | null | undefined>>
    | ReadonlyMap<string, string | null | undefined>;
}

const COMMAND = /^(?:[A-Za-z]+|[0-9]{3})$/;
const TAG_NAME = /^\+?[A-Za-z0-9\-/.]+$/;

/** The index of the first non-space at or after `i`. */
function skipSpaces(line: string, i: number): number {
  while (line.charCodeAt(i) === 0x20) i++;
  return i;
}

/**
 * Unescapes an IRCv3 tag value: `\:` is `;`, `\s` a space, `\\` a
 * backslash, `\r` and `\n` CR and LF; before any other character a
 * backslash is dropped, and so is a backslash at the end.
 */
function unescapeTagValue(value: string): string {
  if (!value.includes("\\")) return value;
  let out = "";
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c !== "\\") {
      out += c;
      continue;
    }
    i++;
    if (i === value.length) break;
    const n = value[i];
    out += n === ":"
      ? ";"
      : n === "s"
      ? " "
      : n === "r"
      ? "\r"
      : n === "n"
      ? "\n"
      : n;
  }
  return out;
}

/** Escapes an IRCv3 tag value, as Twisted's `_escapeTagValue`. */
function escapeTagValue(value: string): string {
  return value.replaceAll("\\", "\\\\").replaceAll(";", "\\:")
    .replaceAll(" ", "\\s").replaceAll("\r", "\\r").replaceAll("\n", "\\n");
}

function parseTags(text: string): Map<string, string> {
  const tags = new Map<string, string>();
  for (const item of text.split(";")) {
    if (item === "") continue;
    const eq = item.indexOf("=");
    const name = eq === -1 ? item : item.slice(0, eq);
    if (name === "") continue;
    tags.set(name, eq === -1 ? "" : unescapeTagValue(item.slice(eq + 1)));
  }
  return tags;
}

/**
 * Parses one IRC line (without its line end) into its tags, prefix,
 * command and parameters.
 *
 * As RFC 2812: parameters are separated by spaces (runs of them count as
 * one), and a parameter that starts with `:` takes the rest of the line.
 * Any number of parameters is read, as Twisted and the modern IRC client
 * documents do (servers send more than RFC 2812's 15, in `RPL_ISUPPORT`
 * for one); {@linkcode formatMessage} sends at most 15. Limits: the line
 * without its tags at most
 * {@linkcode MAX_COMMAND_LENGTH} bytes with the CR LF it had (510 without);
 * the tags section at most {@linkcode MAX_TAGS_LENGTH} bytes. The command
 * is letters or a 3-digit numeric, kept as sent (not upper-cased).
 *
 * Twisted's `parsemsg` has no tags and splits on any white space (tabs
 * too); this splits on spaces only, as the RFC, and reads IRCv3 tags.
 *
 * @param line The line, without CR LF.
 * @returns The message.
 * @throws {IRCBadMessage} If the line is empty ("Empty line."), too long,
 *   or has no command or a bad one.
 *
 * @example Usage
 * ```ts
 * import { parseMessage } from "@torsion/torsion/irc";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * const m = parseMessage(
 *   "@time=2026-01-01T00:00:00Z;msgid=a\\sb :bob!b@host PRIVMSG #deno :hi all",
 * );
 * equal(m.tags.get("msgid"), "a b");
 * equal(m.prefix, "bob!b@host");
 * equal(m.command, "PRIVMSG");
 * deepEqual(m.params, ["#deno", "hi all"]);
 * ```
 */
export function parseMessage(line: string): IRCMessage {
  if (line === "") throw new IRCBadMessage("Empty line.");
  let pos = 0;
  let tags: Map<string, string>;
  if (line.charCodeAt(0) === 0x40 /* @ */) {
    const sp = line.indexOf(" ");
    if (sp === -1) {
      throw new IRCBadMessage("Cannot parse the message: no command");
    }
    const size = utf8Length(line.slice(0, sp + 1));
    if (size > MAX_TAGS_LENGTH) {
      throw new IRCBadMessage(
        `Cannot parse the message: its tags take ${size} bytes, more than ${MAX_TAGS_LENGTH}`,
      );
    }
    tags = parseTags(line.slice(1, sp));
    pos = skipSpaces(line, sp);
  } else {
    tags = new Map();
  }
  const size = utf8Length(pos === 0 ? line : line.slice(pos)) + 2;
  if (size > MAX_COMMAND_LENGTH) {
    throw new IRCBadMessage(
      `Cannot parse the message: it takes ${size} bytes with CR LF, more than ${MAX_COMMAND_LENGTH}`,
    );
  }
  let prefix = "";
  if (line.charCodeAt(pos) === 0x3a /* : */) {
    const sp = line.indexOf(" ", pos);
    if (sp === -1) {
      throw new IRCBadMessage("Cannot parse the message: no command");
    }
    prefix = line.slice(pos + 1, sp);
    if (prefix === "") {
      throw new IRCBadMessage("Cannot parse the message: empty prefix");
    }
    pos = skipSpaces(line, sp);
  }
  let end = line.indexOf(" ", pos);
  if (end === -1) end = line.length;
  const command = line.slice(pos, end);
  if (command === "") {
    throw new IRCBadMessage("Cannot parse the message: no command");
  }
  if (!COMMAND.test(command)) {
    throw new IRCBadMessage(
      `Cannot parse the message: bad command ${JSON.stringify(command)}`,
    );
  }
  const params: string[] = [];
  pos = end;
  for (;;) {
    pos = skipSpaces(line, pos);
    if (pos >= line.length) break;
    if (line.charCodeAt(pos) === 0x3a /* : */) {
      params.push(line.slice(pos + 1));
      break;
    }
    end = line.indexOf(" ", pos);
    if (end === -1) end = line.length;
    params.push(line.slice(pos, end));
    pos = end;
  }
  return { tags, prefix, command, params };
}

/**
 * Breaks a line from an IRC server into its prefix, command and parameters
 * (Twisted's `parsemsg`): {@linkcode parseMessage} without the tags.
 *
 * @param line The line, without CR LF.
 * @returns `[prefix, command, params]`; the prefix is `""` when absent.
 * @throws {IRCBadMessage} As {@linkcode parseMessage}.
 *
 * @example Usage
 * ```ts
 * import { parsemsg } from "@torsion/torsion/irc";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(parsemsg(":irc.example 001 bot :Welcome"), [
 *   "irc.example",
 *   "001",
 *   ["bot", "Welcome"],
 * ]);
 * deepEqual(parsemsg("PING irc.example"), ["", "PING", ["irc.example"]]);
 * ```
 */
export function parsemsg(line: string): [string, string, string[]] {
  const { prefix, command, params } = parseMessage(line);
  return [prefix, command, params];
}

function tagEntries(
  tags: FormatMessageOptions["tags"],
): [string, string | null | undefined][] {
  if (tags === undefined) return [];
  if (tags instanceof Map) return [...tags.entries()];
  return Object.entries(tags as Record<string, string | null | undefined>);
}

/**
 * Writes an IRC message as one line, without its CR LF: the inverse of
 * {@linkcode parseMessage}. The last parameter is sent after ` :` when it
 * needs it (it is empty, has a space or starts with `:`); tag values are
 * escaped.
 *
 * Twisted's `IRC.sendCommand` joins the parameters as given, leaving the
 * `:` to the caller; this adds it, and refuses what would not parse back as
 * the same message.
 *
 * @param command The command or numeric.
 * @param params The parameters.
 * @param options The prefix and the tags.
 * @returns The line.
 * @throws {TypeError} With Twisted's texts: "IRC message requires a
 *   command." for an empty command, `Invalid command: "<command>"` for one
 *   with a space or a leading `:`, "A tag name is required." and "Tag
 *   contains invalid characters." for bad tag names (letters, digits, `-`,
 *   `/` and `.`, after an optional `+`); also for a parameter with CR, LF or
 *   NUL, or one before the last that is empty, has a space or starts with
 *   `:`.
 * @throws {RangeError} If there are more than 15 parameters, or the line is
 *   longer than {@linkcode MAX_COMMAND_LENGTH} (its tags longer than
 *   {@linkcode MAX_TAGS_LENGTH}) bytes.
 *
 * @example Usage
 * ```ts
 * import { formatMessage, parseMessage } from "@torsion/torsion/irc";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * const line = formatMessage("PRIVMSG", ["#deno", "hello there"], {
 *   tags: { "+draft/reply": "abc", "example.com/flag": null },
 * });
 * equal(line, "@+draft/reply=abc;example.com/flag PRIVMSG #deno :hello there");
 * deepEqual(parseMessage(line).params, ["#deno", "hello there"]);
 * equal(formatMessage("PONG", ["irc.example"]), "PONG irc.example");
 * ```
 */
export function formatMessage(
  command: string,
  params: readonly string[] = [],
  options: FormatMessageOptions = {},
): string {
  if (!command) throw new TypeError("IRC message requires a command.");
  if (command.includes(" ") || command[0] === ":") {
    throw new TypeError(`Invalid command: "${command}"`);
  }
  if (params.length > MAX_PARAMS) {
    throw new RangeError(
      `Cannot format the message: it has ${params.length} parameters, more than ${MAX_PARAMS}`,
    );
  }
  let line = command;
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    if (/[\r\n\0]/.test(p)) {
      throw new TypeError(
        `Cannot format the message: parameter ${i} contains CR, LF or NUL`,
      );
    }
    const bare = p !== "" && !p.includes(" ") && p[0] !== ":";
    if (i < params.length - 1) {
      if (!bare) {
        throw new TypeError(
          `Cannot format the message: parameter ${i} is not the last, and is empty, has a space or starts with ":": ${
            JSON.stringify(p)
          }`,
        );
      }
      line += " " + p;
    } else {
      line += bare ? " " + p : " :" + p;
    }
  }
  const prefix = options.prefix ?? "";
  if (prefix !== "") {
    if (/[ \r\n\0]/.test(prefix)) {
      throw new TypeError(
        `Cannot format the message: the prefix contains a space, CR, LF or NUL: ${
          JSON.stringify(prefix)
        }`,
      );
    }
    line = `:${prefix} ${line}`;
  }
  const size = utf8Length(line) + 2;
  if (size > MAX_COMMAND_LENGTH) {
    throw new RangeError(
      `Cannot format the message: it takes ${size} bytes with CR LF, more than ${MAX_COMMAND_LENGTH}`,
    );
  }
  const entries = tagEntries(options.tags);
  if (entries.length === 0) return line;
  const items: string[] = [];
  for (const [name, value] of entries) {
    if (!name) throw new TypeError("A tag name is required.");
    if (!TAG_NAME.test(name)) {
      throw new TypeError("Tag contains invalid characters.");
    }
    items.push(value ? `${name}=${escapeTagValue(value)}` : name);
  }
  const tags = `@${items.join(";")} `;
  const tagSize = utf8Length(tags);
  if (tagSize > MAX_TAGS_LENGTH) {
    throw new RangeError(
      `Cannot format the message: its tags take ${tagSize} bytes, more than ${MAX_TAGS_LENGTH}`,
    );
  }
  return tags + line;
}
