// Copyright 2026 the Torsion authors. MIT license.
// The finger client and proxy (examples/finger/fingerproxy.ts) under the
// runner on port 0, asking step 11's server (also under the runner, on port
// 0): user@host is answered by the remote server, a bare name by the one on
// 127.0.0.1, and a remote server that refuses the connection gives "Could
// not connect to remote host" (the original's Deferred never fired).
import { equal } from "node:assert/strict";
import { closedPort } from "../../_examples.ts";
import {
  REACTOR_ARGS,
  RunnerProcess,
} from "../../reactor/application/_runner_process.ts";
import { finger, fingerPath } from "./_finger.ts";

function run(file: string, env: Record<string, string>): RunnerProcess {
  return new RunnerProcess([...REACTOR_ARGS, fingerPath(file)], { env });
}

async function stop(runner: RunnerProcess): Promise<void> {
  runner.kill("SIGTERM");
  const { code, lines, stderr } = await runner.exit();
  equal(code, 0, `${lines.join("\n")}\n${stderr}`);
}

Deno.test("fingerproxy.ts answers user@host with the remote server's answer", async () => {
  await using remote = run("finger11.ts", { FINGER_PORT: "0" });
  const remotePort = await remote.port();
  await using proxy = run("fingerproxy.ts", {
    FINGER_PORT: "0",
    FINGER_REMOTE_PORT: String(remotePort),
  });
  const port = await proxy.port();
  equal(await finger(port, "moshez@127.0.0.1"), "Happy and well\r\n");
  equal(await finger(port, "nobody@127.0.0.1"), "No such user\r\n");
  equal(await finger(port, "moshez@localhost"), "Happy and well\r\n");
  equal(await finger(port, " moshez "), "Happy and well\r\n");
  await stop(proxy);
  await stop(remote);
});

Deno.test("fingerproxy.ts answers Could not connect to remote host when the remote refuses", async () => {
  await using proxy = run("fingerproxy.ts", {
    FINGER_PORT: "0",
    FINGER_REMOTE_PORT: String(closedPort()),
  });
  const port = await proxy.port();
  equal(
    await finger(port, "moshez@127.0.0.1"),
    "Could not connect to remote host\r\n",
  );
  await stop(proxy);
});
