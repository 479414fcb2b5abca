// Copyright 2026 the Torsion authors. MIT license.
// split(): Twisted's tests, lengths in UTF-8 bytes, and, where Twisted is
// installed, the same lines as Twisted's irc.split for many ASCII texts.
import { deepEqual, equal, ok, throws } from "node:assert/strict";
import fc from "fast-check";
import { split } from "../../../protocols/irc/mod.ts";
import { needs, twistedPython } from "../../_interop.ts";

Deno.test("split() throws RangeError for a length of 0 or less, and returns [] for ''", () => {
  throws(
    () => split("foo", -1),
    new RangeError("invalid width -1 (must be > 0)"),
  );
  throws(() => split("foo", 0), RangeError);
  throws(() => split("", 0), RangeError);
  deepEqual(split("", 1), []);
  deepEqual(split(""), []);
});

Deno.test("split() skips a delimiter at the start of each piece", () => {
  deepEqual(split("xx yyz", 2), ["xx", "yy", "z"]);
  deepEqual(split("xx\nyyz", 2), ["xx", "yy", "z"]);
});

Deno.test("split() breaks at spaces, then after hyphens, then anywhere", () => {
  deepEqual(split("the quick brown fox", 10), ["the quick", "brown fox"]);
  deepEqual(split("well-known words", 8), ["well-", "known", "words"]);
  deepEqual(split("abcdefghij", 4), ["abcd", "efgh", "ij"]);
  deepEqual(split("a\tb", 80), ["a       b"]);
  deepEqual(split("  lead and trail  ", 80), ["  lead and trail"]);
  deepEqual(split("x\n\n\ny", 80), ["x", "y"]);
});

Deno.test("split() counts UTF-8 bytes and never cuts a character", () => {
  deepEqual(split("ééé", 4), ["éé", "é"]);
  deepEqual(split("😀😀", 5), ["😀", "😀"]);
  // A character wider than the whole line still goes out, alone.
  deepEqual(split("😀é", 3), ["😀", "é"]);
  fc.assert(
    fc.property(
      fc.string({ unit: "grapheme" }),
      fc.integer({ min: 4, max: 40 }),
      (s, n) => {
        for (const line of split(s, n)) {
          ok(new TextEncoder().encode(line).length <= n, line);
          equal(line.isWellFormed(), true);
        }
      },
    ),
    { numRuns: 500 },
  );
});

Deno.test(
  "split() gives the lines of Twisted's irc.split for ASCII texts",
  needs("python3-twisted", twistedPython !== null),
  async () => {
    const words = [
      "a",
      "bc",
      "-",
      "--",
      " ",
      "  ",
      "\t",
      "\n",
      ".",
      ",",
      "!",
      "'",
      "1",
      "x-y",
      "_",
      "?",
      "long-word-here",
    ];
    const cases = fc.sample(
      fc.tuple(
        fc.array(fc.constantFrom(...words), { maxLength: 40 }).map((w) =>
          w.join("")
        ),
        fc.integer({ min: 1, max: 16 }),
      ),
      { numRuns: 2000, seed: 20 },
    );
    const child = new Deno.Command(twistedPython!, {
      args: [
        "-c",
        "import json, sys\n" +
        "from twisted.words.protocols.irc import split\n" +
        "print(json.dumps([split(s, n) for s, n in json.load(sys.stdin)]))",
      ],
      stdin: "piped",
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(JSON.stringify(cases)));
    await writer.close();
    const out = await child.output();
    equal(out.code, 0);
    const expected: string[][] = JSON.parse(
      new TextDecoder().decode(out.stdout),
    );
    for (let i = 0; i < cases.length; i++) {
      deepEqual(
        split(cases[i][0], cases[i][1]),
        expected[i],
        JSON.stringify(cases[i]),
      );
    }
  },
);
