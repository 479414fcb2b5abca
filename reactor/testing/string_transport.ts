// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode StringTransport} and
 * {@linkcode StringTransportWithDisconnection}: in-memory transports that
 * record what a protocol writes.
 *
 * @module
 */

import { Failure } from "../../defer/failure.ts";
import { IPv4Address } from "../address.ts";
import { ConnectionDone } from "../errors.ts";
import type {
  IAddress,
  IProtocol,
  IPullProducer,
  IPushProducer,
  ITCPTransport,
} from "../interfaces.ts";
import { RecordedOptions } from "./recorded_options.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function toBytes(data: Uint8Array | string): Uint8Array {
  return typeof data === "string" ? encoder.encode(data) : data;
}

/**
 * A transport that keeps what is written in memory (Twisted's
 * `StringTransport`). Connect a protocol to it with `makeConnection`, feed
 * bytes to `dataReceived`, and read what the protocol wrote with
 * {@linkcode StringTransport.value} (bytes) or
 * {@linkcode StringTransport.valueText} (UTF-8).
 *
 * `loseConnection()` only sets `disconnecting`; it never calls the
 * protocol's `connectionLost` (use
 * {@linkcode StringTransportWithDisconnection} for that). Unlike Twisted's,
 * `write` accepts strings too (as UTF-8), as Torsion's real transports do.
 *
 * @example Usage
 * ```ts
 * import { Protocol } from "@torsion/torsion/reactor";
 * import { StringTransport } from "@torsion/torsion/testing";
 * import { equal } from "node:assert/strict";
 *
 * class Hello extends Protocol {
 *   override connectionMade(): void {
 *     this.transport.write("hello\r\n");
 *     this.transport.loseConnection();
 *   }
 * }
 * const t = new StringTransport();
 * new Hello().makeConnection(t);
 * equal(t.valueText(), "hello\r\n");
 * equal(t.disconnecting, true);
 * ```
 */
export class StringTransport extends RecordedOptions implements ITCPTransport {
  /** Whether the transport is connected. */
  connected = true;
  /** Whether `loseConnection()` (or `abortConnection()`) was called. */
  disconnecting = false;
  /** Whether `abortConnection()` was called. */
  disconnected = false;
  /** Whether `loseWriteConnection()` was called. */
  writeDisconnected = false;
  /** The registered producer, if any. */
  producer: IPushProducer | IPullProducer | null = null;
  /** Whether the registered producer is a push (streaming) producer. */
  streaming: boolean | null = null;
  /**
   * This transport's own state as a push producer (what the protocol asked
   * of the transport): `"producing"`, `"paused"` or `"stopped"`.
   */
  producerState: "producing" | "paused" | "stopped" = "producing";
  /** The address `getHost()` returns. */
  hostAddr: IAddress;
  /** The address `getPeer()` returns. */
  peerAddr: IAddress;
  #chunks: Uint8Array[] = [];
  #length = 0;
  #lenient: boolean;

  /**
   * Creates a `StringTransport`.
   *
   * @param hostAddress What `getHost()` returns (default
   *   `IPv4Address("TCP", "10.0.0.1", 12345)`).
   * @param peerAddress What `getPeer()` returns (default
   *   `IPv4Address("TCP", "192.168.1.1", 54321)`).
   * @param lenient Allow pausing and resuming after `loseConnection()`.
   */
  constructor(hostAddress?: IAddress, peerAddress?: IAddress, lenient = false) {
    super();
    this.hostAddr = hostAddress ?? new IPv4Address("TCP", "10.0.0.1", 12345);
    this.peerAddr = peerAddress ?? new IPv4Address("TCP", "192.168.1.1", 54321);
    this.#lenient = lenient;
  }

  /** Returns everything written since the last {@linkcode StringTransport.clear}, as bytes. */
  value(): Uint8Array {
    if (this.#chunks.length !== 1) {
      const all = new Uint8Array(this.#length);
      let off = 0;
      for (const c of this.#chunks) {
        all.set(c, off);
        off += c.length;
      }
      this.#chunks = this.#length === 0 ? [] : [all];
      return all;
    }
    return this.#chunks[0];
  }

  /** Returns everything written since the last {@linkcode StringTransport.clear}, decoded as UTF-8. */
  valueText(): string {
    return decoder.decode(this.value());
  }

  /** Forgets what was written. */
  clear(): void {
    this.#chunks = [];
    this.#length = 0;
  }

  /**
   * Records `data` (a string as UTF-8). The array is copied.
   *
   * @param data The data.
   */
  write(data: Uint8Array | string): void {
    const bytes = typeof data === "string"
      ? encoder.encode(data)
      : data.slice();
    if (bytes.length === 0) return;
    this.#chunks.push(bytes);
    this.#length += bytes.length;
  }

  /**
   * Records each piece of `data`.
   *
   * @param data The pieces.
   */
  writeSequence(data: Iterable<Uint8Array | string>): void {
    for (const d of data) this.write(toBytes(d));
  }

  /** Sets {@linkcode StringTransport.disconnecting}; nothing else. */
  loseConnection(): void {
    this.disconnecting = true;
  }

  /** Sets {@linkcode StringTransport.writeDisconnected}. */
  loseWriteConnection(): void {
    this.writeDisconnected = true;
  }

  /** Sets {@linkcode StringTransport.disconnecting} and {@linkcode StringTransport.disconnected}. */
  abortConnection(): void {
    this.disconnecting = true;
    this.disconnected = true;
  }

  /** Returns {@linkcode StringTransport.hostAddr}. */
  getHost(): IAddress {
    return this.hostAddr;
  }

  /** Returns {@linkcode StringTransport.peerAddr}. */
  getPeer(): IAddress {
    return this.peerAddr;
  }

  /** Returns 0: what is written is recorded at once, never waits. */
  getWriteBufferSize(): number {
    return 0;
  }

  /**
   * Records a producer. Unlike a real transport, it never calls a pull
   * producer's `resumeProducing`.
   *
   * @param producer The producer.
   * @param streaming Whether it is a push producer.
   * @throws {Error} If one is registered already.
   */
  registerProducer(
    producer: IPushProducer | IPullProducer,
    streaming: boolean,
  ): void {
    if (this.producer !== null) {
      throw new Error("Cannot register two producers");
    }
    this.producer = producer;
    this.streaming = streaming;
  }

  /**
   * Forgets the producer.
   *
   * @throws {Error} If none is registered.
   */
  unregisterProducer(): void {
    if (this.producer === null) {
      throw new Error("Cannot unregister a producer unless one is registered");
    }
    this.producer = null;
    this.streaming = null;
  }

  #checkState(): void {
    if (this.disconnecting && !this.#lenient) {
      throw new Error("Cannot resume producing after loseConnection");
    }
    if (this.producerState === "stopped") {
      throw new Error("Cannot resume a stopped producer");
    }
  }

  /**
   * Sets {@linkcode StringTransport.producerState} to `"paused"`.
   *
   * @throws {Error} After `loseConnection()` (unless lenient) or `stopProducing()`.
   */
  pauseProducing(): void {
    this.#checkState();
    this.producerState = "paused";
  }

  /**
   * Sets {@linkcode StringTransport.producerState} to `"producing"`.
   *
   * @throws {Error} After `loseConnection()` (unless lenient) or `stopProducing()`.
   */
  resumeProducing(): void {
    this.#checkState();
    this.producerState = "producing";
  }

  /** Sets {@linkcode StringTransport.producerState} to `"stopped"`. */
  stopProducing(): void {
    this.producerState = "stopped";
  }
}

/**
 * A {@linkcode StringTransport} whose `loseConnection()` calls the
 * protocol's `connectionLost` (once) with `ConnectionDone("Bye.")`. Set
 * {@linkcode StringTransportWithDisconnection.protocol} first.
 *
 * @example Usage
 * ```ts
 * import { Protocol } from "@torsion/torsion/reactor";
 * import { StringTransportWithDisconnection } from "@torsion/torsion/testing";
 * import type { Failure } from "@torsion/torsion/defer";
 * import { equal } from "node:assert/strict";
 *
 * let why = "";
 * class P extends Protocol {
 *   override connectionLost(reason: Failure): void { why = reason.getErrorMessage(); }
 * }
 * const p = new P();
 * const t = new StringTransportWithDisconnection();
 * t.protocol = p;
 * p.makeConnection(t);
 * t.loseConnection();
 * equal(why, "Connection was closed cleanly: Bye..");
 * ```
 */
export class StringTransportWithDisconnection extends StringTransport {
  /** The protocol to tell about the disconnection. */
  protocol: IProtocol | null = null;

  /** Calls the protocol's `connectionLost` with `ConnectionDone`, once. */
  override loseConnection(): void {
    if (this.connected) {
      this.connected = false;
      this.protocol?.connectionLost(new Failure(new ConnectionDone("Bye.")));
    }
  }
}
