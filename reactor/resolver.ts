// Copyright 2026 the Torsion authors. MIT license.
/**
 * Name resolution, after Twisted's `IResolverSimple`: the reactor's
 * {@linkcode SystemResolver} (the system's `getaddrinfo`, so `/etc/hosts`
 * names resolve), a resolver tests can install instead
 * (`reactor.installResolver`), and {@linkcode isIPAddress}.
 *
 * @module
 */

import { Deferred } from "../defer/deferred.ts";
import { DNSLookupError } from "./errors.ts";
import type { IDelayedCall } from "./interfaces.ts";

/**
 * Twisted's default lookup timeout: `(1, 3, 11, 45)`, summed (60 seconds)
 * by the system resolver.
 */
export const DEFAULT_RESOLVE_TIMEOUT: readonly number[] = [1, 3, 11, 45];

/**
 * Resolves a host name to one IPv4 address (Twisted's `IResolverSimple`).
 *
 * @example A resolver for tests
 * ```ts
 * import { succeed } from "@torsion/torsion/defer";
 * import type { IResolverSimple } from "@torsion/torsion/reactor";
 *
 * const fixed: IResolverSimple = {
 *   getHostByName: (_name) => succeed("127.0.0.1"),
 * };
 * ```
 */
export interface IResolverSimple {
  /**
   * Resolves `name`.
   *
   * @param name The host name.
   * @param timeout Seconds to wait; a resolver may sum them (Twisted's
   *   retry schedule `(1, 3, 11, 45)`).
   * @returns A Deferred of the address; failed with `DNSLookupError`.
   */
  getHostByName(
    name: string,
    timeout?: readonly number[],
  ): Deferred<string>;
}

/** What {@linkcode SystemResolver} needs of the reactor. */
export interface ResolverReactor {
  /** Schedules the timeout. */
  callLater(delay: number, f: () => unknown): IDelayedCall;
  /** The backend, whose `lookupHost` asks the system. */
  readonly _backend: {
    lookupHost?(name: string): Promise<string>;
  };
}

/**
 * The system's resolver (Twisted's `ThreadedResolver`, without the
 * thread): the backend asks `getaddrinfo` for an IPv4 address, without
 * blocking the reactor, so `/etc/hosts` names resolve as in every other
 * program. The timeouts are summed (default 60 seconds; an empty list
 * means 60 too); a lookup that takes longer fails with `DNSLookupError`
 * "address 'name' not found: timeout error", as in Twisted. Deno needs
 * `--allow-net` for the lookup.
 *
 * @example Usage
 * ```ts
 * import { Reactor, SystemResolver } from "@torsion/torsion/reactor";
 * import { equal } from "node:assert/strict";
 *
 * const reactor = new Reactor();
 * const address = await new SystemResolver(reactor).getHostByName("localhost");
 * equal(address, "127.0.0.1");
 * ```
 */
export class SystemResolver implements IResolverSimple {
  readonly #reactor: ResolverReactor;

  /**
   * Makes the resolver.
   *
   * @param reactor The reactor (its timer and backend).
   */
  constructor(reactor: ResolverReactor) {
    this.#reactor = reactor;
  }

  /**
   * Resolves `name` to an IPv4 address.
   *
   * @param name The host name.
   * @param timeout Seconds, summed.
   * @returns A Deferred of the address; failed with `DNSLookupError`
   *   naming the host.
   */
  getHostByName(
    name: string,
    timeout: readonly number[] = DEFAULT_RESOLVE_TIMEOUT,
  ): Deferred<string> {
    const d = new Deferred<string>();
    const lookup = this.#reactor._backend.lookupHost;
    if (lookup === undefined) {
      d.errback(
        new DNSLookupError(
          `address '${name}' not found: this reactor's backend cannot resolve names`,
        ),
      );
      return d;
    }
    const delay = timeout.length === 0
      ? 60
      : timeout.reduce((a, b) => a + b, 0);
    let settled = false;
    const timer = this.#reactor.callLater(delay, () => {
      if (settled) return;
      settled = true;
      d.errback(
        new DNSLookupError(`address '${name}' not found: timeout error`),
      );
    });
    lookup.call(this.#reactor._backend, name).then((address) => {
      if (settled) return;
      settled = true;
      if (timer.active()) timer.cancel();
      d.callback(address);
    }, (e: unknown) => {
      if (settled) return;
      settled = true;
      if (timer.active()) timer.cancel();
      const why = e instanceof Error ? e.message : String(e);
      d.errback(new DNSLookupError(`address '${name}' not found: ${why}`));
    });
    return d;
  }
}

const IPV4 =
  /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/**
 * Whether `name` is an IPv4 address in dotted form (Twisted's
 * `abstract.isIPAddress`).
 *
 * @param name Anything.
 * @returns Whether it is, e.g., `"127.0.0.1"`.
 *
 * @example Usage
 * ```ts
 * import { isIPAddress } from "@torsion/torsion/reactor";
 * import { equal } from "node:assert/strict";
 *
 * equal(isIPAddress("10.0.0.1"), true);
 * equal(isIPAddress("example.com"), false);
 * ```
 */
export function isIPAddress(name: string): boolean {
  return IPV4.test(name);
}

/**
 * Whether `name` is an IPv6 address (Twisted's `abstract.isIPv6Address`;
 * a scope id such as `%eth0` is allowed).
 *
 * @param name Anything.
 * @returns Whether it is, e.g., `"::1"`.
 *
 * @example Usage
 * ```ts
 * import { isIPv6Address } from "@torsion/torsion/reactor";
 * import { equal } from "node:assert/strict";
 *
 * equal(isIPv6Address("::1"), true);
 * equal(isIPv6Address("localhost"), false);
 * ```
 */
export function isIPv6Address(name: string): boolean {
  const addr = name.split("%")[0];
  if (!addr.includes(":")) return false;
  try {
    return new URL(`http://[${addr}]/`).hostname.length > 2;
  } catch {
    return false;
  }
}
