// Copyright 2026 the Torsion authors. MIT license.
// parseMessage/parsemsg and formatMessage: the wire format (RFC 2812 and
// IRCv3 tags), its limits, and Twisted's sendCommand tests
// (BasicServerFunctionalityTests) for the builder.
import { deepEqual, equal, throws } from "node:assert/strict";
import {
  formatMessage,
  IRCBadMessage,
  MAX_COMMAND_LENGTH,
  MAX_TAGS_LENGTH,
  parseMessage,
  parsemsg,
} from "../../../protocols/irc/mod.ts";

function tags(line: string): Record<string, string> {
  return Object.fromEntries(parseMessage(line).tags);
}

Deno.test("parsemsg() splits prefix, command and parameters as Twisted's", () => {
  for (
    const [line, expected] of [
      [":irc.example 001 bot :Welcome home", ["irc.example", "001", [
        "bot",
        "Welcome home",
      ]]],
      ["PING irc.example", ["", "PING", ["irc.example"]]],
      ["PING :irc.example", ["", "PING", ["irc.example"]]],
      ["QUIT", ["", "QUIT", []]],
      ["QUIT :", ["", "QUIT", [""]]],
      [":n!u@h PRIVMSG #a ::-)", ["n!u@h", "PRIVMSG", ["#a", ":-)"]]],
      [":n!u@h MODE #a +b a:b", ["n!u@h", "MODE", ["#a", "+b", "a:b"]]],
      [":n!u@h PRIVMSG #a :x :y", ["n!u@h", "PRIVMSG", ["#a", "x :y"]]],
      ["CMD  a   b  :c  d ", ["", "CMD", ["a", "b", "c  d "]]],
      [":srv   005  me  A  B", ["srv", "005", ["me", "A", "B"]]],
      ["cmd lower", ["", "cmd", ["lower"]]],
    ] as const
  ) {
    deepEqual(parsemsg(line), expected, line);
  }
});

Deno.test("parseMessage() reads any number of parameters", () => {
  const params = Array.from({ length: 20 }, (_, i) => `p${i}`);
  deepEqual(parseMessage(`CMD ${params.join(" ")} :last one`).params, [
    ...params,
    "last one",
  ]);
});

Deno.test("parseMessage() reads IRCv3 tags and unescapes their values", () => {
  deepEqual(tags("@a=b;c;d= :n!u@h CMD"), { a: "b", c: "", d: "" });
  deepEqual(
    tags(String.raw`@k=\:\s\\\r\n\x\ CMD`),
    { k: "; \\\r\nx" },
  );
  deepEqual(tags("@+draft/typing=active;example.com/x=1 TAGMSG #a"), {
    "+draft/typing": "active",
    "example.com/x": "1",
  });
  deepEqual(tags("@a=1;a=2 CMD"), { a: "2" });
  deepEqual(tags("@;;a=1; CMD"), { a: "1" });
  deepEqual(tags("@=x;b CMD"), { b: "" });
  deepEqual(tags("CMD"), {});
  const m = parseMessage("@a=b   :pfx   CMD   x");
  deepEqual([m.prefix, m.command, m.params], ["pfx", "CMD", ["x"]]);
});

Deno.test("parseMessage() throws IRCBadMessage for lines it cannot read", () => {
  for (
    const [line, message] of [
      ["", "Empty line."],
      [":prefix", "Cannot parse the message: no command"],
      [":prefix ", "Cannot parse the message: no command"],
      [": CMD", "Cannot parse the message: empty prefix"],
      ["@a=b", "Cannot parse the message: no command"],
      ["@a=b ", "Cannot parse the message: no command"],
      ["  ", "Cannot parse the message: no command"],
      [" CMD", "Cannot parse the message: no command"],
      ["12 x", 'Cannot parse the message: bad command "12"'],
      ["1234 x", 'Cannot parse the message: bad command "1234"'],
      ["A1 x", 'Cannot parse the message: bad command "A1"'],
      ["PRIV\tMSG x", 'Cannot parse the message: bad command "PRIV\\tMSG"'],
    ]
  ) {
    throws(() => parseMessage(line), new IRCBadMessage(message), line);
  }
});

Deno.test("parseMessage() takes 512 bytes with CR LF, tags apart, and no more", () => {
  const head = ":n!u@h PRIVMSG #a :";
  const fits = head + "x" +
    "é".repeat((MAX_COMMAND_LENGTH - 2 - head.length - 1) / 2);
  equal(new TextEncoder().encode(fits).length + 2, MAX_COMMAND_LENGTH);
  equal(parseMessage(fits).params[1].length, 246);
  throws(
    () => parseMessage(fits + "x"),
    new IRCBadMessage(
      "Cannot parse the message: it takes 513 bytes with CR LF, more than 512",
    ),
  );
  const tagged = "@k=" + "v".repeat(MAX_TAGS_LENGTH - 4) + " " + fits;
  equal(parseMessage(tagged).tags.get("k")!.length, MAX_TAGS_LENGTH - 4);
  throws(
    () => parseMessage("@k=v" + tagged.slice(3)),
    new IRCBadMessage(
      "Cannot parse the message: its tags take 8192 bytes, more than 8191",
    ),
  );
});

// -- formatMessage: Twisted's sendCommand tests --------------------------------

Deno.test("formatMessage() joins the command and parameters with spaces", () => {
  equal(formatMessage("CMD", ["param1", "param2"]), "CMD param1 param2");
  equal(formatMessage("QUIT"), "QUIT");
});

Deno.test("formatMessage() keeps non-ASCII text, sent as UTF-8", () => {
  equal(
    formatMessage("CMD", ["param\u00b9", "param\u00b2"]),
    "CMD param\u00b9 param\u00b2",
  );
});

Deno.test("formatMessage() throws Twisted's TypeErrors for a missing or invalid command", () => {
  throws(
    () => formatMessage("", ["param1", "param2"]),
    new TypeError("IRC message requires a command."),
  );
  throws(
    () => formatMessage(" ", ["param1", "param2"]),
    new TypeError('Invalid command: " "'),
  );
  throws(
    () => formatMessage(":CMD", []),
    new TypeError('Invalid command: ":CMD"'),
  );
});

Deno.test("formatMessage() puts the prefix first", () => {
  equal(
    formatMessage("CMD", ["param1", "param2"], { prefix: "irc.example.com" }),
    ":irc.example.com CMD param1 param2",
  );
});

Deno.test("formatMessage() puts the tags before the prefix", () => {
  const line = formatMessage("CMD", ["param1", "param2"], {
    prefix: "irc.example.com",
    tags: { aaa: "bbb", ccc: null, "example.com/ddd": "eee" },
  });
  const sp = line.indexOf(" ");
  deepEqual(line.slice(1, sp).split(";").sort(), [
    "aaa=bbb",
    "ccc",
    "example.com/ddd=eee",
  ]);
  equal(line.slice(sp + 1), ":irc.example.com CMD param1 param2");
  equal(
    formatMessage("CMD", [], { tags: new Map([["a", "1"], ["b", undefined]]) }),
    "@a=1;b CMD",
  );
  equal(formatMessage("CMD", [], { tags: {} }), "CMD");
});

Deno.test("formatMessage() throws Twisted's TypeErrors for bad tag names", () => {
  throws(
    () =>
      formatMessage("CMD", ["p"], { tags: { aaa: "bbb", ccc: null, "": "" } }),
    new TypeError("A tag name is required."),
  );
  throws(
    () => formatMessage("CMD", ["p"], { tags: { "aaa bbb": "ccc" } }),
    new TypeError("Tag contains invalid characters."),
  );
  throws(
    () => formatMessage("CMD", ["p"], { tags: { "aaa_b^@": "ccc" } }),
    new TypeError("Tag contains invalid characters."),
  );
  throws(
    () => formatMessage("CMD", ["p"], { tags: { "a+b": "c" } }),
    new TypeError("Tag contains invalid characters."),
  );
});

Deno.test("formatMessage() escapes tag values", () => {
  const line = formatMessage("CMD", ["param1", "param2"], {
    prefix: "irc.example.com",
    tags: { aaa: "bbb", ccc: "test\r\n \\;;" },
  });
  deepEqual(line.slice(1, line.indexOf(" ")).split(";").sort(), [
    "aaa=bbb",
    "ccc=test\\r\\n\\s\\\\\\:\\:",
  ]);
  equal(parseMessage(line).tags.get("ccc"), "test\r\n \\;;");
});

// -- formatMessage: what it adds -------------------------------------------------

Deno.test("formatMessage() gives the last parameter a colon when it needs one", () => {
  equal(formatMessage("PRIVMSG", ["#a", "hi there"]), "PRIVMSG #a :hi there");
  equal(formatMessage("PRIVMSG", ["#a", ":-)"]), "PRIVMSG #a ::-)");
  equal(formatMessage("AWAY", [""]), "AWAY :");
  equal(formatMessage("NICK", ["bob"]), "NICK bob");
});

Deno.test("formatMessage() refuses what would not parse back the same", () => {
  for (
    const [params, re] of [
      [["a b", "c"], /parameter 0 is not the last/],
      [["", "c"], /parameter 0 is not the last/],
      [[":a", "c"], /parameter 0 is not the last/],
      [["a", "b\r\nQUIT"], /parameter 1 contains CR, LF or NUL/],
      [["a\0", "b"], /parameter 0 contains CR, LF or NUL/],
    ] as const
  ) {
    throws(() => formatMessage("CMD", params), (e: unknown) => {
      equal((e as Error).name, "TypeError");
      return re.test((e as Error).message);
    });
  }
  throws(() => formatMessage("CMD", [], { prefix: "a b" }), TypeError);
});

Deno.test("formatMessage() throws RangeError past 15 parameters or 512 bytes", () => {
  const fifteen = Array.from({ length: 15 }, (_, i) => `p${i}`);
  equal(parseMessage(formatMessage("CMD", fifteen)).params.length, 15);
  throws(
    () => formatMessage("CMD", [...fifteen, "x"]),
    new RangeError(
      "Cannot format the message: it has 16 parameters, more than 15",
    ),
  );
  const head = "PRIVMSG #a ";
  const text = "x".repeat(MAX_COMMAND_LENGTH - 2 - head.length);
  equal(formatMessage("PRIVMSG", ["#a", text]), head + text);
  throws(
    () => formatMessage("PRIVMSG", ["#a", text + "x"]),
    new RangeError(
      "Cannot format the message: it takes 513 bytes with CR LF, more than 512",
    ),
  );
  throws(
    () =>
      formatMessage("CMD", [], { tags: { k: "v".repeat(MAX_TAGS_LENGTH) } }),
    RangeError,
  );
});
