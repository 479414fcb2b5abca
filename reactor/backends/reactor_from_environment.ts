// Copyright 2026 the Torsion authors. MIT license.
/**
 * Choosing a reactor by name: {@linkcode reactorNamed} (the runner's
 * `--reactor`), {@linkcode reactorFromEnvironment} (`TORSION_REACTOR`), and
 * the list of names, {@linkcode getReactorTypes}.
 *
 * @module
 */

import { Reactor } from "../reactor.ts";
import { EpollReactor } from "./epoll/epoll_reactor.ts";

/** A reactor that can be chosen by name (Twisted's `IReactorInstaller`). */
export interface ReactorType {
  /** The name: `default`, `epoll`. */
  readonly shortName: string;
  /** One line about it: what it runs on, what it needs. */
  readonly description: string;
}

const REACTOR_TYPES: readonly (ReactorType & { build(): Reactor })[] = [
  {
    shortName: "default",
    description:
      "sockets through Deno's own APIs; runs everywhere, needs only --allow-net",
    build: () => new Reactor(),
  },
  {
    shortName: "epoll",
    description:
      "Linux epoll and libc through FFI (EpollReactor); needs --allow-ffi",
    build: () => new EpollReactor(),
  },
];

/**
 * Returns the reactors that can be chosen by name, for help texts
 * (Twisted's `reactors.getReactorTypes()`).
 *
 * @returns Their names and descriptions, `default` first.
 *
 * @example Usage
 * ```ts
 * import { getReactorTypes } from "@torsion/torsion/reactor";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(getReactorTypes().map((t) => t.shortName), ["default", "epoll"]);
 * ```
 */
export function getReactorTypes(): ReactorType[] {
  return REACTOR_TYPES.map(({ shortName, description }) => ({
    shortName,
    description,
  }));
}

/**
 * Builds the reactor `names` asks for: `default` for `new Reactor()`,
 * `epoll` for `new EpollReactor()`, or a comma-separated list tried in
 * order (`epoll,default`: epoll where it can run, the default reactor
 * elsewhere). The runner's `--reactor` and `TORSION_REACTOR` both come here.
 *
 * @param names A name, or names separated by commas.
 * @param origin Where the names come from, for error messages
 *   (`"TORSION_REACTOR=x"`, `"--reactor x"`).
 * @returns The reactor.
 * @throws {Error} If it names an unknown reactor, or only reactors that
 *   cannot run here (the message says why: "Cannot use the epoll reactor:
 *   run Deno with --allow-ffi").
 *
 * @example Usage
 * ```ts
 * import { Reactor, reactorNamed } from "@torsion/torsion/reactor";
 * import { ok, throws } from "node:assert/strict";
 *
 * ok(reactorNamed("default") instanceof Reactor);
 * throws(() => reactorNamed("kqueue"), /known: epoll, default/);
 * ```
 */
export function reactorNamed(
  names: string,
  origin: string = `"${names}"`,
): Reactor {
  let failure: unknown = null;
  for (const raw of names.split(",")) {
    const name = raw.trim();
    const type = REACTOR_TYPES.find((t) => t.shortName === name);
    if (type === undefined) {
      throw new Error(
        `Cannot choose a reactor: ${origin} names "${name}"; known: epoll, default`,
      );
    }
    try {
      return type.build();
    } catch (e) {
      failure = e;
    }
  }
  throw failure;
}

/** The value of `TORSION_REACTOR`, or `""` (also when it may not be read). */
function choice(): string {
  const name = "TORSION_REACTOR";
  try {
    // Reading the environment must never prompt: ask first.
    if (
      Deno.permissions.querySync({ name: "env", variable: name }).state !==
        "granted"
    ) {
      return "";
    }
    return Deno.env.get(name) ?? "";
  } catch {
    return "";
  }
}

/**
 * Builds the reactor `TORSION_REACTOR` names: `default` (or unset) for
 * `new Reactor()`, `epoll` for `new EpollReactor()`, or a comma-separated
 * list tried in order (`epoll,default`: epoll where it can run, the default
 * reactor elsewhere); see {@linkcode reactorNamed}. Without `--allow-env`
 * the variable is not read.
 *
 * @returns The reactor.
 * @throws {Error} If it names an unknown reactor, or only reactors that
 *   cannot run here (the message says why).
 *
 * @example Usage
 * ```ts
 * import { Reactor, reactorFromEnvironment } from "@torsion/torsion/reactor";
 * import { ok } from "node:assert/strict";
 *
 * ok(reactorFromEnvironment() instanceof Reactor);
 * ```
 */
export function reactorFromEnvironment(): Reactor {
  const value = choice().trim();
  if (value === "") return new Reactor();
  return reactorNamed(value, `TORSION_REACTOR=${value}`);
}
