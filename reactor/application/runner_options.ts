// Copyright 2026 the Torsion authors. MIT license.
/**
 * The runner's command line, after `twistd -n`'s
 * (`twisted/scripts/_twistd_unix.py` `ServerOptions`):
 * {@linkcode parseRunnerOptions} reads it, {@linkcode runnerHelp} writes its
 * `--help`.
 *
 * @module
 */

import { getReactorTypes } from "../backends/reactor_from_environment.ts";
import {
  formatOptions,
  type OptionsDescription,
  parseOptions,
  UsageError,
} from "./usage.ts";

/** The runner's settings, read from its command line. */
export interface RunnerOptions {
  /** The pid file to write (and refuse to start while its process lives), or `null`. */
  readonly pidfile: string | null;
  /** The log file, or `null` to log to standard output (`-` too). */
  readonly logfile: string | null;
  /** How events are written: Twisted's text lines, or one JSON object per line. */
  readonly logformat: "text" | "json";
  /** The directory to run in (changed to once the application is loaded). */
  readonly rundir: string;
  /** The file creation mask to set, or `null` to leave it. */
  readonly umask: number | null;
  /** The reactor to install (`default`, `epoll`, `epoll,default`), or `null` for `TORSION_REACTOR`'s choice. */
  readonly reactor: string | null;
  /** How long, in seconds, services may take to stop once asked to. */
  readonly shutdownTimeout: number;
  /** Whether `--help` was given (before SOURCE). */
  readonly help: boolean;
  /** What to run: a plugin name or a module path or URL; `null` only with `help`. */
  readonly source: string | null;
  /** The arguments after SOURCE: the plugin's options. */
  readonly sourceArgs: readonly string[];
}

/** The command the help texts show. */
export const COMMAND = "deno run -A jsr:@torsion/torsion/run";

/**
 * The runner's options, as `twistd -n` has them, described for
 * `parseOptions` and `formatOptions`.
 *
 * @example Usage
 * ```ts
 * import { RUNNER_OPTIONS } from "@torsion/torsion/run";
 * import { ok } from "node:assert/strict";
 *
 * ok(RUNNER_OPTIONS.parameters?.some((p) => p.name === "shutdown-timeout"));
 * ```
 */
export const RUNNER_OPTIONS: OptionsDescription = {
  synopsis: `${COMMAND} [options] SOURCE [plugin options]`,
  description:
    "Runs an application: SOURCE is a plugin name, or a module (a path or a URL)\n" +
    "that exports `application` (Twisted's -y) or a plugin as `serviceMaker`.\n" +
    "Deno cannot daemonize: the runner always stays in the foreground (twistd -n);\n" +
    "keep it up with a service manager (systemd, a container).",
  flags: [
    {
      name: "nodaemon",
      short: "n",
      description:
        "Run in the foreground (always so; accepted for twistd's users).",
    },
  ],
  parameters: [
    {
      name: "logfile",
      short: "l",
      metavar: "PATH",
      description:
        "Log to this file, rotated at 1 MB; - for stdout. [default: stdout]",
    },
    {
      name: "logformat",
      metavar: "text|json",
      default: "text",
      description: "Twisted's text lines, or one JSON object per event.",
    },
    {
      name: "pidfile",
      metavar: "PATH",
      description:
        "Write the process id here; refuse to start while it names a live process.",
    },
    {
      name: "rundir",
      short: "d",
      metavar: "DIR",
      default: ".",
      description: "Change to this directory once the application is loaded.",
    },
    {
      name: "umask",
      metavar: "OCTAL",
      description: "The file creation mask to set (e.g. 022).",
    },
    {
      name: "reactor",
      short: "r",
      metavar: "NAME",
      description:
        "The reactor to use (see below). [default: TORSION_REACTOR, else default]",
    },
    {
      name: "shutdown-timeout",
      metavar: "SECONDS",
      default: "30",
      description:
        "How long services may take to stop; then exit with status 1.",
    },
    {
      name: "uid",
      short: "u",
      metavar: "UID",
      description: "Not supported on Deno (start the runner as that user).",
    },
    {
      name: "gid",
      short: "g",
      metavar: "GID",
      description: "Not supported on Deno (start the runner with that group).",
    },
  ],
};

/** Why `--uid`/`--gid` cannot work, and what to do instead. */
export function privilegeRefusal(option: string): string {
  return `${option} is not supported on Deno: a running process cannot change its user or group. ` +
    "Start the runner as that user instead (User= and Group= in a systemd unit, " +
    "USER in a container image, or runuser/su).";
}

/**
 * Reads the runner's command line: its options, then SOURCE and the
 * plugin's options (everything after SOURCE is left to the plugin).
 *
 * @param args The arguments (`Deno.args`).
 * @returns The settings.
 * @throws {UsageError} For an unknown option, a missing or bad value,
 *   `--uid`/`--gid` (not supported on Deno: the message names the
 *   alternative), or no SOURCE (without `--help`).
 *
 * @example Usage
 * ```ts
 * import { parseRunnerOptions } from "@torsion/torsion/run";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * const o = parseRunnerOptions(["-n", "--pidfile", "echo.pid", "echo", "--listen", "tcp:0"]);
 * equal(o.pidfile, "echo.pid");
 * equal(o.logfile, null);
 * equal(o.shutdownTimeout, 30);
 * equal(o.source, "echo");
 * deepEqual(o.sourceArgs, ["--listen", "tcp:0"]);
 * ```
 */
export function parseRunnerOptions(args: readonly string[]): RunnerOptions {
  const { options, rest } = parseOptions(RUNNER_OPTIONS, args, {
    stopAtArgument: true,
  });
  const text = (name: string): string | null => {
    const v = options[name];
    return typeof v === "string" ? v : null;
  };
  if (text("uid") !== null) throw new UsageError(privilegeRefusal("--uid"));
  if (text("gid") !== null) throw new UsageError(privilegeRefusal("--gid"));
  const logformat = text("logformat");
  if (logformat !== "text" && logformat !== "json") {
    throw new UsageError(
      `option --logformat must be text or json, not "${logformat}"`,
    );
  }
  let umask: number | null = null;
  const umaskText = text("umask");
  if (umaskText !== null) {
    const digits = umaskText.replace(/^0o/i, "");
    if (!/^[0-7]{1,4}$/.test(digits)) {
      throw new UsageError(
        `option --umask must be an octal number such as 022, not "${umaskText}"`,
      );
    }
    umask = parseInt(digits, 8);
  }
  const timeoutText = text("shutdown-timeout") ?? "";
  const shutdownTimeout = Number(timeoutText);
  if (timeoutText.trim() === "" || !(shutdownTimeout >= 0)) {
    throw new UsageError(
      `option --shutdown-timeout must be a number of seconds >= 0, not "${timeoutText}"`,
    );
  }
  const logfile = text("logfile");
  const help = options.help === true;
  if (!help && rest.length === 0) {
    throw new UsageError(
      "no SOURCE: name a plugin, or a module that exports `application`",
    );
  }
  return {
    pidfile: text("pidfile") || null,
    logfile: logfile === "-" || logfile === "" ? null : logfile,
    logformat,
    rundir: text("rundir") ?? ".",
    umask,
    reactor: text("reactor"),
    shutdownTimeout,
    help,
    source: rest.length === 0 ? null : rest[0],
    sourceArgs: rest.slice(1),
  };
}

/**
 * Writes the runner's `--help`: its options, the reactors, and the
 * plugins.
 *
 * @param plugins The plugins to list, by name and description.
 * @returns The text, ending with a newline.
 *
 * @example Usage
 * ```ts
 * import { getPlugins } from "@torsion/torsion/application";
 * import { runnerHelp } from "@torsion/torsion/run";
 * import { match } from "node:assert/strict";
 *
 * const help = runnerHelp(getPlugins());
 * match(help, /--pidfile=PATH/);
 * match(help, /^  echo +An echo server/m);
 * match(help, /^  epoll +Linux epoll/m);
 * match(help, /foreground/);
 * ```
 */
export function runnerHelp(
  plugins: readonly {
    readonly tapname: string;
    readonly description: string;
  }[],
): string {
  const list = (rows: (readonly [string, string])[]): string => {
    const width = Math.max(...rows.map(([name]) => name.length));
    return rows.map(([name, text]) => `  ${name.padEnd(width)}  ${text}\n`)
      .join("");
  };
  return formatOptions(RUNNER_OPTIONS) +
    "\nReactors (-r/--reactor NAME, or several tried in order: epoll,default):\n" +
    list(getReactorTypes().map((t) => [t.shortName, t.description])) +
    "\nPlugins (SOURCE; `SOURCE --help` shows a plugin's options; TORSION_PLUGINS\n" +
    "names more plugin modules, separated by `:`):\n" +
    list(
      [...plugins].sort((a, b) => a.tapname.localeCompare(b.tapname)).map((
        p,
      ) => [p.tapname, p.description]),
    ) +
    "\nSignals: SIGINT/SIGTERM stop the services (a second one exits at once, status 1);\n" +
    "SIGUSR1 reopens the log file if it was moved, else rotates it.\n";
}
