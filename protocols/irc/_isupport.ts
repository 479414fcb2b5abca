// Copyright 2026 the Torsion authors. MIT license.
/**
 * The parsing helpers of `ServerSupportedFeatures` (Twisted's
 * `_intOrDefault` and the class's `_split*`/`_parse*` class methods),
 * exported for their tests (private).
 *
 * @module
 */

import { repr } from "./_repr.ts";

/**
 * The modes of a channel by kind, from the ISUPPORT `CHANMODES` parameter.
 *
 * @example Usage
 * ```ts
 * import { type ChannelModes, ServerSupportedFeatures } from "@torsion/torsion/irc";
 * import { deepEqual } from "node:assert/strict";
 *
 * const s = new ServerSupportedFeatures();
 * s.parse(["CHANMODES=beI,k,l,imnpst"]);
 * const modes: ChannelModes | null = s.getFeature("CHANMODES");
 * deepEqual(modes, { addressModes: "beI", param: "k", setParam: "l", noParam: "imnpst" });
 * ```
 */
export interface ChannelModes {
  /** Modes that add or remove an address to or from a list; they always take a parameter. */
  addressModes?: string;
  /** Modes that change a setting; they always take a parameter. */
  param?: string;
  /** Modes that change a setting; they take a parameter only when set. */
  setParam?: string;
  /** Modes that change a setting; they never take a parameter. */
  noParam?: string;
}

/**
 * The channel member modes of the ISUPPORT `PREFIX` parameter: mode to its
 * status symbol and its rank (0 gives the most privileges).
 *
 * @example Usage
 * ```ts
 * import { type PrefixModes, ServerSupportedFeatures } from "@torsion/torsion/irc";
 * import { deepEqual } from "node:assert/strict";
 *
 * const prefix: PrefixModes | null = new ServerSupportedFeatures().getFeature("PREFIX");
 * deepEqual(prefix, { o: ["@", 0], v: ["+", 1], h: ["%", 2] });
 * ```
 */
export type PrefixModes = Record<string, [symbol: string, priority: number]>;

/**
 * Python's `int(value)` if it works, else `fallback` (Twisted's
 * `_intOrDefault`): decimal digits with an optional sign, surrounding white
 * space and single underscores between digits.
 */
export function intOrDefault<D>(
  value: string | null | undefined,
  fallback: D,
): number | D {
  if (value) {
    const m = /^\s*([+-]?\d+(?:_\d+)*)\s*$/.exec(value);
    if (m) return Number(m[1].replaceAll("_", ""));
  }
  return fallback;
}

/** Splits `A:1` arguments into `[name, value]` (Twisted's `_splitParamArgs`). */
export function splitParamArgs<T = string>(
  params: readonly string[],
  process?: (value: string) => T,
): [string, T][] {
  return params.map((param) => {
    const i = param.indexOf(":");
    const name = i === -1 ? param : param.slice(0, i);
    const value = i === -1 ? "" : param.slice(i + 1);
    return [name, process ? process(value) : value as T];
  });
}

/**
 * Unescapes `\xHH` in an ISUPPORT value (Twisted's `_unescapeParamValue`).
 *
 * @throws {SyntaxError} "Invalid hex octet: '...'" after a `\x` without hex
 *   digits.
 */
export function unescapeParamValue(value: string): string {
  if (!value.includes("\\x")) return value;
  const parts = value.split("\\x");
  let out = parts[0];
  for (const s of parts.slice(1)) {
    const octet = s.slice(0, 2);
    if (!/^[0-9A-Fa-f]{1,2}$/.test(octet)) {
      throw new SyntaxError(`Invalid hex octet: ${repr(octet)}`);
    }
    out += String.fromCharCode(parseInt(octet, 16)) + s.slice(2);
  }
  return out;
}

/** Splits `KEY=a,b` into its key and unescaped values (Twisted's `_splitParam`). */
export function splitParam(param: string): [string, string[]] {
  const i = param.indexOf("=");
  const key = i === -1 ? param : param.slice(0, i);
  const value = i === -1 ? "" : param.slice(i + 1);
  return [key, value.split(",").map(unescapeParamValue)];
}

/**
 * Parses `PREFIX` (`(ov)@+`); `null` for an empty one (Twisted's
 * `_parsePrefixParam`).
 *
 * @throws {SyntaxError} "Malformed PREFIX parameter".
 */
export function parsePrefixParam(prefix: string): PrefixModes | null {
  if (!prefix) return null;
  const close = prefix.indexOf(")");
  if (prefix[0] !== "(" || close === -1) {
    throw new SyntaxError("Malformed PREFIX parameter");
  }
  const modes = [...prefix.slice(1, close)];
  const symbols = [...prefix.slice(close + 1)];
  const result: PrefixModes = {};
  for (let i = 0; i < modes.length && i < symbols.length; i++) {
    result[modes[i]] = [symbols[i], i];
  }
  return result;
}

const CHANMODE_NAMES = [
  "addressModes",
  "param",
  "setParam",
  "noParam",
] as const;

/**
 * Parses `CHANMODES` (`b,k,l,imnpst`) into its kinds; with fewer than four
 * values, only those given (Twisted's `_parseChanModesParam`).
 *
 * @throws {RangeError} "Expecting a maximum of 4 channel mode parameters,
 *   got N".
 */
export function parseChanModesParam(params: readonly string[]): ChannelModes {
  if (params.length > CHANMODE_NAMES.length) {
    throw new RangeError(
      `Expecting a maximum of ${CHANMODE_NAMES.length} channel mode parameters, got ${params.length}`,
    );
  }
  const modes: ChannelModes = {};
  params.forEach((p, i) => modes[CHANMODE_NAMES[i]] = p || "");
  return modes;
}
