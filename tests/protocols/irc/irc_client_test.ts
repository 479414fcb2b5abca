// Copyright 2026 the Torsion authors. MIT license.
// IRCClient: Twisted's client tests (test_irc.py: CTCPTests,
// ClientImplementationTests, ClientInviteTests, ClientMsgTests, ClientTests,
// ServerToClientTests, CTCPQueryTests), with every server line fed at every
// chunk size; flood control, the heartbeat, registration, and bad input.
import {
  deepEqual,
  equal,
  match,
  notEqual,
  ok,
  throws,
} from "node:assert/strict";
import {
  ctcpExtract,
  IRCBadMessage,
  IRCBadModes,
  IRCClient,
  IRCPasswordMismatch,
  MAX_COMMAND_LENGTH,
  parseMessage,
} from "../../../protocols/irc/mod.ts";
import {
  captureLog,
  Clock,
  StringTransport,
} from "../../../reactor/testing/mod.ts";
import { Failure } from "../../../defer/mod.ts";
import { ConnectionDone } from "../../../reactor/mod.ts";
import {
  byteLength,
  type Call,
  DummyClient,
  encoder,
  feed,
  noticing,
  plainClient,
} from "./_helpers.ts";

const X = "\x01";
const EOL = "\r\n";

/** Runs `check` once per chunk size, from 1 byte to all of `text`. */
function everyChunkSize(text: string, check: (size: number) => void): void {
  for (let size = 1; size <= byteLength(text); size++) check(size);
}

// -- CTCPTests ---------------------------------------------------------------

Deno.test("IRCClient answers a CTCP ERRMSG query through the whole dispatch", () => {
  const query = `:nick!guy@over.there PRIVMSG #theChan :${X}ERRMSG t${X}${EOL}`;
  everyChunkSize(query, (size) => {
    const [c, t] = plainClient();
    feed(c, query, size);
    equal(
      t.valueText(),
      `NOTICE nick :${X}ERRMSG t :No error has occurred.${X}${EOL}`,
      `chunk size ${size}`,
    );
  });
});

Deno.test("IRCClient.ctcpQuery_VERSION leaves out the parts that are not set", () => {
  const [c, t] = plainClient();
  c.versionName = "FrobozzIRC";
  c.ctcpQuery_VERSION("nick!guy@over.there", "#theChan", null);
  equal(t.valueText(), `NOTICE nick :${X}VERSION FrobozzIRC::${X}${EOL}`);
});

Deno.test("IRCClient.ctcpQuery_VERSION sends the name, version and environment", () => {
  const [c, t] = plainClient();
  c.versionName = "FrobozzIRC";
  c.versionNum = "1.2g";
  c.versionEnv = "ZorkOS";
  c.ctcpQuery_VERSION("nick!guy@over.there", "#theChan", null);
  equal(
    t.valueText(),
    `NOTICE nick :${X}VERSION FrobozzIRC:1.2g:ZorkOS${X}${EOL}`,
  );
});

Deno.test("IRCClient.ctcpQuery dispatches a tag repeated in one message once", () => {
  const [c, t] = plainClient();
  let called = 0;
  Object.assign(c, { ctcpQuery_TESTTHIS: () => called++ });
  c.irc_PRIVMSG("foo!bar@baz.quux", [
    "#chan",
    `${X}TESTTHIS${X}foo${X}TESTTHIS${X}`,
  ]);
  equal(t.valueText(), "");
  equal(called, 1);
});

Deno.test("IRCClient.ctcpUnknownQuery gets unknown CTCP queries, once per message", () => {
  const [c, t] = plainClient();
  const calls: unknown[] = [];
  c.ctcpUnknownQuery = (...args) => {
    calls.push(args);
  };
  c.irc_PRIVMSG("foo!bar@baz.quux", ["#chan", `${X}NOTREAL${X}`]);
  equal(t.valueText(), "");
  deepEqual(calls, [["foo!bar@baz.quux", "#chan", "NOTREAL", null]]);
  c.irc_PRIVMSG("foo!bar@baz.quux", [
    "#chan",
    `${X}NOTREAL${X}foo${X}NOTREAL${X}`,
  ]);
  equal(calls.length, 2);
});

Deno.test("IRCClient.ctcpUnknownQuery logs the query with Twisted's text", () => {
  using logs = captureLog();
  const [c] = plainClient();
  c.irc_PRIVMSG("foo!bar@baz.quux", ["#chan", `${X}NOTREAL some data${X}`]);
  deepEqual(logs.messages, [
    "Unknown CTCP query from 'foo!bar@baz.quux': 'NOTREAL' 'some data'",
  ]);
});

// -- ClientImplementationTests -------------------------------------------------

/** Sends `:host code nick args :msg` and checks the one call it makes. */
function serverTest(
  code: string,
  msg: string,
  expected: Call,
  { host = "server.host", nick = "nickname", args = "" } = {},
): void {
  const line = `:${host} ${code} ${nick} ${args} :${msg}${EOL}`;
  everyChunkSize(line, (size) => {
    const [c] = noticing();
    feed(c, line, size);
    deepEqual(c.calls, [expected], `chunk size ${size}`);
  });
}

Deno.test("IRCClient calls yourHost on RPL_YOURHOST", () => {
  const msg =
    "Your host is some.host[blah.blah/6667], running version server-version-3";
  serverTest("002", msg, ["yourHost", msg]);
});

Deno.test("IRCClient calls created on RPL_CREATED", () => {
  const msg = "This server was cobbled together Fri Aug 13 18:00:25 UTC 2004";
  serverTest("003", msg, ["created", msg]);
});

Deno.test("IRCClient calls myInfo on RPL_MYINFO with one text parameter", () => {
  const msg = "server.host server-version abcDEF bcdEHI";
  serverTest("004", msg, [
    "myInfo",
    "server.host",
    "server-version",
    "abcDEF",
    "bcdEHI",
  ]);
});

Deno.test("IRCClient calls myInfo on RPL_MYINFO with separate parameters, as servers send it", () => {
  const [c] = noticing();
  feed(c, ":irc.test 004 bot irc.test ngircd-26.1 abBcCFiI abehiIk\r\n");
  deepEqual(c.calls, [[
    "myInfo",
    "irc.test",
    "ngircd-26.1",
    "abBcCFiI",
    "abehiIk",
  ]]);
  c.calls = [];
  feed(c, ":irc.test 004 bot :irc.test ngircd\r\n");
  deepEqual(c.calls, [["myInfo", "irc.test", "ngircd", null, null]]);
});

Deno.test("IRCClient calls luserClient on RPL_LUSERCLIENT", () => {
  const msg = "There are 9227 victims and 9542 hiding on 24 servers";
  serverTest("251", msg, ["luserClient", msg]);
});

const ISUPPORT_ARGS =
  "MODES=4 CHANLIMIT=#:20 NICKLEN=16 USERLEN=10 HOSTLEN=63 " +
  "TOPICLEN=450 KICKLEN=450 CHANNELLEN=30 KEYLEN=23 CHANTYPES=# " +
  "PREFIX=(ov)@+ CASEMAPPING=ascii CAPAB IRCD=dancer";

Deno.test("IRCClient parses RPL_ISUPPORT and calls isupport", () => {
  serverTest("005", "are available on this server", [
    "isupport",
    ISUPPORT_ARGS.split(" "),
  ], { args: ISUPPORT_ARGS });
  const [c] = noticing();
  feed(c, `:server.host 005 nickname ${ISUPPORT_ARGS} :are supported${EOL}`);
  equal(c.supported.getFeature("NICKLEN"), 16);
  deepEqual(c.supported.getFeature("PREFIX"), { o: ["@", 0], v: ["+", 1] });
});

Deno.test("IRCClient calls bounce on RPL_BOUNCE", () => {
  const msg = "Try server some.host, port 321";
  serverTest("010", msg, ["bounce", msg]);
});

Deno.test("IRCClient calls luserChannels with the number on RPL_LUSERCHANNELS", () => {
  serverTest("254", "channels formed", ["luserChannels", 7116], {
    args: "7116",
  });
});

Deno.test("IRCClient calls luserOp with the number on RPL_LUSEROP", () => {
  serverTest("252", "flagged staff members", ["luserOp", 34], { args: "34" });
});

Deno.test("IRCClient does not call luserOp when the count is not a number", () => {
  const [c] = noticing();
  feed(c, ":server.host 252 nickname many :flagged staff members\r\n");
  deepEqual(c.calls, []);
});

Deno.test("IRCClient calls luserMe on RPL_LUSERME", () => {
  const msg = "I have 1937 clients and 0 servers";
  serverTest("255", msg, ["luserMe", msg]);
});

Deno.test("IRCClient collects the MOTD and calls receivedMOTD at RPL_ENDOFMOTD", () => {
  const lines = [
    ":host.name 375 nickname :- host.name Message of the Day -",
    ":host.name 372 nickname :- Welcome to host.name",
    ":host.name 376 nickname :End of /MOTD command.",
  ];
  const [c] = noticing();
  for (const line of lines) {
    deepEqual(c.calls, []);
    feed(c, line + EOL);
  }
  deepEqual(c.calls, [[
    "receivedMOTD",
    ["host.name Message of the Day -", "Welcome to host.name"],
  ]]);
  equal(c.motd, null);
  const all = lines.join(EOL) + EOL;
  everyChunkSize(all, (size) => {
    const [c2] = noticing();
    feed(c2, all, size);
    deepEqual(c2.calls, c.calls, `chunk size ${size}`);
  });
});

Deno.test("IRCClient calls receivedMOTD without RPL_MOTDSTART", () => {
  const [c] = noticing();
  feed(
    c,
    ":host.name 372 nickname :- Welcome to host.name\r\n" +
      ":host.name 376 nickname :End of /MOTD command.\r\n",
  );
  deepEqual(c.calls, [["receivedMOTD", ["Welcome to host.name"]]]);
});

Deno.test("IRCClient calls privmsg for messages to a channel and to me", () => {
  const msg = "Tooty toot toot.";
  for (const group of ["#group", "recipient"]) {
    const line = `:sender!ident@host PRIVMSG ${group} :${msg}${EOL}`;
    everyChunkSize(line, (size) => {
      const [c] = noticing();
      feed(c, line, size);
      deepEqual(c.calls, [["privmsg", "sender!ident@host", group, msg]]);
    });
  }
});

Deno.test("IRCClient.getChannelModeParams follows the ISUPPORT features", () => {
  const [c] = noticing();
  const sorted = (s: string) => [...s].sort().join("");
  let [add, remove] = c.getChannelModeParams();
  equal(sorted(add), "bhklov");
  equal(sorted(remove), "bhov");
  feed(c, ":server.host 005 nickname -CHANMODES :are available\r\n");
  equal(c.supported.getFeature("CHANMODES"), null);
  [add, remove] = c.getChannelModeParams();
  equal(sorted(add), "hov");
  equal(sorted(remove), "hov");
  feed(c, ":server.host 005 nickname -PREFIX :are available\r\n");
  [add, remove] = c.getChannelModeParams();
  equal(add, "");
  equal(remove, "");
  feed(c, `:server.host 005 nickname ${ISUPPORT_ARGS} :are available${EOL}`);
  notEqual(c.supported.getFeature("PREFIX"), null);
});

Deno.test("IRCClient.getUserModeParams has no modes with parameters", () => {
  const [c] = noticing();
  deepEqual(c.getUserModeParams(), ["", ""]);
});

/** Sends a MODE change and returns the modeChanged calls as [set, modes, args]. */
function modeChange(
  msg: string,
  args = "",
  target = "#chan",
  setup: (c: IRCClient) => void = () => {},
): unknown[] {
  const line = `:Wolf!~wolf@yok.utu.fi MODE ${target} ${msg} ${args}${EOL}`;
  let result: unknown[] | null = null;
  everyChunkSize(line, (size) => {
    const [c] = noticing();
    setup(c);
    feed(c, line, size);
    const got = c.calls.map((call) => {
      equal(call[0], "modeChanged");
      equal(call[1], "Wolf!~wolf@yok.utu.fi");
      equal(call[2], target);
      return call.slice(3);
    });
    if (result === null) result = got;
    else deepEqual(got, result, `chunk size ${size}`);
  });
  return result!;
}

Deno.test("IRCClient.irc_MODE adds + to a mode string without a direction", () => {
  deepEqual(modeChange("s"), [[true, "s", [null]]]);
});

Deno.test("IRCClient.irc_MODE passes no parameters for modes without", () => {
  deepEqual(modeChange("-s"), [[false, "s", [null]]]);
  deepEqual(modeChange("+n"), [[true, "n", [null]]]);
});

Deno.test("IRCClient.irc_MODE passes the parameters of modes that take one", () => {
  deepEqual(modeChange("+o", "a_user"), [[true, "o", ["a_user"]]]);
  deepEqual(modeChange("-o", "a_user"), [[false, "o", ["a_user"]]]);
});

Deno.test("IRCClient.irc_MODE pairs modes and parameters when adding and removing", () => {
  deepEqual(modeChange("+osv", "a_user another_user"), [
    [true, "osv", ["a_user", null, "another_user"]],
  ]);
  deepEqual(modeChange("+v-os", "a_user another_user"), [
    [true, "v", ["a_user"]],
    [false, "os", ["another_user", null]],
  ]);
});

Deno.test("IRCClient.irc_MODE logs too many parameters and calls nothing", () => {
  using logs = captureLog();
  deepEqual(modeChange("+s", "wrong"), []);
  equal(
    logs.messages[0],
    "An error occurred while parsing the following MODE message: MODE #chan +s wrong",
  );
  const errors = logs.flushLoggedErrors(IRCBadModes);
  ok(errors.length > 0);
  for (const e of errors) match(e.getErrorMessage(), /Too many parameters/);
});

Deno.test("IRCClient.irc_MODE logs too few parameters and calls nothing", () => {
  using logs = captureLog();
  deepEqual(modeChange("+o"), []);
  const errors = logs.flushLoggedErrors(IRCBadModes);
  ok(errors.length > 0);
  for (const e of errors) match(e.getErrorMessage(), /Not enough parameters/);
});

Deno.test("IRCClient.irc_MODE on my nickname uses the user modes", () => {
  deepEqual(modeChange("+o", "", "irc"), [[true, "o", [null]]]);
  deepEqual(
    modeChange("+Z", "an_arg", "irc", (c) => {
      c.getUserModeParams = () => ["Z", ""];
    }),
    [[true, "Z", ["an_arg"]]],
  );
});

Deno.test("IRCClient starts a heartbeat on RPL_WELCOME and stops it when the connection is lost", () => {
  const [c, t] = noticing();
  const clock = c.testClock;
  c.irc_RPL_WELCOME("foo", []);
  equal(c.hostname, "foo");
  equal(clock.getDelayedCalls().length, 1);
  equal(t.valueText(), "");
  clock.advance(c.heartbeatInterval!);
  equal(t.valueText(), "PING foo\r\n");
  clock.advance(c.heartbeatInterval!);
  equal(t.valueText(), "PING foo\r\nPING foo\r\n");
  t.loseConnection();
  c.connectionLost(new Failure(new ConnectionDone()));
  equal(clock.getDelayedCalls().length, 0);
});

Deno.test("IRCClient starts no heartbeat when heartbeatInterval is null", () => {
  const [c] = noticing();
  c.heartbeatInterval = null;
  c.irc_RPL_WELCOME("foo", []);
  equal(c.testClock.getDelayedCalls().length, 0);
});

// -- ClientInviteTests ---------------------------------------------------------

Deno.test("IRCClient.invite adds # to a channel without a prefix", () => {
  const c = new DummyClient();
  c.invite("foo", "bar");
  deepEqual(c.lines, ["INVITE foo #bar"]);
});

Deno.test("IRCClient.invite sends INVITE with the user and the channel", () => {
  const c = new DummyClient();
  c.invite("foo", "#bar");
  deepEqual(c.lines, ["INVITE foo #bar"]);
});

// -- ClientMsgTests ------------------------------------------------------------

Deno.test("IRCClient.msg sends a message without newlines in one command", () => {
  const c = new DummyClient();
  c.msg("foo", "bar");
  deepEqual(c.lines, ["PRIVMSG foo :bar"]);
});

Deno.test("IRCClient.msg throws RangeError for a length too short for the command", () => {
  const c = new DummyClient();
  throws(() => c.msg("foo", "bar", 0), RangeError);
  throws(
    () => c.msg("foo", "bar", 3),
    new RangeError("Maximum length must exceed 15 for message to foo"),
  );
});

Deno.test("IRCClient.msg splits a message longer than length", () => {
  const c = new DummyClient();
  c.msg("foo", "barbazbo", "PRIVMSG foo :".length + 3 + 2);
  deepEqual(c.lines, [
    "PRIVMSG foo :bar",
    "PRIVMSG foo :baz",
    "PRIVMSG foo :bo",
  ]);
});

Deno.test("IRCClient.msg sends a message exactly as long as length in one command", () => {
  const msg = "barbazbo";
  const maxLen = `PRIVMSG foo :${msg}`.length + 2;
  const c = new DummyClient();
  c.msg("foo", msg, maxLen);
  deepEqual(c.lines, [`PRIVMSG foo :${msg}`]);
  c.lines = [];
  c.msg("foo", msg, maxLen - 1);
  equal(c.lines.length, 2);
  c.lines = [];
  c.msg("foo", msg, maxLen + 1);
  equal(c.lines.length, 1);
});

Deno.test("IRCClient.msg ignores newlines at the start and end, and blank lines", () => {
  for (
    const [message, lines] of [
      ["\nbar", ["PRIVMSG foo :bar"]],
      ["bar\n", ["PRIVMSG foo :bar"]],
      ["bar\nbaz", ["PRIVMSG foo :bar", "PRIVMSG foo :baz"]],
      ["bar\n\nbaz", ["PRIVMSG foo :bar", "PRIVMSG foo :baz"]],
    ] as const
  ) {
    const c = new DummyClient();
    c.msg("foo", message);
    deepEqual(c.lines, lines, JSON.stringify(message));
  }
});

/** Sends `message` with msg, loops the lines back, checks they rebuild it. */
function assertLongMessageSplitting(
  message: string,
  expectedNumCommands: number,
  length?: number,
): void {
  const c = new DummyClient();
  const responsePrefix = `:${c.nickname}!${c.realname}@${c.hostname} `;
  c.msg("foo", message, length);
  const received: string[] = [];
  c.privmsg = (_user, _target, text) => {
    received.push(text);
  };
  for (const line of c.lines) c.lineReceived(responsePrefix + line);
  equal(received.length, expectedNumCommands);
  equal(received.join(""), message);
}

Deno.test("IRCClient.msg splits long messages to a safe length by default", () => {
  assertLongMessageSplitting("o".repeat(MAX_COMMAND_LENGTH - 2), 2);
});

Deno.test("IRCClient.msg splits long messages to the length given", () => {
  assertLongMessageSplitting(
    "o".repeat(MAX_COMMAND_LENGTH - 2),
    3,
    MAX_COMMAND_LENGTH / 2,
  );
});

Deno.test("IRCClient.msg splits at newlines before it splits long lines", () => {
  const longline = "o".repeat(MAX_COMMAND_LENGTH / 2);
  const c = new DummyClient();
  c.msg("foo", longline + "\n" + longline);
  deepEqual(c.lines, ["PRIVMSG foo :" + longline, "PRIVMSG foo :" + longline]);
});

Deno.test("IRCClient.msg prefers to split long lines at word boundaries", () => {
  const longline = "o".repeat(MAX_COMMAND_LENGTH / 2);
  const c = new DummyClient();
  c.msg("foo", longline + " " + longline);
  deepEqual(c.lines, ["PRIVMSG foo :" + longline, "PRIVMSG foo :" + longline]);
});

Deno.test("IRCClient.msg keeps every line within 512 bytes for non-ASCII text", () => {
  const c = new DummyClient();
  c.msg("foo", "日本語のテキスト ".repeat(60));
  ok(c.lines.length > 1);
  for (const line of c.lines) {
    ok(
      byteLength(
        `:${"a".repeat(9)}!${"b".repeat(10)}@${"c".repeat(63)} ${line}\r\n`,
      ) <= 512,
    );
  }
  equal(
    c.lines.map((l) => l.slice("PRIVMSG foo :".length)).join(" "),
    "日本語のテキスト ".repeat(60).trim(),
  );
});

Deno.test("IRCClient.say adds # to the channel and sends the message", () => {
  const c = new DummyClient();
  c.say("thechannel", "the message");
  deepEqual(c.lines, ["PRIVMSG #thechannel :the message"]);
});

// -- ClientTests ---------------------------------------------------------------

function lastLine(t: StringTransport): string {
  const lines = t.valueText().split("\r\n");
  return lines[lines.length - 2];
}

Deno.test("IRCClient.away sends AWAY with the message", () => {
  const [c, t] = plainClient();
  c.away("Sorry, I'm not here.");
  deepEqual(t.valueText().split("\r\n"), ["AWAY :Sorry, I'm not here.", ""]);
});

Deno.test("IRCClient.back sends an empty AWAY", () => {
  const [c, t] = plainClient();
  c.back();
  deepEqual(t.valueText().split("\r\n"), ["AWAY :", ""]);
});

Deno.test("IRCClient.whois sends WHOIS, with the server if given", () => {
  const [c, t] = plainClient();
  c.whois("alice");
  c.whois("alice", "example.org");
  deepEqual(t.valueText().split("\r\n"), [
    "WHOIS alice",
    "WHOIS example.org alice",
    "",
  ]);
});

Deno.test("IRCClient.register sends NICK and USER", () => {
  const [c, t] = plainClient();
  c.realname = "testname";
  c.password = null;
  c.register("testuser", "testhost", "testserver");
  deepEqual(t.valueText().split("\r\n"), [
    "NICK testuser",
    "USER testuser testhost testserver :testname",
    "",
  ]);
});

Deno.test("IRCClient.register sends PASS first when there is a password", () => {
  const [c, t] = plainClient();
  c.realname = "testname";
  c.password = "testpass";
  c.register("testuser", "testhost", "testserver");
  deepEqual(t.valueText().split("\r\n"), [
    "PASS testpass",
    "NICK testuser",
    "USER testuser testhost testserver :testname",
    "",
  ]);
});

Deno.test("IRCClient tries another nickname on ERR_NICKNAMEINUSE, adding _ each time", () => {
  const [c, t] = plainClient();
  c.realname = "testname";
  c.password = "testpass";
  c.register("testuser", "testhost", "testserver");
  c.irc_ERR_NICKNAMEINUSE("prefix", ["param"]);
  notEqual(lastLine(t), "NICK testuser");
  equal(lastLine(t), "NICK testuser_");
  c.irc_ERR_NICKNAMEINUSE("prefix", ["param"]);
  equal(lastLine(t), "NICK testuser__");
});

Deno.test("IRCClient.alterCollidedNick decides the next nickname after a collision", () => {
  const [c, t] = plainClient();
  c.alterCollidedNick = (nick) => nick + "***";
  c.register("foo");
  c.irc_ERR_NICKNAMEINUSE("prefix", ["param"]);
  equal(lastLine(t), "NICK foo***");
});

Deno.test("IRCClient registers on connection, takes another nick on collision, and signs on with it", () => {
  const server = ":irc.test 433 * bot :Nickname is already in use\r\n" +
    ":irc.test 001 bot_ :Welcome\r\n";
  everyChunkSize(server, (size) => {
    const t = new StringTransport();
    const c = new IRCClient();
    c.nickname = "bot";
    c.clock = new Clock();
    let signedOn = 0;
    c.signedOn = () => signedOn++;
    c.makeConnection(t);
    feed(c, server, size);
    equal(t.valueText(), "NICK bot\r\nUSER bot foo bar :bot\r\nNICK bot_\r\n");
    equal(c.nickname, "bot_");
    equal(c.registered, true);
    equal(signedOn, 1);
    c.stopHeartbeat();
  });
});

Deno.test("IRCClient changes nickname only once the server acknowledges it", () => {
  const [c] = plainClient();
  c.register("foo");
  c.irc_RPL_WELCOME("prefix", ["param"]);
  c.setNick("bar");
  equal(c.nickname, "foo");
  c.irc_NICK("foo!quux@qux", ["bar"]);
  equal(c.nickname, "bar");
  c.stopHeartbeat();
});

Deno.test("IRCClient falls back to erroneousNickFallback during registration only", () => {
  const [c, t] = plainClient();
  equal(c.registered, false);
  c.register("foo");
  c.irc_ERR_ERRONEUSNICKNAME("prefix", ["param"]);
  equal(lastLine(t), "NICK defaultnick");
  c.irc_RPL_WELCOME("prefix", ["param"]);
  equal(c.registered, true);
  equal(c.nickname, "defaultnick");
  const oldnick = c.nickname;
  c.setNick("foo");
  c.irc_ERR_ERRONEUSNICKNAME("prefix", ["param"]);
  equal(lastLine(t), "NICK foo");
  equal(c.nickname, oldnick);
  c.stopHeartbeat();
});

Deno.test("IRCClient.describe sends a CTCP ACTION", () => {
  const [c, t] = plainClient();
  c.describe("foo", "waves");
  c.describe("#bar", "waves");
  deepEqual(t.valueText().split("\r\n"), [
    `PRIVMSG foo :${X}ACTION waves${X}`,
    `PRIVMSG #bar :${X}ACTION waves${X}`,
    "",
  ]);
});

Deno.test("IRCClient.noticed does not call privmsg", () => {
  const [c] = plainClient();
  c.privmsg = () => {
    throw new Error("privmsg() should not have been called");
  };
  c.irc_NOTICE("spam", ["#greasyspooncafe", "I don't want any spam!"]);
});

Deno.test("IRCClient.ping sends a CTCP PING, random or given, and forgets the oldest beyond MAX_PINGRING", () => {
  using logs = captureLog();
  const [c, t, clock] = plainClient();
  const pongs: unknown[] = [];
  c.pong = (user, secs) => {
    pongs.push([user, secs]);
  };
  c.ping("otheruser");
  const sent = parseMessage(t.valueText().slice(0, -2));
  equal(sent.command, "PRIVMSG");
  equal(sent.params[0], "otheruser");
  // The key may hold a backslash, which is quoted on the wire.
  const [[tag, key]] = ctcpExtract(sent.params[1]).extended;
  equal(tag, "PING");
  equal(key?.length, 12);
  t.clear();
  c.ping("otheruser", "are you there");
  equal(t.valueText(), `PRIVMSG otheruser :${X}PING are you there${X}\r\n`);
  for (let i = 0; i < IRCClient.MAX_PINGRING + 3; i++) {
    clock.advance(1);
    c.ping("otheruser", String(i));
  }
  clock.advance(2);
  // The first pings are forgotten: their answers are bogus, and logged.
  feed(c, `:otheruser!o@h NOTICE irc :${X}PING are you there${X}\r\n`);
  feed(c, `:otheruser!o@h NOTICE irc :${X}PING 2${X}\r\n`);
  deepEqual(pongs, []);
  const errors = logs.flushLoggedErrors(IRCBadMessage);
  deepEqual(errors.map((e) => e.getErrorMessage()), [
    "Bogus PING response from otheruser!o@h: are you there",
    "Bogus PING response from otheruser!o@h: 2",
  ]);
  feed(c, `:otheruser!o@h NOTICE irc :${X}PING 3${X}\r\n`);
  feed(c, `:otheruser!o@h NOTICE irc :${X}PING 14${X}\r\n`);
  deepEqual(pongs, [["otheruser!o@h", 13], ["otheruser!o@h", 2]]);
});

Deno.test("IRCClient.who, kick, topic, mode, join with a key, leave, quit, notice send their commands", () => {
  const [c, t] = plainClient();
  c.who();
  c.who("#deno", true);
  c.kick("#deno", "bob");
  c.kick("deno", "bob", "spam");
  c.topic("#deno", "");
  c.mode("bob", true, "i");
  c.mode("#deno", true, "b", null, null, "*!*@spam");
  c.join("+modeless", "key");
  c.leave("#deno");
  c.part("deno", "later");
  c.quit();
  c.notice("#deno", "hi");
  deepEqual(t.valueText().split("\r\n"), [
    "WHO",
    "WHO #deno o",
    "KICK #deno bob",
    "KICK #deno bob :spam",
    "TOPIC #deno :",
    "MODE bob +i",
    "MODE #deno +b *!*@spam",
    "JOIN +modeless key",
    "PART #deno",
    "PART #deno :later",
    "QUIT :",
    "NOTICE #deno :hi",
    "",
  ]);
});

// -- ServerToClientTests -------------------------------------------------------

const WOLF = "Wolf!~wolf@yok.utu.fi";

function wolf(): ReturnType<typeof noticing>[0] {
  const [c] = noticing();
  c.nickname = "Wolf";
  return c;
}

Deno.test("IRCClient.irc_JOIN calls joined for me and userJoined for others", () => {
  const c = wolf();
  c.irc_JOIN(WOLF, ["#twisted"]);
  c.irc_JOIN("Svadilfari!~svadi@yok.utu.fi", ["#python"]);
  deepEqual(c.calls, [
    ["joined", "#twisted"],
    ["userJoined", "Svadilfari", "#python"],
  ]);
});

Deno.test("IRCClient.irc_PART calls left for me and userLeft for others", () => {
  const c = wolf();
  c.irc_PART(WOLF, ["#twisted"]);
  c.irc_PART("Svadilfari!~svadi@yok.utu.fi", ["#python"]);
  deepEqual(c.calls, [
    ["left", "#twisted"],
    ["userLeft", "Svadilfari", "#python"],
  ]);
});

Deno.test("IRCClient.irc_QUIT calls userQuit for anyone, me included", () => {
  const c = wolf();
  c.irc_QUIT("Svadilfari!~svadi@yok.utu.fi", ["Adios."]);
  c.irc_QUIT(WOLF, ["Farewell."]);
  c.irc_QUIT("Quiet!q@h", []);
  deepEqual(c.calls, [
    ["userQuit", "Svadilfari", "Adios."],
    ["userQuit", "Wolf", "Farewell."],
    ["userQuit", "Quiet", ""],
  ]);
});

Deno.test("IRCClient.irc_NOTICE calls noticed with the text around CTCP parts", () => {
  using _logs = captureLog();
  const c = wolf();
  c.irc_NOTICE(WOLF, [
    "#twisted",
    `${X}extended${X}data1${X}extended${X}data2${X}${EOL}`,
  ]);
  deepEqual(c.calls, [["noticed", WOLF, "#twisted", "data1 data2"]]);
});

Deno.test("IRCClient.irc_KICK calls kickedFrom for me (any case) and userKicked for others", () => {
  const c = wolf();
  c.irc_KICK("Svadilfari!~svadi@yok.utu.fi", ["#python", "WOLF", "shoryuken!"]);
  c.irc_KICK(WOLF, ["#twisted", "Svadilfari", "hadouken!"]);
  c.irc_KICK(WOLF, ["#twisted", "Quiet"]);
  deepEqual(c.calls, [
    ["kickedFrom", "#python", "Svadilfari", "shoryuken!"],
    ["userKicked", "Svadilfari", "#twisted", "Wolf", "hadouken!"],
    ["userKicked", "Quiet", "#twisted", "Wolf", ""],
  ]);
});

Deno.test("IRCClient.irc_TOPIC calls topicUpdated", () => {
  const c = wolf();
  c.irc_TOPIC(WOLF, ["#twisted", "new topic is new"]);
  deepEqual(c.calls, [[
    "topicUpdated",
    "Wolf",
    "#twisted",
    "new topic is new",
  ]]);
});

Deno.test("IRCClient.irc_RPL_TOPIC calls topicUpdated with the topic on joining", () => {
  const c = wolf();
  c.irc_RPL_TOPIC(WOLF, ["?", "#twisted", "new topic is new"]);
  deepEqual(c.calls, [[
    "topicUpdated",
    "Wolf",
    "#twisted",
    "new topic is new",
  ]]);
});

Deno.test("IRCClient.irc_RPL_NOTOPIC calls topicUpdated with an empty topic", () => {
  const c = wolf();
  c.irc_RPL_NOTOPIC(WOLF, ["?", "#twisted"]);
  deepEqual(c.calls, [["topicUpdated", "Wolf", "#twisted", ""]]);
});

Deno.test("IRCClient.irc_NICK calls nickChanged for me and userRenamed for others", () => {
  const c = wolf();
  c.irc_NICK("Svadilfari!~svadi@yok.utu.fi", ["Sleipnir"]);
  c.irc_NICK(WOLF, ["Fenrir"]);
  deepEqual(c.calls, [
    ["userRenamed", "Svadilfari", "Sleipnir"],
    ["nickChanged", "Fenrir"],
  ]);
  equal(c.nickname, "Fenrir");
});

// -- CTCPQueryTests ------------------------------------------------------------

/** A client named Wolf whose CTCP replies are recorded, not sent. */
function replies(): [IRCClient, unknown[]] {
  const [c] = plainClient();
  c.nickname = "Wolf";
  const made: unknown[] = [];
  c.ctcpMakeReply = (user, messages) => {
    made.push([user, [...messages].map((m) => [...m])]);
  };
  return [c, made];
}

Deno.test("IRCClient.ctcpQuery_PING replies with the data", () => {
  const [c, made] = replies();
  c.ctcpQuery_PING(WOLF, "#twisted", "data");
  deepEqual(made, [["Wolf", [["PING", "data"]]]]);
});

Deno.test("IRCClient.ctcpQuery_FINGER replies with fingerReply", () => {
  using logs = captureLog();
  const [c, made] = replies();
  c.fingerReply = "reply";
  c.ctcpQuery_FINGER(WOLF, "#twisted", "data");
  c.fingerReply = () => "called";
  c.ctcpQuery_FINGER(WOLF, "#twisted", null);
  c.fingerReply = null;
  c.ctcpQuery_FINGER(WOLF, "#twisted", null);
  deepEqual(made, [
    ["Wolf", [["FINGER", "reply"]]],
    ["Wolf", [["FINGER", "called"]]],
  ]);
  deepEqual(logs.messages, [
    `Why did ${WOLF} send 'data' with a FINGER query?`,
  ]);
});

Deno.test("IRCClient.ctcpQuery_SOURCE replies with sourceURL and an empty SOURCE", () => {
  using _logs = captureLog();
  const [c, made] = replies();
  c.sourceURL = "url";
  c.ctcpQuery_SOURCE(WOLF, "#twisted", "data");
  deepEqual(made, [["Wolf", [["SOURCE", "url"], ["SOURCE", null]]]]);
});

Deno.test("IRCClient.ctcpQuery_USERINFO replies with userinfo", () => {
  using _logs = captureLog();
  const [c, made] = replies();
  c.userinfo = "info";
  c.ctcpQuery_USERINFO(WOLF, "#twisted", "data");
  deepEqual(made, [["Wolf", [["USERINFO", "info"]]]]);
});

Deno.test("IRCClient.ctcpQuery_CLIENTINFO lists the queries, or answers about one", () => {
  const [c, made] = replies();
  c.ctcpQuery_CLIENTINFO(WOLF, "#twisted", "");
  c.ctcpQuery_CLIENTINFO(WOLF, "#twisted", "PING PONG");
  c.ctcpQuery_CLIENTINFO(WOLF, "#twisted", "PONG");
  deepEqual(made, [
    ["Wolf", [[
      "CLIENTINFO",
      "ACTION CLIENTINFO ERRMSG FINGER PING SOURCE TIME USERINFO VERSION",
    ]]],
    ["Wolf", [["CLIENTINFO", null]]],
    ["Wolf", [["ERRMSG", "CLIENTINFO PONG :Unknown query 'PONG'"]]],
  ]);
});

Deno.test("IRCClient.ctcpQuery_CLIENTINFO lists the queries a subclass adds", () => {
  class Extra extends IRCClient {
    ctcpQuery_ZZZ(): void {}
  }
  const c = new Extra();
  const made: unknown[] = [];
  c.ctcpMakeReply = (_user, messages) => {
    made.push([...messages][0][1]);
  };
  c.ctcpQuery_CLIENTINFO(WOLF, "#twisted", null);
  deepEqual(made, [
    "ACTION CLIENTINFO ERRMSG FINGER PING SOURCE TIME USERINFO VERSION ZZZ",
  ]);
});

Deno.test("IRCClient.ctcpQuery_TIME replies with the clock's local time, asctime style", () => {
  using _logs = captureLog();
  const [c, made] = replies();
  (c.clock as Clock).advance(1_000_000_000);
  c.ctcpQuery_TIME(WOLF, "#twisted", "data");
  equal((made[0] as unknown[])[0], "Wolf");
  const d = new Date(1_000_000_000_000);
  const [[tag, text]] = (made[0] as [string, [string, string][]])[1];
  equal(tag, "TIME");
  match(text, /^:[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4}$/);
  ok(text.endsWith(` ${d.getFullYear()}`));
  ok(text.includes(`${String(d.getDate()).padStart(2, " ")} `));
});

Deno.test("IRCClient does not handle DCC: the query goes to ctcpUnknownQuery", () => {
  const [c, made] = replies();
  const unknown: unknown[] = [];
  c.ctcpUnknownQuery = (...args) => {
    unknown.push(args);
  };
  c.irc_PRIVMSG(WOLF, ["Wolf", `${X}DCC SEND file 1 2${X}`]);
  deepEqual(made, []);
  deepEqual(unknown, [[WOLF, "Wolf", "DCC", "SEND file 1 2"]]);
});

Deno.test("IRCClient answers a CTCP PING and calls action for an ACTION, at every chunk size", () => {
  const lines = `:bob!b@h PRIVMSG irc :${X}PING 12345${X}${EOL}` +
    `:bob!b@h PRIVMSG #deno :${X}ACTION dances${X}${EOL}` +
    `:bob!b@h PRIVMSG #deno :${X}ACTION${X}${EOL}`;
  everyChunkSize(lines, (size) => {
    const [c, t] = noticing();
    feed(c, lines, size);
    equal(t.valueText(), `NOTICE bob :${X}PING 12345${X}${EOL}`);
    deepEqual(c.calls, [
      ["action", "bob!b@h", "#deno", "dances"],
      ["action", "bob!b@h", "#deno", ""],
    ]);
  });
});

// -- Flood control -------------------------------------------------------------

Deno.test("IRCClient with lineRate sends the first line at once and the next one per lineRate", () => {
  const [c, t, clock] = plainClient();
  c.lineRate = 2;
  c.msg("#a", "one");
  c.msg("#a", "two");
  c.msg("#a", "three");
  equal(t.valueText(), "PRIVMSG #a :one\r\n");
  clock.advance(1.9);
  equal(t.valueText(), "PRIVMSG #a :one\r\n");
  clock.advance(0.1);
  equal(t.valueText(), "PRIVMSG #a :one\r\nPRIVMSG #a :two\r\n");
  clock.advance(2);
  equal(
    t.valueText(),
    "PRIVMSG #a :one\r\nPRIVMSG #a :two\r\nPRIVMSG #a :three\r\n",
  );
  clock.advance(2);
  equal(clock.getDelayedCalls().length, 0);
  c.msg("#a", "four");
  ok(t.valueText().endsWith("PRIVMSG #a :four\r\n"));
  clock.advance(2);
});

Deno.test("IRCClient with lineRate drops the queue when the connection is lost", () => {
  const [c, t, clock] = plainClient();
  c.lineRate = 1;
  c.msg("#a", "one");
  c.msg("#a", "two");
  c.connectionLost(new Failure(new ConnectionDone()));
  equal(clock.getDelayedCalls().length, 0);
  clock.advance(5);
  equal(t.valueText(), "PRIVMSG #a :one\r\n");
});

Deno.test("IRCClient.sendLine low-level quotes CR, LF, NUL and DLE", () => {
  const [c, t] = plainClient();
  c.sendLine("PRIVMSG #a :a\rb\nc\0d\x10e");
  equal(t.valueText(), "PRIVMSG #a :a\x10rb\x10nc\x100d\x10\x10e\r\n");
  t.clear();
  c.sendLine(encoder.encode("RAW bytes"));
  equal(t.valueText(), "RAW bytes\r\n");
});

Deno.test("IRCClient answers the server's PING with a PONG", () => {
  const lines = "PING :irc.example\r\nPING :two words\r\n";
  everyChunkSize(lines, (size) => {
    const [c, t] = plainClient();
    feed(c, lines, size);
    equal(t.valueText(), "PONG irc.example\r\nPONG :two words\r\n");
  });
});

Deno.test("IRCClient accepts bare LF line ends and low-level dequotes lines", () => {
  const [c] = noticing();
  feed(c, ":a!b@c PRIVMSG #x :one\n:a!b@c PRIVMSG #x :t\x10nwo\r\n");
  deepEqual(c.calls, [
    ["privmsg", "a!b@c", "#x", "one"],
    ["privmsg", "a!b@c", "#x", "t\nwo"],
  ]);
});

Deno.test("IRCClient.messageTags holds the tags of the message being handled", () => {
  const seen: unknown[] = [];
  class Tagged extends IRCClient {
    override privmsg(_u: string, _c: string, message: string): void {
      seen.push([message, Object.fromEntries(this.messageTags)]);
    }
  }
  const c = new Tagged();
  c.performLogin = false;
  c.makeConnection(new StringTransport());
  feed(
    c,
    "@time=2026-01-01T00:00:00.000Z;+draft/x=a\\sb :a!b@c PRIVMSG #x :hi\r\n" +
      ":a!b@c PRIVMSG #x :plain\r\n",
  );
  deepEqual(seen, [
    ["hi", { time: "2026-01-01T00:00:00.000Z", "+draft/x": "a b" }],
    ["plain", {}],
  ]);
  equal(c.messageTags.size, 0);
});

// -- Bad input -----------------------------------------------------------------

const GOOD = ":a!b@c PRIVMSG #x :still here\r\n";

/** Feeds `bad` then a good line at every chunk size; checks the good one arrives. */
function skipsBadInput(bad: string | Uint8Array): string[] {
  const data = typeof bad === "string" ? encoder.encode(bad) : bad;
  const all = new Uint8Array(data.length + byteLength(GOOD));
  all.set(data);
  all.set(encoder.encode(GOOD), data.length);
  let logged: string[] = [];
  const sizes = all.length > 600
    ? [1, 2, 3, 7, 64, 500, 511, 512, 513, 4096, all.length]
    : Array.from({ length: all.length }, (_, i) => i + 1);
  for (const size of sizes) {
    using logs = captureLog();
    const [c, t] = noticing();
    feed(c, all, size);
    deepEqual(
      c.calls,
      [["privmsg", "a!b@c", "#x", "still here"]],
      `chunk size ${size}`,
    );
    equal(t.disconnecting, false);
    logged = logs.events.map((e) =>
      e.failure ? `${e.message}: ${e.failure.getErrorMessage()}` : e.message
    );
    logs.flushLoggedErrors();
  }
  return logged;
}

Deno.test("IRCClient logs and skips a line over 512 bytes", () => {
  const long = `:a!b@c PRIVMSG #x :${"y".repeat(600)}\r\n`;
  const [logged] = skipsBadInput(long);
  match(
    logged,
    /^Bad IRC message ".*": Cannot parse the message: it takes 621 bytes with CR LF, more than 512$/,
  );
});

Deno.test("IRCClient accepts a line of exactly 512 bytes", () => {
  const text = "y".repeat(512 - ":a!b@c PRIVMSG #x :".length - 2);
  const [c] = noticing();
  feed(c, `:a!b@c PRIVMSG #x :${text}\r\n`);
  deepEqual(c.calls, [["privmsg", "a!b@c", "#x", text]]);
});

Deno.test("IRCClient accepts 8191 bytes of tags before a 512-byte line", () => {
  const tags = "@k=" + "v".repeat(8191 - 4) + " ";
  equal(tags.length, 8191);
  const text = "y".repeat(512 - ":a!b@c PRIVMSG #x :".length - 2);
  const [c] = noticing();
  feed(c, `${tags}:a!b@c PRIVMSG #x :${text}\r\n`);
  deepEqual(c.calls, [["privmsg", "a!b@c", "#x", text]]);
});

Deno.test("IRCClient logs and drops a line longer than MAX_LENGTH, whole or in pieces", () => {
  const huge = `:a!b@c PRIVMSG #x :${"z".repeat(20000)}\r\n`;
  const [logged] = skipsBadInput(huge);
  match(
    logged,
    /^Bad IRC message ".*": Cannot parse the message: the line is longer than 8702 bytes$/,
  );
});

Deno.test("IRCClient logs and skips a line that is not UTF-8", () => {
  const bad = Uint8Array.from([
    ...encoder.encode(":a!b@c PRIVMSG #x :"),
    0xff,
    0xfe,
    13,
    10,
  ]);
  const [logged] = skipsBadInput(bad);
  match(
    logged,
    /^Bad IRC message ".*": Cannot decode the message: it is not UTF-8$/,
  );
});

Deno.test("IRCClient logs and skips malformed lines", () => {
  for (
    const [bad, why] of [
      [":prefix-only\r\n", "no command"],
      [": PRIVMSG #x :y\r\n", "empty prefix"],
      ["@tags-only\r\n", "no command"],
      ["PRIV-MSG #x :y\r\n", 'bad command "PRIV-MSG"'],
      ["   \r\n", "no command"],
    ]
  ) {
    const logged = skipsBadInput(bad);
    deepEqual(logged, [
      `Bad IRC message ${
        JSON.stringify(bad.slice(0, -2))
      }: Cannot parse the message: ${why}`,
    ]);
  }
});

Deno.test("IRCClient ignores empty lines", () => {
  deepEqual(skipsBadInput("\r\n\n\r\n"), []);
});

Deno.test("IRCClient logs a numeric or command without its parameters and goes on", () => {
  for (
    const [bad, command, n, got] of [
      [":srv 002 nick\r\n", "RPL_YOURHOST", 2, 1],
      [":srv 332 nick #x\r\n", "RPL_TOPIC", 3, 2],
      [":srv 004\r\n", "RPL_MYINFO", 2, 0],
      [":a!b@c PRIVMSG #x\r\n", "PRIVMSG", 2, 1],
      [":a!b@c JOIN\r\n", "JOIN", 1, 0],
      [":a!b@c KICK #x\r\n", "KICK", 2, 1],
      ["PING\r\n", "PING", 1, 0],
    ] as const
  ) {
    const logged = skipsBadInput(bad);
    deepEqual(logged, [
      `Cannot handle the IRC command ${command}: Cannot handle ${command}: it needs ${n} parameters, got ${got}`,
    ]);
  }
});

Deno.test("IRCClient logs what a callback throws and goes on", () => {
  using logs = captureLog();
  const [c, t] = noticing();
  let calls = 0;
  c.privmsg = () => {
    calls++;
    throw new Error("boom");
  };
  feed(c, ":a!b@c PRIVMSG #x :one\r\n:a!b@c PRIVMSG #x :two\r\n");
  equal(calls, 2);
  equal(t.disconnecting, false);
  deepEqual(logs.flushLoggedErrors().map((f) => f.getErrorMessage()), [
    "boom",
    "boom",
  ]);
});

Deno.test("IRCClient logs IRCPasswordMismatch on ERR_PASSWDMISMATCH", () => {
  using logs = captureLog();
  const [c] = noticing();
  feed(c, ":srv 464 * :Password incorrect\r\n");
  const [f] = logs.flushLoggedErrors(IRCPasswordMismatch);
  equal(f.getErrorMessage(), "Password Incorrect.");
});

Deno.test("IRCClient calls irc_unknown for commands and numerics without a handler", () => {
  const seen: unknown[] = [];
  class C extends IRCClient {
    override irc_unknown(prefix: string, command: string, params: string[]) {
      seen.push([prefix, command, params]);
    }
  }
  const c = new C();
  c.performLogin = false;
  c.makeConnection(new StringTransport());
  feed(c, ":srv 999 me :odd\r\n:srv WALLOPS :hi\r\n:srv 353 me = #x :a b\r\n");
  deepEqual(seen, [
    ["srv", "999", ["me", "odd"]],
    ["srv", "WALLOPS", ["hi"]],
    ["srv", "RPL_NAMREPLY", ["me", "=", "#x", "a b"]],
  ]);
});

// -- A whole session -----------------------------------------------------------

Deno.test("IRCClient handles a whole session the same at every chunk size", () => {
  const server = [
    ":irc.test NOTICE * :*** Looking up your hostname",
    ":irc.test 001 bot :Welcome to the Internet Relay Network bot!~bot@localhost",
    ":irc.test 002 bot :Your host is irc.test, running version ngircd-26.1",
    ":irc.test 003 bot :This server has been started Mon Jan 01 2026 at 00:00:00 (UTC)",
    ":irc.test 004 bot irc.test ngircd-26.1 abBcCFiIoqrRswx abehiIklmMnoOPqQrRstvVz",
    ":irc.test 005 bot RFC2812 IRCD=ngIRCd CHARSET=UTF-8 CASEMAPPING=ascii PREFIX=(qaohv)~&@%+ CHANTYPES=#&+ CHANMODES=beI,k,l,imMnOPQRstVz CHANLIMIT=#&+:10 :are supported on this server",
    ":irc.test 251 bot :There are 1 users and 0 services on 1 servers",
    ":irc.test 254 bot 1 :channels formed",
    ":irc.test 255 bot :I have 1 users, 0 services and 0 servers",
    ":irc.test 375 bot :- irc.test message of the day",
    ":irc.test 372 bot :- Torsion test",
    ":irc.test 376 bot :End of MOTD command",
    ":bot!~bot@localhost JOIN :#deno",
    ":irc.test 332 bot #deno :Deno things",
    ":irc.test 353 bot = #deno :bot @alice",
    ":alice!~a@localhost PRIVMSG #deno :héllo wörld",
    ":alice!~a@localhost PRIVMSG bot :psst",
    ":alice!~a@localhost PRIVMSG #deno :\x01ACTION waves\x01",
    ":alice!~a@localhost NICK :alicia",
    ":alicia!~a@localhost MODE #deno +v bot",
    ":alicia!~a@localhost TOPIC #deno :New topic",
    ":carol!~c@localhost JOIN #deno",
    ":carol!~c@localhost PART #deno :bye",
    ":alicia!~a@localhost KICK #deno bot :out",
    ":alicia!~a@localhost QUIT :Client Quit",
    "PING :irc.test",
  ].join("\r\n") + "\r\n";
  const expectedCalls: Call[] = [
    ["noticed", "irc.test", "*", "*** Looking up your hostname"],
    ["signedOn"],
    ["yourHost", "Your host is irc.test, running version ngircd-26.1"],
    [
      "created",
      "This server has been started Mon Jan 01 2026 at 00:00:00 (UTC)",
    ],
    [
      "myInfo",
      "irc.test",
      "ngircd-26.1",
      "abBcCFiIoqrRswx",
      "abehiIklmMnoOPqQrRstvVz",
    ],
    ["isupport", [
      "RFC2812",
      "IRCD=ngIRCd",
      "CHARSET=UTF-8",
      "CASEMAPPING=ascii",
      "PREFIX=(qaohv)~&@%+",
      "CHANTYPES=#&+",
      "CHANMODES=beI,k,l,imMnOPQRstVz",
      "CHANLIMIT=#&+:10",
    ]],
    ["luserClient", "There are 1 users and 0 services on 1 servers"],
    ["luserChannels", 1],
    ["luserMe", "I have 1 users, 0 services and 0 servers"],
    ["receivedMOTD", ["irc.test message of the day", "Torsion test"]],
    ["joined", "#deno"],
    ["topicUpdated", "irc.test", "#deno", "Deno things"],
    ["privmsg", "alice!~a@localhost", "#deno", "héllo wörld"],
    ["privmsg", "alice!~a@localhost", "bot", "psst"],
    ["action", "alice!~a@localhost", "#deno", "waves"],
    ["userRenamed", "alice", "alicia"],
    ["modeChanged", "alicia!~a@localhost", "#deno", true, "v", ["bot"]],
    ["topicUpdated", "alicia", "#deno", "New topic"],
    ["userJoined", "carol", "#deno"],
    ["userLeft", "carol", "#deno"],
    ["kickedFrom", "#deno", "alicia", "out"],
    ["userQuit", "alicia", "Client Quit"],
  ];
  everyChunkSize(server, (size) => {
    const [c, t] = noticing();
    c.nickname = "bot";
    c.register("bot");
    t.clear();
    feed(c, server, size);
    deepEqual(c.calls, expectedCalls, `chunk size ${size}`);
    equal(t.valueText(), "PONG irc.test\r\n");
    equal(c.hostname, "irc.test");
    deepEqual(c.supported.getFeature("CHANTYPES"), ["#", "&", "+"]);
    c.stopHeartbeat();
  });
});
