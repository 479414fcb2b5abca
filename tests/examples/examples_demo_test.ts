// Copyright 2026 the Torsion authors. MIT license.
// examples/demo.ts, the `deno task start` server: its table of services,
// two services talked to over TCP, the Twisted-style log, and a clean stop.
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { connect, Example, exchange, readText, send } from "../_examples.ts";

/** Reads the demo's table up to "Press Ctrl-C": service name → port. */
async function readTable(demo: Example): Promise<Map<string, number>> {
  const lines = await demo.lineUntil(/Press Ctrl-C to stop\.$/);
  equal(lines[0], "Torsion demo: the Twisted tutorial's servers on 127.0.0.1");
  const ports = new Map<string, number>();
  for (const line of lines) {
    const m = /^ {2}(\S+) +127\.0\.0\.1:(\d+) +(.+)$/.exec(line);
    if (m !== null) {
      ports.set(m[1], Number(m[2]));
      ok(m[3].includes(`127.0.0.1 ${m[2]}`), line);
    }
  }
  return ports;
}

Deno.test("examples/demo.ts serves the tutorial's protocols and stops cleanly on SIGTERM", async () => {
  await using demo = new Example("demo.ts", ["--port-base", "0"]);
  const ports = await readTable(demo);
  deepEqual([...ports.keys()], [
    "echo",
    "echo-limited",
    "answer",
    "line-modes",
    "netstring",
    "int32",
    "qotd",
    "discard",
    "daytime",
  ]);

  equal(
    await exchange(ports.get("qotd")!),
    "An apple a day keeps the doctor away\r\n",
  );
  const answer = await connect(ports.get("answer")!);
  try {
    await send(answer, "How are you?\r\nAnd you?\r\n");
    const reply = "Fine\r\nI don't know what you mean\r\n";
    equal(await readText(answer, reply), reply);
  } finally {
    answer.close();
  }
  match(
    await exchange(ports.get("daytime")!),
    /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4}\r\n$/,
  );
  // A connection still open when the demo stops.
  const echo = await connect(ports.get("echo")!);
  try {
    await send(echo, "still here");
    equal(await readText(echo, "still here"), "still here");

    const { stdout, stderr } = await demo.stopCleanly();
    equal(stdout, "");
    const qotd = ports.get("qotd")!;
    match(
      stderr,
      new RegExp(`\\[-\\] Factory \\(qotd\\) starting on ${qotd}\\n`),
    );
    match(stderr, /\[-\] Starting factory <EchoFactory object>\n/);
    match(
      stderr,
      /\[QOTD,\d+,127\.0\.0\.1\] New connection from 127\.0\.0\.1:\d+\n/,
    );
    match(
      stderr,
      /\[Answer,\d+,127\.0\.0\.1\] Connection closed: ConnectionDone: Connection was closed cleanly\.\n/,
    );
    match(stderr, /\[-\] Received SIGTERM, shutting down\.\n/);
    match(
      stderr,
      /\[-\] Shutting down the demo: closing 9 ports and 1 connection\n/,
    );
    match(stderr, new RegExp(`\\[-\\] \\(TCP Port ${qotd} Closed\\)\\n`));
    match(
      stderr,
      /\[Echo,\d+,127\.0\.0\.1\] Connection closed: ConnectionLost: Connection to the other side was lost in a non-clean fashion: Connection lost\.\n/,
    );
    match(
      stderr,
      /\[-\] Demo stopped: every port and connection is closed\n$/,
    );
  } finally {
    echo.close();
  }
});

Deno.test("examples/demo.ts --help prints the usage and exits 0", async () => {
  await using demo = new Example("demo.ts", ["--help"]);
  const { stdout } = await demo.exits(0);
  match(stdout, /^Usage: deno task start \[--port-base N\] \[--host H\]\n/);
});

Deno.test("examples/demo.ts refuses a privileged --port-base with status 2", async () => {
  await using demo = new Example("demo.ts", ["--port-base", "80"]);
  const { stdout, stderr } = await demo.exits(2);
  equal(stdout, "");
  match(
    stderr,
    /^error: --port-base must be 0 or from 1024 to 65522, got 80\n/,
  );
});

Deno.test("examples/demo.ts exits 1 when a port is taken", async () => {
  const taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    await using demo = new Example("demo.ts", [
      "--port-base",
      String(taken.addr.port),
    ]);
    const { stdout, stderr } = await demo.exits(1);
    equal(stdout, "");
    match(
      stderr,
      new RegExp(
        `Couldn't listen on 127\\.0\\.0\\.1:${taken.addr.port}: .*\\. Try another --port-base\\.\\n`,
      ),
    );
  } finally {
    taken.close();
  }
});
