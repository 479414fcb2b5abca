// Copyright 2026 the Torsion authors. MIT license.
// examples/tls_echo_server.ts and tls_echo_client.ts, run as processes with
// the test certificates: the echo, a failed verification, a plain TCP
// client dropped while the port serves on, and a clean exit on SIGTERM.
import { equal, match } from "node:assert/strict";
import { connect, Example, readAll, send } from "../_examples.ts";

const FIXTURES =
  new URL("../reactor/transports/tls_fixtures/", import.meta.url).pathname;
const FLAGS = ["--allow-net", "--allow-read"];

function server(): Example {
  return new Example("tls_echo_server.ts", [
    "--port",
    "0",
    "--cert",
    `${FIXTURES}server.pem`,
    "--key",
    `${FIXTURES}server.key`,
  ], FLAGS);
}

Deno.test("examples/tls_echo_server.ts echoes for tls_echo_client.ts and drops bad clients", async () => {
  await using srv = server();
  const port = String(await srv.port());
  const caArgs = ["--port", port, "--ca", `${FIXTURES}ca.pem`];

  await using good = new Example("tls_echo_client.ts", [
    ...caArgs,
    "--message",
    "hello over TLS",
  ], FLAGS);
  equal((await good.exits(0)).stdout, "hello over TLS\n");

  await using wrongName = new Example("tls_echo_client.ts", [
    ...caArgs,
    "--servername",
    "example.com",
  ], FLAGS);
  match(
    (await wrongName.exits(1)).stdout,
    /^connection lost: .*TLS error: invalid peer certificate: .*example\.com/,
  );

  // A plain TCP client: dropped with a TLS error, and the port serves on.
  const plain = await connect(Number(port));
  try {
    await send(plain, "not TLS at all\r\n\r\n");
    // The server closes it (after a TLS alert, perhaps).
    await readAll(plain);
  } finally {
    plain.close();
  }
  await using again = new Example("tls_echo_client.ts", [
    ...caArgs,
    "--message",
    "again",
  ], FLAGS);
  equal((await again.exits(0)).stdout, "again\n");

  const { stderr } = await srv.stopCleanly();
  match(
    stderr,
    /connection lost: .*TLS error: received fatal alert: BadCertificate/,
  );
  match(stderr, /connection lost: .*TLS error: received corrupt message/);
  match(stderr, new RegExp(`\\(TLS Port ${port} Closed\\)`));
});

Deno.test("examples/tls_echo_server.ts without --cert/--key exits 2 with the usage", async () => {
  await using srv = new Example("tls_echo_server.ts", ["--port", "0"], FLAGS);
  const { stderr } = await srv.exits(2);
  match(stderr, /Usage: .*tls_echo_server\.ts --cert FILE --key FILE/);
});
