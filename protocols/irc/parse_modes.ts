// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode parseModes}: reads an IRC mode string such as `+o-v nick nick`.
 *
 * @module
 */

import { IRCBadModes } from "./errors.ts";
import { repr, reprList } from "./_repr.ts";

/**
 * One mode change: the mode character and its parameter (`null` for a
 * mode without one).
 *
 * @example Usage
 * ```ts
 * import { type ModeChange, parseModes } from "@torsion/torsion/irc";
 * import { deepEqual } from "node:assert/strict";
 *
 * const [added]: ModeChange[][] = parseModes("+n", []);
 * deepEqual(added, [["n", null]]);
 * ```
 */
export type ModeChange = [mode: string, param: string | null];

/**
 * Parses an IRC mode string into the modes added and the modes removed
 * (Twisted's `parseModes`), pairing each mode that takes a parameter with
 * the next of `params`.
 *
 * @param modes The mode string: `+` or `-`, then mode characters, and so on
 *   (`"+o-v"`).
 * @param params The parameters that came with it (not changed).
 * @param paramModes Which modes take a parameter: `[whenAdded,
 *   whenRemoved]`, e.g. `["klb", "b"]`.
 * @returns `[added, removed]`, each a list of `[mode, param]` in order.
 * @throws {IRCBadModes} With Twisted's texts: "Empty mode string",
 *   "Malformed modes string: '...'" (no leading `+` or `-`), "Empty mode
 *   sequence: '...'" (a `+` or `-` with no mode after it), "Not enough
 *   parameters: 'k'", "Too many parameters: '...' [...]".
 *
 * @example Usage
 * ```ts
 * import { parseModes } from "@torsion/torsion/irc";
 * import { deepEqual } from "node:assert/strict";
 *
 * const [added, removed] = parseModes(
 *   "+kn-b",
 *   ["secret", "nick!user@host"],
 *   ["klb", "b"],
 * );
 * deepEqual(added, [["k", "secret"], ["n", null]]);
 * deepEqual(removed, [["b", "nick!user@host"]]);
 * ```
 */
export function parseModes(
  modes: string,
  params: readonly string[],
  paramModes: readonly [string, string] = ["", ""],
): [added: ModeChange[], removed: ModeChange[]] {
  if (modes.length === 0) throw new IRCBadModes("Empty mode string");
  if (modes[0] !== "+" && modes[0] !== "-") {
    throw new IRCBadModes(`Malformed modes string: ${repr(modes)}`);
  }
  const changes: [ModeChange[], ModeChange[]] = [[], []];
  const left = [...params];
  let direction = 0;
  let count = -1;
  for (const ch of modes) {
    if (ch === "+" || ch === "-") {
      if (count === 0) {
        throw new IRCBadModes(`Empty mode sequence: ${repr(modes)}`);
      }
      direction = ch === "+" ? 0 : 1;
      count = 0;
    } else {
      let param: string | null = null;
      if (paramModes[direction].includes(ch)) {
        if (left.length === 0) {
          throw new IRCBadModes(`Not enough parameters: ${repr(ch)}`);
        }
        param = left.shift()!;
      }
      changes[direction].push([ch, param]);
      count++;
    }
  }
  if (left.length > 0) {
    throw new IRCBadModes(
      `Too many parameters: ${repr(modes)} ${reprList(left)}`,
    );
  }
  if (count === 0) {
    throw new IRCBadModes(`Empty mode sequence: ${repr(modes)}`);
  }
  return changes;
}
