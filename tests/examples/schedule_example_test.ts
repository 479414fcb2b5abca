// Copyright 2026 the Torsion authors. MIT license.
// examples/schedule.ts: react() and a scheduled call; the process exits by itself.
import { equal } from "node:assert/strict";

Deno.test("examples/schedule.ts prints the scheduled result and exits by itself with 0", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--no-prompt",
      new URL("../../examples/schedule.ts", import.meta.url).pathname,
      "--fast",
    ],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
  try {
    const { code, stdout, stderr } = await child.output();
    equal(new TextDecoder().decode(stderr), "");
    equal(
      new TextDecoder().decode(stdout),
      "This will run 3.5 seconds after it was scheduled: hello, world\n",
    );
    equal(code, 0);
  } finally {
    clearTimeout(timer);
  }
});
