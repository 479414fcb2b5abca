// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode BaseProtocol} and {@linkcode Protocol}: what user protocols
 * extend.
 *
 * @module
 */

import type { Failure } from "../defer/failure.ts";
import type { Factory } from "./factory.ts";
import type {
  ILoggingContext,
  IProtocol,
  ITCPTransport,
  ITransport,
} from "./interfaces.ts";

/**
 * The connection-setup half of a protocol (Twisted's `BaseProtocol`).
 *
 * @example Usage
 * ```ts
 * import { BaseProtocol } from "@torsion/torsion/reactor";
 * import { StringTransport } from "@torsion/torsion/testing";
 * import { equal } from "node:assert/strict";
 *
 * const p = new BaseProtocol();
 * p.makeConnection(new StringTransport());
 * equal(p.connected, true);
 * ```
 */
export class BaseProtocol {
  /** Whether `makeConnection` has run. */
  connected = false;
  /**
   * The transport to write to. Set by `makeConnection`; `undefined` before.
   * Real TCP and Unix connections, and the test transports, implement all
   * of `ITCPTransport`.
   */
  transport!: ITCPTransport;

  /**
   * Connects the protocol to `transport` and calls
   * {@linkcode BaseProtocol.connectionMade}.
   *
   * @param transport The transport.
   */
  makeConnection(transport: ITransport): void {
    this.connected = true;
    this.transport = transport as ITCPTransport;
    this.connectionMade();
  }

  /** Called when the connection is set up. Override it. */
  connectionMade(): void {}
}

/**
 * The base class of stream protocols (Twisted's `Protocol`): override
 * {@linkcode Protocol.dataReceived}, and {@linkcode Protocol.connectionMade}
 * and {@linkcode Protocol.connectionLost} as needed. To type `factory` as
 * your factory class, redeclare it: `declare factory: MyFactory;`.
 *
 * @example Usage
 * ```ts
 * import { Protocol } from "@torsion/torsion/reactor";
 * import { StringTransport } from "@torsion/torsion/testing";
 * import { equal } from "node:assert/strict";
 *
 * class Echo extends Protocol {
 *   override dataReceived(data: Uint8Array): void {
 *     this.transport.write(data);
 *   }
 * }
 * const t = new StringTransport();
 * const p = new Echo();
 * p.makeConnection(t);
 * p.dataReceived(new TextEncoder().encode("hi"));
 * equal(t.valueText(), "hi");
 * ```
 */
export class Protocol extends BaseProtocol
  implements IProtocol, ILoggingContext {
  /** The factory that built this protocol, if any. */
  factory!: Factory;

  /** Returns the prefix of log lines about this protocol: its class name. */
  logPrefix(): string {
    return this.constructor.name;
  }

  /**
   * Called with bytes as they arrive, in chunks of any size. The array is
   * yours to keep, unless the class declares
   * `readonly keepsReceivedData = false` (see `IProtocol`): then it is a
   * view of the transport's read buffer, valid until this returns, which
   * may be passed to `transport.write()` and must be copied to be kept;
   * reading then costs no fresh memory or copy. Throwing closes the
   * connection with the error as reason.
   *
   * @param _data The bytes.
   */
  dataReceived(_data: Uint8Array): void {}

  /**
   * Called once when the connection is closed.
   *
   * @param _reason Why: `ConnectionDone` (clean), `ConnectionLost`,
   *   `ConnectionAborted`, or the error `dataReceived` threw, in a Failure.
   */
  connectionLost(_reason: Failure): void {}
}
