// Copyright 2026 the Torsion authors. MIT license.
// CTCP and low-level quoting: Twisted's QuotingTests, ctcpExtract and
// ctcpStringify, and round trips on any text.
import { deepEqual, equal } from "node:assert/strict";
import fc from "fast-check";
import {
  ctcpDequote,
  ctcpExtract,
  ctcpQuote,
  ctcpStringify,
  lowDequote,
  lowQuote,
  M_QUOTE,
  X_DELIM,
  X_QUOTE,
} from "../../../protocols/irc/mod.ts";

const STRING_SUBJECTS = [
  "Hello, this is a nice string with no complications.",
  "xargs\0might\0like\0this",
  "embedded\rnewline\r\nFUN\n",
  `escape!${X_QUOTE} escape!${M_QUOTE} ${X_QUOTE}${X_QUOTE}a ${M_QUOTE}0`,
];

Deno.test("lowDequote() undoes lowQuote()", () => {
  for (const s of STRING_SUBJECTS) equal(lowDequote(lowQuote(s)), s);
});

Deno.test("ctcpDequote() undoes ctcpQuote()", () => {
  for (const s of STRING_SUBJECTS) equal(ctcpDequote(ctcpQuote(s)), s);
});

Deno.test("lowQuote() leaves no CR, LF or NUL, and the quoting round-trips any text", () => {
  fc.assert(
    fc.property(fc.string({ unit: "binary" }), (s) => {
      const q = lowQuote(s);
      equal(/[\r\n\0]/.test(q), false);
      equal(lowDequote(q), s);
      const x = ctcpQuote(s);
      equal(x.includes(X_DELIM), false);
      equal(ctcpDequote(x), s);
    }),
    { numRuns: 500 },
  );
});

Deno.test("lowDequote() and ctcpDequote() keep an unknown escaped character and a lone quote", () => {
  equal(lowDequote("a\x10zb\x10"), "azb\x10");
  equal(ctcpDequote("a\\zb\\"), "azb\\");
});

Deno.test("ctcpExtract() alternates plain and CTCP parts and drops empty ones", () => {
  deepEqual(ctcpExtract(""), { extended: [], normal: [] });
  deepEqual(ctcpExtract("plain"), { extended: [], normal: ["plain"] });
  deepEqual(ctcpExtract(`${X_DELIM}VERSION${X_DELIM}`), {
    extended: [["VERSION", null]],
    normal: [],
  });
  deepEqual(
    ctcpExtract(
      `${X_DELIM}extended${X_DELIM}data1${X_DELIM}extended${X_DELIM}data2${X_DELIM}\r\n`,
    ),
    {
      extended: [["extended", null], ["extended", null], ["\r\n", null]],
      normal: ["data1", "data2"],
    },
  );
  deepEqual(ctcpExtract(`${X_DELIM}ACTION ${X_DELIM}`), {
    extended: [["ACTION", ""]],
    normal: [],
  });
  deepEqual(ctcpExtract(`${X_DELIM}PING a\\ab\\\\c d${X_DELIM}`), {
    extended: [["PING", `a${X_DELIM}b\\c d`]],
    normal: [],
  });
  deepEqual(ctcpExtract(`x${X_DELIM}${X_DELIM}y`), {
    extended: [],
    normal: ["x", "y"],
  });
});

Deno.test("ctcpStringify() quotes each message between delimiters", () => {
  equal(
    ctcpStringify([["ACTION", "waves"], ["VERSION", null], ["PING", ""]]),
    `${X_DELIM}ACTION waves${X_DELIM}${X_DELIM}VERSION${X_DELIM}${X_DELIM}PING${X_DELIM}`,
  );
  equal(
    ctcpStringify([["DCC", ["ACCEPT", "f.txt", 5000, 10]]]),
    `${X_DELIM}DCC ACCEPT f.txt 5000 10${X_DELIM}`,
  );
  equal(
    ctcpStringify([["X", []], ["Y", 0], ["Z", 7]]),
    "\x01X\x01\x01Y\x01\x01Z 7\x01",
  );
  equal(ctcpStringify([["ERRMSG", "a\x01b\\"]]), "\x01ERRMSG a\\ab\\\\\x01");
  equal(ctcpStringify([]), "");
});

Deno.test("ctcpExtract() reads back what ctcpStringify() writes", () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.tuple(
          fc.stringMatching(/^[A-Z]{1,10}$/),
          fc.option(fc.string({ minLength: 1 }), { nil: null }),
        ),
        { minLength: 1, maxLength: 4 },
      ),
      (messages) => {
        deepEqual(ctcpExtract(ctcpStringify(messages)), {
          extended: messages,
          normal: [],
        });
      },
    ),
    { numRuns: 500 },
  );
});
