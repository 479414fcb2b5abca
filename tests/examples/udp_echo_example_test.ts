// Copyright 2026 the Torsion authors. MIT license.
// examples/udp_echo.ts run as a process with only --allow-net: a Python
// socket peer's datagrams come back, the server logs them, and SIGTERM
// stops it cleanly.
import { deepEqual, equal, match } from "node:assert/strict";
import { Example } from "../_examples.ts";
import { hasCommand, needs, needsIPv6Loopback } from "../_interop.ts";

const hasPython = await hasCommand("/usr/bin/python3", ["-c", "pass"]);

/** Runs a Python script; returns what it printed (it must print no error). */
async function python(script: string): Promise<string> {
  const out = await new Deno.Command("/usr/bin/python3", {
    args: ["-c", script],
    stdout: "piped",
    stderr: "piped",
  }).output();
  equal(new TextDecoder().decode(out.stderr), "");
  return new TextDecoder().decode(out.stdout);
}

Deno.test({
  name:
    "examples/udp_echo.ts echoes a Python peer's datagrams with only --allow-net",
  ...needs("python3", hasPython),
  fn: async () => {
    await using srv = new Example("udp_echo.ts", ["--port", "0"], [
      "--allow-net",
    ]);
    const port = await srv.port();
    const script = `
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(5)
for m in (b"hello", b"", b"over UDP"):
    s.sendto(m, ("127.0.0.1", ${port}))
    print(repr(s.recv(8192)))
`;
    const stdout = await python(script);
    deepEqual(stdout.trim().split("\n"), [
      "b'hello'",
      "b''",
      "b'over UDP'",
    ]);
    const { stderr } = await srv.stopCleanly();
    match(stderr, /Echo starting on \d+/);
    match(stderr, /received "hello" from 127\.0\.0\.1:\d+/);
    match(stderr, /received "over UDP" from 127\.0\.0\.1:\d+/);
    match(stderr, new RegExp(`\\(UDP Port ${port} Closed\\)`));
  },
});

Deno.test({
  name: "examples/udp_echo.ts --host ::1 echoes over IPv6",
  ...(hasPython ? needsIPv6Loopback() : needs("python3", false)),
  fn: async () => {
    await using srv = new Example("udp_echo.ts", [
      "--port",
      "0",
      "--host",
      "::1",
    ], ["--allow-net"]);
    const line = await srv.line();
    match(line ?? "<end of stdout>", /^listening on \[::1\]:\d+$/);
    const port = Number(line!.slice(line!.lastIndexOf(":") + 1));
    const script = `
import socket
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.settimeout(5)
s.sendto(b"hello6", ("::1", ${port}))
print(repr(s.recv(8192)))
`;
    const stdout = await python(script);
    equal(stdout.trim(), "b'hello6'");
    const { stderr } = await srv.stopCleanly();
    match(stderr, /received "hello6" from ::1:\d+/);
  },
});

Deno.test("examples/udp_echo.ts with a bad --port exits 2 with the usage", async () => {
  await using srv = new Example("udp_echo.ts", ["--port", "x"], [
    "--allow-net",
  ]);
  const { stderr } = await srv.exits(2);
  match(stderr, /--port must be a port number/);
  match(stderr, /Usage: .*udp_echo\.ts/);
});
