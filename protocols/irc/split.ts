// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode split}: breaks a text into lines that fit a length, as
 * `IRCClient.msg` does with long messages.
 *
 * @module
 */

import { utf8Length, utf8Prefix } from "./_utf8.ts";

// Python's textwrap.TextWrapper.wordsep_re (break_on_hyphens), with
// Python's Unicode \w (letters, digits, underscore) and its "letter"
// ([^\d\W]: \w without the decimal digits).
const WS = String.raw`[\t\n\x0b\x0c\r ]`;
const NWS = String.raw`[^\t\n\x0b\x0c\r ]`;
const W = String.raw`[\p{L}\p{N}_]`;
const WP = String.raw`[\p{L}\p{N}_!"'&.,?]`;
const LT = String.raw`[\p{L}\p{Nl}\p{No}_]`;
const WORDSEP = new RegExp(
  `(${WS}+` +
    `|(?<=${WP})-{2,}(?=${W})` +
    `|${NWS}+?(?:-(?:(?<=${LT}{2}-)|(?<=${LT}-${LT}-))(?=${LT}-?${LT})` +
    `|(?=${WS}|$)` +
    `|(?<=${WP})(?=-{2,}${W})))`,
  "u",
);

/** Python's `str.expandtabs(8)`: a tab moves to the next multiple of 8. */
function expandTabs(text: string): string {
  if (!text.includes("\t")) return text;
  let out = "";
  let column = 0;
  for (const c of text) {
    if (c === "\t") {
      const n = 8 - (column % 8);
      out += " ".repeat(n);
      column += n;
    } else if (c === "\n" || c === "\r") {
      out += c;
      column = 0;
    } else {
      out += c;
      column++;
    }
  }
  return out;
}

function isSpace(chunk: string): boolean {
  return chunk.trim() === "";
}

/**
 * Moves the head of the long word `chunks[chunks.length - 1]` onto `line`:
 * as much as fits in the space left, or up to and with its last hyphen
 * there (textwrap's `_handle_long_word`).
 */
function breakLongWord(
  chunks: string[],
  line: string[],
  length: number,
  width: number,
): void {
  const spaceLeft = width < 1 ? 1 : width - length;
  const chunk = chunks[chunks.length - 1];
  let end = utf8Prefix(chunk, spaceLeft);
  if (end === 0 && line.length === 0) {
    // A character wider than the whole line still has to go somewhere.
    end = chunk.codePointAt(0)! > 0xffff ? 2 : 1;
  }
  if (end > 0) {
    const hyphen = chunk.lastIndexOf("-", end - 1);
    if (hyphen > 0 && /[^-]/.test(chunk.slice(0, hyphen))) end = hyphen + 1;
  }
  line.push(chunk.slice(0, end));
  chunks[chunks.length - 1] = chunk.slice(end);
}

/** textwrap.wrap(text, width) with its defaults, lengths in UTF-8 bytes. */
function wrap(text: string, width: number): string[] {
  text = expandTabs(text).replace(/[\t\n\v\f\r]/g, " ");
  const chunks = text.split(WORDSEP).filter((c) => c !== "").reverse();
  const lines: string[] = [];
  while (chunks.length > 0) {
    const line: string[] = [];
    let length = 0;
    // A line does not start with white space, unless it is the first.
    if (isSpace(chunks[chunks.length - 1]) && lines.length > 0) chunks.pop();
    while (chunks.length > 0) {
      const n = utf8Length(chunks[chunks.length - 1]);
      if (length + n > width) break;
      line.push(chunks.pop()!);
      length += n;
    }
    if (chunks.length > 0 && utf8Length(chunks[chunks.length - 1]) > width) {
      breakLongWord(chunks, line, length, width);
    }
    if (line.length > 0 && isSpace(line[line.length - 1])) line.pop();
    if (line.length > 0) lines.push(line.join(""));
  }
  return lines;
}

/**
 * Splits a text into lines of at most `length` bytes (Twisted's `split`):
 * each line of `text` (at `\n`) is wrapped as Python's `textwrap.wrap`
 * does, preferring to break at white space, then after a hyphen inside a
 * word, then anywhere. White space at the start and end of each line is
 * dropped, other white space becomes spaces (tabs expanded to 8 columns),
 * and empty lines are left out.
 *
 * Twisted counts characters; this counts UTF-8 bytes (and never cuts a
 * character in two), which is what an IRC server limits.
 *
 * @param text The text.
 * @param length The longest line, in UTF-8 bytes.
 * @returns The lines.
 * @throws {RangeError} If `length` is not more than 0.
 *
 * @example Usage
 * ```ts
 * import { split } from "@torsion/torsion/irc";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(split("the quick brown fox", 10), ["the quick", "brown fox"]);
 * deepEqual(split("xx\nyyz", 2), ["xx", "yy", "z"]);
 * deepEqual(split(""), []);
 * ```
 */
export function split(text: string, length = 80): string[] {
  if (!(length > 0)) {
    throw new RangeError(`invalid width ${length} (must be > 0)`);
  }
  return text.split("\n").flatMap((line) => wrap(line, length));
}
