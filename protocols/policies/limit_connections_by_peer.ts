// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode LimitConnectionsByPeer}: a factory wrapper that caps the
 * connections from each peer host, after `twisted.protocols.policies`.
 *
 * @module
 */

import type { IAddress } from "../../reactor/interfaces.ts";
import type { ProtocolWrapper } from "./protocol_wrapper.ts";
import { WrappingFactory } from "./wrapping_factory.ts";

function peerHostOf(addr: IAddress): string | null {
  const host = (addr as { host?: unknown } | null)?.host;
  return typeof host === "string" ? host : null;
}

/**
 * Wraps a factory and refuses a connection when its peer host already has
 * {@linkcode LimitConnectionsByPeer.maxConnectionsPerPeer} connections open
 * (Twisted's `LimitConnectionsByPeer`). Peers are told apart by the `host`
 * of the address `buildProtocol` gets (`IPv4Address`/`IPv6Address`), so
 * connections from different ports of one host share a count.
 *
 * Differences from Twisted: Twisted's keys on `addr[0]` and
 * `getPeer()[1]`, from the days addresses were tuples, and fails on
 * `IPv4Address`; Torsion keys on `host`, remembers each wrapper's key
 * itself (so counting works even for a connection that never connected),
 * and also removes closed wrappers from
 * {@linkcode WrappingFactory.protocols}. Addresses without a host (Unix
 * sockets, whose peers have no identity) are not limited. A connection the
 * wrapped factory refuses is not counted.
 *
 * @example Usage
 * ```ts
 * import { LimitConnectionsByPeer } from "@torsion/torsion/protocols";
 * import { Factory, IPv4Address, Protocol } from "@torsion/torsion/reactor";
 * import { equal, notEqual } from "node:assert/strict";
 *
 * const factory = new LimitConnectionsByPeer(Factory.forProtocol(Protocol));
 * factory.maxConnectionsPerPeer = 1;
 * notEqual(factory.buildProtocol(new IPv4Address("TCP", "10.0.0.2", 1000)), null);
 * equal(factory.buildProtocol(new IPv4Address("TCP", "10.0.0.2", 1001)), null);
 * notEqual(factory.buildProtocol(new IPv4Address("TCP", "10.0.0.3", 1000)), null);
 * ```
 */
export class LimitConnectionsByPeer extends WrappingFactory {
  /** The most connections one peer host may have open at once. */
  maxConnectionsPerPeer = 5;
  /** The number of connections per peer host; hosts with none are absent. */
  peerConnections: Map<string, number> = new Map();
  #peerOf = new Map<ProtocolWrapper, string>();

  /**
   * Refuses the connection if its host is at the limit; otherwise builds
   * and wraps the wrapped factory's protocol and counts it.
   *
   * @param addr The address of the other side.
   * @returns The wrapper, or `null` to refuse the connection.
   */
  override buildProtocol(addr: IAddress): ProtocolWrapper | null {
    const peerHost = peerHostOf(addr);
    if (peerHost === null) return super.buildProtocol(addr);
    const count = this.peerConnections.get(peerHost) ?? 0;
    if (count >= this.maxConnectionsPerPeer) return null;
    const p = super.buildProtocol(addr);
    if (p === null) return null;
    this.peerConnections.set(peerHost, count + 1);
    this.#peerOf.set(p, peerHost);
    return p;
  }

  /**
   * Forgets a closed wrapper and lowers its host's count.
   *
   * @param p The wrapper.
   */
  override unregisterProtocol(p: ProtocolWrapper): void {
    super.unregisterProtocol(p);
    const peerHost = this.#peerOf.get(p);
    if (peerHost === undefined) return;
    this.#peerOf.delete(p);
    const left = (this.peerConnections.get(peerHost) ?? 1) - 1;
    if (left > 0) this.peerConnections.set(peerHost, left);
    else this.peerConnections.delete(peerHost);
  }
}
