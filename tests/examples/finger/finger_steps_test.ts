// Copyright 2026 the Torsion authors. MIT license.
// The finger tutorial's first part, steps 1 to 9 (examples/finger/
// finger01.ts to finger09.ts), each run as a process on port 0 and asked as
// the tutorial says: the exact answers ("No such user", "Happy and well",
// "Internal error in server"), and a clean exit on SIGTERM.
import { equal, match } from "node:assert/strict";
import { connect, Example, exchange, readAll, send } from "../../_examples.ts";
import { hasCommand, needs } from "../../_interop.ts";
import { finger } from "./_finger.ts";

const decoder = new TextDecoder();
const hasFinger = await hasCommand("finger", ["root"]);

Deno.test("finger01.ts runs an empty reactor until SIGTERM, then exits with 0", async () => {
  await using example = new Example("finger/finger01.ts", [], []);
  equal(await example.line(), "Running the reactor...");
  await example.stopCleanly();
});

Deno.test("finger02.ts accepts a connection and keeps it open, silent", async () => {
  await using example = new Example("finger/finger02.ts", ["--port", "0"]);
  const port = await example.port();
  const conn = await connect(port);
  try {
    await send(conn, "moshez\r\n");
    // Our side closes; the server only then sees the end, and says nothing.
    await conn.closeWrite();
    equal(decoder.decode(await readAll(conn)), "");
  } finally {
    conn.close();
  }
  await example.stopCleanly();
});

Deno.test("finger03.ts drops each connection at once", async () => {
  await using example = new Example("finger/finger03.ts", ["--port", "0"]);
  const conn = await connect(await example.port());
  try {
    equal((await readAll(conn)).length, 0);
  } finally {
    conn.close();
  }
  await example.stopCleanly();
});

Deno.test("finger04.ts drops the connection after the username line", async () => {
  await using example = new Example("finger/finger04.ts", ["--port", "0"]);
  equal(await finger(await example.port(), "moshez"), "");
  await example.stopCleanly();
});

Deno.test("finger05.ts and finger06.ts answer No such user", async () => {
  for (const script of ["finger/finger05.ts", "finger/finger06.ts"]) {
    await using example = new Example(script, ["--port", "0"]);
    const port = await example.port();
    equal(await finger(port, "moshez"), "No such user\r\n");
    // Split across packets, the line still counts once it is whole.
    equal(await exchange(port, "mos"), "");
    await example.stopCleanly();
  }
});

Deno.test("finger07.ts and finger08.ts answer from the factory's users", async () => {
  for (const script of ["finger/finger07.ts", "finger/finger08.ts"]) {
    await using example = new Example(script, ["--port", "0"]);
    const port = await example.port();
    equal(await finger(port, "moshez"), "Happy and well\r\n");
    equal(await finger(port, "nobody"), "No such user\r\n");
    equal(await finger(port, "constructor"), "No such user\r\n");
    await example.stopCleanly();
  }
});

Deno.test("finger09.ts refuses names that are not plain usernames without running finger", async () => {
  await using example = new Example("finger/finger09.ts", ["--port", "0"], [
    "--allow-net",
    "--allow-run",
  ]);
  const port = await example.port();
  for (const name of ["-l", "moshez@example.com", "a b", ""]) {
    equal(await finger(port, name), "No such user\r\n", name);
  }
  await example.stopCleanly();
});

Deno.test("finger09.ts answers with the system's finger command", {
  ...needs("finger (Debian: apt-get install finger)", hasFinger),
}, async () => {
  await using example = new Example("finger/finger09.ts", ["--port", "0"], [
    "--allow-net",
    "--allow-run",
  ]);
  const port = await example.port();
  const root = await finger(port, "root");
  match(root, /^Login: root\s+Name: /);
  match(root, /\r\n$/);
  // finger writes "no such user" to stderr: getProcessOutput fails.
  equal(await finger(port, "nosuchuser1"), "Internal error in server\r\n");
  const { stderr } = await example.stopCleanly();
  equal(stderr.includes("Unhandled error"), false, stderr);
});
