// Copyright 2026 the Torsion authors. MIT license.
// LimitTotalConnectionsFactory (Twisted's LimitTotalConnectionsFactoryTests
// in twisted/test/test_policies.py) and LimitConnectionsByPeer (untested in
// Twisted, where it is broken on address objects).
import { deepEqual, equal, notEqual, ok, throws } from "node:assert/strict";
import { Failure } from "../../../defer/failure.ts";
import { IPv6Address, UNIXAddress } from "../../../reactor/address.ts";
import { ConnectionDone } from "../../../reactor/errors.ts";
import { ServerFactory } from "../../../reactor/factory.ts";
import type { IAddress, IProtocol } from "../../../reactor/interfaces.ts";
import { Protocol } from "../../../reactor/protocol.ts";
import {
  LimitConnectionsByPeer,
  LimitTotalConnectionsFactory,
  ProtocolWrapper,
} from "../../../protocols/policies/mod.ts";
import {
  addr,
  connect,
  SimpleProtocol,
  SimpleServer,
} from "../../_policies_helpers.ts";

const done = (): Failure => new Failure(new ConnectionDone());

function basicFactory(): LimitTotalConnectionsFactory {
  const factory = new LimitTotalConnectionsFactory();
  factory.protocol = Protocol;
  return factory;
}

// --- LimitTotalConnectionsFactory ------------------------------------------

Deno.test("LimitTotalConnectionsFactory.connectionCount starts at 0 and counts built protocols", () => {
  const factory = basicFactory();
  equal(factory.connectionCount, 0);
  factory.buildProtocol(addr());
  equal(factory.connectionCount, 1);
  factory.buildProtocol(addr());
  equal(factory.connectionCount, 2);
});

Deno.test("LimitTotalConnectionsFactory.connectionCount goes down as connections are lost", () => {
  const factory = basicFactory();
  const p1 = factory.buildProtocol(addr())!;
  const p2 = factory.buildProtocol(addr())!;
  p1.connectionLost(done());
  equal(factory.connectionCount, 1);
  p2.connectionLost(done());
  equal(factory.connectionCount, 0);
});

Deno.test("LimitTotalConnectionsFactory refuses connections over connectionLimit without an overflowProtocol", () => {
  const factory = basicFactory();
  factory.connectionLimit = 1;
  notEqual(factory.buildProtocol(addr()), null);
  equal(factory.connectionCount, 1);
  equal(factory.buildProtocol(addr()), null);
  equal(factory.connectionCount, 1);
});

Deno.test("LimitTotalConnectionsFactory gives connections over the limit an overflowProtocol, and counts them", () => {
  const factory = basicFactory();
  factory.connectionLimit = 1;
  let overflowed = 0;
  class OverflowProtocol extends Protocol {
    override connectionMade(): void {
      overflowed++;
    }
  }
  factory.overflowProtocol = OverflowProtocol;
  const p = factory.buildProtocol(addr())!;
  const op = factory.buildProtocol(addr())!;
  ok(op.wrappedProtocol instanceof OverflowProtocol);
  ok(!(p.wrappedProtocol instanceof OverflowProtocol));
  connect(op);
  equal(overflowed, 1);
  equal(factory.connectionCount, 2);
  p.connectionLost(done());
  equal(factory.connectionCount, 1);
  op.connectionLost(done());
  equal(factory.connectionCount, 0);
});

Deno.test("LimitTotalConnectionsFactory builds the normal protocol again once under the limit", () => {
  const factory = basicFactory();
  factory.connectionLimit = 1;
  factory.overflowProtocol = SimpleProtocol;
  const p = factory.buildProtocol(addr())!;
  const transport = connect(p);
  transport.loseConnection();
  const next = factory.buildProtocol(addr())!;
  ok(!(next.wrappedProtocol instanceof SimpleProtocol));
});

Deno.test("LimitTotalConnectionsFactory wraps protocols whose factory is the limiting factory", () => {
  const factory = basicFactory();
  const p = factory.buildProtocol(addr());
  ok(p instanceof ProtocolWrapper);
  equal((p.wrappedProtocol as Protocol).factory, factory);
  equal(p.factory, factory);
});

Deno.test("LimitTotalConnectionsFactory has no limit and no overflowProtocol by default", () => {
  const factory = basicFactory();
  equal(factory.connectionLimit, null);
  equal(factory.overflowProtocol, null);
  for (let i = 0; i < 100; i++) notEqual(factory.buildProtocol(addr()), null);
  equal(factory.connectionCount, 100);
});

Deno.test("LimitTotalConnectionsFactory.buildProtocol() throws TypeError without a protocol", () => {
  const factory = new LimitTotalConnectionsFactory();
  throws(() => factory.buildProtocol(addr()), TypeError);
  equal(factory.connectionCount, 0);
});

Deno.test("LimitTotalConnectionsFactory counts a connection lost twice only once", () => {
  const factory = basicFactory();
  const p1 = factory.buildProtocol(addr())!;
  factory.buildProtocol(addr());
  p1.connectionLost(done());
  p1.connectionLost(done());
  equal(factory.connectionCount, 1);
});

Deno.test("LimitTotalConnectionsFactory frees a slot when a connected protocol closes", () => {
  const factory = basicFactory();
  factory.connectionLimit = 1;
  const transport = connect(factory.buildProtocol(addr())!);
  equal(factory.buildProtocol(addr()), null);
  transport.loseConnection();
  equal(factory.connectionCount, 0);
  notEqual(factory.buildProtocol(addr()), null);
});

// --- LimitConnectionsByPeer ------------------------------------------------

Deno.test("LimitConnectionsByPeer allows 5 connections per peer by default", () => {
  const factory = new LimitConnectionsByPeer(new SimpleServer());
  equal(factory.maxConnectionsPerPeer, 5);
  for (let port = 1; port <= 5; port++) {
    notEqual(factory.buildProtocol(addr("10.0.0.2", port)), null);
  }
  equal(factory.buildProtocol(addr("10.0.0.2", 6)), null);
  deepEqual([...factory.peerConnections], [["10.0.0.2", 5]]);
});

Deno.test("LimitConnectionsByPeer counts each peer host separately", () => {
  const factory = new LimitConnectionsByPeer(new SimpleServer());
  factory.maxConnectionsPerPeer = 1;
  notEqual(factory.buildProtocol(addr("10.0.0.2", 1)), null);
  equal(factory.buildProtocol(addr("10.0.0.2", 2)), null);
  notEqual(factory.buildProtocol(addr("10.0.0.3", 1)), null);
  equal(factory.peerConnections.get("10.0.0.3"), 1);
});

Deno.test("LimitConnectionsByPeer frees a slot of the peer when its connection closes", () => {
  const factory = new LimitConnectionsByPeer(new SimpleServer());
  factory.maxConnectionsPerPeer = 1;
  const transport = connect(factory.buildProtocol(addr("10.0.0.2", 1))!);
  equal(factory.buildProtocol(addr("10.0.0.2", 2)), null);
  transport.loseConnection();
  equal(factory.peerConnections.has("10.0.0.2"), false);
  notEqual(factory.buildProtocol(addr("10.0.0.2", 3)), null);
});

Deno.test("LimitConnectionsByPeer removes closed connections from protocols", () => {
  const factory = new LimitConnectionsByPeer(new SimpleServer());
  const transport = connect(factory.buildProtocol(addr("10.0.0.2", 1))!);
  equal(factory.protocols.size, 1);
  transport.loseConnection();
  equal(factory.protocols.size, 0);
});

Deno.test("LimitConnectionsByPeer counts down a connection lost before it connected", () => {
  const factory = new LimitConnectionsByPeer(new SimpleServer());
  const p = factory.buildProtocol(addr("10.0.0.2", 1))!;
  p.connectionLost(done());
  equal(factory.peerConnections.size, 0);
});

Deno.test("LimitConnectionsByPeer counts a connection lost twice only once", () => {
  const factory = new LimitConnectionsByPeer(new SimpleServer());
  const p1 = factory.buildProtocol(addr("10.0.0.2", 1))!;
  factory.buildProtocol(addr("10.0.0.2", 2));
  connect(p1);
  p1.connectionLost(done());
  p1.connectionLost(done());
  equal(factory.peerConnections.get("10.0.0.2"), 1);
});

Deno.test("LimitConnectionsByPeer keys IPv6 peers on their host", () => {
  const factory = new LimitConnectionsByPeer(new SimpleServer());
  factory.maxConnectionsPerPeer = 1;
  notEqual(factory.buildProtocol(new IPv6Address("TCP", "::1", 1)), null);
  equal(factory.buildProtocol(new IPv6Address("TCP", "::1", 2)), null);
  equal(factory.peerConnections.get("::1"), 1);
});

Deno.test("LimitConnectionsByPeer does not limit addresses without a host", () => {
  const factory = new LimitConnectionsByPeer(new SimpleServer());
  factory.maxConnectionsPerPeer = 1;
  notEqual(factory.buildProtocol(new UNIXAddress(null)), null);
  notEqual(factory.buildProtocol(new UNIXAddress(null)), null);
  equal(factory.peerConnections.size, 0);
});

Deno.test("LimitConnectionsByPeer does not count a connection the wrapped factory refuses", () => {
  class Refusing extends ServerFactory {
    override buildProtocol(_addr: IAddress): IProtocol | null {
      return null;
    }
  }
  const factory = new LimitConnectionsByPeer(new Refusing());
  equal(factory.buildProtocol(addr("10.0.0.2", 1)), null);
  equal(factory.peerConnections.size, 0);
});
