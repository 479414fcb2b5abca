// Copyright 2026 the Torsion authors. MIT license.
// parseModes(): Twisted's ModeParsingTests.
import { deepEqual, throws } from "node:assert/strict";
import { IRCBadModes, parseModes } from "../../../protocols/irc/mod.ts";

const PARAM_MODES: [string, string] = ["klb", "b"];

Deno.test("parseModes() throws IRCBadModes for an empty mode string", () => {
  throws(() => parseModes("", []), new IRCBadModes("Empty mode string"));
});

Deno.test("parseModes() throws IRCBadModes for an empty mode sequence", () => {
  for (const modes of ["++k", "-+k", "+", "-"]) {
    throws(
      () => parseModes(modes, []),
      new IRCBadModes(`Empty mode sequence: '${modes}'`),
    );
  }
});

Deno.test("parseModes() throws IRCBadModes for a string without + or - first", () => {
  throws(
    () => parseModes("foo", []),
    new IRCBadModes("Malformed modes string: 'foo'"),
  );
  throws(() => parseModes("%", []), IRCBadModes);
});

Deno.test("parseModes() reads a single mode", () => {
  deepEqual(parseModes("+s", []), [[["s", null]], []]);
  deepEqual(parseModes("-s", []), [[], [["s", null]]]);
});

Deno.test("parseModes() reads several modes in one direction", () => {
  deepEqual(parseModes("+stn", []), [
    [["s", null], ["t", null], ["n", null]],
    [],
  ]);
  deepEqual(parseModes("-nt", []), [[], [["n", null], ["t", null]]]);
});

Deno.test("parseModes() reads several directions", () => {
  deepEqual(parseModes("+s-n+ti", []), [
    [["s", null], ["t", null], ["i", null]],
    [["n", null]],
  ]);
  deepEqual(parseModes("+sn+ti", []), [
    [["s", null], ["n", null], ["t", null], ["i", null]],
    [],
  ]);
});

Deno.test("parseModes() throws IRCBadModes when the parameters do not match", () => {
  throws(
    () => parseModes("+k", [], PARAM_MODES),
    new IRCBadModes("Not enough parameters: 'k'"),
  );
  throws(
    () => parseModes("+kl", ["foo", "10", "lulz_extra_param"], PARAM_MODES),
    new IRCBadModes("Too many parameters: '+kl' ['lulz_extra_param']"),
  );
});

Deno.test("parseModes() pairs the modes that take a parameter with the next one", () => {
  const params = ["somekey", "42", "nick!user@host", "other!*@*"];
  deepEqual(parseModes("+klbb", params, PARAM_MODES), [[
    ["k", "somekey"],
    ["l", "42"],
    ["b", "nick!user@host"],
    ["b", "other!*@*"],
  ], []]);
  deepEqual(params.length, 4);
  deepEqual(
    parseModes("-klbb", ["nick!user@host", "other!*@*"], PARAM_MODES),
    [[], [["k", null], ["l", null], ["b", "nick!user@host"], [
      "b",
      "other!*@*",
    ]]],
  );
  deepEqual(
    parseModes(
      "+knbb",
      ["somekey", "nick!user@host", "other!*@*"],
      PARAM_MODES,
    ),
    [[["k", "somekey"], ["n", null], ["b", "nick!user@host"], [
      "b",
      "other!*@*",
    ]], []],
  );
});
