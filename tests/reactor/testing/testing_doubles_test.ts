// Copyright 2026 the Torsion authors. MIT license.
// Ported from Twisted's twisted/internet/test/test_testing.py
// (StringTransportTests, ReactorTests) and twisted/test/test_iosim.py
// (FakeTransportTests, IOPumpTests), with tests of the other test doubles:
// StringTransportWithDisconnection, MemoryReactorClock, AccumulatingProtocol,
// captureLog and the Deferred result helpers.
import {
  deepEqual,
  equal,
  notEqual,
  ok,
  strictEqual,
  throws,
} from "node:assert/strict";
import { Deferred } from "../../../defer/deferred.ts";
import { CancelledError } from "../../../defer/errors.ts";
import { Failure } from "../../../defer/failure.ts";
import * as log from "../../../defer/log.ts";
import { fail, succeed } from "../../../defer/succeed.ts";
import {
  IPv4Address,
  IPv6Address,
  UNIXAddress,
} from "../../../reactor/address.ts";
import {
  ConnectionAborted,
  ConnectionDone,
  NotConnectingError,
} from "../../../reactor/errors.ts";
import { ClientFactory, Factory } from "../../../reactor/factory.ts";
import type {
  IConnector,
  IPullProducer,
  IPushProducer,
} from "../../../reactor/interfaces.ts";
import { Protocol } from "../../../reactor/protocol.ts";
import { AccumulatingProtocol } from "../../../reactor/testing/accumulating_protocol.ts";
import {
  assertNoResult,
  failureResultOf,
  successResultOf,
} from "../../../reactor/testing/deferred_results.ts";
import {
  connectedServerAndClient,
  FakeTransport,
  IOPump,
} from "../../../reactor/testing/iosim.ts";
import { captureLog } from "../../../reactor/testing/log_capture.ts";
import {
  FakeConnector,
  FakePort,
  MemoryReactor,
  MemoryReactorClock,
} from "../../../reactor/testing/memory_reactor.ts";
import {
  StringTransport,
  StringTransportWithDisconnection,
} from "../../../reactor/testing/string_transport.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const bytes = (s: string) => encoder.encode(s);

/** A push producer that records the calls it gets. */
class RecordingPushProducer implements IPushProducer {
  calls: string[] = [];
  pauseProducing(): void {
    this.calls.push("pause");
  }
  resumeProducing(): void {
    this.calls.push("resume");
  }
  stopProducing(): void {
    this.calls.push("stop");
  }
}

/** A pull producer that records the calls it gets. */
class RecordingPullProducer implements IPullProducer {
  calls: string[] = [];
  resumeProducing(): void {
    this.calls.push("resume");
  }
  stopProducing(): void {
    this.calls.push("stop");
  }
}

/** A protocol that keeps what it receives as text and why it was closed. */
class Recorder extends Protocol {
  received = "";
  reasons: Failure[] = [];
  override dataReceived(data: Uint8Array): void {
    this.received += decoder.decode(data);
  }
  override connectionLost(reason: Failure): void {
    this.reasons.push(reason);
  }
}

// --- StringTransport ---

Deno.test("StringTransport.value() returns what was written since clear()", () => {
  const t = new StringTransport();
  t.write(bytes("abc"));
  t.write(bytes("def"));
  deepEqual(t.value(), bytes("abcdef"));
  t.clear();
  deepEqual(t.value(), new Uint8Array());
  t.write(bytes("g"));
  deepEqual(t.value(), bytes("g"));
});

Deno.test("StringTransport.write() takes strings as UTF-8", () => {
  const t = new StringTransport();
  t.write("héllo");
  deepEqual(t.value(), bytes("héllo"));
  equal(t.valueText(), "héllo");
});

Deno.test("StringTransport.write() copies the bytes it is given", () => {
  const t = new StringTransport();
  const data = bytes("abc");
  t.write(data);
  data[0] = 0x7a;
  equal(t.valueText(), "abc");
});

Deno.test("StringTransport.writeSequence() writes each piece in order", () => {
  const t = new StringTransport();
  t.write("a");
  t.writeSequence([bytes("b"), "c", bytes("d")]);
  equal(t.valueText(), "abcd");
});

Deno.test("StringTransport.registerProducer() records the producer and whether it streams", () => {
  const t = new StringTransport();
  const producer = new RecordingPushProducer();
  t.registerProducer(producer, true);
  strictEqual(t.producer, producer);
  equal(t.streaming, true);
});

Deno.test("StringTransport.registerProducer() throws when a producer is registered already", () => {
  const t = new StringTransport();
  const producer = new RecordingPushProducer();
  t.registerProducer(producer, true);
  throws(
    () => t.registerProducer(new RecordingPullProducer(), false),
    /Cannot register two producers/,
  );
  strictEqual(t.producer, producer);
  equal(t.streaming, true);
});

Deno.test("StringTransport.unregisterProducer() forgets the producer, so another can register", () => {
  const t = new StringTransport();
  t.registerProducer(new RecordingPullProducer(), false);
  t.unregisterProducer();
  equal(t.producer, null);
  equal(t.streaming, null);
  const newProducer = new RecordingPushProducer();
  t.registerProducer(newProducer, true);
  strictEqual(t.producer, newProducer);
  equal(t.streaming, true);
});

Deno.test("StringTransport.unregisterProducer() throws when no producer is registered", () => {
  throws(
    () => new StringTransport().unregisterProducer(),
    /Cannot unregister a producer unless one is registered/,
  );
});

Deno.test("StringTransport.registerProducer() does not ask a pull producer for data", () => {
  const t = new StringTransport();
  const producer = new RecordingPullProducer();
  t.registerProducer(producer, false);
  deepEqual(producer.calls, []);
});

Deno.test("StringTransport.producerState is 'producing' at first", () => {
  equal(new StringTransport().producerState, "producing");
});

Deno.test("StringTransport.pauseProducing() sets producerState to 'paused'", () => {
  const t = new StringTransport();
  t.pauseProducing();
  equal(t.producerState, "paused");
});

Deno.test("StringTransport.resumeProducing() sets producerState back to 'producing'", () => {
  const t = new StringTransport();
  t.pauseProducing();
  t.resumeProducing();
  equal(t.producerState, "producing");
});

Deno.test("StringTransport.stopProducing() sets producerState to 'stopped'", () => {
  const t = new StringTransport();
  t.stopProducing();
  equal(t.producerState, "stopped");
});

Deno.test("StringTransport cannot be paused or resumed once stopped", () => {
  const t = new StringTransport();
  t.stopProducing();
  throws(() => t.pauseProducing(), /Cannot resume a stopped producer/);
  throws(() => t.resumeProducing(), /Cannot resume a stopped producer/);
});

Deno.test("StringTransport cannot be paused or resumed once disconnecting", () => {
  const t = new StringTransport();
  t.loseConnection();
  throws(() => t.pauseProducing(), /after loseConnection/);
  throws(() => t.resumeProducing(), /after loseConnection/);
});

Deno.test("StringTransport with lenient set can be paused and resumed once disconnecting", () => {
  const t = new StringTransport(undefined, undefined, true);
  t.loseConnection();
  t.pauseProducing();
  equal(t.producerState, "paused");
  t.resumeProducing();
  equal(t.producerState, "producing");
});

Deno.test("StringTransport.loseConnection() only sets disconnecting", () => {
  const t = new StringTransport();
  const p = new Recorder();
  p.makeConnection(t);
  equal(t.disconnecting, false);
  t.loseConnection();
  equal(t.disconnecting, true);
  equal(t.disconnected, false);
  equal(t.connected, true);
  deepEqual(p.reasons, []);
});

Deno.test("StringTransport.abortConnection() sets disconnecting and disconnected", () => {
  const t = new StringTransport();
  t.abortConnection();
  equal(t.disconnecting, true);
  equal(t.disconnected, true);
});

Deno.test("StringTransport.loseWriteConnection() sets writeDisconnected", () => {
  const t = new StringTransport();
  t.loseWriteConnection();
  equal(t.writeDisconnected, true);
  equal(t.disconnecting, false);
});

Deno.test("StringTransport.getHost() and getPeer() return the addresses given", () => {
  const host = new IPv4Address("TCP", "1.2.3.4", 1);
  const peer = new UNIXAddress("/peer");
  strictEqual(new StringTransport(host).getHost(), host);
  strictEqual(new StringTransport(undefined, peer).getPeer(), peer);
});

Deno.test("StringTransport.getHost() defaults to 10.0.0.1:12345", () => {
  deepEqual(
    new StringTransport().getHost(),
    new IPv4Address("TCP", "10.0.0.1", 12345),
  );
});

Deno.test("StringTransport.getPeer() defaults to 192.168.1.1:54321", () => {
  deepEqual(
    new StringTransport().getPeer(),
    new IPv4Address("TCP", "192.168.1.1", 54321),
  );
});

Deno.test("StringTransport records TCP_NODELAY and keepalive, on and off by default", () => {
  const t = new StringTransport();
  equal(t.getTcpNoDelay(), true);
  equal(t.getTcpKeepAlive(), false);
  t.setTcpNoDelay(false);
  t.setTcpKeepAlive(true);
  equal(t.getTcpNoDelay(), false);
  equal(t.getTcpKeepAlive(), true);
});

// --- StringTransportWithDisconnection ---

Deno.test("StringTransportWithDisconnection.loseConnection() tells the protocol, with ConnectionDone('Bye.')", () => {
  const t = new StringTransportWithDisconnection();
  const p = new Recorder();
  t.protocol = p;
  p.makeConnection(t);
  t.loseConnection();
  equal(p.reasons.length, 1);
  ok(p.reasons[0].check(ConnectionDone));
  equal(
    p.reasons[0].getErrorMessage(),
    "Connection was closed cleanly: Bye..",
  );
  equal(t.connected, false);
});

Deno.test("StringTransportWithDisconnection.loseConnection() tells the protocol only once", () => {
  const t = new StringTransportWithDisconnection();
  const p = new Recorder();
  t.protocol = p;
  p.makeConnection(t);
  t.loseConnection();
  t.loseConnection();
  equal(p.reasons.length, 1);
});

// --- MemoryReactor, FakeConnector, FakePort ---

Deno.test("MemoryReactor.listenTCP() records port, factory, backlog and interface, with defaults", () => {
  const reactor = new MemoryReactor();
  const f = new Factory();
  reactor.listenTCP(8242, f);
  reactor.listenTCP(8243, f, { backlog: 5, interface: "127.0.0.1" });
  deepEqual(reactor.tcpServers, [[8242, f, 50, ""], [
    8243,
    f,
    5,
    "127.0.0.1",
  ]]);
});

Deno.test("MemoryReactor.listenTCP() port reports 0.0.0.0 and the port", () => {
  const port = new MemoryReactor().listenTCP(8242, new Factory());
  deepEqual(port.getHost(), new IPv4Address("TCP", "0.0.0.0", 8242));
});

Deno.test("MemoryReactor.listenTCP() on an IPv6 interface reports an IPv6Address", () => {
  const port = new MemoryReactor().listenTCP(8242, new Factory(), {
    interface: "::1",
  });
  deepEqual(port.getHost(), new IPv6Address("TCP", "::1", 8242));
});

Deno.test("MemoryReactor.listenUNIX() records its arguments and reports the path", () => {
  const reactor = new MemoryReactor();
  const f = new Factory();
  const port = reactor.listenUNIX("/path/to/socket", f);
  deepEqual(reactor.unixServers, [["/path/to/socket", f, 50, 0o666, false]]);
  deepEqual(port.getHost(), new UNIXAddress("/path/to/socket"));
});

Deno.test("FakePort.stopListening() stops listening and returns a fired Deferred", () => {
  const port = new FakePort(new IPv4Address("TCP", "0.0.0.0", 1));
  equal(port.listening, true);
  const d = port.stopListening();
  equal(port.listening, false);
  equal(successResultOf(d), undefined);
  port.startListening();
  equal(port.listening, true);
});

Deno.test("MemoryReactor.connectTCP() records host, port, factory, timeout and bindAddress, with defaults", () => {
  const reactor = new MemoryReactor();
  const f = new ClientFactory();
  reactor.connectTCP("test.example.com", 8321, f);
  reactor.connectTCP("test.example.com", 8322, f, {
    timeout: 5,
    bindAddress: ["1.2.3.4", 9876],
  });
  deepEqual(reactor.tcpClients, [
    ["test.example.com", 8321, f, 30, null],
    ["test.example.com", 8322, f, 5, ["1.2.3.4", 9876]],
  ]);
});

Deno.test("MemoryReactor.connectTCP() returns a connector whose destination is the address given", () => {
  const connector = new MemoryReactor().connectTCP(
    "test.example.com",
    8321,
    new ClientFactory(),
  );
  deepEqual(
    connector.getDestination(),
    new IPv4Address("TCP", "test.example.com", 8321),
  );
});

Deno.test("MemoryReactor.connectTCP() to an IPv6 host gives an IPv6Address destination", () => {
  const connector = new MemoryReactor().connectTCP(
    "::1",
    8321,
    new ClientFactory(),
  );
  deepEqual(connector.getDestination(), new IPv6Address("TCP", "::1", 8321));
});

Deno.test("MemoryReactor.connectUNIX() records its arguments; the destination is the path", () => {
  const reactor = new MemoryReactor();
  const f = new ClientFactory();
  const connector = reactor.connectUNIX("/fake/path", f, { timeout: 7 });
  deepEqual(reactor.unixClients, [["/fake/path", f, 7]]);
  deepEqual(connector.getDestination(), new UNIXAddress("/fake/path"));
});

Deno.test("MemoryReactor connect calls startedConnecting() and keeps the connectors", () => {
  const reactor = new MemoryReactor();
  const started: IConnector[] = [];
  class Watching extends ClientFactory {
    override startedConnecting(c: IConnector): void {
      started.push(c);
    }
  }
  const a = reactor.connectTCP("a", 1, new Watching());
  const b = reactor.connectUNIX("/b", new Watching());
  deepEqual(started, [a, b]);
  deepEqual(reactor.connectors, [a, b]);
});

Deno.test("FakeConnector.stopConnecting() notes the call and disconnects", () => {
  const c = new FakeConnector(new IPv4Address("TCP", "a", 1));
  equal(c.state, "connecting");
  c.stopConnecting();
  equal(c.stoppedConnecting, true);
  equal(c.state, "disconnected");
});

Deno.test("FakeConnector.stopConnecting() throws NotConnectingError unless connecting", () => {
  const c = new FakeConnector(new IPv4Address("TCP", "a", 1));
  c.stopConnecting();
  throws(() => c.stopConnecting(), NotConnectingError);
});

Deno.test("FakeConnector.disconnect() notes the call", () => {
  const c = new FakeConnector(new IPv4Address("TCP", "a", 1));
  equal(c.disconnected, false);
  c.disconnect();
  equal(c.disconnected, true);
  equal(c.state, "disconnected");
});

Deno.test("FakeConnector.connect() counts the attempts", () => {
  const c = new FakeConnector(new IPv4Address("TCP", "a", 1));
  c.disconnect();
  c.connect();
  c.connect();
  equal(c.connects, 2);
  equal(c.state, "connecting");
});

Deno.test("MemoryReactor.run() runs the callWhenRunning functions, then stops", async () => {
  const reactor = new MemoryReactor();
  const events: unknown[] = [];
  reactor.callWhenRunning((a: string) => events.push(a, reactor.running), "a");
  deepEqual(events, []);
  equal(reactor.hasRun, false);
  await reactor.run();
  deepEqual(events, ["a", true]);
  equal(reactor.hasRun, true);
  equal(reactor.hasStopped, true);
  equal(reactor.running, false);
});

Deno.test("MemoryReactor.crash() notes the crash", () => {
  const reactor = new MemoryReactor();
  equal(reactor.hasCrashed, false);
  reactor.crash();
  equal(reactor.hasCrashed, true);
  equal(reactor.running, false);
});

Deno.test("MemoryReactor.addSystemEventTrigger() keeps triggers by phase and event", () => {
  const reactor = new MemoryReactor();
  const f = () => {};
  const id = reactor.addSystemEventTrigger("before", "shutdown", f);
  equal(reactor.triggers.before.shutdown.length, 1);
  strictEqual(reactor.triggers.before.shutdown[0], id);
  strictEqual(reactor.triggers.before.shutdown[0].f, f);
});

Deno.test("MemoryReactor.fireSystemEvent() runs the event's triggers phase by phase, once", () => {
  const reactor = new MemoryReactor();
  const events: string[] = [];
  reactor.addSystemEventTrigger(
    "after",
    "shutdown",
    () => events.push("after"),
  );
  reactor.addSystemEventTrigger(
    "before",
    "shutdown",
    (s: string) => events.push(s),
    "before",
  );
  reactor.addSystemEventTrigger("during", "other", () => events.push("other"));
  reactor.fireSystemEvent("shutdown");
  reactor.fireSystemEvent("shutdown");
  deepEqual(events, ["before", "after"]);
});

Deno.test("MemoryReactor.removeSystemEventTrigger() forgets the trigger", () => {
  const reactor = new MemoryReactor();
  const events: string[] = [];
  const id = reactor.addSystemEventTrigger(
    "during",
    "shutdown",
    () => events.push("during"),
  );
  reactor.removeSystemEventTrigger(id);
  reactor.fireSystemEvent("shutdown");
  deepEqual(events, []);
});

// --- MemoryReactorClock ---

Deno.test("MemoryReactorClock runs timed calls when advanced", () => {
  const reactor = new MemoryReactorClock();
  const events: string[] = [];
  reactor.callLater(2, () => events.push("two"));
  reactor.callLater(1, (s: string) => events.push(s), "one");
  equal(reactor.getDelayedCalls().length, 2);
  reactor.advance(1);
  deepEqual(events, ["one"]);
  equal(reactor.seconds(), 1);
  reactor.pump([0.5, 0.5]);
  deepEqual(events, ["one", "two"]);
  deepEqual(reactor.getDelayedCalls(), []);
});

Deno.test("MemoryReactorClock also records connections", () => {
  const reactor = new MemoryReactorClock();
  reactor.connectTCP("example.com", 79, new ClientFactory());
  equal(reactor.tcpClients.length, 1);
  equal(reactor.connectors.length, 1);
});

// --- iosim: FakeTransport, IOPump, connectedServerAndClient ---

Deno.test("FakeTransport gets a serial number unique to it", () => {
  const a = new FakeTransport(new Protocol(), true);
  const b = new FakeTransport(new Protocol(), false);
  equal(typeof a.serial, "number");
  notEqual(a.serial, b.serial);
});

Deno.test("FakeTransport.writeSequence() queues each piece", () => {
  const a = new FakeTransport(new Protocol(), false);
  a.write(bytes("a"));
  a.writeSequence([bytes("b"), "c", bytes("d")]);
  equal(decoder.decode(a.getOutBuffer()!), "abcd");
  equal(a.getOutBuffer(), null);
});

Deno.test("FakeTransport drops writes once the close happened", () => {
  const [client, server, pump] = connectedServerAndClient(Recorder, Recorder);
  server.transport.loseConnection();
  pump.flush();
  server.transport.write("late");
  pump.flush();
  equal(client.received, "");
});

Deno.test("FakeTransport addresses: the server at 127.0.0.1:8000, each side's peer the other's host", () => {
  const [, , pump] = connectedServerAndClient(Protocol, Protocol);
  deepEqual(
    pump.serverIO.getHost(),
    new IPv4Address("TCP", "127.0.0.1", 8000),
  );
  deepEqual(pump.clientIO.getPeer(), pump.serverIO.getHost());
  deepEqual(pump.serverIO.getPeer(), pump.clientIO.getHost());
});

Deno.test("connectedServerAndClient() returns client, server and pump, and delivers greetings", () => {
  class Greeter extends Protocol {
    override connectionMade(): void {
      this.transport.write("hello");
    }
  }
  const [client, server, pump] = connectedServerAndClient(Greeter, Recorder);
  ok(client instanceof Recorder);
  ok(server instanceof Greeter);
  strictEqual(pump.client, client);
  strictEqual(pump.server, server);
  equal(client.received, "hello");
});

Deno.test("connectedServerAndClient() takes protocol instances", () => {
  const server = new Recorder();
  const client = new Recorder();
  const [c, s] = connectedServerAndClient(server, client);
  strictEqual(c, client);
  strictEqual(s, server);
  equal(client.connected, true);
  equal(server.connected, true);
});

Deno.test("connectedServerAndClient() with greet off delivers nothing until pumped", () => {
  class Greeter extends Protocol {
    override connectionMade(): void {
      this.transport.write("hello");
    }
  }
  const [client, , pump] = connectedServerAndClient(Greeter, Recorder, {
    greet: false,
  });
  equal(client.received, "");
  pump.pump();
  equal(client.received, "hello");
});

Deno.test("IOPump.pump() moves what each side wrote once and says whether anything moved", () => {
  const [client, server, pump] = connectedServerAndClient(Recorder, Recorder);
  client.transport.write("to server");
  server.transport.write("to client");
  equal(pump.pump(), true);
  equal(server.received, "to server");
  equal(client.received, "to client");
  equal(pump.pump(), false);
});

Deno.test("IOPump.flush() pumps until a conversation is over", () => {
  class PingPong extends Recorder {
    override dataReceived(data: Uint8Array): void {
      super.dataReceived(data);
      const n = Number(decoder.decode(data));
      if (n < 10) this.transport.write(String(n + 1));
    }
  }
  const [client, server, pump] = connectedServerAndClient(PingPong, PingPong);
  client.transport.write("0");
  equal(pump.flush(), true);
  equal(server.received, "02468" + "10");
  equal(client.received, "13579");
  equal(pump.flush(), false);
});

Deno.test("IOPump.flush() throws when the sides never stop talking", () => {
  class Chatty extends Protocol {
    override dataReceived(data: Uint8Array): void {
      this.transport.write(data);
    }
  }
  const [client, , pump] = connectedServerAndClient(Chatty, Chatty);
  client.transport.write("x");
  throws(() => pump.flush(), /1000 rounds/);
});

Deno.test("IOPump delivers pending data, then closes both sides with ConnectionDone", () => {
  const [client, server, pump] = connectedServerAndClient(Recorder, Recorder);
  server.transport.write("bye");
  server.transport.loseConnection();
  equal(pump.pump(), true);
  equal(client.received, "bye");
  equal(client.reasons.length, 0);
  equal(pump.pump(), true);
  equal(client.reasons.length, 1);
  equal(server.reasons.length, 1);
  ok(client.reasons[0].check(ConnectionDone));
  ok(server.reasons[0].check(ConnectionDone));
  equal(pump.clientIO.disconnected, true);
  equal(pump.serverIO.disconnected, true);
  equal(pump.pump(), false);
});

Deno.test("IOPump propagates a close asked by the client", () => {
  const [client, server, pump] = connectedServerAndClient(Recorder, Recorder);
  client.transport.loseConnection();
  pump.flush();
  ok(client.reasons[0]?.check(ConnectionDone));
  ok(server.reasons[0]?.check(ConnectionDone));
});

Deno.test("IOPump delivers writes made after loseConnection() before the close", () => {
  const [client, server, pump] = connectedServerAndClient(Recorder, Recorder);
  server.transport.loseConnection();
  server.transport.write("still sent");
  pump.flush();
  equal(client.received, "still sent");
  equal(client.reasons.length, 1);
});

Deno.test("IOPump reports an abort to both sides as ConnectionAborted, dropping unsent data", () => {
  const [client, server, pump] = connectedServerAndClient(Recorder, Recorder);
  server.transport.write("dropped");
  server.transport.abortConnection();
  pump.flush();
  equal(client.received, "");
  equal(client.reasons.length, 1);
  equal(server.reasons.length, 1);
  ok(client.reasons[0].check(ConnectionAborted));
  ok(server.reasons[0].check(ConnectionAborted));
});

Deno.test("IOPump asks a pull producer for data at registration and at each pump", () => {
  class Producing extends Protocol {
    override connectionMade(): void {
      let n = 0;
      const transport = this.transport;
      transport.registerProducer({
        resumeProducing() {
          if (n < 5) transport.write(String(n++));
          else transport.unregisterProducer();
        },
        stopProducing() {},
      }, false);
    }
  }
  const [client, , pump] = connectedServerAndClient(Producing, Recorder);
  equal(client.received, "01234");
  equal(pump.serverIO.producer, null);
});

for (const side of ["server", "client"] as const) {
  Deno.test(`IOPump.pump() does not resume a streaming producer registered on the ${side} transport`, () => {
    const [, , pump] = connectedServerAndClient(Protocol, Protocol, {
      greet: false,
    });
    const producer = new RecordingPushProducer();
    const io = side === "server" ? pump.serverIO : pump.clientIO;
    io.registerProducer(producer, true);
    pump.pump();
    pump.flush();
    deepEqual(producer.calls, []);
  });
}

Deno.test("IOPump can be built by hand from two FakeTransports", () => {
  const server = new Recorder();
  const client = new Recorder();
  const sio = new FakeTransport(server, true);
  const cio = new FakeTransport(client, false);
  server.makeConnection(sio);
  client.makeConnection(cio);
  const pump = new IOPump(client, server, cio, sio);
  client.transport.write("hi");
  pump.flush();
  equal(server.received, "hi");
});

// --- AccumulatingProtocol ---

Deno.test("AccumulatingProtocol notes the connection and keeps the data", () => {
  const p = new AccumulatingProtocol();
  equal(p.made, false);
  p.makeConnection(new StringTransport());
  equal(p.made, true);
  p.dataReceived(bytes("ab"));
  p.dataReceived(bytes("c"));
  deepEqual(p.data, bytes("abc"));
  equal(p.dataText(), "abc");
});

Deno.test("AccumulatingProtocol fires the factory's protocolConnectionMade once, with itself", () => {
  class F extends Factory {
    override protocol = AccumulatingProtocol;
    protocolConnectionMade: Deferred<AccumulatingProtocol> | null =
      new Deferred();
  }
  const f = new F();
  const d = f.protocolConnectionMade!;
  const p = f.buildProtocol(new IPv4Address("TCP", "1.2.3.4", 5))!;
  p.makeConnection(new StringTransport());
  strictEqual(successResultOf(d), p);
  equal(f.protocolConnectionMade, null);
});

Deno.test("AccumulatingProtocol notes the loss and fires closedDeferred once", () => {
  const p = new AccumulatingProtocol();
  const d = new Deferred<void>();
  p.closedDeferred = d;
  p.makeConnection(new StringTransport());
  const reason = new Failure(new ConnectionDone());
  p.connectionLost(reason);
  equal(p.closed, true);
  strictEqual(p.closedReason, reason);
  equal(successResultOf(d), undefined);
  equal(p.closedDeferred, null);
});

Deno.test("AccumulatingProtocol over iosim sees the other side's bytes and close", () => {
  class Greeter extends Protocol {
    override connectionMade(): void {
      this.transport.write("hello");
      this.transport.loseConnection();
    }
  }
  const [client] = connectedServerAndClient(Greeter, AccumulatingProtocol);
  equal(client.dataText(), "hello");
  equal(client.closed, true);
  ok(client.closedReason?.check(ConnectionDone));
});

// --- captureLog ---

class CapturedError extends Error {
  constructor() {
    super("captured");
    this.name = "CapturedError";
  }
}

Deno.test("captureLog() collects messages and errors", () => {
  using captured = captureLog();
  log.msg("hello");
  log.err(new CapturedError(), "while testing");
  deepEqual(captured.messages, ["hello", "while testing"]);
  equal(captured.errors().length, 1);
  ok(captured.errors()[0].check(CapturedError));
  equal(captured.events[1].isError, true);
});

Deno.test("LogCapture.flushLoggedErrors() removes and returns only the errors of the types given", () => {
  using captured = captureLog();
  log.err(new CapturedError());
  log.err(new RangeError("other"));
  log.msg("kept");
  const flushed = captured.flushLoggedErrors(CapturedError);
  equal(flushed.length, 1);
  ok(flushed[0].check(CapturedError));
  equal(captured.errors().length, 1);
  ok(captured.errors()[0].check(RangeError));
  deepEqual(captured.flushLoggedErrors("RangeError").length, 1);
  deepEqual(captured.messages, ["kept"]);
});

Deno.test("LogCapture.flushLoggedErrors() without types removes every error", () => {
  using captured = captureLog();
  log.err(new CapturedError());
  log.err(new RangeError("other"));
  equal(captured.flushLoggedErrors().length, 2);
  deepEqual(captured.errors(), []);
});

Deno.test("LogCapture.restore() stops collecting", () => {
  using outer = captureLog();
  const captured = captureLog();
  log.msg("seen");
  captured.restore();
  captured.restore();
  log.msg("not seen");
  deepEqual(captured.messages, ["seen"]);
  deepEqual(outer.messages, ["seen", "not seen"]);
});

Deno.test("captureLog() with using stops collecting at the end of the scope", () => {
  using outer = captureLog();
  let inner;
  {
    using captured = captureLog();
    inner = captured;
    log.msg("inside");
  }
  log.msg("outside");
  deepEqual(inner.messages, ["inside"]);
  deepEqual(outer.messages, ["inside", "outside"]);
});

// --- successResultOf, failureResultOf, assertNoResult ---

Deno.test("successResultOf() returns the result of a fired Deferred", () => {
  equal(successResultOf(succeed(3)), 3);
});

Deno.test("successResultOf() throws for a Deferred without a result", () => {
  throws(() => successResultOf(new Deferred()), /it has no result/);
});

Deno.test("successResultOf() throws for a failed Deferred, and handles the failure", () => {
  const d = fail(new CapturedError());
  throws(() => successResultOf(d), /it failed/);
  const after: unknown[] = [];
  d.addBoth((r) => {
    after.push(r);
  });
  deepEqual(after, [undefined]);
});

Deno.test("successResultOf() gives the result once the callbacks have run", () => {
  const d = succeed(2).addCallback((n) => n * 10);
  equal(successResultOf(d), 20);
});

Deno.test("failureResultOf() returns the failure and handles it", () => {
  const d = fail(new CapturedError());
  const f = failureResultOf(d);
  ok(f.check(CapturedError));
  const after: unknown[] = [];
  d.addBoth((r) => {
    after.push(r);
  });
  deepEqual(after, [undefined]);
});

Deno.test("failureResultOf() checks the failure's type", () => {
  ok(failureResultOf(fail(new CapturedError()), CapturedError));
  ok(failureResultOf(fail(new CapturedError()), RangeError, CapturedError));
  throws(
    () => failureResultOf(fail(new CapturedError()), RangeError),
    /Expected a failure of type RangeError/,
  );
});

Deno.test("failureResultOf() throws for a Deferred without a result", () => {
  throws(() => failureResultOf(new Deferred()), /it has no result/);
});

Deno.test("failureResultOf() throws for a Deferred that succeeded", () => {
  throws(() => failureResultOf(succeed(1)), /it succeeded with 1/);
});

Deno.test("failureResultOf() sees the CancelledError of a cancelled Deferred", () => {
  const d = new Deferred();
  d.cancel();
  ok(failureResultOf(d, CancelledError));
});

Deno.test("assertNoResult() passes for a Deferred without a result and leaves it alone", () => {
  const d = new Deferred<number>();
  assertNoResult(d);
  d.callback(5);
  equal(successResultOf(d), 5);
});

Deno.test("assertNoResult() passes for a Deferred waiting on another", () => {
  const inner = new Deferred<number>();
  const d = succeed(1).addCallback(() => inner);
  assertNoResult(d);
  inner.callback(2);
  equal(successResultOf(d), 2);
});

Deno.test("assertNoResult() throws for a Deferred with a result", () => {
  throws(() => assertNoResult(succeed("x")), /to have no result: it has x/);
});

Deno.test("assertNoResult() throws for a failed Deferred, and swallows the failure", () => {
  const d = fail(new CapturedError());
  throws(() => assertNoResult(d), /to have no result/);
  const after: unknown[] = [];
  d.addBoth((r) => {
    after.push(r);
  });
  deepEqual(after, [undefined]);
});
