// Copyright 2026 the Torsion authors. MIT license.
// ServerSupportedFeatures and its helpers: Twisted's
// ServerSupportedFeatureTests.
import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { ServerSupportedFeatures } from "../../../protocols/irc/mod.ts";
import {
  intOrDefault,
  parseChanModesParam,
  parsePrefixParam,
  splitParam,
  splitParamArgs,
} from "../../../protocols/irc/_isupport.ts";

Deno.test("intOrDefault() converts to a number if it can, else gives the default", () => {
  equal(intOrDefault(null, null), null);
  equal(intOrDefault("", null), null);
  equal(intOrDefault("hello", 5), 5);
  equal(intOrDefault("123", null), 123);
  equal(intOrDefault(" -12 ", null), -12);
  equal(intOrDefault("1_000", null), 1000);
  equal(intOrDefault("3.14", null), null);
});

Deno.test("splitParam() splits a parameter into key and unescaped values", () => {
  for (
    const [param, expected] of [
      ["FOO", ["FOO", [""]]],
      ["FOO=", ["FOO", [""]]],
      ["FOO=1", ["FOO", ["1"]]],
      ["FOO=1,2,3", ["FOO", ["1", "2", "3"]]],
      ["FOO=A\\x20B", ["FOO", ["A B"]]],
      ["FOO=\\x5Cx", ["FOO", ["\\x"]]],
      ["FOO=\\", ["FOO", ["\\"]]],
      ["FOO=\\n", ["FOO", ["\\n"]]],
    ] as const
  ) {
    deepEqual(splitParam(param), expected, param);
  }
  for (const bad of ["FOO=\\x", "FOO=\\xNN", "FOO=\\xN", "FOO=\\x20\\x"]) {
    throws(() => splitParam(bad), SyntaxError, bad);
  }
  throws(
    () => splitParam("FOO=\\xNN"),
    new SyntaxError("Invalid hex octet: 'NN'"),
  );
});

Deno.test("splitParamArgs() splits arguments into name and value, processed if asked", () => {
  deepEqual(splitParamArgs(["A:1", "B:2", "C:", "D"]), [
    ["A", "1"],
    ["B", "2"],
    ["C", ""],
    ["D", ""],
  ]);
  deepEqual(
    splitParamArgs(["A:1", "B:2", "C"], (v) => intOrDefault(v, null)),
    [["A", 1], ["B", 2], ["C", null]],
  );
});

Deno.test("parsePrefixParam() maps modes to symbol and rank", () => {
  equal(parsePrefixParam(""), null);
  throws(
    () => parsePrefixParam("hello"),
    new SyntaxError("Malformed PREFIX parameter"),
  );
  throws(() => parsePrefixParam("(ov@+"), SyntaxError);
  deepEqual(parsePrefixParam("(ov)@+"), { o: ["@", 0], v: ["+", 1] });
});

Deno.test("parseChanModesParam() maps the four kinds, and refuses more", () => {
  deepEqual(parseChanModesParam(["", "", "", ""]), {
    addressModes: "",
    param: "",
    setParam: "",
    noParam: "",
  });
  deepEqual(parseChanModesParam(["b", "k", "l", "imnpst"]), {
    addressModes: "b",
    param: "k",
    setParam: "l",
    noParam: "imnpst",
  });
  deepEqual(parseChanModesParam(["b", "k", "l", ""]), {
    addressModes: "b",
    param: "k",
    setParam: "l",
    noParam: "",
  });
  deepEqual(parseChanModesParam(["b", "k"]), { addressModes: "b", param: "k" });
  throws(
    () => parseChanModesParam(["a", "b", "c", "d", "e"]),
    new RangeError("Expecting a maximum of 4 channel mode parameters, got 5"),
  );
});

Deno.test("ServerSupportedFeatures.parse() sets, adds and removes features", () => {
  const s = new ServerSupportedFeatures();
  s.parse([
    "MODES=4",
    "CHANLIMIT=#:20,&:10",
    "INVEX",
    "EXCEPTS=Z",
    "UNKNOWN=A,B,C",
  ]);
  equal(s.getFeature("MODES"), 4);
  deepEqual(s.getFeature("CHANLIMIT"), [["#", 20], ["&", 10]]);
  equal(s.getFeature("INVEX"), "I");
  equal(s.getFeature("EXCEPTS"), "Z");
  deepEqual(s.getFeature("UNKNOWN"), ["A", "B", "C"]);
  ok(s.hasFeature("INVEX"));
  s.parse(["-INVEX"]);
  equal(s.hasFeature("INVEX"), false);
  s.parse(["-INVEX"]);
  equal(s.getFeature("__proto__"), null);
  s.parse(["__proto__=x", "constructor"]);
  deepEqual(s.getFeature("__proto__"), ["x"]);
  deepEqual(s.getFeature("constructor"), [""]);
});

/** A fresh ServerSupportedFeatures after `NAME=value` for each feature. */
function parsed(features: [string, string | null][]): ServerSupportedFeatures {
  const s = new ServerSupportedFeatures();
  s.parse(features.map(([name, value]) => `${name}=${value ?? ""}`));
  return s;
}

function feature(name: string, value: string | null = null): unknown {
  return parsed([[name, value]]).getFeature(name);
}

function intOrDefaultFeature(
  name: string,
  fallback: number | null = null,
): void {
  equal(feature(name, null), fallback);
  equal(feature(name, "notanint"), fallback);
  equal(feature(name, "42"), 42);
}

function featureDefault(
  name: string,
  features: [string, string | null][] = [["DEFINITELY_NOT", "a_feature"]],
): void {
  const s = parsed(features);
  ok(s.hasFeature(name));
  deepEqual(s.getFeature(name), new ServerSupportedFeatures().getFeature(name));
}

Deno.test("ServerSupportedFeatures parses CHANMODES into its four kinds", () => {
  featureDefault("CHANMODES");
  featureDefault("CHANMODES", [["CHANMODES", "b,,lk,"]]);
  featureDefault("CHANMODES", [["CHANMODES", "b,,lk,ha,ha"]]);
  deepEqual(feature("CHANMODES", ",,,"), {
    addressModes: "",
    param: "",
    setParam: "",
    noParam: "",
  });
  deepEqual(feature("CHANMODES", ",A,,"), {
    addressModes: "",
    param: "A",
    setParam: "",
    noParam: "",
  });
  deepEqual(feature("CHANMODES", "A,Bc,Def,Ghij"), {
    addressModes: "A",
    param: "Bc",
    setParam: "Def",
    noParam: "Ghij",
  });
});

Deno.test("ServerSupportedFeatures parses IDCHAN, MAXLIST, TARGMAX into pairs", () => {
  deepEqual(feature("IDCHAN", "!:5"), [["!", "5"]]);
  deepEqual(feature("MAXLIST", "b:25,eI:50"), [["b", 25], ["eI", 50]]);
  deepEqual(feature("MAXLIST", "b:25,eI:50,a:3.1415"), [["b", 25], ["eI", 50], [
    "a",
    null,
  ]]);
  deepEqual(feature("MAXLIST", "b:25,eI:50,a:notanint"), [
    ["b", 25],
    ["eI", 50],
    ["a", null],
  ]);
  deepEqual(feature("TARGMAX", "PRIVMSG:4,NOTICE:3"), {
    PRIVMSG: 4,
    NOTICE: 3,
  });
  deepEqual(feature("TARGMAX", "PRIVMSG:4,NOTICE:3,KICK:3.1415"), {
    PRIVMSG: 4,
    NOTICE: 3,
    KICK: null,
  });
  deepEqual(feature("TARGMAX", "PRIVMSG:4,NOTICE:3,KICK:notanint"), {
    PRIVMSG: 4,
    NOTICE: 3,
    KICK: null,
  });
});

Deno.test("ServerSupportedFeatures parses NETWORK, SAFELIST, STATUSMSG, CHANTYPES", () => {
  equal(feature("NETWORK", "IRCNet"), "IRCNet");
  equal(feature("SAFELIST"), true);
  equal(feature("STATUSMSG", "@+"), "@+");
  featureDefault("CHANTYPES");
  deepEqual(feature("CHANTYPES", "#&%"), ["#", "&", "%"]);
});

Deno.test("ServerSupportedFeatures parses the numeric features, with their defaults", () => {
  intOrDefaultFeature("NICKLEN", 9);
  intOrDefaultFeature("CHANNELLEN", 200);
  intOrDefaultFeature("KICKLEN");
  intOrDefaultFeature("TOPICLEN");
  intOrDefaultFeature("MODES");
});

Deno.test("ServerSupportedFeatures parses PREFIX, keeping the old value for a bad one", () => {
  featureDefault("PREFIX");
  featureDefault("PREFIX", [["PREFIX", "hello"]]);
  equal(feature("PREFIX", null), null);
  deepEqual(feature("PREFIX", "(ohv)@%+"), {
    o: ["@", 0],
    h: ["%", 1],
    v: ["+", 2],
  });
  deepEqual(feature("PREFIX", "(hov)@%+"), {
    o: ["%", 1],
    h: ["@", 0],
    v: ["+", 2],
  });
});

Deno.test("ServerSupportedFeatures parses EXCEPTS and INVEX, with e and I by default", () => {
  equal(feature("EXCEPTS", "Z"), "Z");
  equal(feature("EXCEPTS"), "e");
  equal(feature("INVEX", "Z"), "Z");
  equal(feature("INVEX"), "I");
});

Deno.test("ServerSupportedFeatures.getFeature() returns the fallback only for a missing feature", () => {
  const s = new ServerSupportedFeatures();
  equal(s.getFeature("TOPICLEN", 390), 390);
  s.parse(["PREFIX="]);
  equal(s.getFeature("PREFIX", {}), null);
});
