// Copyright 2026 the Torsion authors. MIT license.
// Shared fixtures of the policies tests, after the helpers at the top of
// Twisted's twisted/test/test_policies.py.
import type { Failure } from "../defer/failure.ts";
import { IPv4Address } from "../reactor/address.ts";
import { ServerFactory } from "../reactor/factory.ts";
import type { IProtocol, IPushProducer } from "../reactor/interfaces.ts";
import { Protocol } from "../reactor/protocol.ts";
import { StringTransportWithDisconnection } from "../reactor/testing/mod.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Encodes `s` as UTF-8. */
export function bytes(s: string): Uint8Array {
  return encoder.encode(s);
}

/** An IPv4 TCP address. */
export function addr(host = "127.0.0.1", port = 35): IPv4Address {
  return new IPv4Address("TCP", host, port);
}

/** Records what happens to it (Twisted's `SimpleProtocol`). */
export class SimpleProtocol extends Protocol {
  made = 0;
  disconnected = 0;
  reason: Failure | null = null;
  buffer = "";

  override connectionMade(): void {
    this.made++;
  }

  override connectionLost(reason: Failure): void {
    this.disconnected++;
    this.reason = reason;
  }

  override dataReceived(data: Uint8Array): void {
    this.buffer += decoder.decode(data);
  }
}

/** Echoes what it receives and is a push producer (Twisted's `EchoProtocol`). */
export class EchoProtocol extends Protocol implements IPushProducer {
  paused = false;

  pauseProducing(): void {
    this.paused = true;
  }

  resumeProducing(): void {
    this.paused = false;
  }

  stopProducing(): void {}

  override dataReceived(data: Uint8Array): void {
    this.transport.write(data);
  }
}

/** A server factory of {@linkcode EchoProtocol}s (Twisted's `Server`). */
export class Server extends ServerFactory {
  override protocol = EchoProtocol;
}

/** A server factory of {@linkcode SimpleProtocol}s. */
export class SimpleServer extends ServerFactory {
  override protocol = SimpleProtocol;
}

/**
 * Connects `p` to a new `StringTransportWithDisconnection` (whose
 * `loseConnection` calls `p.connectionLost`) and returns the transport.
 */
export function connect(p: IProtocol): StringTransportWithDisconnection {
  const transport = new StringTransportWithDisconnection();
  transport.protocol = p;
  p.makeConnection(transport);
  return transport;
}
