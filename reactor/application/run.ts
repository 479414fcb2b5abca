// Copyright 2026 the Torsion authors. MIT license.
/**
 * The runner, Twisted's `twistd -n` for Deno: it owns the process of an
 * application (pid file, log file, signals, a clean stop) so that the
 * application is only a tree of services.
 *
 * ```sh
 * deno run -A jsr:@torsion/torsion/run [options] SOURCE [plugin options]
 * deno task run echo --listen tcp:8000        # in this repository
 * deno task run --pidfile app.pid -l app.log examples/echo_app.ts
 * ```
 *
 * SOURCE is a built-in plugin (`echo`, `daytime`, `qotd`), or a module
 * that exports `application` (Twisted's `-y`) or a plugin as
 * `serviceMaker`. `--help` lists the options, the reactors and the plugins.
 *
 * Run as the main module, it runs with `Deno.args` and exits with the
 * runner's status; imported, it only exports {@linkcode run} and the option
 * parsing.
 *
 * ```ts
 * import { parseRunnerOptions } from "@torsion/torsion/run";
 * import { equal } from "node:assert/strict";
 *
 * const options = parseRunnerOptions(["-l", "app.log", "app.ts"]);
 * equal(options.logfile, "app.log");
 * equal(options.source, "app.ts");
 * ```
 *
 * @module
 */

import { denoRunnerSystem } from "../backends/deno/deno_runner_system.ts";
import { run } from "./runner.ts";

export { run } from "./runner.ts";
export {
  parseRunnerOptions,
  RUNNER_OPTIONS,
  runnerHelp,
  type RunnerOptions,
} from "./runner_options.ts";

if (import.meta.main) denoRunnerSystem.exit(await run());
