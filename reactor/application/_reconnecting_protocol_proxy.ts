// Copyright 2026 the Torsion authors. MIT license.
/**
 * The wrappers `ClientService` connects through, to hear when a connection
 * is lost (Twisted's `_ReconnectingProtocolProxy` and `_DisconnectFactory`).
 *
 * @module
 */

import type { Failure } from "../../defer/failure.ts";
import * as log from "../../defer/log.ts";
import type {
  IAddress,
  IProtocol,
  IProtocolFactory,
  ITransport,
} from "../interfaces.ts";

interface MaybeHalfCloseable {
  readConnectionLost?(): void;
  writeConnectionLost?(): void;
  logPrefix?(): string;
}

/**
 * Stands between the transport and the application's protocol, passing
 * every event on, and tells its owner once the connection is lost. It
 * offers the half-close events only if the protocol has them, so that
 * the transport treats the two alike.
 */
export class ReconnectingProtocolProxy implements IProtocol {
  /** The application's protocol. */
  readonly protocol: IProtocol;
  /** The transport, once connected. */
  transport: ITransport | null = null;
  /** Why the connection was lost, once it was. */
  lostReason: Failure | null = null;
  readonly #lostNotification: (proxy: ReconnectingProtocolProxy) => void;

  constructor(
    protocol: IProtocol,
    lostNotification: (proxy: ReconnectingProtocolProxy) => void,
  ) {
    this.protocol = protocol;
    this.#lostNotification = lostNotification;
    const inner = protocol as MaybeHalfCloseable;
    const self = this as MaybeHalfCloseable;
    if (typeof inner.readConnectionLost === "function") {
      self.readConnectionLost = () => inner.readConnectionLost!();
    }
    if (typeof inner.writeConnectionLost === "function") {
      self.writeConnectionLost = () => inner.writeConnectionLost!();
    }
    if (typeof inner.logPrefix === "function") {
      self.logPrefix = () => inner.logPrefix!();
    }
  }

  get keepsReceivedData(): boolean | undefined {
    return this.protocol.keepsReceivedData;
  }

  makeConnection(transport: ITransport): void {
    this.transport = transport;
    this.protocol.makeConnection(transport);
  }

  connectionMade(): void {
    this.protocol.connectionMade();
  }

  dataReceived(data: Uint8Array): void {
    this.protocol.dataReceived(data);
  }

  connectionLost(reason: Failure): void {
    this.lostReason = reason;
    try {
      this.protocol.connectionLost(reason);
    } finally {
      try {
        this.#lostNotification(this);
      } catch (e) {
        log.err(e, "Error handling a lost ClientService connection");
      }
    }
  }

  toString(): string {
    return `<ReconnectingProtocolProxy wrapping ${this.protocol}>`;
  }
}

/**
 * Builds {@linkcode ReconnectingProtocolProxy}s around the protocols of the
 * application's factory, and passes `doStart`/`doStop` on to it.
 */
export class DisconnectFactory implements IProtocolFactory {
  readonly #factory: IProtocolFactory;
  readonly #lost: (proxy: ReconnectingProtocolProxy) => void;

  constructor(
    factory: IProtocolFactory,
    lost: (proxy: ReconnectingProtocolProxy) => void,
  ) {
    this.#factory = factory;
    this.#lost = lost;
  }

  buildProtocol(addr: IAddress): IProtocol | null {
    const protocol = this.#factory.buildProtocol(addr);
    return protocol === null
      ? null
      : new ReconnectingProtocolProxy(protocol, this.#lost);
  }

  doStart(): void {
    this.#factory.doStart();
  }

  doStop(): void {
    this.#factory.doStop();
  }

  toString(): string {
    return `<DisconnectFactory wrapping ${this.#factory}>`;
  }
}
