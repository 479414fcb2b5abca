// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode DatagramProtocol}: what UDP protocols extend.
 *
 * @module
 */

import * as log from "../defer/log.ts";
import type {
  DatagramAddress,
  IDatagramProtocol,
  ILoggingContext,
  IMulticastTransport,
  IUDPTransport,
} from "./interfaces.ts";

/**
 * The base class of UDP protocols (Twisted's `DatagramProtocol`): override
 * {@linkcode DatagramProtocol.datagramReceived}, and
 * {@linkcode DatagramProtocol.startProtocol} /
 * {@linkcode DatagramProtocol.stopProtocol} as needed. Give an instance to
 * `reactor.listenUDP` (or `listenMulticast`); `transport` is the port.
 *
 * @example An echo protocol
 * ```ts
 * import { DatagramProtocol, type DatagramAddress } from "@torsion/torsion/reactor";
 * import { deepEqual } from "node:assert/strict";
 *
 * class Echo extends DatagramProtocol {
 *   override datagramReceived(data: Uint8Array, addr: DatagramAddress): void {
 *     this.transport!.write(data, addr);
 *   }
 * }
 * const sent: unknown[] = [];
 * const p = new Echo();
 * p.transport = { write: (d: Uint8Array, a: DatagramAddress) => sent.push([d, a]) } as never;
 * p.datagramReceived(new Uint8Array([1]), ["127.0.0.1", 9]);
 * deepEqual(sent, [[new Uint8Array([1]), ["127.0.0.1", 9]]]);
 * ```
 */
export class DatagramProtocol implements IDatagramProtocol, ILoggingContext {
  /**
   * The port this protocol is connected to, or `null` when not listening.
   * A port from `listenMulticast` is an `IMulticastTransport`.
   */
  transport: (IUDPTransport & Partial<IMulticastTransport>) | null = null;
  /** How many ports this protocol is connected to. */
  numPorts = 0;
  /** Whether the start and stop are logged. @default {false} */
  noisy = false;

  /** Returns the prefix of log lines about this protocol: its class name. */
  logPrefix(): string {
    return this.constructor.name;
  }

  /**
   * Connects the protocol to a port and starts it (called by `listenUDP`).
   *
   * @param transport The port.
   * @throws {Error} If the protocol is connected already.
   */
  makeConnection(transport: IUDPTransport): void {
    if (this.transport !== null) {
      throw new Error(`${this.logPrefix()} is connected to a port already`);
    }
    this.transport = transport;
    this.doStart();
  }

  /** Starts the protocol on its first port: calls `startProtocol`. */
  doStart(): void {
    if (this.numPorts === 0) {
      if (this.noisy) log.msg(`Starting protocol ${this.logPrefix()}`);
      this.startProtocol();
    }
    this.numPorts++;
  }

  /** Stops the protocol when its last port stops: calls `stopProtocol`. */
  doStop(): void {
    if (this.numPorts <= 0) return;
    this.numPorts--;
    this.transport = null;
    if (this.numPorts === 0) {
      if (this.noisy) log.msg(`Stopping protocol ${this.logPrefix()}`);
      this.stopProtocol();
    }
  }

  /** Called when the port starts listening: `transport` is set. Override it. */
  startProtocol(): void {}

  /** Called when the port stopped listening. Override it. */
  stopProtocol(): void {}

  /**
   * Called with each datagram that arrives. Override it. A throw is logged;
   * the port keeps serving.
   *
   * @param _data The datagram, truncated to the port's `maxPacketSize`;
   *   yours to keep.
   * @param _addr The sender's `[host, port]`.
   */
  datagramReceived(_data: Uint8Array, _addr: DatagramAddress): void {}

  /**
   * Called when a datagram sent on a connected port was refused. Deno's
   * UDP sockets never report a refusal (see the Deno backend's datagram
   * notes), so Torsion's own ports do not call it; other transports may.
   */
  connectionRefused(): void {}
}
