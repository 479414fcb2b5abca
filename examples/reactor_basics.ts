// Copyright 2026 the Torsion authors. MIT license.
// deno-lint-ignore-file no-console
/**
 * The reactor and its event loop, first step of the tutorials.
 *
 * The reactor does nothing by itself: `reactor.run()` waits for events
 * until something calls `reactor.stop()` (or you press Ctrl-C). Here
 * `reactor.callLater(seconds, f)` schedules three events: the time is
 * printed after 1 and 2 seconds, and the reactor stops after 3 (the
 * tutorial waits 1, 10 and 15 seconds; `--fast` divides every delay by 20).
 *
 * ```sh
 * deno run examples/reactor_basics.ts          # prints, and exits after 3 s
 * deno run examples/reactor_basics.ts --fast   # the same in 0.15 s
 * deno run examples/reactor_basics.ts --empty  # an empty reactor: Ctrl-C stops it
 * ```
 *
 * Output:
 *
 * ```text
 * Running the reactor...
 * Current time is 14:02:11
 * Current time is 14:02:12
 * stopping reactor
 * Reactor stopped.
 * ```
 *
 * `reactor.run()` returns a promise that settles once the reactor has shut
 * down, so the last line is printed after `await reactor.run()`: the
 * place of the line after `reactor.run()` in Python, where `run()` blocks.
 * The first line is printed by `reactor.callWhenRunning`, once the reactor
 * has started (and handles Ctrl-C).
 *
 * Python original (the texts' typos "Runing", "tim" and "Rector" are
 * fixed here):
 *
 * ```py
 * def printTime():
 *     print "Current time is", time.strftime("%H:%M:%S")
 *
 * def stopReactor():
 *     print "stopping reactor"
 *     reactor.stop()
 *
 * reactor.callLater(1, printTime)
 * reactor.callLater(10, printTime)
 * reactor.callLater(15, stopReactor)
 * print "Running the reactor..."
 * reactor.run()
 * print "Reactor stopped."
 * ```
 *
 * @module
 */

import { log, reactor } from "../mod.ts";
import { cli } from "./_cli.ts";

/** Formats the local time as `HH:MM:SS` (Python's `time.strftime("%H:%M:%S")`). */
function strftime(date: Date): string {
  return [date.getHours(), date.getMinutes(), date.getSeconds()]
    .map((n) => String(n).padStart(2, "0"))
    .join(":");
}

/** Prints the current time. */
export function printTime(): void {
  console.log("Current time is", strftime(new Date()));
}

/** Stops the reactor: `reactor.run()` settles once it has shut down. */
export function stopReactor(): void {
  console.log("stopping reactor");
  reactor.stop();
}

const USAGE = `
Usage: deno run examples/reactor_basics.ts [--fast | --empty]

  --fast    divide the delays (1, 2 and 3 seconds) by 20
  --empty   run an empty reactor, which waits for Ctrl-C
`;

if (import.meta.main) {
  const { values } = cli(USAGE, {
    fast: { type: "boolean", default: false },
    empty: { type: "boolean", default: false },
  });
  log.startLogging(); // to stderr: "Received SIGINT, shutting down."
  // "Running the reactor..." is printed once the reactor runs
  // (`callWhenRunning`): from then on, Ctrl-C is handled.
  reactor.callWhenRunning(() => console.log("Running the reactor..."));
  if (!values.empty) {
    const scale = values.fast ? 1 / 20 : 1;
    reactor.callLater(1 * scale, printTime);
    reactor.callLater(2 * scale, printTime);
    reactor.callLater(3 * scale, stopReactor);
  }
  // Without timed calls (--empty), the reactor waits for events until
  // Ctrl-C (SIGINT) or SIGTERM, which it handles by stopping gracefully.
  await reactor.run();
  console.log("Reactor stopped.");
}
