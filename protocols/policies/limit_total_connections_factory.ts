// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode LimitTotalConnectionsFactory}: a server factory that caps its
 * simultaneous connections, after `twisted.protocols.policies`.
 *
 * @module
 */

import { type ProtocolClass, ServerFactory } from "../../reactor/factory.ts";
import type { IAddress, IProtocol } from "../../reactor/interfaces.ts";
import {
  ProtocolWrapper,
  type ProtocolWrapperFactory,
} from "./protocol_wrapper.ts";

/**
 * A server factory that limits how many connections are open at once
 * (Twisted's `LimitTotalConnectionsFactory`). Set
 * {@linkcode LimitTotalConnectionsFactory.protocol} as on any factory, and
 * {@linkcode LimitTotalConnectionsFactory.connectionLimit}. Within the limit
 * each connection gets a {@linkcode LimitTotalConnectionsFactory.protocol};
 * over it, an
 * {@linkcode LimitTotalConnectionsFactory.overflowProtocol} if one is set
 * (to send an error message, say), else the connection is refused (closed at
 * once). Overflow connections count too.
 *
 * Each protocol is wrapped in a {@linkcode ProtocolWrapper}, whose
 * `connectionLost` lowers
 * {@linkcode LimitTotalConnectionsFactory.connectionCount}; the wrapped
 * protocol's `factory` is this factory.
 *
 * @example Usage
 * ```ts
 * import { LimitTotalConnectionsFactory } from "@torsion/torsion/protocols";
 * import { IPv4Address, Protocol } from "@torsion/torsion/reactor";
 * import { equal, notEqual } from "node:assert/strict";
 *
 * const factory = new LimitTotalConnectionsFactory();
 * factory.protocol = Protocol;
 * factory.connectionLimit = 1;
 * const addr = new IPv4Address("TCP", "10.0.0.2", 1);
 * notEqual(factory.buildProtocol(addr), null);
 * equal(factory.buildProtocol(addr), null);
 * equal(factory.connectionCount, 1);
 * ```
 */
export class LimitTotalConnectionsFactory extends ServerFactory
  implements ProtocolWrapperFactory {
  /** How many connections are open (or built and not yet lost) now. */
  connectionCount = 0;
  /** The most connections at once; `null` (the default) for no limit. */
  connectionLimit: number | null = null;
  /**
   * The protocol class for connections over the limit; `null` (the
   * default) refuses them instead.
   */
  overflowProtocol: ProtocolClass | null = null;

  /**
   * Builds a {@linkcode LimitTotalConnectionsFactory.protocol} (within the
   * limit) or an {@linkcode LimitTotalConnectionsFactory.overflowProtocol}
   * (over it), wrapped in a {@linkcode ProtocolWrapper}, and counts it.
   *
   * @param _addr The address of the other side.
   * @returns The wrapper, or `null` to refuse the connection.
   * @throws {TypeError} If {@linkcode LimitTotalConnectionsFactory.protocol}
   *   is not set.
   */
  override buildProtocol(_addr: IAddress): ProtocolWrapper | null {
    let protocolClass: ProtocolClass;
    if (
      this.connectionLimit === null ||
      this.connectionCount < this.connectionLimit
    ) {
      if (this.protocol === null) {
        throw new TypeError(
          `Cannot build a protocol: ${this.constructor.name}.protocol is not set`,
        );
      }
      protocolClass = this.protocol;
    } else if (this.overflowProtocol === null) {
      return null;
    } else {
      protocolClass = this.overflowProtocol;
    }
    const wrapped: IProtocol = new protocolClass();
    (wrapped as { factory?: unknown }).factory = this;
    const protocol = new ProtocolWrapper(this, wrapped);
    this.connectionCount++;
    return protocol;
  }

  /**
   * Does nothing: connections are counted when built.
   *
   * @param _p The wrapper.
   */
  registerProtocol(_p: ProtocolWrapper): void {}

  /**
   * Lowers {@linkcode LimitTotalConnectionsFactory.connectionCount} (called
   * by the wrapper in `connectionLost`).
   *
   * @param _p The wrapper.
   */
  unregisterProtocol(_p: ProtocolWrapper): void {
    if (this.connectionCount > 0) this.connectionCount--;
  }
}
