// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode getHostByName}: resolve a host name with a reactor's resolver.
 *
 * @module
 */

import type { Deferred } from "../defer/deferred.ts";
import { getReactor } from "./default.ts";
import type { IResolverSimple } from "./resolver.ts";

/** Options of {@linkcode getHostByName}. */
export interface GetHostByNameOptions {
  /** Seconds, or Twisted's retry schedule. @default {[1, 3, 11, 45]} */
  timeout?: number | readonly number[];
  /** The reactor whose resolver to ask. @default {the default reactor} */
  reactor?: {
    resolve(
      name: string,
      options?: { timeout?: number | readonly number[] },
    ): Deferred<string>;
    readonly resolver: IResolverSimple;
  };
}

/**
 * Resolves `name` to an IPv4 address (Twisted's
 * `twisted.names.client.getHostByName`, answered by the reactor's
 * resolver): the same as `reactor.resolve(name, { timeout })`.
 *
 * @param name The host name (an IPv4 address gives itself).
 * @param options The timeout and the reactor.
 * @returns A Deferred of the address; failed with `DNSLookupError` naming
 *   the host.
 *
 * @example Usage
 * ```ts
 * import { getHostByName, Reactor } from "@torsion/torsion/reactor";
 * import { equal } from "node:assert/strict";
 *
 * equal(await getHostByName("localhost", { reactor: new Reactor() }), "127.0.0.1");
 * ```
 */
export function getHostByName(
  name: string,
  options: GetHostByNameOptions = {},
): Deferred<string> {
  const reactor = options.reactor ?? getReactor();
  return reactor.resolve(name, { timeout: options.timeout });
}
