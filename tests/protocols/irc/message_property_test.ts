// Copyright 2026 the Torsion authors. MIT license.
// Fuzzing the IRC parser and the client: messages round-trip through
// formatMessage and parseMessage; parseMessage throws nothing but
// IRCBadMessage; garbage split anywhere never throws out of dataReceived
// nor closes the connection; and the client sees the same messages
// however the stream is cut.
import { deepEqual, equal, ok } from "node:assert/strict";
import fc from "fast-check";
import {
  formatMessage,
  IRCBadMessage,
  type IRCMessage,
  lowDequote,
  parseMessage,
} from "../../../protocols/irc/mod.ts";
import { captureLog } from "../../../reactor/testing/mod.ts";
import { chunks, encoder, noticing } from "./_helpers.ts";

const RUNS = { numRuns: 1000 };

/** Text without CR, LF or NUL. */
const text = fc.string({ unit: "binary", maxLength: 40 }).map((s) =>
  s.replace(/[\r\n\0]/g, "")
);
/** A parameter that is not the last one. */
const middle = text.map((s) => s.replaceAll(" ", "")).filter((s) =>
  s !== "" && s[0] !== ":"
);
const command = fc.oneof(
  fc.stringMatching(/^[A-Za-z]{1,12}$/),
  fc.stringMatching(/^[0-9]{3}$/),
);
const prefix = fc.oneof(
  fc.constant(""),
  text.map((s) => s.replaceAll(" ", "")).filter((s) => s !== ""),
);
const tagName = fc.stringMatching(
  /^\+?([a-z0-9.-]{1,10}\/)?[A-Za-z0-9-]{1,12}$/,
);
const tags = fc.dictionary(
  tagName,
  fc.string({ unit: "binary", maxLength: 30 }),
  { maxKeys: 5 },
);
const message = fc.record({
  tags,
  prefix,
  command,
  params: fc.tuple(
    fc.array(middle, { maxLength: 14 }),
    fc.option(text, { nil: undefined }),
  ).map(([m, last]) => last === undefined ? m : [...m, last]),
});

Deno.test("parseMessage() reads back what formatMessage() writes", () => {
  fc.assert(
    fc.property(message, (m) => {
      let line: string;
      try {
        line = formatMessage(m.command, m.params, {
          prefix: m.prefix,
          tags: m.tags,
        });
      } catch (e) {
        // Too long for one line: not the property.
        fc.pre(!(e instanceof RangeError));
        throw e;
      }
      const got: IRCMessage = parseMessage(line);
      deepEqual(got, {
        tags: new Map(Object.entries(m.tags)),
        prefix: m.prefix,
        command: m.command,
        params: m.params,
      });
    }),
    RUNS,
  );
});

Deno.test("parseMessage() throws nothing but IRCBadMessage, on any text", () => {
  const ircish = fc.array(
    fc.constantFrom(
      "@",
      ":",
      " ",
      "a",
      "B",
      "1",
      "=",
      ";",
      "\\",
      "\x01",
      "é",
      "!",
      "PRIVMSG",
      "001",
    ),
    { maxLength: 40 },
  ).map((a) => a.join(""));
  fc.assert(
    fc.property(fc.oneof(fc.string({ unit: "binary" }), ircish), (s) => {
      try {
        const m = parseMessage(s);
        ok(m.command.length > 0);
      } catch (e) {
        ok(e instanceof IRCBadMessage, String(e));
      }
    }),
    RUNS,
  );
});

/** Random bytes, and bytes over an alphabet that makes IRC lines likely. */
const garbage = fc.oneof(
  fc.uint8Array({ maxLength: 200 }),
  fc.array(
    fc.constantFrom(
      ...encoder.encode(
        ":@ !#;=\\\x01\x10\r\n\0aAzZ019PRIVMSG NOTICE JOIN MODE KICK PING 001 005 433",
      ),
      0xc3,
      0xa9,
      0xff,
    ),
    { maxLength: 200 },
  ).map((a) => Uint8Array.from(a)),
);
const cuts = fc.array(fc.integer({ min: 1, max: 40 }), {
  minLength: 1,
  maxLength: 8,
});

/** `data` cut at the sizes given, cycled. */
function cut(data: Uint8Array, sizes: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let k = 0;
  for (let i = 0; i < data.length; k++) {
    const n = sizes[k % sizes.length];
    out.push(data.slice(i, i + n));
    i += n;
  }
  return out;
}

Deno.test("IRCClient.dataReceived() never throws on garbage, stays connected, and reads on", () => {
  const good = encoder.encode("\n:z!z@z PRIVMSG #fuzz :still here\r\n");
  fc.assert(
    fc.property(garbage, cuts, (junk, sizes) => {
      using logs = captureLog();
      const [c, t] = noticing();
      const data = new Uint8Array(junk.length + good.length);
      data.set(junk);
      data.set(good, junk.length);
      for (const chunk of cut(data, sizes)) c.dataReceived(chunk);
      equal(t.disconnecting, false);
      const privmsgs = c.calls.filter((call) => call[0] === "privmsg");
      deepEqual(privmsgs[privmsgs.length - 1], [
        "privmsg",
        "z!z@z",
        "#fuzz",
        "still here",
      ]);
      logs.flushLoggedErrors();
      c.stopHeartbeat();
    }),
    RUNS,
  );
});

Deno.test("IRCClient sees the same messages however the stream is cut", () => {
  // No DLE: lines are low-level dequoted before they are parsed, so a DLE
  // before a space would join two parameters (as in Twisted).
  const wellFormed = (s: string) => s.isWellFormed() && !s.includes("\x10");
  const line = fc.record({
    sender: middle.map((s) => s.replace(/[!@]/g, "")).filter((s) =>
      s !== "" && wellFormed(s)
    ),
    target: middle.filter(wellFormed),
    text: text.filter((s) => s !== "" && s[0] !== "\x01" && wellFormed(s)),
  });
  fc.assert(
    fc.property(
      fc.array(line, { minLength: 1, maxLength: 10 }),
      fc.boolean(),
      cuts,
      (lines, bareLF, sizes) => {
        const stream = encoder.encode(
          lines.map((l) =>
            `:${l.sender}!u@h PRIVMSG ${l.target} :${l.text}` +
            (bareLF ? "\n" : "\r\n")
          ).join(""),
        );
        const [whole] = noticing();
        whole.dataReceived(stream);
        const [pieces] = noticing();
        for (const chunk of cut(stream, sizes)) pieces.dataReceived(chunk);
        const [bytes] = noticing();
        for (const chunk of chunks(stream, 1)) bytes.dataReceived(chunk);
        const expected = lines.map((l) => [
          "privmsg",
          lowDequote(`${l.sender}!u@h`),
          lowDequote(l.target),
          lowDequote(l.text),
        ]);
        deepEqual(whole.calls, expected);
        deepEqual(pieces.calls, expected);
        deepEqual(bytes.calls, expected);
      },
    ),
    RUNS,
  );
});
