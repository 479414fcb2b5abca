// Copyright 2026 the Torsion authors. MIT license.
/**
 * The default reactor, looked up rather than imported (Twisted's
 * `installReactor` and `from twisted.internet import reactor`):
 * {@linkcode getReactor} builds a {@linkcode Reactor} on first use unless
 * {@linkcode installReactor} put another one in place first;
 * {@linkcode defaultClock} is what schedulers use when no clock is set.
 *
 * Nothing is built when this module loads, so code that only imports
 * protocols or the test doubles never creates a reactor.
 *
 * @module
 */

import { reactorFromEnvironment } from "./backends/reactor_from_environment.ts";
import { ReactorAlreadyInstalledError } from "./errors.ts";
import type { IReactorTime } from "./interfaces.ts";
import type { Reactor } from "./reactor.ts";

let installed: Reactor | null = null;

/**
 * Returns the default reactor: the one {@linkcode installReactor} put in
 * place, else one built now (and returned from then on): a `new Reactor()`,
 * or the reactor `TORSION_REACTOR` names (`epoll`, `epoll,default`; see
 * `reactorFromEnvironment`).
 *
 * @returns The default reactor.
 *
 * @example Usage
 * ```ts
 * import { getReactor, reactor } from "@torsion/torsion/reactor";
 * import { equal } from "node:assert/strict";
 *
 * equal(getReactor(), reactor);
 * ```
 */
export function getReactor(): Reactor {
  return installed ??= reactorFromEnvironment();
}

/**
 * Makes `reactor` the default reactor (Twisted's `installReactor`), e.g. a
 * reactor on another backend. Call it first thing, before anything uses the
 * default reactor.
 *
 * @param reactor The reactor to install.
 * @throws {ReactorAlreadyInstalledError} If a reactor was installed, or
 *   the default one built, already.
 *
 * @example Usage
 * ```ts no-assert
 * import { installReactor, Reactor, ReactorAlreadyInstalledError } from "@torsion/torsion/reactor";
 *
 * try {
 *   installReactor(new Reactor());
 * } catch (e) {
 *   // Importing "@torsion/torsion/reactor" builds the default reactor.
 *   if (!(e instanceof ReactorAlreadyInstalledError)) throw e;
 * }
 * ```
 */
export function installReactor(reactor: Reactor): void {
  if (installed !== null) throw new ReactorAlreadyInstalledError();
  installed = reactor;
}

/**
 * Returns the clock schedulers use when none was set: the default reactor.
 *
 * @returns The default reactor, as an {@linkcode IReactorTime}.
 *
 * @example Usage
 * ```ts
 * import { defaultClock, reactor } from "@torsion/torsion/reactor";
 * import { equal } from "node:assert/strict";
 *
 * equal(defaultClock(), reactor);
 * ```
 */
export function defaultClock(): IReactorTime {
  return getReactor();
}
