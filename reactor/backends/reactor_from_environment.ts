// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode reactorFromEnvironment}: the default reactor the environment
 * asks for (`TORSION_REACTOR`).
 *
 * @module
 */

import { Reactor } from "../reactor.ts";
import { EpollReactor } from "./epoll/epoll_reactor.ts";

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
 * reactor elsewhere). Without `--allow-env` the variable is not read.
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
  const names = value.split(",").map((n) => n.trim());
  let failure: unknown = null;
  for (const name of names) {
    if (name === "default") return new Reactor();
    if (name !== "epoll") {
      throw new Error(
        `Cannot choose a reactor: TORSION_REACTOR=${value} names "${name}"; known: epoll, default`,
      );
    }
    try {
      return new EpollReactor();
    } catch (e) {
      failure = e;
    }
  }
  throw failure;
}
