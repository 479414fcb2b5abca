// Copyright 2026 the Torsion authors. MIT license.
/**
 * Addresses: {@linkcode IPv4Address}, {@linkcode IPv6Address},
 * {@linkcode UNIXAddress} (Twisted's `twisted.internet.address`).
 *
 * @module
 */

import type { IAddress } from "./interfaces.ts";

/**
 * An IPv4 address and port.
 *
 * @example Usage
 * ```ts
 * import { IPv4Address } from "@torsion/torsion/reactor";
 * import { equal } from "node:assert/strict";
 *
 * const a = new IPv4Address("TCP", "127.0.0.1", 8000);
 * equal(a.toString(), "IPv4Address(type='TCP', host='127.0.0.1', port=8000)");
 * equal(a.equals(new IPv4Address("TCP", "127.0.0.1", 8000)), true);
 * ```
 */
export class IPv4Address implements IAddress {
  /** `"TCP"` or `"UDP"`. */
  readonly type: "TCP" | "UDP";
  /** The dotted-quad host. */
  readonly host: string;
  /** The port. */
  readonly port: number;
  /**
   * Creates a `IPv4Address`.
   *
   * @param type `"TCP"` or `"UDP"`.
   * @param host The dotted-quad host.
   * @param port The port.
   */
  constructor(type: "TCP" | "UDP", host: string, port: number) {
    this.type = type;
    this.host = host;
    this.port = port;
  }
  /**
   * Compares with another address.
   *
   * @param other Another address.
   * @returns Whether it is the same address.
   */
  equals(other: unknown): boolean {
    return other instanceof IPv4Address && other.type === this.type &&
      other.host === this.host && other.port === this.port;
  }
  /** Returns twisted's repr, e.g. `IPv4Address(type='TCP', host='127.0.0.1', port=8000)`. */
  toString(): string {
    return `IPv4Address(type='${this.type}', host='${this.host}', port=${this.port})`;
  }
}

/**
 * An IPv6 address and port.
 *
 * @example Usage
 * ```ts
 * import { IPv6Address } from "@torsion/torsion/reactor";
 * import { equal } from "node:assert/strict";
 *
 * equal(new IPv6Address("TCP", "::1", 80).host, "::1");
 * ```
 */
export class IPv6Address implements IAddress {
  /** `"TCP"` or `"UDP"`. */
  readonly type: "TCP" | "UDP";
  /** The host, without brackets. */
  readonly host: string;
  /** The port. */
  readonly port: number;
  /** The flow info. */
  readonly flowInfo: number;
  /** The scope id. */
  readonly scopeID: number | string;
  /**
   * Creates a `IPv6Address`.
   *
   * @param type `"TCP"` or `"UDP"`.
   * @param host The host, without brackets.
   * @param port The port.
   * @param flowInfo The flow info.
   * @param scopeID The scope id.
   */
  constructor(
    type: "TCP" | "UDP",
    host: string,
    port: number,
    flowInfo = 0,
    scopeID: number | string = 0,
  ) {
    this.type = type;
    this.host = host;
    this.port = port;
    this.flowInfo = flowInfo;
    this.scopeID = scopeID;
  }
  /**
   * Compares with another address.
   *
   * @param other Another address.
   * @returns Whether it is the same address.
   */
  equals(other: unknown): boolean {
    return other instanceof IPv6Address && other.type === this.type &&
      other.host === this.host && other.port === this.port &&
      other.flowInfo === this.flowInfo && other.scopeID === this.scopeID;
  }
  /** Returns twisted's repr. */
  toString(): string {
    return `IPv6Address(type='${this.type}', host='${this.host}', port=${this.port}, flowInfo=${this.flowInfo}, scopeID=${this.scopeID})`;
  }
}

/**
 * A Unix socket address.
 *
 * @example Usage
 * ```ts
 * import { UNIXAddress } from "@torsion/torsion/reactor";
 * import { equal } from "node:assert/strict";
 *
 * equal(new UNIXAddress("/tmp/s.sock").name, "/tmp/s.sock");
 * ```
 */
export class UNIXAddress implements IAddress {
  /** Always `"UNIX"`. */
  readonly type = "UNIX" as const;
  /** The socket's path, or `null` for an unnamed socket. */
  readonly name: string | null;
  /**
   * Creates a `UNIXAddress`.
   *
   * @param name The socket's path, or `null`.
   */
  constructor(name: string | null) {
    this.name = name;
  }
  /**
   * Compares with another address.
   *
   * @param other Another address.
   * @returns Whether it is the same address.
   */
  equals(other: unknown): boolean {
    return other instanceof UNIXAddress && other.name === this.name;
  }
  /** Returns twisted's repr. */
  toString(): string {
    return `UNIXAddress(${this.name === null ? "None" : `'${this.name}'`})`;
  }
}
