// Copyright 2026 the Torsion authors. MIT license.
// The server examples, each run as a process on port 0 and driven over real
// TCP (Deno.connect, and nc/socat where installed): the tutorial's texts,
// the log lines, and a clean exit (status 0) on SIGTERM/SIGINT.
import { deepEqual, equal, match, ok } from "node:assert/strict";
import {
  connect,
  Example,
  exchange,
  readAll,
  readExactly,
  readText,
  runTool,
  send,
} from "../_examples.ts";
import { hasCommand, needs } from "../_interop.ts";
import {
  FortuneQuoter,
  StaticQuoter,
} from "../../examples/twisted_quotes/mod.ts";
import { LineModes } from "../../examples/line_modes.ts";
import { captureLog, StringTransport } from "../../reactor/testing/mod.ts";

const hasNc = await hasCommand("nc");
const hasSocat = await hasCommand("socat", ["-V"]);

Deno.test("examples/echo_server.ts echoes, logs Twisted-style and exits 0 on SIGTERM", async () => {
  await using server = new Example("echo_server.ts", ["--port", "0"]);
  const port = await server.port();
  const a = await connect(port);
  const b = await connect(port);
  try {
    await send(a, "hello\r\n");
    await send(b, "world");
    equal(await readText(b, "world"), "world");
    equal(await readText(a, "hello\r\n"), "hello\r\n");
  } finally {
    a.close();
    b.close();
  }
  const { stdout, stderr } = await server.stopCleanly();
  equal(stdout, "");
  match(stderr, new RegExp(`\\[-\\] Factory starting on ${port}\\n`));
  match(stderr, /\[-\] Starting factory <Factory object>\n/);
  match(stderr, /\[-\] Received SIGTERM, shutting down\.\n/);
  match(stderr, new RegExp(`\\[-\\] \\(TCP Port ${port} Closed\\)\\n`));
  match(stderr, /\[-\] Stopping factory <Factory object>\n/);
});

Deno.test("examples/echo_server.ts stops on SIGINT (Ctrl-C) with open connections", async () => {
  await using server = new Example("echo_server.ts", ["--port", "0"]);
  const conn = await connect(await server.port());
  try {
    // An echo first: the server has accepted the connection (one still in
    // the listen queue would be reset when the port closes).
    await conn.write(new TextEncoder().encode("x"));
    equal(new TextDecoder().decode(await readExactly(conn, 1)), "x");
    const { stderr } = await server.stopCleanly("SIGINT");
    match(stderr, /Received SIGINT, shutting down\./);
    // The shutdown closed our connection.
    equal((await readAll(conn)).length, 0);
  } finally {
    conn.close();
  }
});

Deno.test({
  name: "examples/echo_server.ts echoes for nc",
  ...needs("nc", hasNc),
  fn: async () => {
    await using server = new Example("echo_server.ts", ["--port", "0"]);
    const port = await server.port();
    equal(
      await runTool("nc", ["-N", "127.0.0.1", String(port)], "hi from nc\n"),
      "hi from nc\n",
    );
    await server.stopCleanly();
  },
});

Deno.test("examples/echo_server.ts rejects a bad --port with status 2", async () => {
  await using server = new Example("echo_server.ts", ["--port", "http"]);
  const { stdout, stderr } = await server.exits(2);
  equal(stdout, "");
  match(stderr, /error: --port must be a port number \(0-65535\), got "http"/);
});

Deno.test("examples/echo_limited.ts turns a client away above --limit", async () => {
  await using server = new Example("echo_limited.ts", [
    "--port",
    "0",
    "--limit",
    "1",
  ]);
  const port = await server.port();
  const first = await connect(port);
  try {
    await send(first, "one");
    equal(await readText(first, "one"), "one");
    // The second client is over the limit: the message, then the close.
    equal(await exchange(port), "Too many connections, try later");
    // The first one still works; once it is gone, a new client is served.
    await send(first, "two");
    equal(await readText(first, "two"), "two");
    await first.closeWrite();
    equal((await readAll(first)).length, 0);
  } finally {
    first.close();
  }
  equal(await exchange(port, "three"), "three");
  const { stderr } = await server.stopCleanly();
  match(stderr, /EchoFactory starting on \d+/);
});

Deno.test("examples/qotd.ts sends the tutorial's quote and closes", async () => {
  await using server = new Example("qotd.ts", ["--port", "0"]);
  const port = await server.port();
  equal(await exchange(port), "An apple a day keeps the doctor away\r\n");
  equal(await exchange(port), "An apple a day keeps the doctor away\r\n");
  await server.stopCleanly();
});

Deno.test({
  name: "examples/qotd.ts answers nc",
  ...needs("nc", hasNc),
  fn: async () => {
    await using server = new Example("qotd.ts", ["--port", "0"]);
    const port = await server.port();
    equal(
      await runTool("nc", ["127.0.0.1", String(port)]),
      "An apple a day keeps the doctor away\r\n",
    );
    await server.stopCleanly();
  },
});

Deno.test("examples/qotd_configurable.ts serves its factory's quote", async (t) => {
  for (
    const [args, quote] of [
      [[], "configurable quote"],
      [["--quote", "Hello, Torsion"], "Hello, Torsion"],
      [["--quote", ""], "An apple a day keeps the doctor away"],
    ] as const
  ) {
    await t.step(`with ${JSON.stringify(args)}`, async () => {
      await using server = new Example("qotd_configurable.ts", [
        "--port",
        "0",
        ...args,
      ]);
      equal(await exchange(await server.port()), `${quote}\r\n`);
      await server.stopCleanly();
    });
  }
});

Deno.test("examples/twisted_quotes: FortuneQuoter picks among the %-separated quotes", async () => {
  const file = await Deno.makeTempFile({ suffix: ".txt" });
  try {
    await Deno.writeTextFile(file, "first\n%\nsecond\nline two\n%\nthird\n%\n");
    const quotes: string[] = [];
    for (const r of [0, 0.4, 0.9]) {
      quotes.push(new FortuneQuoter([file], () => r).getQuote());
    }
    deepEqual(quotes, ["first", "second\nline two", "third"]);
    equal(new StaticQuoter("same").getQuote(), "same");
  } finally {
    await Deno.remove(file);
  }
});

Deno.test("examples/twisted_quotes/qotd_server.ts serves a static or a fortune quote", async () => {
  {
    await using server = new Example("twisted_quotes/qotd_server.ts", [
      "--port",
      "0",
      "--quote",
      "static",
    ]);
    equal(await exchange(await server.port()), "static\r\n");
    await server.stopCleanly();
  }
  const sample = new URL(
    "../../examples/twisted_quotes/fortunes.txt",
    import.meta.url,
  ).pathname;
  const quotes = (await Deno.readTextFile(sample)).split("\n%\n")
    .map((q) => q.trimEnd()).filter((q) => q !== "" && q !== "%");
  equal(quotes.length, 4);
  await using server = new Example(
    "twisted_quotes/qotd_server.ts",
    ["--port", "0", "--fortunes", sample],
    ["--allow-net", `--allow-read=${sample}`],
  );
  const port = await server.port();
  for (let i = 0; i < 3; i++) {
    const got = await exchange(port);
    ok(got.endsWith("\r\n"), JSON.stringify(got));
    ok(quotes.includes(got.slice(0, -2)), JSON.stringify(got));
  }
  await server.stopCleanly();
});

Deno.test("examples/answer.ts answers the tutorial's lines, whatever the chunks", async () => {
  await using server = new Example("answer.ts", ["--port", "0"]);
  const conn = await connect(await server.port());
  try {
    const question = new TextEncoder().encode("How are you?\r\nWhat?\r\n");
    for (const byte of question) await send(conn, new Uint8Array([byte]));
    const reply = "Fine\r\nI don't know what you mean\r\n";
    equal(await readText(conn, reply), reply);
  } finally {
    conn.close();
  }
  await server.stopCleanly();
});

Deno.test({
  name: "examples/answer.ts answers socat",
  ...needs("socat", hasSocat),
  fn: async () => {
    await using server = new Example("answer.ts", ["--port", "0"]);
    const port = await server.port();
    equal(
      await runTool(
        "socat",
        ["-t", "5", "-", `TCP:127.0.0.1:${port}`],
        "How are you?\r\nGood morning\r\n",
      ),
      "Fine\r\nI don't know what you mean\r\n",
    );
    await server.stopCleanly();
  },
});

Deno.test("examples/logfile.ts appends each line to --file, and closes it on stop", async () => {
  const file = await Deno.makeTempFile({ suffix: ".log" });
  try {
    await Deno.writeTextFile(file, "zero\n");
    await using server = new Example(
      "logfile.ts",
      ["--port", "0", "--file", file],
      ["--allow-net", `--allow-write=${file}`],
    );
    const port = await server.port();
    // The server closes once it has read our end of stream: by then the
    // lines are in the file (each is written in lineReceived).
    equal(await exchange(port, "first\r\nsecond\r\n"), "");
    equal(await Deno.readTextFile(file), "zero\nfirst\nsecond\n");
    equal(await exchange(port, "third\r\n"), "");
    await server.stopCleanly();
    equal(await Deno.readTextFile(file), "zero\nfirst\nsecond\nthird\n");
  } finally {
    await Deno.remove(file);
  }
});

Deno.test("examples/line_modes.ts reads a DATA body in raw mode, then lines again", async () => {
  await using server = new Example("line_modes.ts", ["--port", "0"]);
  const conn = await connect(await server.port());
  try {
    await send(conn, "hello\r\nDATA 5\r\nwo");
    equal(await readText(conn, "line: hello\r\n"), "line: hello\r\n");
    await send(conn, "rld\r\nbye\r\nDATA 0\r\nDATA 4\r\nx\r\ny\r\n");
    const reply = 'received 5 bytes: "world"\r\n' +
      "line: bye\r\n" +
      'received 0 bytes: ""\r\n' +
      'received 4 bytes: "x\\r\\ny"\r\n';
    equal(await readText(conn, reply), reply);
  } finally {
    conn.close();
  }
  await server.stopCleanly();
});

Deno.test("examples/line_modes.ts refuses an over-long DATA announcement, logs it and closes", async () => {
  await using server = new Example("line_modes.ts", ["--port", "0"]);
  const conn = await connect(await server.port());
  try {
    // The server closes without waiting for our end of stream.
    await send(conn, "DATA 2000000000\r\n");
    equal(
      new TextDecoder().decode(await readAll(conn)),
      "error: a body is at most 1048576 bytes\r\n",
    );
  } finally {
    conn.close();
  }
  const { stderr } = await server.stopCleanly();
  match(
    stderr,
    /\[-\] DATA 2000000000 from IPv4Address\(type='TCP', host='127\.0\.0\.1', port=\d+\) is over the limit of 1048576 bytes: closing the connection\n/,
  );
});

/** A LineModes connected to a StringTransport. */
function lineModes(): { p: LineModes; t: StringTransport } {
  const t = new StringTransport();
  const p = new LineModes();
  p.makeConnection(t);
  return { p, t };
}

Deno.test("examples/line_modes.ts LineModes reads bodies spanning many chunks at every chunk size", () => {
  const body = (n: number) =>
    Array.from({ length: n }, (_, i) => String.fromCharCode(97 + i % 26))
      .join("");
  const input = `hello\r\nDATA 3000\r\n${body(3000)}DATA 0\r\n` +
    `DATA 70000\r\n${body(70000)}bye\r\n`;
  const bytes = new TextEncoder().encode(input);
  const expected = "line: hello\r\n" +
    `received 3000 bytes: "${body(3000)}"\r\n` +
    'received 0 bytes: ""\r\n' +
    `received 70000 bytes: "${body(70000)}"\r\n` +
    "line: bye\r\n";
  const sizes = [];
  for (let size = 1; size <= 16; size++) sizes.push(size);
  sizes.push(100, 2999, 3000, 3001, 4096, 65536, 69999, 70000, bytes.length);
  for (const size of sizes) {
    const { p, t } = lineModes();
    for (let i = 0; i < bytes.length; i += size) {
      p.dataReceived(bytes.slice(i, i + size));
    }
    equal(t.valueText(), expected, `size ${size}`);
    equal(t.disconnecting, false);
  }
});

Deno.test("examples/line_modes.ts LineModes does not allocate the length a peer announces", () => {
  const { p, t } = lineModes();
  p.maxBody = 2 ** 31;
  const before = Deno.memoryUsage().external;
  p.dataReceived(new TextEncoder().encode("DATA 2000000000\r\nabc"));
  p.dataReceived(new TextEncoder().encode("defg"));
  const growth = Deno.memoryUsage().external - before;
  ok(growth < 1_000_000, `held ${growth} bytes`);
  equal(t.disconnecting, false);
  equal(t.valueText(), "");
});

Deno.test("examples/line_modes.ts LineModes closes the connection on a body over maxBody", () => {
  using captured = captureLog();
  const { p, t } = lineModes();
  p.dataReceived(new TextEncoder().encode("DATA 1048577\r\nhello\r\n"));
  equal(t.valueText(), "error: a body is at most 1048576 bytes\r\n");
  equal(t.disconnecting, true);
  deepEqual(captured.messages, [
    "DATA 1048577 from IPv4Address(type='TCP', host='192.168.1.1', port=54321) is over the limit of 1048576 bytes: closing the connection",
  ]);
});

Deno.test("examples/line_modes.ts LineModes accepts a body of exactly maxBody", () => {
  const { p, t } = lineModes();
  p.maxBody = 5;
  p.dataReceived(new TextEncoder().encode("DATA 5\r\nhello"));
  equal(t.valueText(), 'received 5 bytes: "hello"\r\n');
  equal(t.disconnecting, false);
});

Deno.test("examples/netstring_echo.ts echoes netstrings and drops a broken peer", async () => {
  await using server = new Example("netstring_echo.ts", ["--port", "0"]);
  const port = await server.port();
  equal(await exchange(port, "5:hello,0:,3:abc,"), "5:hello,0:,3:abc,");
  equal(await exchange(port, "hello"), "");
  await server.stopCleanly();
});

Deno.test("examples/int32_echo.ts echoes length-prefixed messages", async () => {
  await using server = new Example("int32_echo.ts", ["--port", "0"]);
  const conn = await connect(await server.port());
  try {
    const message = new Uint8Array([
      0,
      0,
      0,
      5,
      104,
      101,
      108,
      108,
      111,
      0,
      0,
      0,
      1,
      0,
    ]);
    await send(conn, message);
    deepEqual(await readExactly(conn, message.length), message);
  } finally {
    conn.close();
  }
  await server.stopCleanly();
});

Deno.test("examples/*: --help prints the usage and exits 0", async () => {
  await using server = new Example("echo_server.ts", ["--help"]);
  const { stdout } = await server.exits(0);
  match(stdout, /^Usage: deno run --allow-net examples\/echo_server\.ts/);
});
