// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode run}: the runner, Twisted's `twistd -n` for Deno
 * (`twisted/application/app.py`, `twisted/scripts/_twistd_unix.py`).
 *
 * @module
 */

import type { Failure } from "../../defer/failure.ts";
import * as log from "../../defer/log.ts";
import { denoRunnerSystem } from "../backends/deno/deno_runner_system.ts";
import { reactorNamed } from "../backends/reactor_from_environment.ts";
import { getReactor, installReactor } from "../default.ts";
import type { Reactor } from "../reactor.ts";
import { importModule } from "../_import_module.ts";
import { absolute, fileUrl } from "./_path.ts";
import { checkPidFile, PidFileError } from "./_pid_file.ts";
import { RunnerLog } from "./_runner_log.ts";
import type { RunnerSignal, RunnerSystem } from "./_runner_system.ts";
import { Application } from "./application.ts";
import { IService } from "./interfaces.ts";
import type { LogFileSystem } from "./log_file_system.ts";
import { getPlugins } from "./plugins.ts";
import {
  COMMAND,
  parseRunnerOptions,
  runnerHelp,
  type RunnerOptions,
} from "./runner_options.ts";
import {
  type IServiceMaker,
  ServiceMaker,
  serviceMakerOf,
} from "./service_maker.ts";
import { ServiceStartError } from "./service_start_error.ts";
import { startApplication } from "./start_application.ts";
import {
  formatOptions,
  type ParsedOptions,
  parseOptions,
  UsageError,
} from "./usage.ts";

/** How the runner names itself in its messages. */
const NAME = "torsion run";

/**
 * A stop signal this soon after another is the same request delivered twice
 * (by the terminal to the process group, and again by a wrapper that
 * forwards it, such as `deno task`), not a second Ctrl-C.
 */
const SAME_SIGNAL_MS = 200;

/** A plugin, as the runner lists and loads it. */
interface Plugin {
  readonly tapname: string;
  readonly description: string;
  load(): Promise<IServiceMaker>;
}

/** What {@linkcode runWith} may be given in place of the real world (tests). */
export interface RunnerEnvironment {
  /** The process. */
  system: RunnerSystem;
  /** The plugins SOURCE may name. */
  plugins?: readonly Plugin[];
  /** The log file's file system. */
  fileSystem?: LogFileSystem;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function trace(e: unknown): string {
  return e instanceof Error ? (e.stack ?? String(e)) : String(e);
}

/** Whether SOURCE names a module (a path or a URL) rather than a plugin. */
function isModule(source: string): boolean {
  return /[\\/]/.test(source) || /\.(?:[cm]?[jt]sx?)$/.test(source) ||
    /^[a-z][a-z0-9+.-]+:/i.test(source);
}

/** The URL to import SOURCE from. */
function moduleUrl(source: string, cwd: string): string {
  return /^[a-z][a-z0-9+.-]+:/i.test(source)
    ? source
    : fileUrl(absolute(cwd, source));
}

/** What SOURCE gave: a plugin and its options, or an application. */
type Loaded =
  | {
    kind: "plugin";
    maker: IServiceMaker;
    options: ParsedOptions;
    help: string;
  }
  | { kind: "application"; application: IService };

/**
 * The plugins of the modules `TORSION_PLUGINS` names (paths separated by
 * `:`, relative to the current directory), each exporting a `serviceMaker`
 * (Twisted finds its plugins in the `twisted/plugins/` packages on
 * `sys.path`; here they are named one by one). One of them replaces a
 * built-in plugin of the same name.
 */
async function pluginsOnPath(
  system: RunnerSystem,
): Promise<ServiceMaker[] | Exit> {
  const list = system.env?.("TORSION_PLUGINS") ?? "";
  const found: ServiceMaker[] = [];
  for (const path of list.split(":")) {
    if (path.trim() === "") continue;
    const url = moduleUrl(path.trim(), system.cwd());
    try {
      const maker = serviceMakerOf(await importModule(url), url);
      found.push(
        new ServiceMaker(
          maker.tapname,
          url,
          maker.description,
          maker.tapname,
        ),
      );
    } catch (e) {
      return new Exit(
        1,
        `Failed to load plugin module ${path} (TORSION_PLUGINS): ${trace(e)}\n`,
      );
    }
  }
  return found;
}

/** Thrown by the loading steps: print this, exit with this status. */
class Exit {
  constructor(readonly status: number, readonly text: string) {}
}

function usage(text: string, hint: string): Exit {
  return new Exit(2, `${NAME}: error: ${text}\n${hint}`);
}

const HINT = "Run with --help for the options, the reactors and the plugins.\n";

/** Loads SOURCE: a plugin (and parses its options) or a module. */
async function load(
  options: RunnerOptions,
  env: Required<Omit<RunnerEnvironment, "fileSystem">>,
): Promise<Loaded | Exit> {
  const source = options.source!;
  let maker: IServiceMaker;
  if (isModule(source)) {
    const url = moduleUrl(source, env.system.cwd());
    let module: Record<string, unknown>;
    try {
      module = await importModule(url);
    } catch (e) {
      return new Exit(1, `Failed to load application: ${trace(e)}\n`);
    }
    if ("serviceMaker" in module) {
      try {
        maker = serviceMakerOf(module, url);
      } catch (e) {
        return new Exit(1, `Failed to load application: ${message(e)}\n`);
      }
    } else if ("application" in module) {
      if (options.sourceArgs.length > 0) {
        return usage(
          `unexpected arguments after ${source} (only a plugin takes options): ${
            options.sourceArgs.join(" ")
          }`,
          HINT,
        );
      }
      try {
        return {
          kind: "application",
          application: IService(module.application),
        };
      } catch (e) {
        return new Exit(
          1,
          `Failed to load application: the \`application\` of ${source} is not a service: ${
            message(e)
          }\n`,
        );
      }
    } else {
      return new Exit(
        1,
        `Failed to load application: ${source} exports no \`application\`\n\n` +
          "To run a module, it must create an Application (or any service) and\n" +
          "export it as `application`:\n\n" +
          '  export const application = new Application("myapp");\n\n' +
          "or export a plugin as `serviceMaker`.\n",
      );
    }
  } else {
    const plugin = env.plugins.find((p) => p.tapname === source);
    if (plugin === undefined) {
      return usage(
        `Unknown plugin "${source}"; the plugins are: ${
          env.plugins.map((p) => p.tapname).sort().join(", ")
        } (or give a module's path)`,
        HINT,
      );
    }
    try {
      maker = await plugin.load();
    } catch (e) {
      return new Exit(1, `Failed to load plugin ${source}: ${trace(e)}\n`);
    }
  }
  const described = {
    ...maker.options,
    synopsis: maker.options.synopsis ??
      `${COMMAND} [options] ${source} [${maker.tapname} options]`,
    description: maker.options.description ?? maker.description,
  };
  try {
    const { options: parsed } = parseOptions(described, options.sourceArgs);
    if (parsed.help === true) return new Exit(0, formatOptions(described));
    return {
      kind: "plugin",
      maker,
      options: parsed,
      help: formatOptions(described),
    };
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    return usage(e.message, formatOptions(described));
  }
}

/**
 * Runs the runner with `args` in `env`: what {@linkcode run} does, with the
 * process and the plugins given (tests give their own).
 *
 * @param args The command line.
 * @param env The process, the plugins, the file system.
 * @returns The exit status: 0 after a clean stop, 1 if the application
 *   could not be loaded or started or took too long to stop, 2 for a
 *   command line that cannot be used.
 */
export async function runWith(
  args: readonly string[],
  env: RunnerEnvironment,
): Promise<number> {
  const system = env.system;
  const say = (exit: Exit): number => {
    if (exit.status === 0) system.stdout(exit.text);
    else system.stderr(exit.text);
    return exit.status;
  };
  let plugins: readonly Plugin[];
  if (env.plugins !== undefined) {
    plugins = env.plugins;
  } else {
    const found = await pluginsOnPath(system);
    if (found instanceof Exit) return say(found);
    // A plugin of TORSION_PLUGINS replaces a built-in of the same name.
    const names = new Set(found.map((p) => p.tapname));
    plugins = [...found, ...getPlugins().filter((p) => !names.has(p.tapname))];
  }

  let options: RunnerOptions;
  try {
    options = parseRunnerOptions(args);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    return say(usage(e.message, HINT));
  }
  if (options.help) {
    system.stdout(runnerHelp(plugins));
    return 0;
  }

  // The reactor first (twistd's opt_reactor installs it at once), before
  // any module that might use the default one is loaded.
  let reactor: Reactor;
  try {
    if (options.reactor === null) {
      reactor = getReactor();
    } else {
      reactor = reactorNamed(options.reactor, `--reactor ${options.reactor}`);
      installReactor(reactor);
    }
  } catch (e) {
    return say(
      usage(`The specified reactor cannot be used: ${message(e)}`, HINT),
    );
  }

  // Refuse to start while another instance runs (twistd's checkPID).
  const pidfile = options.pidfile === null
    ? null
    : absolute(system.cwd(), options.pidfile);
  let staleNote: string | null = null;
  if (pidfile !== null) {
    try {
      staleNote = checkPidFile(system, pidfile);
    } catch (e) {
      if (!(e instanceof PidFileError)) throw e;
      return say(new Exit(1, `${e.message}\n`));
    }
  }

  const loaded = await load(options, { system, plugins });
  if (loaded instanceof Exit) return say(loaded);
  let application: IService;
  if (loaded.kind === "plugin") {
    let service: IService;
    try {
      service = IService(await loaded.maker.makeService(loaded.options));
    } catch (e) {
      if (e instanceof UsageError) {
        return say(usage(e.message, loaded.help));
      }
      return say(
        new Exit(
          1,
          `Failed to make the ${loaded.maker.tapname} service: ${trace(e)}\n`,
        ),
      );
    }
    const app = new Application(loaded.maker.tapname);
    service.setServiceParent(app);
    application = app;
  } else {
    application = loaded.application;
  }

  let runnerLog: RunnerLog;
  try {
    runnerLog = new RunnerLog(system, {
      logfile: options.logfile,
      format: options.logformat,
      fileSystem: env.fileSystem,
    });
  } catch (e) {
    return say(
      new Exit(
        1,
        `Cannot open the log file ${options.logfile}: ${message(e)}\n`,
      ),
    );
  }
  runnerLog.start();
  if (staleNote !== null) log.msg(staleNote);
  log.msg(`Torsion runner (${system.runtime}) starting up.`);
  log.msg(`reactor class: ${reactor.constructor.name}.`);
  let status: number;
  try {
    status = await runApplication(application, reactor, {
      system,
      options,
      pidfile,
      runnerLog,
    });
  } finally {
    log.msg("Server Shut Down.");
    runnerLog.stop();
  }
  return status;
}

/** The uid/gid the application asks for that this process does not have. */
function privilegeMismatch(
  application: IService,
  system: RunnerSystem,
): string | null {
  const wanted = application as Partial<Record<"uid" | "gid", unknown>>;
  for (
    const [what, id] of [["uid", system.uid()], ["gid", system.gid()]] as const
  ) {
    const asked = wanted[what];
    if (typeof asked === "number" && asked !== id) {
      return `Cannot run as ${what} ${asked}, as the application asks: ` +
        "Deno cannot change the user or group of a running process. " +
        "Start the runner as that user instead (User= and Group= in a systemd unit, " +
        "USER in a container image, or runuser/su).";
    }
  }
  return null;
}

/** Sets up the process, starts the application, runs the reactor until it stops. */
async function runApplication(
  application: IService,
  reactor: Reactor,
  ctx: {
    system: RunnerSystem;
    options: RunnerOptions;
    pidfile: string | null;
    runnerLog: RunnerLog;
  },
): Promise<number> {
  const { system, options, pidfile, runnerLog } = ctx;
  const refusal = privilegeMismatch(application, system);
  if (refusal !== null) {
    log.msg(refusal);
    return 1;
  }

  // twistd's setupEnvironment: directory, umask, pid file.
  try {
    system.chdir(options.rundir);
  } catch (e) {
    log.err(e, `Cannot change to the directory ${options.rundir}`);
    return 1;
  }
  if (options.umask !== null) system.umask(options.umask);
  let wrotePid = false;
  const removePid = (): void => {
    if (!wrotePid || pidfile === null) return;
    wrotePid = false;
    try {
      system.removeFile(pidfile);
    } catch (e) {
      log.err(e, "Failed to unlink PID file:");
    }
  };
  if (pidfile !== null) {
    try {
      system.writeFile(pidfile, `${system.pid}\n`);
      wrotePid = true;
    } catch (e) {
      log.err(e, `Cannot write the pid file ${pidfile}`);
      return 1;
    }
  }

  let status = 0;
  let shuttingDown = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const removers: (() => void)[] = [];
  const exitNow = (code: number): never => {
    removePid();
    log.msg("Server Shut Down.");
    runnerLog.stop();
    return system.exit(code);
  };
  // Every shutdown (a signal, a failed start, the application's own
  // reactor.stop()) is bounded by --shutdown-timeout.
  reactor.addSystemEventTrigger("before", "shutdown", () => {
    shuttingDown = true;
    const seconds = options.shutdownTimeout;
    timer = setTimeout(() => {
      log.msg(
        `The services did not stop within ${seconds} seconds (--shutdown-timeout); exiting.`,
      );
      exitNow(1);
    }, seconds * 1000);
  });
  const stopReactor = (): void => {
    if (reactor.running) reactor.stop();
    else reactor.callWhenRunning(() => reactor.stop());
  };
  /** When the last stop signal that was acted on came. */
  let lastStopSignal = -Infinity;
  const onStop = (signal: RunnerSignal): void => {
    const now = performance.now();
    if (now - lastStopSignal < SAME_SIGNAL_MS) {
      // Ctrl-C reaches every process of the terminal's group, and a wrapper
      // such as `deno task` forwards it too: the same interrupt, twice.
      log.msg(
        `Received ${signal} again within ${SAME_SIGNAL_MS} ms: taken as the same request.`,
      );
      return;
    }
    lastStopSignal = now;
    if (shuttingDown) {
      log.msg(`Received ${signal} during the shutdown: exiting at once.`);
      exitNow(1);
    }
    shuttingDown = true;
    log.msg(`Received ${signal}, shutting down.`);
    stopReactor();
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    removers.push(system.onSignal(signal, () => onStop(signal)));
  }
  removers.push(system.onSignal("SIGUSR1", () => runnerLog.reopen()));
  // An error nothing caught is logged, and the services go on, as in
  // twistd ("Unhandled Error"), rather than ending the process.
  removers.push(system.onUncaughtError((e) => log.err(e, "Unhandled Error")));

  try {
    startApplication(application, { reactor }).addErrback((f: Failure) => {
      status = 1;
      if (f.value instanceof ServiceStartError) {
        log.msg(`${f.value.message}; stopping.`);
      } else {
        log.err(f, "Cannot start the application; stopping");
      }
      if (!shuttingDown) stopReactor();
    });
    await reactor.run({ installSignalHandlers: false });
    return status;
  } finally {
    if (timer !== null) clearTimeout(timer);
    for (const remove of removers) remove();
    removePid();
  }
}

/**
 * Runs an application as `twistd -n` does: reads the command line, checks
 * and writes the pid file, logs to standard output or a rotating
 * {@linkcode LogFile}, starts the services (`privilegedStartService`, then
 * `startService` once the reactor runs), and on `SIGINT`/`SIGTERM` stops
 * them in reverse order (bounded by `--shutdown-timeout`) before exiting.
 * `SIGUSR1` reopens (or rotates) the log file; a second `SIGINT` during the
 * shutdown exits at once with status 1 (one within 0.2 s of the first is
 * taken as the same Ctrl-C, which `deno task` forwards to its child as the
 * terminal sends it to the whole process group).
 *
 * SOURCE is a built-in plugin (`echo`, `daytime`, `qotd`) followed by its
 * options, or a module (a path or a URL) that exports an `application`
 * (any service) or a plugin as `serviceMaker`. A module must import the
 * same copy of Torsion as the runner (the same version), or its services
 * would use another default reactor. See `--help`.
 *
 * @param args The command line (`Deno.args` by default).
 * @returns The exit status: 0 after a clean stop; 1 if the application
 *   could not be loaded or started (each service that failed is named in
 *   the log, and what did start is stopped again), if the pid file names a
 *   live process, or if stopping took longer than `--shutdown-timeout`; 2
 *   for a command line that cannot be used (an unknown plugin lists the
 *   plugins).
 *
 * @example Usage
 * ```ts
 * import { run } from "@torsion/torsion/run";
 * import { equal } from "node:assert/strict";
 *
 * equal(await run(["--help"]), 0); // prints the options, reactors, plugins
 * ```
 */
export function run(
  args: readonly string[] = denoRunnerSystem.args(),
): Promise<number> {
  return runWith(args, { system: denoRunnerSystem });
}
