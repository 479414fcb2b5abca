// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode WrappingFactory}: a factory that wraps another factory's
 * protocols in {@linkcode ProtocolWrapper}s and keeps track of them, after
 * `twisted.protocols.policies.WrappingFactory`.
 *
 * @module
 */

import type { Failure } from "../../defer/failure.ts";
import { ClientFactory } from "../../reactor/factory.ts";
import type {
  IAddress,
  IConnector,
  IProtocol,
  IProtocolFactory,
} from "../../reactor/interfaces.ts";
import { wrappedLogPrefix } from "./_log_prefix.ts";
import {
  ProtocolWrapper,
  type ProtocolWrapperFactory,
} from "./protocol_wrapper.ts";

/** The client hooks a wrapped factory may have. */
type ClientHooks = Partial<
  Pick<
    ClientFactory,
    "startedConnecting" | "clientConnectionFailed" | "clientConnectionLost"
  >
>;

/**
 * Wraps a factory (Twisted's `WrappingFactory`): each protocol
 * {@linkcode WrappingFactory.wrappedFactory} builds is wrapped by
 * {@linkcode WrappingFactory.wrapProtocol} in a {@linkcode ProtocolWrapper},
 * and the connected wrappers are kept in
 * {@linkcode WrappingFactory.protocols}. Use it as is to count connections,
 * or subclass it (with a {@linkcode ProtocolWrapper} subclass) to build a
 * policy, as {@linkcode ThrottlingFactory} and {@linkcode TimeoutFactory}
 * do.
 *
 * `doStart`/`doStop` are forwarded to the wrapped factory first, and the
 * client hooks (`startedConnecting`, `clientConnectionFailed`,
 * `clientConnectionLost`) are forwarded when the wrapped factory has them,
 * so it works for servers and clients alike.
 *
 * Differences from Twisted: a wrapped factory refusing a connection (its
 * `buildProtocol` returning `null`) makes `buildProtocol` return `null` too,
 * where Twisted wraps `None` and fails later. Twisted picks the wrapper
 * class with the class attribute `protocol`; Torsion's `protocol` is typed
 * as a no-argument protocol class, so the wrapper is made by the overridable
 * {@linkcode WrappingFactory.wrapProtocol} instead. `protocols` is a `Set`.
 *
 * @example Usage
 * ```ts
 * import { WrappingFactory } from "@torsion/torsion/protocols";
 * import { Factory, IPv4Address, Protocol } from "@torsion/torsion/reactor";
 * import { StringTransportWithDisconnection } from "@torsion/torsion/testing";
 * import { equal } from "node:assert/strict";
 *
 * const factory = new WrappingFactory(Factory.forProtocol(Protocol));
 * const wrapper = factory.buildProtocol(new IPv4Address("TCP", "10.0.0.2", 4321))!;
 * const transport = new StringTransportWithDisconnection();
 * transport.protocol = wrapper;
 * wrapper.makeConnection(transport);
 * equal(factory.protocols.size, 1);
 * transport.loseConnection();
 * equal(factory.protocols.size, 0);
 * ```
 */
export class WrappingFactory extends ClientFactory
  implements ProtocolWrapperFactory {
  /** The factory whose protocols are wrapped. */
  wrappedFactory: IProtocolFactory;
  /** The wrappers connected now. */
  protocols: Set<ProtocolWrapper> = new Set();

  /**
   * Creates a factory wrapping `wrappedFactory`.
   *
   * @param wrappedFactory The factory whose protocols to wrap.
   */
  constructor(wrappedFactory: IProtocolFactory) {
    super();
    this.wrappedFactory = wrappedFactory;
  }

  /**
   * Returns a log prefix naming both factories, e.g.
   * `"EchoFactory (WrappingFactory)"`: the wrapped factory's `logPrefix()`,
   * or its class name if it has none.
   *
   * @returns The prefix.
   */
  override logPrefix(): string {
    return wrappedLogPrefix(this, this.wrappedFactory);
  }

  /** Starts the wrapped factory, then this one. */
  override doStart(): void {
    this.wrappedFactory.doStart();
    super.doStart();
  }

  /** Stops the wrapped factory, then this one. */
  override doStop(): void {
    this.wrappedFactory.doStop();
    super.doStop();
  }

  /**
   * Forwards to the wrapped factory's `startedConnecting`, if any.
   *
   * @param connector The connector.
   */
  override startedConnecting(connector: IConnector): void {
    (this.wrappedFactory as ClientHooks).startedConnecting?.(connector);
  }

  /**
   * Forwards to the wrapped factory's `clientConnectionFailed`, if any.
   *
   * @param connector The connector.
   * @param reason Why it failed.
   */
  override clientConnectionFailed(
    connector: IConnector,
    reason: Failure,
  ): void {
    (this.wrappedFactory as ClientHooks).clientConnectionFailed?.(
      connector,
      reason,
    );
  }

  /**
   * Forwards to the wrapped factory's `clientConnectionLost`, if any.
   *
   * @param connector The connector.
   * @param reason Why it was lost.
   */
  override clientConnectionLost(connector: IConnector, reason: Failure): void {
    (this.wrappedFactory as ClientHooks).clientConnectionLost?.(
      connector,
      reason,
    );
  }

  /**
   * Builds the wrapped factory's protocol for `addr` and wraps it with
   * {@linkcode WrappingFactory.wrapProtocol}.
   *
   * @param addr The address of the other side.
   * @returns The wrapper, or `null` if the wrapped factory refused the
   *   connection.
   */
  override buildProtocol(addr: IAddress): ProtocolWrapper | null {
    const wrapped = this.wrappedFactory.buildProtocol(addr);
    if (wrapped === null) return null;
    return this.wrapProtocol(wrapped);
  }

  /**
   * Makes the wrapper of a newly built protocol (Twisted's
   * `self.protocol(self, wrappedProtocol)`). Override it to use a
   * {@linkcode ProtocolWrapper} subclass.
   *
   * @param wrappedProtocol The protocol the wrapped factory built.
   * @returns Its wrapper.
   *
   * @example Usage
   * ```ts
   * import { ProtocolWrapper, WrappingFactory } from "@torsion/torsion/protocols";
   * import { Factory, type IProtocol, IPv4Address, Protocol } from "@torsion/torsion/reactor";
   * import { ok } from "node:assert/strict";
   *
   * class CountingWrapper extends ProtocolWrapper {
   *   received = 0;
   *   override dataReceived(data: Uint8Array): void {
   *     this.received += data.length;
   *     super.dataReceived(data);
   *   }
   * }
   * class CountingFactory extends WrappingFactory {
   *   override wrapProtocol(p: IProtocol): CountingWrapper {
   *     return new CountingWrapper(this, p);
   *   }
   * }
   * const f = new CountingFactory(Factory.forProtocol(Protocol));
   * ok(f.buildProtocol(new IPv4Address("TCP", "10.0.0.2", 1)) instanceof CountingWrapper);
   * ```
   */
  wrapProtocol(wrappedProtocol: IProtocol): ProtocolWrapper {
    return new ProtocolWrapper(this, wrappedProtocol);
  }

  /**
   * Adds a wrapper to {@linkcode WrappingFactory.protocols} (called by the
   * wrapper in `makeConnection`).
   *
   * @param p The wrapper.
   */
  registerProtocol(p: ProtocolWrapper): void {
    this.protocols.add(p);
  }

  /**
   * Removes a wrapper from {@linkcode WrappingFactory.protocols} (called by
   * the wrapper in `connectionLost`).
   *
   * @param p The wrapper.
   */
  unregisterProtocol(p: ProtocolWrapper): void {
    this.protocols.delete(p);
  }
}
