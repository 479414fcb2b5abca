// Copyright 2026 the Torsion authors. MIT license.
/**
 * CTCP, the Client-To-Client Protocol carried inside `PRIVMSG` and
 * `NOTICE` texts, and the low-level quoting of IRC lines, after Twisted's
 * module functions: {@linkcode ctcpExtract}, {@linkcode ctcpStringify},
 * {@linkcode ctcpQuote}/{@linkcode ctcpDequote} and
 * {@linkcode lowQuote}/{@linkcode lowDequote}.
 *
 * @module
 */

/**
 * The CTCP delimiter, `\x01`, around each extended message.
 *
 * @example Usage
 * ```ts
 * import { X_DELIM } from "@torsion/torsion/irc";
 * import { equal } from "node:assert/strict";
 *
 * equal(X_DELIM, "\x01");
 * ```
 */
export const X_DELIM = "\x01";

/**
 * The CTCP-level quote character, a backslash.
 *
 * @example Usage
 * ```ts
 * import { X_QUOTE } from "@torsion/torsion/irc";
 * import { equal } from "node:assert/strict";
 *
 * equal(X_QUOTE, "\\");
 * ```
 */
export const X_QUOTE = "\\";

/**
 * The low-level quote character, `\x10` (DLE).
 *
 * @example Usage
 * ```ts
 * import { M_QUOTE } from "@torsion/torsion/irc";
 * import { equal } from "node:assert/strict";
 *
 * equal(M_QUOTE, "\x10");
 * ```
 */
export const M_QUOTE = "\x10";

/**
 * A CTCP extended message: its tag (`ACTION`, `VERSION`...) and its data,
 * or `null` when it has none.
 *
 * @example Usage
 * ```ts
 * import { type CtcpMessage, ctcpStringify } from "@torsion/torsion/irc";
 * import { equal } from "node:assert/strict";
 *
 * const m: CtcpMessage = ["ACTION", "waves"];
 * equal(ctcpStringify([m]), "\x01ACTION waves\x01");
 * ```
 */
export type CtcpMessage = [tag: string, data: string | null];

/**
 * What {@linkcode ctcpExtract} finds in a message.
 *
 * @example Usage
 * ```ts
 * import { type CtcpExtracted, ctcpExtract } from "@torsion/torsion/irc";
 * import { deepEqual } from "node:assert/strict";
 *
 * const found: CtcpExtracted = ctcpExtract("hi");
 * deepEqual(found, { extended: [], normal: ["hi"] });
 * ```
 */
export interface CtcpExtracted {
  /** The CTCP messages, dequoted and split into tag and data. */
  extended: CtcpMessage[];
  /** The plain texts between them (empty ones left out). */
  normal: string[];
}

/**
 * Splits a message into its CTCP parts (between `\x01`s) and its plain
 * parts (Twisted's `ctcpExtract`). Parts alternate, starting with a plain
 * one; empty parts are dropped. A CTCP part is dequoted with
 * {@linkcode ctcpDequote}, then split at its first space into tag and data
 * (`null` without a space).
 *
 * @param message The text of a `PRIVMSG` or `NOTICE`.
 * @returns The CTCP messages and the plain texts.
 *
 * @example Usage
 * ```ts
 * import { ctcpExtract } from "@torsion/torsion/irc";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(ctcpExtract("\x01ACTION waves\x01 and \x01VERSION\x01"), {
 *   extended: [["ACTION", "waves"], ["VERSION", null]],
 *   normal: [" and "],
 * });
 * ```
 */
export function ctcpExtract(message: string): CtcpExtracted {
  const extended: CtcpMessage[] = [];
  const normal: string[] = [];
  const parts = message.split(X_DELIM);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (part === "") continue;
    if (i % 2 === 0) {
      normal.push(part);
      continue;
    }
    const m = ctcpDequote(part);
    const sp = m.indexOf(" ");
    extended.push(sp === -1 ? [m, null] : [m.slice(0, sp), m.slice(sp + 1)]);
  }
  return { extended, normal };
}

const lowQuoteTable: Record<string, string> = {
  "\x10": "\x10\x10",
  "\0": "\x100",
  "\n": "\x10n",
  "\r": "\x10r",
};
const lowDequoteTable: Record<string, string> = {
  "\x10": "\x10",
  "0": "\0",
  "n": "\n",
  "r": "\r",
};

/**
 * Quotes NUL, CR, LF and `\x10` in a line for the wire (Twisted's
 * `lowQuote`): `IRCClient` sends every line through it, so a newline in a
 * message cannot start a new command.
 *
 * @param s The text.
 * @returns The quoted text.
 *
 * @example Usage
 * ```ts
 * import { lowDequote, lowQuote } from "@torsion/torsion/irc";
 * import { equal } from "node:assert/strict";
 *
 * equal(lowQuote("a\nb\0"), "a\x10nb\x100");
 * equal(lowDequote(lowQuote("a\r\n\x10")), "a\r\n\x10");
 * ```
 */
export function lowQuote(s: string): string {
  // deno-lint-ignore no-control-regex -- the low-level quote, DLE
  return s.replace(/[\x10\0\n\r]/g, (c) => lowQuoteTable[c]);
}

/**
 * Undoes {@linkcode lowQuote} (Twisted's `lowDequote`): `\x10` and the next
 * character become NUL, LF, CR or `\x10`, or that character alone when it
 * is another one.
 *
 * @param s The quoted text.
 * @returns The text.
 *
 * @example Usage
 * ```ts
 * import { lowDequote } from "@torsion/torsion/irc";
 * import { equal } from "node:assert/strict";
 *
 * equal(lowDequote("a\x10nb\x10x"), "a\nbx");
 * ```
 */
export function lowDequote(s: string): string {
  if (!s.includes(M_QUOTE)) return s;
  // deno-lint-ignore no-control-regex -- the low-level quote, DLE
  return s.replace(/\x10([\s\S])/g, (_, c: string) => lowDequoteTable[c] ?? c);
}

/**
 * Quotes `\` and `\x01` inside a CTCP message (Twisted's `ctcpQuote`): `\\`
 * and `\a`.
 *
 * @param s The text.
 * @returns The quoted text.
 *
 * @example Usage
 * ```ts
 * import { ctcpQuote } from "@torsion/torsion/irc";
 * import { equal } from "node:assert/strict";
 *
 * equal(ctcpQuote("a\\b\x01"), "a\\\\b\\a");
 * ```
 */
export function ctcpQuote(s: string): string {
  return s.replaceAll(X_QUOTE, "\\\\").replaceAll(X_DELIM, "\\a");
}

/**
 * Undoes {@linkcode ctcpQuote} (Twisted's `ctcpDequote`): `\a` becomes
 * `\x01`, `\\` a backslash, and a backslash before any other character is
 * dropped.
 *
 * @param s The quoted text.
 * @returns The text.
 *
 * @example Usage
 * ```ts
 * import { ctcpDequote } from "@torsion/torsion/irc";
 * import { equal } from "node:assert/strict";
 *
 * equal(ctcpDequote("a\\\\b\\a\\z"), "a\\b\x01z");
 * ```
 */
export function ctcpDequote(s: string): string {
  if (!s.includes(X_QUOTE)) return s;
  return s.replace(/\\([\s\S])/g, (_, c: string) => c === "a" ? X_DELIM : c);
}

/**
 * The data of a CTCP message to send: text, words to join with spaces, a
 * number, or nothing.
 *
 * @example Usage
 * ```ts
 * import { type CtcpData, ctcpStringify } from "@torsion/torsion/irc";
 * import { equal } from "node:assert/strict";
 *
 * const data: CtcpData = ["RESUME", "file.txt", 5000, 1024];
 * equal(ctcpStringify([["DCC", data]]), "\x01DCC RESUME file.txt 5000 1024\x01");
 * ```
 */
export type CtcpData =
  | string
  | number
  | readonly (string | number)[]
  | null
  | undefined;

/**
 * Encodes CTCP messages for a `PRIVMSG` or `NOTICE` (Twisted's
 * `ctcpStringify`): each `tag data` (or `tag` alone when the data is empty
 * or missing), quoted with {@linkcode ctcpQuote} and put between `\x01`s.
 *
 * @param messages The messages: tag and data.
 * @returns The text.
 *
 * @example Usage
 * ```ts
 * import { ctcpStringify } from "@torsion/torsion/irc";
 * import { equal } from "node:assert/strict";
 *
 * equal(
 *   ctcpStringify([["PING", "123"], ["SOURCE", null]]),
 *   "\x01PING 123\x01\x01SOURCE\x01",
 * );
 * ```
 */
export function ctcpStringify(
  messages: Iterable<readonly [tag: string, data?: CtcpData]>,
): string {
  let line = "";
  for (const [tag, data] of messages) {
    let m: string;
    if (data === null || data === undefined || data === "" || data === 0) {
      m = tag;
    } else if (typeof data === "string" || typeof data === "number") {
      m = `${tag} ${data}`;
    } else if (data.length === 0) {
      m = tag;
    } else {
      m = `${tag} ${data.map(String).join(" ")}`;
    }
    line += X_DELIM + ctcpQuote(m) + X_DELIM;
  }
  return line;
}
