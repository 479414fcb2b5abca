// Copyright 2026 the Torsion authors. MIT license.
/**
 * Address helpers shared by the transports and the test doubles.
 *
 * @module
 */

import { IPv4Address, IPv6Address, UNIXAddress } from "./address.ts";
import type { NetAddress } from "./backend.ts";
import type { IAddress } from "./interfaces.ts";

/** The TCP address of `host` (IPv6 if it has a colon) and `port`. */
export function tcpAddress(
  host: string,
  port: number,
): IPv4Address | IPv6Address {
  return host.includes(":")
    ? new IPv6Address("TCP", host, port)
    : new IPv4Address("TCP", host, port);
}

/** Converts a backend address into Torsion's address classes. */
export function toIAddress(a: NetAddress): IAddress {
  return a.transport === "unix"
    ? new UNIXAddress(a.path || null)
    : tcpAddress(a.hostname, a.port);
}
