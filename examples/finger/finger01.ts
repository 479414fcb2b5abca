// Copyright 2026 the Torsion authors. MIT license.
// deno-lint-ignore-file no-console
/**
 * Finger, step 1 (the tutorial's `finger01.py`): **refuse to connect, and
 * do it well.** Only a reactor runs; nothing listens, so every connection
 * to a finger port is refused. The reactor waits for events until Ctrl-C or
 * SIGTERM, then stops cleanly (exit status 0).
 *
 * ```sh
 * deno run examples/finger/finger01.ts   # prints "Running the reactor...", then waits
 * ```
 *
 * Torsion adds the "Running the reactor..." line (printed once the reactor
 * runs, so that a reader, or a test, knows Ctrl-C is handled by then); the
 * original prints nothing.
 *
 * Python original:
 *
 * ```py
 * from twisted.internet import reactor
 *
 * reactor.run()
 * ```
 *
 * @module
 */

import { log, reactor } from "../../mod.ts";

if (import.meta.main) {
  log.startLogging();
  reactor.callWhenRunning(() => console.log("Running the reactor..."));
  await reactor.run();
}
