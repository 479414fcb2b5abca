// Copyright 2026 the Torsion authors. MIT license.
// Ported from Twisted's twisted/internet/test/test_protocol.py
// (ProtocolTests, FactoryTests, ClientCreatorTests) and
// twisted/test/test_factories.py (ReconnectingFactoryTests), with the
// ReconnectingClientFactory backoff checked on a Clock.
import { deepEqual, equal, ok, strictEqual, throws } from "node:assert/strict";
import { CancelledError } from "../../defer/errors.ts";
import { Failure } from "../../defer/failure.ts";
import { IPv4Address } from "../../reactor/address.ts";
import { ClientCreator } from "../../reactor/client_creator.ts";
import { UserError } from "../../reactor/errors.ts";
import {
  ClientFactory,
  Factory,
  ServerFactory,
} from "../../reactor/factory.ts";
import type { IConnector, IProtocol } from "../../reactor/interfaces.ts";
import { BaseProtocol, Protocol } from "../../reactor/protocol.ts";
import { reactor as globalReactor } from "../../reactor/default_reactor.ts";
import { ReconnectingClientFactory } from "../../reactor/reconnecting_client_factory.ts";
import { Clock } from "../../reactor/testing/clock.ts";
import {
  assertNoResult,
  failureResultOf,
  successResultOf,
} from "../../reactor/testing/deferred_results.ts";
import { captureLog } from "../../reactor/testing/log_capture.ts";
import {
  FakeConnector,
  MemoryReactor,
  MemoryReactorClock,
} from "../../reactor/testing/memory_reactor.ts";
import { StringTransport } from "../../reactor/testing/string_transport.ts";
import { signal, withReactor } from "../_reactor.ts";

const ADDR = new IPv4Address("TCP", "127.0.0.1", 1234);

/** A port on 127.0.0.1 that nothing listens on (1: see below). */
function closedPort(): number {
  // Privileged and outside the ephemeral range: never a connection's own
  // source port (see closedPort in tests/_examples.ts).
  return 1;
}

// --- Protocol ---

Deno.test("Protocol.logPrefix() returns the protocol class's name", () => {
  class SomeThing extends Protocol {}
  equal(new SomeThing().logPrefix(), "SomeThing");
});

Deno.test("Protocol.makeConnection() sets the transport, then calls connectionMade()", () => {
  const seen: unknown[] = [];
  class SomeProtocol extends Protocol {
    override connectionMade(): void {
      seen.push(this.transport, this.connected);
    }
  }
  const transport = new StringTransport();
  new SomeProtocol().makeConnection(transport);
  deepEqual(seen, [transport, true]);
});

Deno.test("BaseProtocol.connected is false until makeConnection()", () => {
  const p = new BaseProtocol();
  equal(p.connected, false);
  equal(p.transport, undefined);
});

// --- Factory ---

Deno.test("Factory.logPrefix() returns the factory class's name", () => {
  class SomeKindOfFactory extends Factory {}
  equal(new SomeKindOfFactory().logPrefix(), "SomeKindOfFactory");
});

Deno.test("Factory defaults: no protocol, no ports, noisy", () => {
  const f = new Factory();
  equal(f.protocol, null);
  equal(f.numPorts, 0);
  equal(f.noisy, true);
});

Deno.test("Factory.buildProtocol() makes a new protocol and sets its factory", () => {
  class SomeProtocol extends Protocol {}
  const f = new Factory();
  f.protocol = SomeProtocol;
  const a = f.buildProtocol(ADDR);
  const b = f.buildProtocol(ADDR);
  ok(a instanceof SomeProtocol);
  strictEqual(a.factory, f);
  ok(a !== b);
});

Deno.test("Factory.buildProtocol() throws TypeError without a protocol", () => {
  throws(() => new Factory().buildProtocol(ADDR), TypeError);
});

Deno.test("Factory.forProtocol() makes a factory with the arguments given and sets its protocol", () => {
  class ArgTakingFactory extends Factory {
    args: unknown[];
    constructor(...args: unknown[]) {
      super();
      this.args = args;
    }
  }
  const f = ArgTakingFactory.forProtocol(Protocol, 1, 2, { foo: 12 });
  ok(f instanceof ArgTakingFactory);
  equal(f.protocol, Protocol);
  deepEqual(f.args, [1, 2, { foo: 12 }]);
});

Deno.test("Factory.doStart() logs 'Starting factory' with the factory", () => {
  using captured = captureLog();
  class MyFactory extends Factory {}
  new MyFactory().doStart();
  deepEqual(captured.messages, ["Starting factory <MyFactory object>"]);
});

Deno.test("Factory.doStop() logs 'Stopping factory' with the factory", () => {
  using captured = captureLog();
  class MyFactory extends Factory {
    override numPorts = 1;
  }
  new MyFactory().doStop();
  deepEqual(captured.messages, ["Stopping factory <MyFactory object>"]);
});

Deno.test("Factory.doStart() calls startFactory() only for the first port", () => {
  using _ = captureLog();
  const events: string[] = [];
  class Counting extends Factory {
    override startFactory(): void {
      events.push("start");
    }
  }
  const f = new Counting();
  f.doStart();
  f.doStart();
  deepEqual(events, ["start"]);
  equal(f.numPorts, 2);
});

Deno.test("Factory.doStop() calls stopFactory() only when the last port stops", () => {
  using captured = captureLog();
  const events: string[] = [];
  class Counting extends Factory {
    override stopFactory(): void {
      events.push("stop");
    }
  }
  const f = new Counting();
  f.doStart();
  f.doStart();
  f.doStop();
  deepEqual(events, []);
  equal(f.numPorts, 1);
  f.doStop();
  deepEqual(events, ["stop"]);
  equal(f.numPorts, 0);
  deepEqual(captured.messages, [
    "Starting factory <Counting object>",
    "Stopping factory <Counting object>",
  ]);
});

Deno.test("Factory.doStop() with no ports returns silently", () => {
  using captured = captureLog();
  const events: string[] = [];
  class Counting extends Factory {
    override stopFactory(): void {
      events.push("stop");
    }
  }
  const f = new Counting();
  f.doStop();
  equal(f.numPorts, 0);
  deepEqual(events, []);
  deepEqual(captured.messages, []);
});

Deno.test("Factory with noisy off logs nothing but still starts and stops", () => {
  using captured = captureLog();
  const events: string[] = [];
  class Quiet extends Factory {
    override noisy = false;
    override startFactory(): void {
      events.push("start");
    }
    override stopFactory(): void {
      events.push("stop");
    }
  }
  const f = new Quiet();
  f.doStart();
  f.doStop();
  deepEqual(events, ["start", "stop"]);
  deepEqual(captured.messages, []);
});

Deno.test("Factory.toString() is '<ClassName object>'", () => {
  class Echo extends Factory {}
  equal(String(new Echo()), "<Echo object>");
});

Deno.test("ServerFactory and ClientFactory are Factories", () => {
  ok(new ServerFactory() instanceof Factory);
  ok(new ClientFactory() instanceof Factory);
});

Deno.test("ClientFactory hooks do nothing by default", () => {
  const f = new ClientFactory();
  const c = new FakeConnector(ADDR);
  const reason = new Failure(new UserError());
  equal(f.startedConnecting(c), undefined);
  equal(f.clientConnectionFailed(c, reason), undefined);
  equal(f.clientConnectionLost(c, reason), undefined);
});

Deno.test("ClientFactory.startedConnecting() gets the connector from connectTCP()", () => {
  const seen: IConnector[] = [];
  class Watching extends ClientFactory {
    override startedConnecting(connector: IConnector): void {
      seen.push(connector);
    }
  }
  const reactor = new MemoryReactor();
  const connector = reactor.connectTCP("example.com", 79, new Watching());
  deepEqual(seen, [connector]);
});

// --- ReconnectingClientFactory ---

/** A factory with a Clock, quiet, with or without jitter. */
function rcf(jitter = 0): [ReconnectingClientFactory, Clock] {
  const f = new ReconnectingClientFactory();
  const clock = new Clock();
  f.clock = clock;
  f.noisy = false;
  f.jitter = jitter;
  return [f, clock];
}

const lost = () => new Failure(new UserError());

Deno.test("ReconnectingClientFactory has Twisted's defaults", () => {
  const f = new ReconnectingClientFactory();
  equal(f.maxDelay, 3600);
  equal(f.initialDelay, 1.0);
  equal(f.factor, Math.E);
  equal(f.jitter, 0.119626565582);
  equal(f.delay, 1.0);
  equal(f.retries, 0);
  equal(f.maxRetries, null);
  equal(f.continueTrying, true);
  equal(f.connector, null);
});

Deno.test("ReconnectingClientFactory.clock defaults to the reactor", () => {
  strictEqual(new ReconnectingClientFactory().clock, globalReactor);
});

Deno.test("ReconnectingClientFactory schedules a retry on its clock when the connection is lost", () => {
  const [f, clock] = rcf();
  f.clientConnectionLost(new FakeConnector(ADDR), lost());
  equal(clock.getDelayedCalls().length, 1);
});

Deno.test("ReconnectingClientFactory first retries after about e seconds, not initialDelay", () => {
  const [f, clock] = rcf();
  const connector = new FakeConnector(ADDR);
  f.clientConnectionFailed(connector, lost());
  equal(f.delay, Math.E);
  clock.advance(2.7);
  equal(connector.connects, 0);
  clock.advance(Math.E - 2.7);
  equal(connector.connects, 1);
});

Deno.test("ReconnectingClientFactory remembers the connector and counts retries", () => {
  const [f] = rcf();
  const connector = new FakeConnector(ADDR);
  f.clientConnectionFailed(connector, lost());
  strictEqual(f.connector, connector);
  equal(f.retries, 1);
});

Deno.test("ReconnectingClientFactory multiplies the delay by factor at each retry", () => {
  const [f, clock] = rcf();
  const connector = new FakeConnector(ADDR);
  const delays: number[] = [];
  for (let i = 0; i < 4; i++) {
    f.clientConnectionFailed(connector, lost());
    delays.push(clock.getDelayedCalls()[0].getTime() - clock.seconds());
    clock.advance(f.delay);
  }
  const expected = [1, 2, 3, 4].map((n) => Math.E ** n);
  for (let i = 0; i < 4; i++) ok(Math.abs(delays[i] - expected[i]) < 1e-9);
  equal(connector.connects, 4);
});

Deno.test("ReconnectingClientFactory caps the delay at maxDelay", () => {
  const [f] = rcf();
  f.maxDelay = 10;
  const connector = new FakeConnector(ADDR);
  for (let i = 0; i < 5; i++) f.retry(connector);
  equal(f.delay, 10);
});

Deno.test("ReconnectingClientFactory jitters the delay with a Gaussian of relative deviation jitter", () => {
  const samples: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const [f] = rcf(0.119626565582);
    f.retry(new FakeConnector(ADDR));
    samples.push(f.delay);
    f.stopTrying();
  }
  const mean = samples.reduce((a, b) => a + b) / samples.length;
  const sd = Math.sqrt(
    samples.reduce((a, b) => a + (b - mean) ** 2, 0) / (samples.length - 1),
  );
  // Five standard errors: the mean's is 0.0073, the deviation's 0.0051.
  ok(Math.abs(mean - Math.E) < 0.037, `mean ${mean}`);
  ok(Math.abs(sd - Math.E * 0.119626565582) < 0.026, `sd ${sd}`);
  ok(new Set(samples).size > 1900);
});

Deno.test("ReconnectingClientFactory with jitter can wait longer than maxDelay", () => {
  let above = 0;
  for (let i = 0; i < 200; i++) {
    const [f] = rcf(0.119626565582);
    f.maxDelay = 10;
    f.delay = 10;
    f.retry(new FakeConnector(ADDR));
    if (f.delay > 10) above++;
    f.stopTrying();
  }
  ok(above > 0);
});

Deno.test("ReconnectingClientFactory gives up after maxRetries, logging it", () => {
  using captured = captureLog();
  const [f, clock] = rcf();
  f.noisy = true;
  f.maxRetries = 2;
  const connector = new FakeConnector(ADDR);
  f.clientConnectionFailed(connector, lost());
  clock.advance(f.delay);
  f.clientConnectionFailed(connector, lost());
  clock.advance(f.delay);
  equal(connector.connects, 2);
  f.clientConnectionFailed(connector, lost());
  deepEqual(clock.getDelayedCalls(), []);
  equal(f.retries, 3);
  equal(
    captured.messages.at(-1),
    `Abandoning ${connector} after 3 retries.`,
  );
});

Deno.test("ReconnectingClientFactory logs when it will retry", () => {
  using captured = captureLog();
  const [f] = rcf();
  f.noisy = true;
  const connector = new FakeConnector(ADDR);
  f.retry(connector);
  deepEqual(captured.messages, [`${connector} will retry in 2 seconds`]);
  f.stopTrying();
});

Deno.test("ReconnectingClientFactory.retry() without any connector throws", () => {
  const [f] = rcf();
  throws(() => f.retry(), /no connector to retry/);
});

Deno.test("ReconnectingClientFactory.retry() without a connector retries the last one", () => {
  const [f, clock] = rcf();
  const connector = new FakeConnector(ADDR);
  f.connector = connector;
  f.retry();
  clock.advance(f.delay);
  equal(connector.connects, 1);
});

Deno.test("ReconnectingClientFactory.stopTrying() cancels the pending retry", () => {
  const [f, clock] = rcf();
  const connector = new FakeConnector(ADDR);
  f.clientConnectionLost(connector, lost());
  f.stopTrying();
  deepEqual(clock.getDelayedCalls(), []);
  equal(f.continueTrying, false);
  clock.advance(3600);
  equal(connector.connects, 0);
});

Deno.test("ReconnectingClientFactory.stopTrying() stops a connection attempt without retrying", () => {
  const [f, clock] = rcf();
  let attemptedRetry = false;
  const connector = {
    state: "connecting",
    stopConnecting() {
      // As a real connector does: the attempt fails at once.
      f.clientConnectionFailed(connector, lost());
    },
    connect() {
      attemptedRetry = true;
    },
  } as unknown as IConnector;
  f.connector = connector;
  f.stopTrying();
  equal(attemptedRetry, false);
  deepEqual(clock.getDelayedCalls(), []);
});

Deno.test("ReconnectingClientFactory.stopTrying() ignores NotConnectingError from the connector", () => {
  const [f] = rcf();
  const connector = new FakeConnector(ADDR);
  connector.stopConnecting();
  f.connector = connector;
  f.stopTrying();
  equal(f.continueTrying, false);
});

Deno.test("ReconnectingClientFactory.stopTrying() while connected: a later loss does not reconnect", () => {
  const [f, clock] = rcf();
  f.protocol = Protocol;
  f.buildProtocol(ADDR);
  f.stopTrying();
  const connector = {
    stopConnecting() {
      throw new Error("Shouldn't be called, we're connected.");
    },
    connect() {
      throw new Error("Shouldn't be reconnecting.");
    },
  } as unknown as IConnector;
  f.clientConnectionLost(connector, lost());
  equal(f.continueTrying, false);
  deepEqual(clock.getDelayedCalls(), []);
});

Deno.test("ReconnectingClientFactory.retry() after stopTrying() logs and schedules nothing", () => {
  using captured = captureLog();
  const [f, clock] = rcf();
  f.noisy = true;
  const connector = new FakeConnector(ADDR);
  f.stopTrying();
  f.retry(connector);
  deepEqual(clock.getDelayedCalls(), []);
  deepEqual(captured.messages, [
    `Abandoning ${connector} on explicit request`,
  ]);
});

Deno.test("ReconnectingClientFactory.resetDelay() starts the backoff over", () => {
  const [f, clock] = rcf();
  const connector = new FakeConnector(ADDR);
  f.clientConnectionFailed(connector, lost());
  clock.advance(f.delay);
  f.clientConnectionFailed(connector, lost());
  clock.advance(f.delay);
  f.stopTrying();
  f.resetDelay();
  equal(f.delay, f.initialDelay);
  equal(f.retries, 0);
  equal(f.continueTrying, true);
  f.clientConnectionFailed(connector, lost());
  equal(f.delay, Math.E);
});

Deno.test("ReconnectingClientFactory reconnects a MemoryReactorClock connector on its clock", () => {
  const reactor = new MemoryReactorClock();
  const [f] = rcf();
  f.clock = reactor;
  const connector = reactor.connectTCP("example.com", 79, f);
  f.clientConnectionFailed(connector, lost());
  reactor.advance(Math.E);
  equal(connector.connects, 1);
});

Deno.test("ReconnectingClientFactory on a real connector is stopped and started around each retry", async () => {
  const events: string[] = [];
  await withReactor(async (reactor) => {
    let failed = signal();
    class Recording extends ReconnectingClientFactory {
      override noisy = false;
      override startFactory(): void {
        events.push("start");
      }
      override stopFactory(): void {
        events.push("stop");
      }
      override clientConnectionFailed(c: IConnector, reason: Failure): void {
        events.push(`failed ${reason.type?.name}`);
        super.clientConnectionFailed(c, reason);
        failed[1]();
      }
    }
    const clock = new Clock();
    const f = new Recording();
    f.clock = clock;
    f.jitter = 0;
    reactor.connectTCP("127.0.0.1", closedPort(), f);
    await failed[0];
    failed = signal();
    clock.advance(f.delay);
    await failed[0];
    f.stopTrying();
  });
  deepEqual(events, [
    "start",
    "failed ConnectionRefusedError",
    "stop",
    "start",
    "failed ConnectionRefusedError",
    "stop",
  ]);
});

// --- ClientCreator ---

class SomeProtocol extends Protocol {
  made = false;
  override connectionMade(): void {
    this.made = true;
  }
}

Deno.test("ClientCreator.connectTCP() passes host, port and options to reactor.connectTCP()", () => {
  const reactor = new MemoryReactorClock();
  new ClientCreator(reactor, SomeProtocol).connectTCP("example.com", 1234, {
    timeout: 4321,
    bindAddress: ["1.2.3.4", 9876],
  });
  const [host, port, factory, timeout, bindAddress] = reactor.tcpClients.pop()!;
  equal(host, "example.com");
  equal(port, 1234);
  equal(timeout, 4321);
  deepEqual(bindAddress, ["1.2.3.4", 9876]);
  ok(factory.buildProtocol(ADDR) instanceof SomeProtocol);
});

Deno.test("ClientCreator.connectUNIX() passes the path and timeout to reactor.connectUNIX()", () => {
  const reactor = new MemoryReactorClock();
  new ClientCreator(reactor, SomeProtocol).connectUNIX("/foo/bar", {
    timeout: 123,
  });
  const [path, factory, timeout] = reactor.unixClients.pop()!;
  equal(path, "/foo/bar");
  equal(timeout, 123);
  ok(factory.buildProtocol(ADDR) instanceof SomeProtocol);
});

Deno.test("ClientCreator passes its extra arguments to the protocol's constructor", () => {
  class Greeter extends Protocol {
    constructor(readonly greeting: string, readonly times: number) {
      super();
    }
  }
  const reactor = new MemoryReactorClock();
  new ClientCreator(reactor, Greeter, "hello", 3).connectTCP("example.com", 1);
  const factory = reactor.tcpClients[0][2];
  const p = factory.buildProtocol(ADDR) as Greeter;
  equal(p.greeting, "hello");
  equal(p.times, 3);
});

Deno.test("ClientCreator fires its Deferred with the protocol on the next iteration after connectionMade", () => {
  const reactor = new MemoryReactorClock();
  const d = new ClientCreator(reactor, SomeProtocol).connectTCP(
    "example.com",
    1234,
  );
  const factory = reactor.tcpClients[0][2];
  const p = factory.buildProtocol(ADDR) as SomeProtocol;
  p.makeConnection(new StringTransport());
  assertNoResult(d);
  reactor.advance(0);
  const result = successResultOf(d);
  strictEqual(result, p);
  equal(result.made, true);
});

Deno.test("ClientCreator fails its Deferred with the reason when the connection fails", () => {
  const reactor = new MemoryReactorClock();
  const d = new ClientCreator(reactor, SomeProtocol).connectTCP(
    "example.com",
    1234,
  );
  const factory = reactor.tcpClients[0][2] as ClientFactory;
  factory.clientConnectionFailed(
    reactor.connectors[0],
    new Failure(new UserError()),
  );
  assertNoResult(d);
  reactor.advance(0);
  failureResultOf(d, UserError);
});

/** Twisted's _cancelConnectTest: cancel before the connection is made. */
function cancelBeforeConnect(
  connect: (cc: ClientCreator<IProtocol>) => unknown,
): void {
  const reactor = new MemoryReactorClock();
  const d = connect(new ClientCreator(reactor, Protocol)) as ReturnType<
    ClientCreator<IProtocol>["connectTCP"]
  >;
  const connector = reactor.connectors.pop()!;
  equal(connector.disconnected, false);
  d.cancel();
  equal(connector.disconnected, true);
  failureResultOf(d, CancelledError);
}

Deno.test("ClientCreator.connectTCP() Deferred can be cancelled before the connection is made", () => {
  cancelBeforeConnect((cc) => cc.connectTCP("example.com", 1234));
});

Deno.test("ClientCreator.connectUNIX() Deferred can be cancelled before the connection is made", () => {
  cancelBeforeConnect((cc) => cc.connectUNIX("/foo/bar"));
});

Deno.test("ClientCreator Deferred cancelled after the connection, before it fires, disconnects and cancels the call", () => {
  const reactor = new MemoryReactorClock();
  const d = new ClientCreator(reactor, Protocol).connectTCP(
    "example.com",
    1234,
  );
  const factory = reactor.tcpClients[0][2];
  factory.buildProtocol(ADDR)!.makeConnection(new StringTransport());
  const connector = reactor.connectors.pop()!;
  equal(reactor.getDelayedCalls().length, 1);
  d.cancel();
  deepEqual(reactor.getDelayedCalls(), []);
  equal(connector.disconnected, true);
  failureResultOf(d, CancelledError);
});

Deno.test("ClientCreator Deferred cancelled after the connection failed, before it fires, cancels the call", () => {
  const reactor = new MemoryReactorClock();
  const d = new ClientCreator(reactor, Protocol).connectUNIX("/foo/bar");
  const factory = reactor.unixClients[0][1] as ClientFactory;
  factory.clientConnectionFailed(
    reactor.connectors[0],
    new Failure(new Error("Simulated failure")),
  );
  equal(reactor.getDelayedCalls().length, 1);
  d.cancel();
  deepEqual(reactor.getDelayedCalls(), []);
  failureResultOf(d, CancelledError);
});

Deno.test("ClientCreator on a Reactor gives the connected protocol", async () => {
  await withReactor(async (reactor) => {
    const server = Factory.forProtocol(Protocol);
    server.noisy = false;
    const port = reactor.listenTCP(0, server, { interface: "127.0.0.1" });
    const p = await new ClientCreator(reactor, SomeProtocol).connectTCP(
      "127.0.0.1",
      (port.getHost() as IPv4Address).port,
    );
    ok(p instanceof SomeProtocol);
    equal(p.made, true);
    p.transport.loseConnection();
  });
});

Deno.test("ClientCreator on a Reactor cancelled while connecting fails with CancelledError and logs nothing", async () => {
  using captured = captureLog();
  await withReactor((reactor) => {
    const server = Factory.forProtocol(Protocol);
    server.noisy = false;
    const port = reactor.listenTCP(0, server, { interface: "127.0.0.1" });
    const d = new ClientCreator(reactor, SomeProtocol).connectTCP(
      "127.0.0.1",
      (port.getHost() as IPv4Address).port,
    );
    d.cancel();
    failureResultOf(d, CancelledError);
  });
  deepEqual(captured.errors(), []);
});
