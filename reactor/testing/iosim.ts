// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode connectedServerAndClient}, {@linkcode IOPump} and
 * {@linkcode FakeTransport}: two protocols talking in memory (Twisted's
 * `iosim`).
 *
 * @module
 */

import { Failure } from "../../defer/failure.ts";
import { IPv4Address } from "../address.ts";
import { ConnectionAborted, ConnectionDone } from "../errors.ts";
import type {
  IAddress,
  IProtocol,
  IPullProducer,
  IPushProducer,
  ITCPTransport,
} from "../interfaces.ts";
import { RecordedOptions } from "./recorded_options.ts";

const encoder = new TextEncoder();

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  let n = 0;
  for (const c of chunks) n += c.length;
  const out = new Uint8Array(n);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}

let serial = 0;

/**
 * One side of an in-memory connection. Writes wait in the transport until
 * an {@linkcode IOPump} moves them to the other side. `loseConnection()`
 * (and `abortConnection()`) take effect when the pump finds nothing left to
 * move: both protocols then get `connectionLost` (`ConnectionDone`, or
 * `ConnectionAborted` after an abort).
 *
 * @example Usage
 * ```ts
 * import { Protocol } from "@torsion/torsion/reactor";
 * import { FakeTransport } from "@torsion/torsion/testing";
 * import { equal } from "node:assert/strict";
 *
 * const p = new Protocol();
 * const t = new FakeTransport(p, true);
 * p.makeConnection(t);
 * t.write("hi");
 * equal(new TextDecoder().decode(t.getOutBuffer()!), "hi");
 * ```
 */
export class FakeTransport extends RecordedOptions implements ITCPTransport {
  /** The protocol that receives what the other side writes. */
  readonly protocol: IProtocol;
  /** Whether this is the accepting side. */
  readonly isServer: boolean;
  /** A number for debugging output. */
  readonly serial: number = serial++;
  /** What `getHost()` returns. */
  hostAddress: IAddress;
  /** What `getPeer()` returns. */
  peerAddress: IAddress;
  /** Whether the connection is open. */
  connected = true;
  /** Whether a close was asked for. */
  disconnecting = false;
  /** Whether the close has been reported. */
  disconnected = false;
  /** Whether `abortConnection()` was called. */
  aborted = false;
  /** The registered producer. */
  producer: IPushProducer | IPullProducer | null = null;
  /** Whether it is a push producer. */
  streamingProducer = false;
  #stream: Uint8Array[] = [];

  /**
   * Creates a `FakeTransport`.
   *
   * @param protocol The protocol on this side.
   * @param isServer Whether this is the accepting side.
   * @param hostAddress What `getHost()` returns.
   * @param peerAddress What `getPeer()` returns.
   */
  constructor(
    protocol: IProtocol,
    isServer: boolean,
    hostAddress?: IAddress,
    peerAddress?: IAddress,
  ) {
    super();
    this.protocol = protocol;
    this.isServer = isServer;
    const server = new IPv4Address("TCP", "127.0.0.1", 8000);
    const client = new IPv4Address("TCP", "127.0.0.1", 40000 + this.serial);
    this.hostAddress = hostAddress ?? (isServer ? server : client);
    this.peerAddress = peerAddress ?? (isServer ? client : server);
  }

  /**
   * Queues data for the other side. As on a real connection, writes made
   * after `loseConnection()` are still delivered before the close; after an
   * abort or once the close happened they are dropped.
   *
   * @param data Bytes, or a string as UTF-8.
   */
  write(data: Uint8Array | string): void {
    if (this.disconnected || this.aborted) return;
    const bytes = typeof data === "string"
      ? encoder.encode(data)
      : data.slice();
    if (bytes.length > 0) this.#stream.push(bytes);
  }

  /**
   * Queues several pieces.
   *
   * @param data The pieces.
   */
  writeSequence(data: Iterable<Uint8Array | string>): void {
    for (const d of data) this.write(d);
  }

  /** Asks for a close, done by the next pump. */
  loseConnection(): void {
    this.disconnecting = true;
  }

  /** Same as {@linkcode FakeTransport.loseConnection} here (nothing is lost). */
  loseWriteConnection(): void {
    this.disconnecting = true;
  }

  /** Asks for a close reported as `ConnectionAborted`; unsent data is dropped. */
  abortConnection(): void {
    this.aborted = true;
    this.disconnecting = true;
    this.#stream = [];
  }

  /** Returns {@linkcode FakeTransport.hostAddress}. */
  getHost(): IAddress {
    return this.hostAddress;
  }

  /** Returns {@linkcode FakeTransport.peerAddress}. */
  getPeer(): IAddress {
    return this.peerAddress;
  }

  /** Returns `"iosim"`. */
  logPrefix(): string {
    return "iosim";
  }

  /**
   * Attaches a producer; a pull producer is asked for data now and at each
   * pump.
   *
   * @param producer The producer.
   * @param streaming Whether it is a push producer.
   */
  registerProducer(
    producer: IPushProducer | IPullProducer,
    streaming: boolean,
  ): void {
    this.producer = producer;
    this.streamingProducer = streaming;
    if (!streaming) producer.resumeProducing();
  }

  /** Detaches the producer. */
  unregisterProducer(): void {
    this.producer = null;
  }

  /** Does nothing: the other side is never too fast here. */
  pauseProducing(): void {}

  /** Does nothing. */
  resumeProducing(): void {}

  /** Asks for a close. */
  stopProducing(): void {
    this.loseConnection();
  }

  /** Returns the number of bytes written and not yet moved by the pump. */
  getWriteBufferSize(): number {
    return this.#stream.reduce((n, c) => n + c.length, 0);
  }

  /** Returns and forgets what was written since the last call, or `null` if nothing was. */
  getOutBuffer(): Uint8Array | null {
    if (this.#stream.length === 0) return null;
    const out = concat(this.#stream);
    this.#stream = [];
    return out;
  }

  /** @ignore Asks a pull producer for more (the pump calls this). */
  _checkProducer(): void {
    if (this.producer !== null && !this.streamingProducer) {
      this.producer.resumeProducing();
    }
  }

  /** @ignore Tells the protocol the connection is gone. */
  _reportDisconnect(aborted: boolean): void {
    this.connected = false;
    this.protocol.connectionLost(
      new Failure(aborted ? new ConnectionAborted() : new ConnectionDone()),
    );
  }
}

/**
 * Moves bytes between the two sides of an in-memory connection.
 *
 * @example Usage
 * ```ts
 * import { Protocol } from "@torsion/torsion/reactor";
 * import { connectedServerAndClient } from "@torsion/torsion/testing";
 * import { equal } from "node:assert/strict";
 *
 * class Echo extends Protocol {
 *   override dataReceived(d: Uint8Array): void { this.transport.write(d); }
 * }
 * class Client extends Protocol {
 *   got = "";
 *   override dataReceived(d: Uint8Array): void { this.got += new TextDecoder().decode(d); }
 * }
 * const [client, _server, pump] = connectedServerAndClient(Echo, Client);
 * client.transport.write("ping");
 * pump.flush();
 * equal(client.got, "ping");
 * ```
 */
export class IOPump {
  /** The client's protocol. */
  readonly client: IProtocol;
  /** The server's protocol. */
  readonly server: IProtocol;
  /** The client's transport. */
  readonly clientIO: FakeTransport;
  /** The server's transport. */
  readonly serverIO: FakeTransport;

  /**
   * Creates a `IOPump`.
   *
   * @param client The client's protocol.
   * @param server The server's protocol.
   * @param clientIO The client's transport.
   * @param serverIO The server's transport.
   */
  constructor(
    client: IProtocol,
    server: IProtocol,
    clientIO: FakeTransport,
    serverIO: FakeTransport,
  ) {
    this.client = client;
    this.server = server;
    this.clientIO = clientIO;
    this.serverIO = serverIO;
  }

  /**
   * Moves what each side wrote to the other once, then carries out a close
   * asked for.
   *
   * @returns Whether anything happened.
   */
  pump(): boolean {
    const sData = this.serverIO.getOutBuffer();
    const cData = this.clientIO.getOutBuffer();
    this.clientIO._checkProducer();
    this.serverIO._checkProducer();
    if (cData !== null && !this.serverIO.disconnected) {
      this.server.dataReceived(cData);
    }
    if (sData !== null && !this.clientIO.disconnected) {
      this.client.dataReceived(sData);
    }
    if (cData !== null || sData !== null) return true;
    for (
      const [a, b] of [[this.serverIO, this.clientIO], [
        this.clientIO,
        this.serverIO,
      ]]
    ) {
      if (a.disconnecting && !a.disconnected) {
        a.disconnected = true;
        b.disconnecting = true;
        b.disconnected = true;
        const aborted = a.aborted;
        a._reportDisconnect(aborted);
        b._reportDisconnect(aborted);
        return true;
      }
    }
    return false;
  }

  /**
   * Pumps until nothing moves.
   *
   * @returns Whether anything happened.
   * @throws {Error} If the sides are still talking after 1,000 rounds.
   */
  flush(): boolean {
    let moved = false;
    for (let i = 0; i < 1000; i++) {
      if (!this.pump()) return moved;
      moved = true;
    }
    throw new Error(
      "Cannot flush the IOPump: still moving data after 1000 rounds",
    );
  }
}

/** A protocol instance, or a class with a no-argument constructor. */
export type ProtocolSource<P extends IProtocol> = P | (new () => P);

function make<P extends IProtocol>(source: ProtocolSource<P>): P {
  return typeof source === "function" ? new source() : source;
}

/** Options of {@linkcode connectedServerAndClient}. */
export interface ConnectedServerAndClientOptions {
  /**
   * Flush once before returning, so that greetings written in
   * `connectionMade` have been delivered.
   * @default {true}
   */
  greet?: boolean;
}

/**
 * Connects a server and a client protocol in memory (Twisted's
 * `iosim.connectedServerAndClient`): each gets a {@linkcode FakeTransport},
 * and the returned {@linkcode IOPump} moves bytes between them.
 *
 * @typeParam S The server protocol.
 * @typeParam C The client protocol.
 * @param server The server protocol, or its class.
 * @param client The client protocol, or its class.
 * @param options Whether to flush once at the start.
 * @returns `[client, server, pump]`, in Twisted's order.
 *
 * @example Usage
 * ```ts
 * import { Protocol } from "@torsion/torsion/reactor";
 * import { connectedServerAndClient } from "@torsion/torsion/testing";
 * import type { Failure } from "@torsion/torsion/defer";
 * import { equal } from "node:assert/strict";
 *
 * class Greeter extends Protocol {
 *   override connectionMade(): void {
 *     this.transport.write("hello\r\n");
 *     this.transport.loseConnection();
 *   }
 * }
 * class Client extends Protocol {
 *   got = "";
 *   why = "";
 *   override dataReceived(d: Uint8Array): void { this.got += new TextDecoder().decode(d); }
 *   override connectionLost(reason: Failure): void { this.why = reason.type?.name ?? ""; }
 * }
 * const [client] = connectedServerAndClient(Greeter, Client);
 * equal(client.got, "hello\r\n");
 * equal(client.why, "ConnectionDone");
 * ```
 */
export function connectedServerAndClient<
  S extends IProtocol,
  C extends IProtocol,
>(
  server: ProtocolSource<S>,
  client: ProtocolSource<C>,
  options: ConnectedServerAndClientOptions = {},
): [C, S, IOPump] {
  const c = make(client);
  const s = make(server);
  const cio = new FakeTransport(c, false);
  // Both sides agree on the client's address.
  const sio = new FakeTransport(s, true, undefined, cio.hostAddress);
  s.makeConnection(sio);
  c.makeConnection(cio);
  const pump = new IOPump(c, s, cio, sio);
  if (options.greet ?? true) pump.flush();
  return [c, s, pump];
}
