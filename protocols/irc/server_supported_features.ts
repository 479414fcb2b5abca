// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode ServerSupportedFeatures}: what an IRC server says it supports
 * in its `RPL_ISUPPORT` (005) replies.
 *
 * @module
 */

import {
  type ChannelModes,
  intOrDefault,
  parseChanModesParam,
  parsePrefixParam,
  type PrefixModes,
  splitParam,
  splitParamArgs,
} from "./_isupport.ts";

export type { ChannelModes, PrefixModes };

/**
 * The ISUPPORT features {@linkcode ServerSupportedFeatures} knows, with the
 * type of their parsed values. A feature not listed keeps its values as a
 * list of strings.
 *
 * @example Usage
 * ```ts
 * import { type KnownFeatures, ServerSupportedFeatures } from "@torsion/torsion/irc";
 * import { equal } from "node:assert/strict";
 *
 * const s = new ServerSupportedFeatures();
 * s.parse(["NETWORK=Example"]);
 * const network: KnownFeatures["NETWORK"] | null = s.getFeature("NETWORK");
 * equal(network, "Example");
 * ```
 */
export interface KnownFeatures {
  /** The most channels of each kind a user may join: `[prefixes, limit]`. */
  CHANLIMIT: [string, number | null][];
  /** The channel modes by kind (kept from before if the value is bad). */
  CHANMODES: ChannelModes | null;
  /** The longest channel name (200 unless given). */
  CHANNELLEN: number | null;
  /** The channel prefixes (`#` and `&` unless given). */
  CHANTYPES: string[];
  /** The mode of ban exceptions (`e` if none given). */
  EXCEPTS: string;
  /** Safe channel prefixes and their id lengths, as given. */
  IDCHAN: [string, string][];
  /** The mode of invite exceptions (`I` if none given). */
  INVEX: string;
  /** The longest kick message. */
  KICKLEN: number | null;
  /** The most entries of each list mode: `[modes, limit]`. */
  MAXLIST: [string, number | null][];
  /** The most modes with a parameter in one `MODE` command (3 unless given). */
  MODES: number | null;
  /** The network's name. */
  NETWORK: string;
  /** The longest nickname (9 unless given). */
  NICKLEN: number | null;
  /** The member modes and their symbols (`(ovh)@+%` unless given). */
  PREFIX: PrefixModes | null;
  /** A `LIST` does not get the client disconnected. */
  SAFELIST: boolean;
  /** The statuses a message may be sent to in a channel (`@+`). */
  STATUSMSG: string;
  /** The most targets per command. */
  TARGMAX: Record<string, number | null>;
  /** The longest topic. */
  TOPICLEN: number | null;
}

/**
 * The value of an ISUPPORT feature: as {@linkcode KnownFeatures} says, or a
 * list of strings for the others.
 *
 * @example Usage
 * ```ts
 * import { type FeatureValue, ServerSupportedFeatures } from "@torsion/torsion/irc";
 * import { deepEqual } from "node:assert/strict";
 *
 * const s = new ServerSupportedFeatures();
 * s.parse(["CASEMAPPING=rfc1459"]);
 * const v: FeatureValue | null = s.getFeature("CASEMAPPING");
 * deepEqual(v, ["rfc1459"]);
 * ```
 */
export type FeatureValue = KnownFeatures[keyof KnownFeatures] | string[];

type Parser = (
  self: ServerSupportedFeatures,
  params: string[],
) => FeatureValue | null;

const PARSERS: ReadonlyMap<string, Parser> = new Map<string, Parser>([
  [
    "CHANLIMIT",
    (_, p) => splitParamArgs<number | null>(p, (v) => intOrDefault(v, null)),
  ],
  ["CHANMODES", (self, p) => {
    try {
      return parseChanModesParam(p);
    } catch {
      return self.getFeature("CHANMODES");
    }
  }],
  [
    "CHANNELLEN",
    (self, p) => intOrDefault(p[0], self.getFeature("CHANNELLEN")),
  ],
  ["CHANTYPES", (_, p) => [...p[0]]],
  ["EXCEPTS", (_, p) => p[0] || "e"],
  ["IDCHAN", (_, p) => splitParamArgs<string>(p)],
  ["INVEX", (_, p) => p[0] || "I"],
  ["KICKLEN", (_, p) => intOrDefault(p[0], null)],
  [
    "MAXLIST",
    (_, p) => splitParamArgs<number | null>(p, (v) => intOrDefault(v, null)),
  ],
  ["MODES", (_, p) => intOrDefault(p[0], null)],
  ["NETWORK", (_, p) => p[0]],
  ["NICKLEN", (self, p) => intOrDefault(p[0], self.getFeature("NICKLEN"))],
  ["PREFIX", (self, p) => {
    try {
      return parsePrefixParam(p[0]);
    } catch {
      return self.getFeature("PREFIX");
    }
  }],
  ["SAFELIST", () => true],
  ["STATUSMSG", (_, p) => p[0]],
  [
    "TARGMAX",
    (_, p) =>
      Object.fromEntries(
        splitParamArgs<number | null>(p, (v) => intOrDefault(v, null)),
      ),
  ],
  ["TOPICLEN", (_, p) => intOrDefault(p[0], null)],
]);

/**
 * The features an IRC server supports, from its `RPL_ISUPPORT` replies
 * (Twisted's `ServerSupportedFeatures`; `IRCClient.supported` holds one).
 * It starts with RFC 1459's defaults (`CHANNELLEN` 200, `CHANTYPES` `#&`,
 * `MODES` 3, `NICKLEN` 9, `PREFIX` `(ovh)@+%`, `CHANMODES` `b,,lk,`) and
 * {@linkcode ServerSupportedFeatures.parse} updates them: `NAME=a,b` sets a
 * feature (values unescaped from `\xHH`), `-NAME` removes it. A feature
 * whose value is `null` counts as unsupported.
 *
 * @example Usage
 * ```ts
 * import { ServerSupportedFeatures } from "@torsion/torsion/irc";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * const s = new ServerSupportedFeatures();
 * s.parse(["MODES=4", "CHANLIMIT=#:20,&:10", "INVEX", "UNKNOWN=A,B"]);
 * equal(s.getFeature("MODES"), 4);
 * deepEqual(s.getFeature("CHANLIMIT"), [["#", 20], ["&", 10]]);
 * equal(s.getFeature("INVEX"), "I");
 * deepEqual(s.getFeature("UNKNOWN"), ["A", "B"]);
 * s.parse(["-INVEX"]);
 * equal(s.hasFeature("INVEX"), false);
 * ```
 */
export class ServerSupportedFeatures {
  #features: Map<string, FeatureValue | null> = new Map<
    string,
    FeatureValue | null
  >([
    ["CHANNELLEN", 200],
    ["CHANTYPES", ["#", "&"]],
    ["MODES", 3],
    ["NICKLEN", 9],
    ["PREFIX", parsePrefixParam("(ovh)@+%")],
    // No default in the ISUPPORT draft; IRCClient.getChannelModeParams
    // relies on one when the server sends none (as Twisted).
    ["CHANMODES", parseChanModesParam(["b", "", "lk", ""])],
  ]);

  /**
   * Returns the value of a feature, or `fallback` when the server does not
   * have it. A feature the server gave no usable value (such as an empty
   * `PREFIX=`) is there with `null`, which is returned, not `fallback`.
   *
   * @typeParam K The feature's name.
   * @param feature The feature's name (`"NICKLEN"`).
   * @returns The value, or `null`.
   *
   * @example Usage
   * ```ts
   * import { ServerSupportedFeatures } from "@torsion/torsion/irc";
   * import { equal } from "node:assert/strict";
   *
   * const s = new ServerSupportedFeatures();
   * equal(s.getFeature("NICKLEN"), 9);
   * equal(s.getFeature("TOPICLEN"), null);
   * equal(s.getFeature("TOPICLEN", 390), 390);
   * ```
   */
  getFeature<K extends keyof KnownFeatures>(
    feature: K,
  ): KnownFeatures[K] | null;
  /**
   * Returns the value of a feature, or `fallback` when the server does not
   * have it.
   *
   * @typeParam K The feature's name.
   * @typeParam D The type of `fallback`.
   * @param feature The feature's name.
   * @param fallback What to return without it.
   * @returns The value, or `fallback`.
   */
  getFeature<K extends keyof KnownFeatures, D>(
    feature: K,
    fallback: D,
  ): KnownFeatures[K] | null | D;
  /**
   * Returns the value of a feature, or `null` when the server does not have
   * it.
   *
   * @param feature The feature's name.
   * @returns The value, or `null`.
   */
  getFeature(feature: string): FeatureValue | null;
  /**
   * Returns the value of a feature, or `fallback` when the server does not
   * have it.
   *
   * @typeParam D The type of `fallback`.
   * @param feature The feature's name.
   * @param fallback What to return without it.
   * @returns The value, or `fallback`.
   */
  getFeature<D>(feature: string, fallback: D): FeatureValue | null | D;
  getFeature(feature: string, fallback: unknown = null): unknown {
    return this.#features.has(feature) ? this.#features.get(feature) : fallback;
  }

  /**
   * Whether the server supports a feature: it has one whose value is not
   * `null`.
   *
   * @param feature The feature's name.
   * @returns Whether it is supported.
   *
   * @example Usage
   * ```ts
   * import { ServerSupportedFeatures } from "@torsion/torsion/irc";
   * import { equal } from "node:assert/strict";
   *
   * const s = new ServerSupportedFeatures();
   * equal(s.hasFeature("PREFIX"), true);
   * s.parse(["PREFIX="]);
   * equal(s.hasFeature("PREFIX"), false);
   * ```
   */
  hasFeature(feature: string): boolean {
    return (this.#features.get(feature) ?? null) !== null;
  }

  /**
   * Reads the parameters of an `RPL_ISUPPORT` reply (without the nickname
   * before them and the text after) into the features.
   *
   * @param params The parameters: `NAME`, `NAME=value,value` or `-NAME`.
   * @throws {SyntaxError} "Invalid hex octet: '..'" for a bad `\x` escape
   *   in a value; the features before it are kept.
   *
   * @example Usage
   * ```ts
   * import { ServerSupportedFeatures } from "@torsion/torsion/irc";
   * import { deepEqual } from "node:assert/strict";
   *
   * const s = new ServerSupportedFeatures();
   * s.parse(["PREFIX=(qaohv)~&@%+", "CHANTYPES=#"]);
   * deepEqual(s.getFeature("CHANTYPES"), ["#"]);
   * deepEqual(s.getFeature("PREFIX")?.q, ["~", 0]);
   * ```
   */
  parse(params: Iterable<string>): void {
    for (const param of params) {
      const [key, value] = splitParam(param);
      if (key.startsWith("-")) {
        this.#features.delete(key.slice(1));
      } else {
        const parser = PARSERS.get(key);
        this.#features.set(key, parser ? parser(this, value) : value);
      }
    }
  }
}
