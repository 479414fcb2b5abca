// Copyright 2026 the Torsion authors. MIT license.
// examples/spawn_process.ts: a ProcessProtocol around wc, then
// getProcessOutput; the process exits by itself with 0.
import { deepEqual, equal } from "node:assert/strict";

Deno.test("examples/spawn_process.ts prints the process's events and wc's line count, then exits with 0", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--no-prompt",
      "--allow-run=wc,uname",
      new URL("../../examples/spawn_process.ts", import.meta.url).pathname,
      "--verses",
      "3",
    ],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
  try {
    const { code, stdout, stderr } = await child.output();
    equal(new TextDecoder().decode(stderr), "");
    const lines = new TextDecoder().decode(stdout).trimEnd().split("\n");
    equal(lines[0], "connectionMade!");
    equal(lines.at(-1), "quitting");
    equal(
      lines.at(-2),
      `uname says: ${Deno.build.os === "linux" ? "Linux" : "Darwin"}`,
    );
    // Everything else, in an order that may vary.
    const rest = lines.slice(1, -2).filter((l) =>
      !l.startsWith("outReceived!")
    );
    deepEqual(rest.sort(), [
      "I saw 12 lines",
      "errConnectionLost! The child closed their stderr.",
      "inConnectionLost! stdin is closed! (we probably did it)",
      "outConnectionLost! The child closed their stdout!",
      "processEnded, status 0",
      "processExited, status 0",
    ]);
    equal(lines.at(-3), "processEnded, status 0");
    equal(code, 0);
  } finally {
    clearTimeout(timer);
  }
});
