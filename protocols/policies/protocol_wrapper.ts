// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode ProtocolWrapper}: a protocol that stands between a transport and
 * another protocol, after `twisted.protocols.policies.ProtocolWrapper`.
 *
 * @module
 */

import type { Failure } from "../../defer/failure.ts";
import type { Factory } from "../../reactor/factory.ts";
import type {
  IAddress,
  IProtocol,
  IPullProducer,
  IPushProducer,
  ITCPTransport,
  ITransport,
  WriteBufferLimits,
} from "../../reactor/interfaces.ts";
import { Protocol } from "../../reactor/protocol.ts";
import { wrappedLogPrefix } from "./_log_prefix.ts";

/**
 * What a {@linkcode ProtocolWrapper} needs of the factory that built it: a
 * registry it joins on `makeConnection` and leaves on `connectionLost`.
 * {@linkcode WrappingFactory} and {@linkcode LimitTotalConnectionsFactory}
 * are such factories.
 *
 * @example Usage
 * ```ts
 * import { ProtocolWrapper, type ProtocolWrapperFactory } from "@torsion/torsion/protocols";
 * import { Protocol, ServerFactory } from "@torsion/torsion/reactor";
 * import { StringTransport } from "@torsion/torsion/testing";
 * import { equal } from "node:assert/strict";
 *
 * class CountingFactory extends ServerFactory implements ProtocolWrapperFactory {
 *   open = 0;
 *   registerProtocol(_p: ProtocolWrapper): void {
 *     this.open++;
 *   }
 *   unregisterProtocol(_p: ProtocolWrapper): void {
 *     this.open--;
 *   }
 * }
 * const factory = new CountingFactory();
 * new ProtocolWrapper(factory, new Protocol()).makeConnection(new StringTransport());
 * equal(factory.open, 1);
 * ```
 */
export interface ProtocolWrapperFactory extends Factory {
  /**
   * Called by a wrapper in its `makeConnection`, before the wrapped
   * protocol is connected.
   *
   * @param p The wrapper.
   */
  registerProtocol(p: ProtocolWrapper): void;
  /**
   * Called by a wrapper in its `connectionLost`, once, before the wrapped
   * protocol hears of it.
   *
   * @param p The wrapper.
   */
  unregisterProtocol(p: ProtocolWrapper): void;
}

/**
 * Wraps a protocol and is its transport as well (Twisted's
 * `ProtocolWrapper`): the real transport talks to the wrapper, the wrapper
 * hands events to {@linkcode ProtocolWrapper.wrappedProtocol}, and the
 * wrapped protocol's `transport` is the wrapper, which forwards what it is
 * asked to the real transport ({@linkcode ProtocolWrapper.transport}).
 * Subclasses override a method on either side to watch or change the
 * traffic, as {@linkcode TimeoutProtocol} and {@linkcode ThrottlingProtocol}
 * do.
 *
 * `makeConnection` registers the wrapper with its factory and then connects
 * the wrapped protocol to the wrapper; `connectionLost` unregisters it,
 * forwards the reason and lets go of the wrapped protocol (sets
 * {@linkcode ProtocolWrapper.wrappedProtocol} to `null`).
 *
 * Differences from Twisted: Python's `__getattr__` forwards any other
 * attribute to the real transport and `directlyProvides` copies its
 * interfaces; here the wrapper implements all of `ITCPTransport` and the
 * real transport's other members are reached through
 * {@linkcode ProtocolWrapper.transport}. `disconnecting` is also true when
 * the real transport is disconnecting, `connected` turns false on
 * `connectionLost`, and a second `connectionLost` is ignored. As in Twisted,
 * the half-close events (`readConnectionLost`, `writeConnectionLost`) are not
 * forwarded, so a wrapped connection closes as a whole.
 *
 * @example Usage
 * ```ts
 * import { ProtocolWrapper, WrappingFactory } from "@torsion/torsion/protocols";
 * import { Factory, Protocol } from "@torsion/torsion/reactor";
 * import { StringTransport } from "@torsion/torsion/testing";
 * import { equal } from "node:assert/strict";
 *
 * class Echo extends Protocol {
 *   override dataReceived(data: Uint8Array): void {
 *     this.transport.write(data);
 *   }
 * }
 * const echo = new Echo();
 * const wrapper = new ProtocolWrapper(
 *   new WrappingFactory(Factory.forProtocol(Echo)),
 *   echo,
 * );
 * const transport = new StringTransport();
 * wrapper.makeConnection(transport);
 * equal(echo.transport, wrapper);
 * wrapper.dataReceived(new TextEncoder().encode("hi"));
 * equal(transport.valueText(), "hi");
 * ```
 */
export class ProtocolWrapper extends Protocol implements ITCPTransport {
  /**
   * The protocol events are handed to; `null` once `connectionLost` has
   * run.
   */
  wrappedProtocol: IProtocol | null;

  /**
   * Whether the wrapped protocol keeps what `dataReceived` gives it: the
   * wrapper passes the bytes on and keeps nothing itself.
   */
  get keepsReceivedData(): boolean {
    return this.wrappedProtocol?.keepsReceivedData ?? true;
  }
  /** The factory that built this wrapper (not the wrapped protocol's factory). */
  declare factory: ProtocolWrapperFactory;
  #disconnecting = false;
  #lost = false;

  /**
   * Creates a wrapper of `wrappedProtocol`.
   *
   * @param factory The wrapping factory, told when the wrapper connects and
   *   disconnects.
   * @param wrappedProtocol The protocol to wrap.
   */
  constructor(factory: ProtocolWrapperFactory, wrappedProtocol: IProtocol) {
    super();
    this.factory = factory;
    this.wrappedProtocol = wrappedProtocol;
  }

  /**
   * Returns a log prefix naming both protocols, e.g.
   * `"Echo (ProtocolWrapper)"`: the wrapped protocol's `logPrefix()`, or its
   * class name if it has none.
   *
   * @returns The prefix.
   */
  override logPrefix(): string {
    return wrappedLogPrefix(this, this.wrappedProtocol);
  }

  /**
   * Keeps the real transport, registers with the factory, and connects the
   * wrapped protocol to this wrapper.
   *
   * @param transport The real transport.
   */
  override makeConnection(transport: ITransport): void {
    super.makeConnection(transport);
    this.factory.registerProtocol(this);
    this.wrappedProtocol?.makeConnection(this);
  }

  /**
   * Whether the connection is closing: `loseConnection()` was called on the
   * wrapper, or the real transport is disconnecting.
   */
  get disconnecting(): boolean {
    return this.#disconnecting || this.transport?.disconnecting === true;
  }

  /**
   * Writes to the real transport.
   *
   * @param data Bytes, or a string sent as UTF-8.
   */
  write(data: Uint8Array | string): void {
    this.transport.write(data);
  }

  /**
   * Writes to the real transport.
   *
   * @param data The pieces.
   */
  writeSequence(data: Iterable<Uint8Array | string>): void {
    this.transport.writeSequence(data);
  }

  /**
   * Sets {@linkcode ProtocolWrapper.disconnecting} and closes the real
   * transport (if connected yet).
   */
  loseConnection(): void {
    this.#disconnecting = true;
    this.transport?.loseConnection();
  }

  /** Half-closes the real transport. */
  loseWriteConnection(): void {
    this.transport.loseWriteConnection();
  }

  /** Aborts the real transport. */
  abortConnection(): void {
    this.transport.abortConnection();
  }

  /**
   * Returns the real transport's peer address.
   *
   * @returns The address of the other side.
   */
  getPeer(): IAddress {
    return this.transport.getPeer();
  }

  /**
   * Returns the real transport's host address.
   *
   * @returns The address of this side.
   */
  getHost(): IAddress {
    return this.transport.getHost();
  }

  /**
   * Registers a producer with the real transport.
   *
   * @param producer The producer.
   * @param streaming Whether it is a push producer.
   * @throws {Error} If the real transport has a producer already.
   */
  registerProducer(
    producer: IPushProducer | IPullProducer,
    streaming: boolean,
  ): void {
    this.transport.registerProducer(producer, streaming);
  }

  /** Unregisters the real transport's producer. */
  unregisterProducer(): void {
    this.transport.unregisterProducer();
  }

  /**
   * Calls the real transport's `stopConsuming` if it has one (Twisted's
   * `FileDescriptor` does); otherwise closes the connection, which is what
   * it would do.
   */
  stopConsuming(): void {
    const t = this.transport as ITCPTransport & { stopConsuming?: () => void };
    if (typeof t.stopConsuming === "function") t.stopConsuming();
    else this.loseConnection();
  }

  /** Pauses the real transport's reading. */
  pauseProducing(): void {
    this.transport.pauseProducing();
  }

  /** Resumes the real transport's reading. */
  resumeProducing(): void {
    this.transport.resumeProducing();
  }

  /** Stops the real transport's reading for good. */
  stopProducing(): void {
    this.transport.stopProducing();
  }

  /**
   * Returns the real transport's `TCP_NODELAY` setting.
   *
   * @returns Whether Nagle's algorithm is off.
   */
  getTcpNoDelay(): boolean {
    return this.transport.getTcpNoDelay();
  }

  /**
   * Sets the real transport's `TCP_NODELAY`.
   *
   * @param enabled Whether to turn Nagle's algorithm off.
   */
  setTcpNoDelay(enabled: boolean): void {
    this.transport.setTcpNoDelay(enabled);
  }

  /**
   * Returns the real transport's keepalive setting.
   *
   * @returns Whether TCP keepalive is on.
   */
  getTcpKeepAlive(): boolean {
    return this.transport.getTcpKeepAlive();
  }

  /**
   * Sets the real transport's keepalive.
   *
   * @param enabled Whether to turn TCP keepalive on.
   */
  setTcpKeepAlive(enabled: boolean): void {
    this.transport.setTcpKeepAlive(enabled);
  }

  /**
   * Sets the real transport's write buffer limits.
   *
   * @param limits The limits to change.
   */
  setWriteBufferLimits(limits: WriteBufferLimits): void {
    this.transport.setWriteBufferLimits(limits);
  }

  /**
   * Returns the real transport's write buffer limits.
   *
   * @returns The limits in effect.
   */
  getWriteBufferLimits(): Required<WriteBufferLimits> {
    return this.transport.getWriteBufferLimits();
  }

  /**
   * Returns the real transport's count of bytes waiting to be sent.
   *
   * @returns The count.
   */
  getWriteBufferSize(): number {
    return this.transport.getWriteBufferSize();
  }

  /**
   * Hands `data` to the wrapped protocol (dropped once it is let go).
   *
   * @param data The bytes.
   */
  override dataReceived(data: Uint8Array): void {
    this.wrappedProtocol?.dataReceived(data);
  }

  /**
   * Unregisters from the factory, hands `reason` to the wrapped protocol and
   * lets go of it, even if either step throws. Only the first call counts.
   *
   * @param reason Why the connection closed.
   */
  override connectionLost(reason: Failure): void {
    if (this.#lost) return;
    this.#lost = true;
    this.connected = false;
    try {
      this.factory.unregisterProtocol(this);
    } finally {
      try {
        this.wrappedProtocol?.connectionLost(reason);
      } finally {
        this.wrappedProtocol = null;
      }
    }
  }
}
