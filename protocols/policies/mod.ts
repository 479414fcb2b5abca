// Copyright 2026 the Torsion authors. MIT license.
/**
 * Resource-limiting policies, after `twisted.protocols.policies`: wrappers
 * that stand between a transport and a protocol
 * ({@linkcode ProtocolWrapper}, {@linkcode WrappingFactory}), idle timeouts
 * ({@linkcode TimeoutFactory}, and {@linkcode TimeoutMixin} for a protocol
 * of your own), connection limits ({@linkcode LimitTotalConnectionsFactory},
 * {@linkcode LimitConnectionsByPeer}) and bandwidth throttling
 * ({@linkcode ThrottlingFactory}). What schedules has a writable `clock`, the
 * default reactor unless set; tests set a `Clock`.
 *
 * ```ts
 * import { TimeoutFactory } from "@torsion/torsion/protocols";
 * import { Factory, IPv4Address, Protocol } from "@torsion/torsion/reactor";
 * import { Clock, StringTransport } from "@torsion/torsion/testing";
 * import { equal } from "node:assert/strict";
 *
 * const factory = new TimeoutFactory(Factory.forProtocol(Protocol), 60);
 * const clock = new Clock();
 * factory.clock = clock;
 * const p = factory.buildProtocol(new IPv4Address("TCP", "10.0.0.2", 1))!;
 * const transport = new StringTransport();
 * p.makeConnection(transport);
 * clock.advance(60);
 * equal(transport.disconnecting, true);
 * ```
 *
 * @module
 */

export {
  ProtocolWrapper,
  type ProtocolWrapperFactory,
} from "./protocol_wrapper.ts";
export { WrappingFactory } from "./wrapping_factory.ts";
export { TimeoutMixin, type TimeoutMixinClass } from "./timeout_mixin.ts";
export { TimeoutFactory, TimeoutProtocol } from "./timeout_protocol.ts";
export { LimitTotalConnectionsFactory } from "./limit_total_connections_factory.ts";
export { LimitConnectionsByPeer } from "./limit_connections_by_peer.ts";
export {
  ThrottlingFactory,
  type ThrottlingFactoryOptions,
  ThrottlingProtocol,
} from "./throttling_factory.ts";
