// Copyright 2026 the Torsion authors. MIT license.
// The examples that run and stop by themselves (reactor_basics,
// deferred_chain) and the client examples, against servers of the test
// (Deno.listen) or the server examples: their exact output, and their exit.
import { deepEqual, equal, match } from "node:assert/strict";
import {
  closedPort,
  deadline,
  Example,
  readAll,
  send,
  STEP_MS,
} from "../_examples.ts";

const decoder = new TextDecoder();

/** A one-connection server of the test, on 127.0.0.1, any port. */
class TestServer implements Disposable {
  readonly listener: Deno.TcpListener = Deno.listen({
    hostname: "127.0.0.1",
    port: 0,
  });
  readonly port: number = this.listener.addr.port;
  #conns: Deno.Conn[] = [];

  /** Accepts the next connection. */
  async accept(): Promise<Deno.Conn> {
    const conn = await deadline(this.listener.accept(), STEP_MS, "accept");
    this.#conns.push(conn);
    return conn;
  }

  [Symbol.dispose](): void {
    for (const c of this.#conns) {
      try {
        c.close();
      } catch {
        // Closed already.
      }
    }
    this.listener.close();
  }
}

const REFUSED =
  "Connection was refused by other side: 111: Connection refused.";

Deno.test("examples/reactor_basics.ts --fast prints the times and exits by itself with 0", async () => {
  await using example = new Example("reactor_basics.ts", ["--fast"], []);
  const { stdout, stderr } = await example.exits(0);
  const lines = stdout.split("\n");
  equal(lines.length, 6, stdout);
  equal(lines[0], "Running the reactor...");
  match(lines[1], /^Current time is \d\d:\d\d:\d\d$/);
  match(lines[2], /^Current time is \d\d:\d\d:\d\d$/);
  deepEqual(lines.slice(3), ["stopping reactor", "Reactor stopped.", ""]);
  equal(stderr, "");
});

Deno.test("examples/reactor_basics.ts --empty runs until SIGINT, then exits with 0", async () => {
  await using example = new Example("reactor_basics.ts", ["--empty"], []);
  equal(await example.line(), "Running the reactor...");
  const { stdout, stderr } = await example.stopCleanly("SIGINT");
  equal(stdout, "Reactor stopped.\n");
  match(stderr, /\[-\] Received SIGINT, shutting down\.\n$/);
});

Deno.test("examples/deferred_chain.ts --fast runs the callback, chain, errback and await parts", async () => {
  await using example = new Example("deferred_chain.ts", ["--fast"], []);
  const { stdout, stderr } = await example.exits(0);
  const page = "<HTML><HEAD><TITLE>Twisted</TITLE></HEAD>" +
    "<BODY>Twisted is an event-driven networking engine.</BODY></HTML>";
  equal(
    stdout,
    [
      "1. A callback",
      "The Deferred has called printContents with the following contents:",
      page,
      "2. Two callbacks in a chain",
      page.toLowerCase(),
      "3. An errback",
      "An error has occurred: <[Failure instance: Traceback: PageError: 404 Not Found]>",
      "4. The same with await",
      `await gave ${page.length} characters`,
      "await threw: 404 Not Found",
      "",
    ].join("\n"),
  );
  equal(stderr, "");
});

Deno.test("examples/quick_disconnect.ts reports a refused connection", async () => {
  await using example = new Example("quick_disconnect.ts", [
    "127.0.0.1",
    String(closedPort()),
  ]);
  const { stdout } = await example.exits(0);
  equal(stdout, `Connection failed:${REFUSED}\n`);
});

Deno.test("examples/quick_disconnect.ts connects, disconnects and reports the clean close", async () => {
  using server = new TestServer();
  await using example = new Example("quick_disconnect.ts", [
    "--port",
    String(server.port),
  ]);
  const conn = await server.accept();
  equal((await readAll(conn)).length, 0);
  const { stdout } = await example.exits(0);
  equal(
    stdout,
    "Connected to 127.0.0.1.\n" +
      "Lost connection:Connection was closed cleanly.\n",
  );
});

Deno.test("examples/welcome.ts greets the server and exits", async () => {
  using server = new TestServer();
  await using example = new Example("welcome.ts", [
    "--port",
    String(server.port),
  ]);
  const conn = await server.accept();
  equal(
    decoder.decode(await readAll(conn)),
    "Hello server, I am the client!\r\n",
  );
  const { stdout, stderr } = await example.exits(0);
  equal(stdout + stderr, "");
});

Deno.test("examples/greeter_client.ts --fast sends its two messages, closes and exits", async () => {
  using server = new TestServer();
  await using example = new Example("greeter_client.ts", [
    "--port",
    String(server.port),
    "--fast",
  ]);
  const conn = await server.accept();
  equal(
    decoder.decode(await readAll(conn)),
    "MESSAGE Hello\nMESSAGE This is sent in a second\n",
  );
  const { stdout, stderr } = await example.exits(0);
  equal(stdout + stderr, "");
});

Deno.test("examples/greeter_client.ts exits with 1 when it cannot connect", async () => {
  await using example = new Example("greeter_client.ts", [
    "--port",
    String(closedPort()),
  ]);
  const { stdout, stderr } = await example.exits(1);
  equal(stdout, "");
  equal(stderr, `Connection failed: ${REFUSED}\n`);
});

Deno.test("examples/echo_client.ts prints the connection events and what the server sent", async () => {
  using server = new TestServer();
  await using example = new Example("echo_client.ts", [
    "--port",
    String(server.port),
  ]);
  const conn = await server.accept();
  await send(conn, "An apple a day keeps the doctor away\r\n");
  conn.close();
  const { stdout } = await example.exits(0);
  equal(
    stdout,
    "Started to connect.\n" +
      "Connected.\n" +
      "An apple a day keeps the doctor away\r\n" +
      "Lost connection, Reason: [Failure instance: Traceback: ConnectionDone: Connection was closed cleanly.]\n",
  );
});

Deno.test("examples/echo_client.ts reports a failed connection", async () => {
  await using example = new Example("echo_client.ts", [
    "--port",
    String(closedPort()),
  ]);
  const { stdout } = await example.exits(0);
  equal(
    stdout,
    "Started to connect.\n" +
      `Connection failed. Reason: [Failure instance: Traceback: ConnectionRefusedError: ${REFUSED}]\n`,
  );
});

Deno.test("examples/echo_client.ts --message talks to examples/echo_server.ts until SIGTERM", async () => {
  await using server = new Example("echo_server.ts", ["--port", "0"]);
  const port = await server.port();
  await using client = new Example("echo_client.ts", [
    "--port",
    String(port),
    "--message",
    "ping",
  ]);
  deepEqual(await client.lineUntil("ping"), [
    "Started to connect.",
    "Connected.",
    "ping",
  ]);
  const { stdout } = await client.stopCleanly();
  equal(
    stdout,
    "Lost connection, Reason: [Failure instance: Traceback: ConnectionLost: Connection to the other side was lost in a non-clean fashion: Connection lost.]\n",
  );
  await server.stopCleanly();
});

Deno.test("examples/echo_client_reconnecting.ts reconnects to a server stopped and started again", async () => {
  const lost = (error: string) =>
    `Lost connection. Reason: [Failure instance: Traceback: ${error}]`;
  const connected = [
    "Started to connect.",
    "Connected.",
    "Resetting reconnection delay",
    "ping",
  ];
  let server = new Example("echo_server.ts", ["--port", "0"]);
  try {
    const port = await server.port();
    await using client = new Example("echo_client_reconnecting.ts", [
      "--port",
      String(port),
      "--message",
      "ping",
      "--fast",
    ]);
    deepEqual(await client.lineUntil("ping"), connected);

    // The server goes away: the client loses the connection, then fails to
    // connect, and keeps trying.
    await server.stopCleanly();
    await server[Symbol.asyncDispose]();
    deepEqual(await client.lineUntil(/^Connection failed\./), [
      lost("ConnectionDone: Connection was closed cleanly."),
      "Started to connect.",
      `Connection failed. Reason: [Failure instance: Traceback: ConnectionRefusedError: ${REFUSED}]`,
    ]);

    // It comes back on the same port: the client connects again.
    server = new Example("echo_server.ts", ["--port", String(port)]);
    equal(await server.port(), port);
    const retried = await client.lineUntil("ping");
    deepEqual(retried.slice(-4), connected);
    for (const line of retried.slice(0, -4)) {
      match(
        line,
        /^Started to connect\.$|^Connection failed\. Reason: .*ConnectionRefusedError/,
      );
    }

    // SIGTERM: the shutdown closes the connection, which is not retried.
    const { stdout, stderr } = await client.stopCleanly();
    equal(
      stdout,
      lost(
        "ConnectionLost: Connection to the other side was lost in a non-clean fashion: Connection lost.",
      ) + "\n",
    );
    match(stderr, /will retry in 0 seconds/);
    await server.stopCleanly();
  } finally {
    await server[Symbol.asyncDispose]();
  }
});
