// Copyright 2026 the Torsion authors. MIT license.
// The runner end to end, as twisted/test/test_twistd.py checks twistd: the
// runner as a child process on port 0 (the log on its stdout, or in a file),
// with the built-in plugins and with an application module
// (_runner_app.ts). Pid file written and removed, ports answering, SIGTERM
// stopping the services in reverse order, SIGUSR1 and the log file, a second
// runner refused, a service that fails to start, a second SIGINT, the
// shutdown timeout, unknown plugins. Nothing sleeps: each step waits for the
// log line or file event that signals it.
import { deepEqual, equal, match, ok, rejects } from "node:assert/strict";
import { connect, exchange } from "../../_examples.ts";
import {
  messages,
  REACTOR_ARGS,
  readOrNull,
  RunnerProcess,
  waitForFile,
} from "./_runner_process.ts";

const APP = new URL("./_runner_app.ts", import.meta.url).pathname;
const LOCAL = "tcp:0:interface=127.0.0.1";

/** A temporary directory, removed by `using`. */
function tempDir(): { dir: string } & Disposable {
  const dir = Deno.makeTempDirSync({ prefix: "torsion_runner_" });
  return {
    dir,
    [Symbol.dispose]() {
      Deno.removeSync(dir, { recursive: true });
    },
  };
}

Deno.test("runner: a plugin's port answers; the pid file is written, then removed at exit 0 after SIGTERM", async () => {
  using t = tempDir();
  const pidfile = `${t.dir}/echo.pid`;
  await using runner = new RunnerProcess([
    ...REACTOR_ARGS,
    "--pidfile",
    pidfile,
    "echo",
    "--listen",
    LOCAL,
  ]);
  await runner.waitFor(
    /\[-\] Torsion runner \(Deno \d+\.\d+\.\d+\) starting up\.$/,
  );
  await runner.waitFor(
    REACTOR_ARGS.length > 0
      ? /reactor class: EpollReactor\.$/
      : /reactor class: Reactor\.$/,
  );
  const port = await runner.port();
  equal(readOrNull(pidfile), `${runner.pid}\n`);
  equal(await exchange(port, "hello, runner"), "hello, runner");
  runner.kill("SIGTERM");
  const { code, lines, stderr } = await runner.exit();
  equal(code, 0, stderr);
  equal(readOrNull(pidfile), null);
  const log = messages(lines);
  const stop = log.indexOf("[-] Received SIGTERM, shutting down.");
  ok(stop !== -1, log.join("\n"));
  ok(log.indexOf(`[-] (TCP Port ${port} Closed)`) > stop);
  equal(log.at(-1), "[-] Server Shut Down.");
  equal(stderr, "");
});

Deno.test("runner: an application module starts in order; SIGTERM stops it in reverse order, then exits 0", async () => {
  await using runner = new RunnerProcess([...REACTOR_ARGS, APP]);
  const port = await runner.port();
  await runner.waitFor(/\[-\] start third$/);
  runner.kill("SIGTERM");
  const { code, lines, stderr } = await runner.exit();
  equal(code, 0, stderr);
  const log = messages(lines).filter((l) =>
    /^\[-\] (start|stop) |Closed\)|Received|Shut Down/.test(l)
  );
  deepEqual(log, [
    "[-] start first",
    "[-] start second",
    "[-] start third",
    "[-] Received SIGTERM, shutting down.",
    "[-] stop third",
    "[-] stop second",
    "[-] stop first",
    `[-] (TCP Port ${port} Closed)`,
    "[-] Server Shut Down.",
  ]);
});

Deno.test("runner: SIGINT stops it as SIGTERM does", async () => {
  await using runner = new RunnerProcess([...REACTOR_ARGS, APP]);
  await runner.waitFor(/\[-\] start third$/);
  runner.kill("SIGINT");
  const { code, lines, stderr } = await runner.exit();
  equal(code, 0, stderr);
  ok(messages(lines).includes("[-] Received SIGINT, shutting down."));
  ok(messages(lines).includes("[-] stop first"));
});

Deno.test("runner: a second runner on the pid file of a live one is refused with status 1", async () => {
  using t = tempDir();
  const pidfile = `${t.dir}/app.pid`;
  await using first = new RunnerProcess([
    ...REACTOR_ARGS,
    "--pidfile",
    pidfile,
    "echo",
    "--listen",
    LOCAL,
  ]);
  const port = await first.port();
  {
    await using second = new RunnerProcess([
      "--pidfile",
      pidfile,
      "echo",
      "--listen",
      LOCAL,
    ]);
    const { code, lines, stderr } = await second.exit();
    equal(code, 1);
    match(
      stderr,
      new RegExp(
        `^Another Torsion runner is running, PID ${first.pid} \\(pidfile ${pidfile}\\)\n`,
      ),
    );
    deepEqual(lines, []);
  }
  equal(readOrNull(pidfile), `${first.pid}\n`);
  equal(await exchange(port, "still here"), "still here");
  first.kill("SIGTERM");
  equal((await first.exit()).code, 0);
  equal(readOrNull(pidfile), null);
});

Deno.test("runner: a stale pid file is replaced", async () => {
  using t = tempDir();
  const pidfile = `${t.dir}/app.pid`;
  // No process has this id (above Linux's largest pid_max).
  await Deno.writeTextFile(pidfile, "4194305\n");
  await using runner = new RunnerProcess([
    ...REACTOR_ARGS,
    "--pidfile",
    pidfile,
    "echo",
    "--listen",
    LOCAL,
  ]);
  await runner.waitFor(
    new RegExp(`\\[-\\] Removing stale pidfile ${pidfile}$`),
  );
  await runner.port();
  equal(readOrNull(pidfile), `${runner.pid}\n`);
  runner.kill("SIGTERM");
  equal((await runner.exit()).code, 0);
  equal(readOrNull(pidfile), null);
});

Deno.test("runner: a service that fails to start: status 1, the log names it, the port it opened is closed again", async () => {
  using t = tempDir();
  const pidfile = `${t.dir}/app.pid`;
  await using runner = new RunnerProcess(
    [...REACTOR_ARGS, "--pidfile", pidfile, APP],
    { env: { RUNNER_APP: "fail-start" } },
  );
  const port = await runner.port();
  const { code, lines, stderr } = await runner.exit();
  equal(code, 1, stderr);
  const log = messages(lines);
  ok(
    log.includes('[-] Error starting service "second" (Named)'),
    log.join("\n"),
  );
  ok(log.some((l) => /RangeError: no database/.test(l)));
  ok(log.includes('[-] Cannot start 1 service: "second" (Named); stopping.'));
  ok(log.includes(`[-] (TCP Port ${port} Closed)`));
  // The services that started are stopped again, in reverse order.
  const stops = log.filter((l) => l.startsWith("[-] stop "));
  deepEqual(stops, ["[-] stop third", "[-] stop second", "[-] stop first"]);
  equal(readOrNull(pidfile), null);
  await rejects(connect(port), Deno.errors.ConnectionRefused);
});

Deno.test("runner: a failing privileged start: status 1, nothing started, the port closed", async () => {
  await using runner = new RunnerProcess([...REACTOR_ARGS, APP], {
    env: { RUNNER_APP: "fail-privileged" },
  });
  const port = await runner.port();
  const { code, lines } = await runner.exit();
  equal(code, 1);
  const log = messages(lines);
  ok(
    log.includes(
      '[-] Error in the privileged start of service "low-port" (BadPrivileges)',
    ),
    log.join("\n"),
  );
  ok(
    log.includes(
      '[-] Cannot start 1 service: "low-port" (BadPrivileges); stopping.',
    ),
  );
  ok(!log.some((l) => l.startsWith("[-] start ")));
  ok(log.includes(`[-] (TCP Port ${port} Closed)`));
  await rejects(connect(port), Deno.errors.ConnectionRefused);
});

Deno.test("runner: a second SIGINT during the shutdown exits at once with status 1", async () => {
  using t = tempDir();
  const pidfile = `${t.dir}/app.pid`;
  await using runner = new RunnerProcess(
    [...REACTOR_ARGS, "--pidfile", pidfile, APP],
    { env: { RUNNER_APP: "hang-stop" } },
  );
  await runner.waitFor(/\[-\] start third$/);
  runner.kill("SIGINT");
  await runner.waitFor(/\[-\] stop first$/);
  // One within 0.2 s of the first is taken as the same Ctrl-C: send again
  // until the runner takes it as a second one.
  for (;;) {
    runner.kill("SIGINT");
    const m = await runner.waitFor(
      /Received SIGINT (again within 200 ms|during the shutdown: exiting at once)/,
    );
    if (m[1] !== "again within 200 ms") break;
  }
  const { code, lines } = await runner.exit();
  equal(code, 1);
  const log = messages(lines);
  ok(log.includes("[-] Received SIGINT during the shutdown: exiting at once."));
  equal(log.at(-1), "[-] Server Shut Down.");
  equal(readOrNull(pidfile), null);
});

Deno.test("runner: the same SIGINT twice at once (a terminal's, forwarded by deno task) stops it cleanly", async () => {
  await using runner = new RunnerProcess([...REACTOR_ARGS, APP]);
  await runner.waitFor(/\[-\] start third$/);
  runner.kill("SIGINT");
  runner.kill("SIGINT");
  const { code, lines } = await runner.exit();
  equal(code, 0, lines.join("\n"));
  const log = messages(lines);
  ok(log.includes("[-] stop first"));
  ok(!log.some((l) => /exiting at once/.test(l)));
});

Deno.test("runner: --shutdown-timeout bounds the stop: then status 1", async () => {
  await using runner = new RunnerProcess(
    [...REACTOR_ARGS, "--shutdown-timeout", "0.2", APP],
    { env: { RUNNER_APP: "hang-stop" } },
  );
  await runner.waitFor(/\[-\] start third$/);
  runner.kill("SIGTERM");
  const { code, lines } = await runner.exit();
  equal(code, 1);
  ok(
    messages(lines).includes(
      "[-] The services did not stop within 0.2 seconds (--shutdown-timeout); exiting.",
    ),
    lines.join("\n"),
  );
});

Deno.test("runner: SIGUSR1 after an outside tool renamed the log file: the renamed file gets no more lines, a new one is written", async () => {
  using t = tempDir();
  const logfile = `${t.dir}/app.log`;
  await using runner = new RunnerProcess([
    ...REACTOR_ARGS,
    "--logfile",
    logfile,
    "echo",
    "--listen",
    LOCAL,
  ]);
  const before = await waitForFile(logfile, /Starting factory/);
  const port = Number(before.match(/ starting on (\d+)\n/)![1]);
  await Deno.rename(logfile, `${logfile}.old`);
  runner.kill("SIGUSR1");
  await waitForFile(logfile, /Received SIGUSR1: reopened the log file/);
  equal(await exchange(port, "after"), "after");
  runner.kill("SIGTERM");
  const { code, lines, stderr } = await runner.exit();
  equal(code, 0, stderr);
  deepEqual(lines, []); // everything went to the file
  const old = await Deno.readTextFile(`${logfile}.old`);
  equal(old, before);
  const now = await Deno.readTextFile(logfile);
  match(now, /Received SIGTERM, shutting down\.\n/);
  match(now, /Server Shut Down\.\n$/);
});

Deno.test("runner: SIGUSR1 with the log file in place rotates it, as twistd does", async () => {
  using t = tempDir();
  const logfile = `${t.dir}/app.log`;
  await using runner = new RunnerProcess([
    ...REACTOR_ARGS,
    "-l",
    logfile,
    "echo",
    "--listen",
    LOCAL,
  ]);
  const before = await waitForFile(logfile, /Starting factory/);
  runner.kill("SIGUSR1");
  await waitForFile(logfile, /Received SIGUSR1: rotated the log file/);
  runner.kill("SIGTERM");
  equal((await runner.exit()).code, 0);
  equal(await Deno.readTextFile(`${logfile}.1`), before);
  match(await Deno.readTextFile(logfile), /Server Shut Down\.\n$/);
});

Deno.test("runner: --logformat json writes one JSON object per event", async () => {
  await using runner = new RunnerProcess([
    ...REACTOR_ARGS,
    "--logformat",
    "json",
    APP,
  ], { env: { RUNNER_APP: "fail-start" } });
  const { code, lines } = await runner.exit();
  equal(code, 1);
  const events = lines.map((l) => JSON.parse(l));
  for (const e of events) {
    equal(typeof e.time, "number");
    equal(e.system, "-");
    equal(typeof e.message, "string");
    equal(typeof e.isError, "boolean");
  }
  const error = events.find((e) =>
    e.message === 'Error starting service "second" (Named)'
  );
  ok(error);
  equal(error.isError, true);
  equal(error.failure.type, "RangeError");
  equal(error.failure.message, "no database");
  match(error.failure.traceback, /RangeError: no database/);
  equal(events.at(-1).message, "Server Shut Down.");
});

Deno.test("runner: --rundir and --umask are applied before the services start", async () => {
  using t = tempDir();
  await using runner = new RunnerProcess(
    [...REACTOR_ARGS, "-d", t.dir, "--umask", "027", APP],
    { env: { RUNNER_APP: "where" } },
  );
  const m = await runner.waitFor(/\[-\] cwd (.*) umask (\d+)$/);
  equal(m[1], await Deno.realPath(t.dir));
  equal(m[2], "27");
  runner.kill("SIGTERM");
  equal((await runner.exit()).code, 0);
});

Deno.test("runner: errors nothing caught are logged, and the services go on", async () => {
  await using runner = new RunnerProcess([...REACTOR_ARGS, APP], {
    env: { RUNNER_APP: "forgotten" },
  });
  const port = await runner.port();
  const seen = new Set<string>();
  while (seen.size < 2) {
    seen.add(
      (await runner.waitFor(
        /(Error: a promise nobody awaited|TypeError: a timer that threw)$/,
      ))[1],
    );
  }
  equal(await exchange(port, "alive"), "alive");
  runner.kill("SIGTERM");
  const { code, lines } = await runner.exit();
  equal(code, 0);
  equal(
    messages(lines).filter((l) => l === "[-] Unhandled Error").length,
    2,
    lines.join("\n"),
  );
});

Deno.test("runner: an application that asks for another uid is refused with status 1", async () => {
  await using runner = new RunnerProcess([...REACTOR_ARGS, APP], {
    env: { RUNNER_APP: "uid" },
  });
  const { code, lines } = await runner.exit();
  equal(code, 1);
  ok(
    messages(lines).some((l) =>
      l.startsWith("[-] Cannot run as uid 12345, as the application asks")
    ),
    lines.join("\n"),
  );
  ok(!messages(lines).some((l) => / starting on /.test(l)));
});

Deno.test("runner: an unknown plugin exits 2 and lists the plugins", async () => {
  await using runner = new RunnerProcess(["nosuchplugin", "--port", "1"]);
  const { code, lines, stderr } = await runner.exit();
  equal(code, 2);
  deepEqual(lines, []);
  match(
    stderr,
    /^torsion run: error: Unknown plugin "nosuchplugin"; the plugins are: daytime, echo, qotd/,
  );
});

Deno.test("runner: --uid is refused with status 2, naming the alternative", async () => {
  await using runner = new RunnerProcess(["--uid", "1000", "echo"]);
  const { code, stderr } = await runner.exit();
  equal(code, 2);
  match(stderr, /--uid is not supported on Deno/);
  match(stderr, /User= and Group= in a systemd unit/);
});

Deno.test("runner: --reactor epoll without --allow-ffi is refused with status 2, saying why", async () => {
  await using runner = new RunnerProcess(["-r", "epoll", "echo"], {
    flags: ["--allow-net", "--allow-read", "--allow-env"],
  });
  const { code, stderr } = await runner.exit();
  equal(code, 2);
  match(
    stderr,
    /The specified reactor cannot be used: Cannot use the epoll reactor: run Deno with --allow-ffi/,
  );
});

Deno.test("runner: TORSION_PLUGINS adds the plugins of the modules it names; a module that cannot load is an error", async () => {
  const finger = new URL(
    "../../../examples/finger/finger/tap.ts",
    import.meta.url,
  ).pathname;
  await using help = new RunnerProcess(["--help"], {
    env: { TORSION_PLUGINS: finger },
  });
  const listed = await help.exit();
  equal(listed.code, 0, listed.stderr);
  ok(
    listed.lines.some((l) => /^ {2}finger\s+\S/.test(l)),
    listed.lines.join("\n"),
  );
  ok(listed.lines.some((l) => /^ {2}echo\s+\S/.test(l)));

  await using fingerHelp = new RunnerProcess(["finger", "--help"], {
    env: { TORSION_PLUGINS: finger },
  });
  const options = await fingerHelp.exit();
  equal(options.code, 0, options.stderr);
  ok(options.lines.some((l) => l.includes("--file")), options.lines.join("\n"));

  await using broken = new RunnerProcess(["echo"], {
    env: { TORSION_PLUGINS: "no/such/plugin.ts" },
  });
  const failed = await broken.exit();
  equal(failed.code, 1);
  match(
    failed.stderr,
    /Failed to load plugin module no\/such\/plugin\.ts \(TORSION_PLUGINS\)/,
  );
});

Deno.test("runner: the daytime and qotd plugins answer", async () => {
  await using runner = new RunnerProcess([
    ...REACTOR_ARGS,
    "qotd",
    "--quote",
    "Hello from the runner.",
    "--listen",
    LOCAL,
  ]);
  equal(await exchange(await runner.port()), "Hello from the runner.\r\n");
  runner.kill("SIGTERM");
  equal((await runner.exit()).code, 0);

  await using daytime = new RunnerProcess([
    ...REACTOR_ARGS,
    "daytime",
    "-l",
    LOCAL,
  ]);
  match(
    await exchange(await daytime.port()),
    /^\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}\r\n$/,
  );
  daytime.kill("SIGTERM");
  equal((await daytime.exit()).code, 0);
});

Deno.test("runner: a plugin may listen on several endpoints", async () => {
  await using runner = new RunnerProcess([
    ...REACTOR_ARGS,
    "echo",
    "-l",
    LOCAL,
    "-l",
    LOCAL,
  ]);
  const first = await runner.port();
  const second = await runner.port();
  ok(first !== second);
  equal(await exchange(first, "one"), "one");
  equal(await exchange(second, "two"), "two");
  runner.kill("SIGTERM");
  equal((await runner.exit()).code, 0);
});

Deno.test("runner: a plugin's bad endpoint exits 2 with its help", async () => {
  await using runner = new RunnerProcess(["echo", "--listen", "bogus:1"]);
  const { code, stderr } = await runner.exit();
  equal(code, 2);
  match(
    stderr,
    /^torsion run: error: Cannot listen on "bogus:1": Unknown endpoint type: 'bogus'\n/,
  );
  match(stderr, /--listen=ENDPOINT/);
  match(
    stderr,
    /^Usage: deno run -A jsr:@torsion\/torsion\/run \[options\] echo \[echo options\]$/m,
  );
});
