// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode react}: run a `main` function on the reactor, then exit.
 *
 * @module
 */

import { Failure } from "../../defer/failure.ts";
import * as log from "../../defer/log.ts";
import { maybeDeferred } from "../../defer/maybe_deferred.ts";
import { ReactorNotRunning } from "../errors.ts";
import type { TransportReactor } from "../backend.ts";
import { getReactor } from "../default.ts";
import type { Reactor } from "../reactor.ts";

/** What {@linkcode react} needs of a reactor. */
export type ReactReactor = Pick<
  Reactor,
  "run" | "stop" | "callWhenRunning" | "addSystemEventTrigger"
>;

/**
 * Options of {@linkcode react}.
 *
 * @typeParam R The reactor type.
 */
export interface ReactOptions<R extends ReactReactor = Reactor> {
  /** The reactor to run. @default {reactor} */
  reactor?: R;
  /**
   * What to do with the exit code once the reactor has stopped; the default
   * exits the process (through the reactor's backend: `Deno.exit`). Tests
   * pass their own.
   */
  exit?: (code: number) => void;
}

/**
 * Runs `main(reactor, ...argv)` (which may return a Deferred, a promise or a
 * value), runs the reactor until that settles, stops the reactor, and exits
 * the process: 0 on success, 1 on failure (logged as "main function
 * encountered error"). For `deno run` scripts (Twisted's `task.react`).
 *
 * `main` is called before the reactor runs, as in Twisted: what it schedules
 * happens once the reactor has started. If the reactor is stopped otherwise
 * first (Ctrl-C), the process exits when the shutdown is over.
 *
 * @typeParam A The types of `argv`.
 * @typeParam R The reactor type (the default reactor's, `Reactor`).
 * @param main The program.
 * @param argv Arguments for `main`, after the reactor.
 * @param options The reactor to use, and what to do on exit.
 * @returns A promise that settles after the exit function ran (never, with
 *   the default, which ends the process).
 *
 * @example Usage
 * ```ts
 * import { react, Reactor } from "@torsion/torsion/reactor";
 * import { equal } from "node:assert/strict";
 *
 * const reactor = new Reactor();
 * let code = -1;
 * await react(
 *   () => new Promise((resolve) => reactor.callLater(0.01, () => resolve("done"))),
 *   [],
 *   { reactor, exit: (c) => { code = c; } },
 * );
 * equal(code, 0);
 * ```
 */
export function react<A extends unknown[], R extends ReactReactor = Reactor>(
  main: (reactor: R, ...argv: A) => unknown,
  argv: A = [] as unknown as A,
  options: ReactOptions<R> = {},
): Promise<void> {
  const reactor = options.reactor ?? (getReactor() as unknown as R);
  const exit = options.exit ?? ((code: number) => {
    const backend = (reactor as Partial<TransportReactor>)._backend ??
      getReactor()._backend;
    backend.exit(code);
  });
  let code = 0;
  let stopping = false;
  reactor.addSystemEventTrigger("before", "shutdown", () => {
    stopping = true;
  });
  const stop = (result: unknown, stopReactor: boolean): void => {
    if (stopReactor) {
      try {
        reactor.stop();
      } catch (e) {
        if (!(e instanceof ReactorNotRunning)) throw e;
      }
    }
    if (result instanceof Failure) {
      log.err(result, "main function encountered error");
      code = 1;
    }
  };
  maybeDeferred(() => main(reactor, ...argv)).addBoth((result) => {
    if (stopping) stop(result, false);
    else reactor.callWhenRunning(stop, result, true);
  });
  return reactor.run().then(() => exit(code));
}
