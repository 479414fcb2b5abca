// Copyright 2026 the Torsion authors. MIT license.
// The application examples, run by the runner as a process on port 0 (the
// port read from the log): echo_app.ts (an application module),
// TwistedQuotes as an application (qotd_app.ts) and as a plugin
// (quotetap.ts, with its options); each stops with status 0 on SIGTERM.
import { equal, match, ok } from "node:assert/strict";
import { exchange } from "../_examples.ts";
import {
  messages,
  REACTOR_ARGS,
  RunnerProcess,
} from "../reactor/application/_runner_process.ts";

const EXAMPLES = new URL("../../examples/", import.meta.url);
const path = (file: string): string => new URL(file, EXAMPLES).pathname;
const FORTUNES = path("twisted_quotes/fortunes.txt");

Deno.test("examples/echo_app.ts runs under the runner: its port echoes, SIGTERM stops it with status 0", async () => {
  await using runner = new RunnerProcess(
    [...REACTOR_ARGS, path("echo_app.ts")],
    {
      env: { ECHO_PORT: "0" },
    },
  );
  const port = await runner.port();
  equal(await exchange(port, "hello, application"), "hello, application");
  runner.kill("SIGTERM");
  const { code, lines, stderr } = await runner.exit();
  equal(code, 0, stderr);
  const log = messages(lines);
  ok(log.includes(`[-] (TCP Port ${port} Closed)`), log.join("\n"));
  equal(log.at(-1), "[-] Server Shut Down.");
});

Deno.test("examples/twisted_quotes/qotd_app.ts: the tutorial's quote, under the runner", async () => {
  await using runner = new RunnerProcess(
    [...REACTOR_ARGS, path("twisted_quotes/qotd_app.ts")],
    { env: { QOTD_PORT: "0" } },
  );
  equal(
    await exchange(await runner.port()),
    "An apple a day keeps the doctor away.\r\n",
  );
  runner.kill("SIGTERM");
  equal((await runner.exit()).code, 0);
});

Deno.test("examples/twisted_quotes/quotetap.ts: the plugin's --static and --file choose the quoter", async () => {
  const plugin = path("twisted_quotes/quotetap.ts");
  {
    await using runner = new RunnerProcess([
      ...REACTOR_ARGS,
      plugin,
      "--port",
      "0",
      "-s",
      "Hello from a StaticQuoter",
    ]);
    await runner.waitFor(/\] Torsion runner .* starting up\.$/);
    equal(await exchange(await runner.port()), "Hello from a StaticQuoter\r\n");
    runner.kill("SIGTERM");
    equal((await runner.exit()).code, 0);
  }
  {
    await using runner = new RunnerProcess([
      ...REACTOR_ARGS,
      plugin,
      "-p0",
      "--file",
      FORTUNES,
    ]);
    const quotes = (await Deno.readTextFile(FORTUNES)).split("\n%\n").map((q) =>
      q.trim()
    );
    const quote = (await exchange(await runner.port())).trim();
    ok(quotes.includes(quote), quote);
    runner.kill("SIGTERM");
    equal((await runner.exit()).code, 0);
  }
});

Deno.test("examples/twisted_quotes/quotetap.ts: --help shows Twisted's options; a bad port exits 2", async () => {
  const plugin = path("twisted_quotes/quotetap.ts");
  {
    await using runner = new RunnerProcess([plugin, "--help"]);
    const { code, lines } = await runner.exit();
    equal(code, 0);
    const help = lines.join("\n");
    match(help, /Example of a TAP builder module\./);
    match(
      help,
      /-p, --port=PORT +Port number to listen on for QOTD protocol\. \[default: 8007\]/,
    );
    match(help, /-s, --static=STATIC +A static quote to display\./);
    match(
      help,
      /-f, --file=FILE +A fortune-format text file to read quotes from\./,
    );
  }
  {
    await using runner = new RunnerProcess([plugin, "--port", "http"]);
    const { code, stderr } = await runner.exit();
    equal(code, 2);
    match(stderr, /--port must be a port number, not "http"/);
  }
});
