// Copyright 2026 the Torsion authors. MIT license.
// Helpers for tests over real TCP sockets on 127.0.0.1.
import type { Failure } from "../defer/mod.ts";
import {
  ClientFactory,
  type Factory,
  type IConnector,
  type IPv4Address,
  type Port,
  Protocol,
  type Reactor,
} from "../reactor/mod.ts";
import { signal } from "./_reactor.ts";

/** Writes back what it reads. */
export class Echo extends Protocol {
  override dataReceived(data: Uint8Array): void {
    this.transport.write(data);
  }
}

/**
 * Listens with `protocol` on 127.0.0.1, any port; returns the port and its
 * number. `backlog` is Twisted's 50 unless a test connects in bursts: past
 * it the kernel drops SYNs, and the client retries a second later.
 */
export function listen(
  reactor: Reactor,
  factory: Factory,
  backlog = 50,
): [Port, number] {
  factory.noisy = false;
  const port = reactor.listenTCP(0, factory, {
    interface: "127.0.0.1",
    backlog,
  });
  return [port, (port.getHost() as IPv4Address).port];
}

/** A client factory whose protocols and events the test can wait on. */
export class Recorder extends ClientFactory {
  override noisy = false;
  readonly failed: Promise<Failure>;
  readonly lost: Promise<Failure>;
  #failed: (f: Failure) => void;
  #lost: (f: Failure) => void;
  started = 0;
  constructor(protocol: new () => Protocol) {
    super();
    this.protocol = protocol;
    [this.failed, this.#failed] = signal<Failure>();
    [this.lost, this.#lost] = signal<Failure>();
  }
  override startedConnecting(_c: IConnector): void {
    this.started++;
  }
  override clientConnectionFailed(_c: IConnector, reason: Failure): void {
    this.#failed(reason);
  }
  override clientConnectionLost(_c: IConnector, reason: Failure): void {
    this.#lost(reason);
  }
}

/** What {@linkcode collector} returns. */
export interface Collected {
  /** The client protocol. */
  Collector: new () => Protocol;
  /** Fires with the client's `connectionLost` reason. */
  lost: Promise<Failure>;
  /** Returns everything the client received. */
  bytes: () => Uint8Array;
}

/**
 * A client that sends `payload`, collects the reply (closing once it has
 * `closeAfter` bytes), and reports the close.
 */
export function collector(
  payload: Uint8Array | string,
  closeAfter = Infinity,
): Collected {
  const chunks: Uint8Array[] = [];
  const [lost, onLost] = signal<Failure>();
  let total = 0;
  class Collector extends Protocol {
    override connectionMade(): void {
      this.transport.write(payload);
    }
    override dataReceived(data: Uint8Array): void {
      chunks.push(data);
      total += data.length;
      if (total >= closeAfter) this.transport.loseConnection();
    }
    override connectionLost(reason: Failure): void {
      onLost(reason);
    }
  }
  const bytes = () => {
    const out = new Uint8Array(total);
    let off = 0;
    for (const c of chunks) {
      out.set(c, off);
      off += c.length;
    }
    return out;
  };
  return { Collector, lost, bytes };
}
