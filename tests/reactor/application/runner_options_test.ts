// Copyright 2026 the Torsion authors. MIT license.
// The runner's command line (twistd's ServerOptions, twisted/test/
// test_twistd.py's option tests), its pid file check (checkPID), and what it
// does before it runs anything: help, usage errors and their exit status,
// unknown plugins, plugins' own options, modules that export nothing to run.
// These run in this process against a fake system; the runner's processes
// are in runner_test.ts.
import { deepEqual, equal, match, ok, throws } from "node:assert/strict";
import {
  checkPidFile,
  PidFileError,
} from "../../../reactor/application/_pid_file.ts";
import type { RunnerSystem } from "../../../reactor/application/_runner_system.ts";
import {
  getPlugins,
  type IServiceMaker,
  Service,
  UsageError,
} from "../../../reactor/application/mod.ts";
import { runWith } from "../../../reactor/application/runner.ts";
import {
  parseRunnerOptions,
  runnerHelp,
} from "../../../reactor/application/run.ts";

Deno.test("parseRunnerOptions: twistd -n's defaults", () => {
  const o = parseRunnerOptions(["echo"]);
  deepEqual(o, {
    pidfile: null,
    logfile: null,
    logformat: "text",
    rundir: ".",
    umask: null,
    reactor: null,
    shutdownTimeout: 30,
    help: false,
    source: "echo",
    sourceArgs: [],
  });
});

Deno.test("parseRunnerOptions: every option, short and long", () => {
  const o = parseRunnerOptions([
    "-n",
    "--pidfile=app.pid",
    "-l",
    "app.log",
    "--logformat",
    "json",
    "-d",
    "/srv",
    "--umask",
    "027",
    "-r",
    "epoll,default",
    "--shutdown-timeout",
    "2.5",
    "app.ts",
  ]);
  equal(o.pidfile, "app.pid");
  equal(o.logfile, "app.log");
  equal(o.logformat, "json");
  equal(o.rundir, "/srv");
  equal(o.umask, 0o027);
  equal(o.reactor, "epoll,default");
  equal(o.shutdownTimeout, 2.5);
  equal(o.source, "app.ts");
});

Deno.test("parseRunnerOptions: what follows SOURCE is the plugin's, options included", () => {
  const o = parseRunnerOptions(["qotd", "--quote", "-l", "--help"]);
  equal(o.source, "qotd");
  equal(o.help, false);
  equal(o.logfile, null);
  deepEqual(o.sourceArgs, ["--quote", "-l", "--help"]);
});

Deno.test("parseRunnerOptions: --logfile - and an empty --pidfile mean none", () => {
  const o = parseRunnerOptions(["-l", "-", "--pidfile", "", "echo"]);
  equal(o.logfile, null);
  equal(o.pidfile, null);
});

Deno.test("parseRunnerOptions: --umask is octal, with or without 0o", () => {
  equal(parseRunnerOptions(["--umask", "0o077", "x"]).umask, 0o077);
  equal(parseRunnerOptions(["--umask", "0", "x"]).umask, 0);
  for (const bad of ["8", "abc", "-1", "12345", ""]) {
    throws(
      () => parseRunnerOptions(["--umask", bad, "x"]),
      UsageError,
      bad,
    );
  }
});

Deno.test("parseRunnerOptions: --shutdown-timeout is a number of seconds >= 0", () => {
  equal(
    parseRunnerOptions(["--shutdown-timeout", "0", "x"]).shutdownTimeout,
    0,
  );
  for (const bad of ["-1", "soon", "", "NaN"]) {
    throws(
      () => parseRunnerOptions(["--shutdown-timeout", bad, "x"]),
      UsageError,
      bad,
    );
  }
});

Deno.test("parseRunnerOptions: --logformat is text or json", () => {
  throws(
    () => parseRunnerOptions(["--logformat", "xml", "x"]),
    new UsageError('option --logformat must be text or json, not "xml"'),
  );
});

Deno.test("parseRunnerOptions: --uid and --gid are refused, naming the alternative", () => {
  for (const args of [["--uid", "1000"], ["-g", "0"], ["-u0"]]) {
    let error: unknown;
    try {
      parseRunnerOptions([...args, "echo"]);
    } catch (e) {
      error = e;
    }
    ok(error instanceof UsageError, args.join(" "));
    match(error.message, /not supported on Deno/);
    match(error.message, /User= and Group= in a systemd unit/);
  }
});

Deno.test("parseRunnerOptions: SOURCE is required, except with --help", () => {
  throws(() => parseRunnerOptions([]), /no SOURCE/);
  throws(() => parseRunnerOptions(["-n"]), /no SOURCE/);
  const o = parseRunnerOptions(["--help"]);
  equal(o.help, true);
  equal(o.source, null);
});

Deno.test("runnerHelp: the options, the reactors, the plugins, the foreground note", () => {
  const help = runnerHelp(getPlugins());
  for (
    const option of [
      "--pidfile=PATH",
      "-l, --logfile=PATH",
      "--logformat=text|json",
      "-d, --rundir=DIR",
      "--umask=OCTAL",
      "-r, --reactor=NAME",
      "--shutdown-timeout=SECONDS",
      "[default: 30]",
      "-u, --uid=UID",
    ]
  ) {
    ok(help.includes(option), option);
  }
  match(help, /^ {2}default +sockets through Deno's own APIs/m);
  match(help, /^ {2}epoll +Linux epoll .*--allow-ffi$/m);
  match(help, /^ {2}daytime +A daytime server/m);
  match(help, /^ {2}echo +An echo server/m);
  match(help, /^ {2}qotd +A Quote of the Day server/m);
  match(
    help,
    /Deno cannot daemonize: the runner always stays in the foreground/,
  );
});

/** A process that records what the runner writes, and exits by throwing. */
class FakeSystem implements RunnerSystem {
  out = "";
  err = "";
  files = new Map<string, string>();
  alive = new Set<number>();
  removed: string[] = [];
  readonly pid = 4242;
  readonly runtime = "Deno test";
  args(): string[] {
    return [];
  }
  cwd(): string {
    return "/work";
  }
  chdir(): void {}
  umask(): number {
    return 0o022;
  }
  uid(): number {
    return 1000;
  }
  gid(): number {
    return 1000;
  }
  processExists(pid: number): boolean {
    return this.alive.has(pid);
  }
  readFile(path: string): string | null {
    return this.files.get(path) ?? null;
  }
  writeFile(path: string, text: string): void {
    this.files.set(path, text);
  }
  removeFile(path: string): void {
    this.removed.push(path);
    this.files.delete(path);
  }
  onSignal(): () => void {
    return () => {};
  }
  onUncaughtError(): () => void {
    return () => {};
  }
  stdout(text: string): void {
    this.out += text;
  }
  stderr(text: string): void {
    this.err += text;
  }
  exit(code: number): never {
    throw new Error(`exit ${code}`);
  }
}

Deno.test("checkPidFile: no file, a live process, a stale one, our own id, garbage", () => {
  const system = new FakeSystem();
  equal(checkPidFile(system, "/run/app.pid"), null);
  system.files.set("/run/app.pid", "77\n");
  system.alive.add(77);
  throws(
    () => checkPidFile(system, "/run/app.pid"),
    (e: unknown) =>
      e instanceof PidFileError &&
      e.message.startsWith(
        "Another Torsion runner is running, PID 77 (pidfile /run/app.pid)",
      ),
  );
  deepEqual(system.removed, []);
  system.alive.clear();
  equal(
    checkPidFile(system, "/run/app.pid"),
    "Removing stale pidfile /run/app.pid",
  );
  deepEqual(system.removed, ["/run/app.pid"]);
  // A pid file left with our own id (a container's pid 1 after a restart).
  system.files.set("/run/app.pid", `${system.pid}`);
  system.alive.add(system.pid);
  equal(
    checkPidFile(system, "/run/app.pid"),
    "Removing stale pidfile /run/app.pid",
  );
  system.files.set("/run/app.pid", "twelve");
  throws(
    () => checkPidFile(system, "/run/app.pid"),
    new PidFileError("Pidfile /run/app.pid contains non-numeric value"),
  );
  system.files.set("/run/app.pid", "12");
  system.processExists = () => {
    throw new Error("no --allow-run");
  };
  throws(
    () => checkPidFile(system, "/run/app.pid"),
    /^PidFileError: Can't check status of PID 12 from pidfile \/run\/app\.pid: no --allow-run$/,
  );
});

Deno.test("run: --help prints the help and exits 0", async () => {
  const system = new FakeSystem();
  equal(await runWith(["--help"], { system }), 0);
  equal(system.out, runnerHelp(getPlugins()));
  equal(system.err, "");
});

Deno.test("run: a bad command line exits 2 with the error", async () => {
  const system = new FakeSystem();
  equal(await runWith(["--frobnicate", "echo"], { system }), 2);
  match(
    system.err,
    /^torsion run: error: option --frobnicate not recognized\n/,
  );
  match(system.err, /Run with --help/);
  equal(system.out, "");
});

Deno.test("run: an unknown plugin exits 2 and lists the plugins", async () => {
  const system = new FakeSystem();
  equal(await runWith(["nosuchplugin"], { system }), 2);
  match(
    system.err,
    /Unknown plugin "nosuchplugin"; the plugins are: daytime, echo, qotd/,
  );
});

Deno.test("run: an unknown reactor exits 2", async () => {
  const system = new FakeSystem();
  equal(await runWith(["-r", "kqueue", "echo"], { system }), 2);
  match(
    system.err,
    /The specified reactor cannot be used: Cannot choose a reactor: --reactor kqueue names "kqueue"; known: epoll, default/,
  );
});

/** A plugin that records what it was made with. */
function recordingPlugin(made: unknown[]): {
  tapname: string;
  description: string;
  load(): Promise<IServiceMaker>;
} {
  const maker: IServiceMaker = {
    tapname: "rec",
    description: "Records its options.",
    options: {
      parameters: [{ name: "size", default: "1", description: "A size." }],
    },
    makeService(options) {
      if (options.size === "0") throw new UsageError("size must not be 0");
      made.push(options);
      return new Service();
    },
  };
  return { ...maker, load: () => Promise.resolve(maker) };
}

Deno.test("run: a plugin's --help prints its options and exits 0", async () => {
  const system = new FakeSystem();
  const made: unknown[] = [];
  const plugins = [recordingPlugin(made)];
  equal(await runWith(["rec", "--help"], { system, plugins }), 0);
  match(
    system.out,
    /^Usage: deno run -A jsr:@torsion\/torsion\/run \[options\] rec \[rec options\]\n/,
  );
  match(system.out, /Records its options\./);
  match(system.out, /--size=SIZE +A size\. \[default: 1\]/);
  deepEqual(made, []);
});

Deno.test("run: a plugin's bad options exit 2 with its help", async () => {
  const made: unknown[] = [];
  const plugins = [recordingPlugin(made)];
  for (const args of [["rec", "--colour"], ["rec", "--size", "0"]]) {
    const system = new FakeSystem();
    equal(await runWith(args, { system, plugins }), 2, args.join(" "));
    match(
      system.err,
      /^torsion run: error: (option --colour not recognized|size must not be 0)\n/,
    );
    match(system.err, /--size=SIZE/);
  }
  deepEqual(made, []);
});

Deno.test("run: a live pid file refuses the start with status 1, before loading anything", async () => {
  const system = new FakeSystem();
  system.files.set("/work/app.pid", "99");
  system.alive.add(99);
  const made: unknown[] = [];
  const plugins = [recordingPlugin(made)];
  equal(
    await runWith(["--pidfile", "app.pid", "rec"], { system, plugins }),
    1,
  );
  match(
    system.err,
    /^Another Torsion runner is running, PID 99 \(pidfile \/work\/app\.pid\)/,
  );
  deepEqual(made, []);
  equal(system.files.get("/work/app.pid"), "99");
});

Deno.test("run: a module that exports nothing to run exits 1 and says what to export", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/empty.ts`, "export const nothing = 1;\n");
    await Deno.writeTextFile(
      `${dir}/wrong.ts`,
      "export const application = 1;\n",
    );
    await Deno.writeTextFile(`${dir}/broken.ts`, "throw new Error('boom');\n");
    let system = new FakeSystem();
    equal(await runWith([`${dir}/empty.ts`], { system }), 1);
    match(system.err, /exports no `application`/);
    match(system.err, /export const application = new Application\("myapp"\);/);
    system = new FakeSystem();
    equal(await runWith([`${dir}/wrong.ts`], { system }), 1);
    match(system.err, /the `application` of .*wrong\.ts is not a service/);
    system = new FakeSystem();
    equal(await runWith([`${dir}/broken.ts`], { system }), 1);
    match(system.err, /^Failed to load application: Error: boom/);
    system = new FakeSystem();
    equal(await runWith([`${dir}/missing.ts`], { system }), 1);
    match(system.err, /^Failed to load application: /);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
