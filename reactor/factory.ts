// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode Factory}, {@linkcode ServerFactory} and
 * {@linkcode ClientFactory}: what builds protocols for connections.
 *
 * @module
 */

import type { Failure } from "../defer/failure.ts";
import * as log from "../defer/log.ts";
import type {
  IAddress,
  IConnector,
  ILoggingContext,
  IProtocol,
  IProtocolFactory,
} from "./interfaces.ts";

/** A protocol class a {@linkcode Factory} can build: constructed with no arguments. */
export type ProtocolClass = new () => IProtocol;

/**
 * Builds a protocol per connection (Twisted's `Factory`). Set
 * {@linkcode Factory.protocol} (or use {@linkcode Factory.forProtocol}); keep
 * state shared by the connections on the factory, where each protocol finds
 * it as `this.factory`.
 *
 * Ports and connectors call {@linkcode Factory.doStart} and
 * {@linkcode Factory.doStop}; the first start calls
 * {@linkcode Factory.startFactory} and the last stop
 * {@linkcode Factory.stopFactory}, each logged ("Starting factory ...") while
 * {@linkcode Factory.noisy} is on.
 *
 * @example Usage
 * ```ts
 * import { Factory, IPv4Address, Protocol } from "@torsion/torsion/reactor";
 * import { equal, ok } from "node:assert/strict";
 *
 * class Counter extends Factory {
 *   override protocol = Protocol;
 *   count = 0;
 * }
 * const f = new Counter();
 * const p = f.buildProtocol(new IPv4Address("TCP", "127.0.0.1", 1234));
 * ok(p instanceof Protocol);
 * equal(p.factory, f);
 * ```
 */
export class Factory implements IProtocolFactory, ILoggingContext {
  /** The protocol class {@linkcode Factory.buildProtocol} instantiates. */
  protocol: ProtocolClass | null = null;
  /** How many ports or connectors use this factory now. */
  numPorts = 0;
  /** Whether to log starting and stopping. */
  noisy = true;

  /**
   * Makes a factory of this class for `protocol`.
   *
   * @typeParam F The factory class.
   * @typeParam A Its constructor's arguments.
   * @param protocol The protocol class.
   * @param args Arguments for the factory's constructor.
   * @returns The factory.
   *
   * @example Usage
   * ```ts
   * import { Factory, Protocol } from "@torsion/torsion/reactor";
   * import { equal } from "node:assert/strict";
   *
   * class Echo extends Protocol {}
   * equal(Factory.forProtocol(Echo).protocol, Echo);
   * ```
   */
  static forProtocol<F extends Factory, A extends unknown[]>(
    this: new (...args: A) => F,
    protocol: ProtocolClass,
    ...args: A
  ): F {
    const f = new this(...args);
    f.protocol = protocol;
    return f;
  }

  /** Returns the prefix of log lines about this factory: its class name. */
  logPrefix(): string {
    return this.constructor.name;
  }

  /** Called by a port or connector that starts using this factory. */
  doStart(): void {
    if (this.numPorts === 0) {
      if (this.noisy) log.msg(`Starting factory ${this}`);
      this.startFactory();
    }
    this.numPorts++;
  }

  /** Called by a port or connector that stops using this factory. */
  doStop(): void {
    if (this.numPorts === 0) return;
    this.numPorts--;
    if (this.numPorts === 0) {
      if (this.noisy) log.msg(`Stopping factory ${this}`);
      this.stopFactory();
    }
  }

  /** Called before the first port or connector uses the factory. Override it to set up. */
  startFactory(): void {}

  /** Called after the last port or connector stopped using the factory. Override it to clean up. */
  stopFactory(): void {}

  /**
   * Builds the protocol for a connection: a new {@linkcode Factory.protocol}
   * with its `factory` set. Override it to refuse connections (return
   * `null`) or to configure protocols.
   *
   * @param _addr The address of the other side.
   * @returns The protocol, or `null` to refuse the connection.
   * @throws {TypeError} If {@linkcode Factory.protocol} is not set.
   */
  buildProtocol(_addr: IAddress): IProtocol | null {
    if (this.protocol === null) {
      throw new TypeError(
        `Cannot build a protocol: ${this.constructor.name}.protocol is not set`,
      );
    }
    const p = new this.protocol();
    (p as { factory?: Factory }).factory = this;
    return p;
  }

  /** Returns `<ClassName object>`, as in Twisted's log lines. */
  toString(): string {
    return `<${this.constructor.name} object>`;
  }
}

/**
 * A factory for servers (a marker, as in Twisted).
 *
 * @example Usage
 * ```ts
 * import { Factory, ServerFactory } from "@torsion/torsion/reactor";
 * import { ok } from "node:assert/strict";
 *
 * ok(new ServerFactory() instanceof Factory);
 * ```
 */
export class ServerFactory extends Factory {}

/**
 * A factory for clients: it also hears about the connection attempt
 * (Twisted's `ClientFactory`).
 *
 * @example Usage
 * ```ts
 * import { ClientFactory, type IConnector } from "@torsion/torsion/reactor";
 * import type { Failure } from "@torsion/torsion/defer";
 *
 * class EchoClientFactory extends ClientFactory {
 *   override clientConnectionFailed(_c: IConnector, reason: Failure): void {
 *     console.log("Connection failed:", reason.getErrorMessage());
 *   }
 * }
 * new EchoClientFactory();
 * ```
 */
export class ClientFactory extends Factory {
  /**
   * Called when a connection attempt starts.
   *
   * @param _connector The connector.
   */
  startedConnecting(_connector: IConnector): void {}

  /**
   * Called when a connection attempt failed: refused, timed out (the
   * reactor's `TimeoutError`), host not found (`DNSLookupError`), or
   * stopped (`UserError`).
   *
   * @param _connector The connector; `connector.connect()` tries again.
   * @param _reason Why, in a Failure.
   */
  clientConnectionFailed(_connector: IConnector, _reason: Failure): void {}

  /**
   * Called when an established connection was lost.
   *
   * @param _connector The connector; `connector.connect()` reconnects.
   * @param _reason Why, in a Failure.
   */
  clientConnectionLost(_connector: IConnector, _reason: Failure): void {}
}
