// Copyright 2026 the Torsion authors. MIT license.
// TimeoutProtocol, TimeoutFactory and TimeoutMixin: Twisted's
// TimeoutProtocolTests, TimeoutFactoryTests and TimeoutMixinTests
// (twisted/test/test_policies.py), on a Clock.
import { deepEqual, doesNotThrow, equal, ok, throws } from "node:assert/strict";
import type { Failure } from "../../../defer/failure.ts";
import type { IDelayedCall } from "../../../reactor/interfaces.ts";
import { Protocol } from "../../../reactor/protocol.ts";
import { reactor } from "../../../reactor/default_reactor.ts";
import {
  Clock,
  StringTransport,
  StringTransportWithDisconnection,
} from "../../../reactor/testing/mod.ts";
import {
  TimeoutFactory,
  TimeoutMixin,
  TimeoutProtocol,
} from "../../../protocols/policies/mod.ts";
import {
  addr,
  bytes,
  connect,
  type SimpleProtocol,
  SimpleServer,
} from "../../_policies_helpers.ts";

// --- TimeoutProtocol -------------------------------------------------------

/** A connected TimeoutProtocol whose factory has no timeout (Twisted's `getProtocolAndClock`). */
function getProtocolAndClock(): {
  sut: TimeoutProtocol;
  clock: Clock;
  wrapped: SimpleProtocol;
} {
  const clock = new Clock();
  const factory = new TimeoutFactory(new SimpleServer(), null);
  factory.clock = clock;
  const sut = factory.buildProtocol(addr())!;
  const wrapped = sut.wrappedProtocol as SimpleProtocol;
  connect(sut);
  return { sut, clock, wrapped };
}

Deno.test("TimeoutProtocol.cancelTimeout() cancels the running timeout", () => {
  const { sut, clock, wrapped } = getProtocolAndClock();
  sut.setTimeout(3);
  ok(sut.timeoutCall !== null);
  equal(wrapped.disconnected, 0);
  clock.advance(1);
  sut.cancelTimeout();
  equal(sut.timeoutCall, null);
  clock.advance(3);
  equal(wrapped.disconnected, 0);
});

Deno.test("TimeoutProtocol.cancelTimeout() does nothing without a timeout", () => {
  const { sut, wrapped } = getProtocolAndClock();
  equal(sut.timeoutCall, null);
  sut.cancelTimeout();
  equal(wrapped.disconnected, 0);
});

Deno.test("TimeoutProtocol.cancelTimeout() does nothing once the timeout fired", () => {
  const { sut, clock, wrapped } = getProtocolAndClock();
  sut.setTimeout(3);
  clock.advance(3);
  equal(wrapped.disconnected, 1);
  doesNotThrow(() => sut.cancelTimeout());
});

Deno.test("TimeoutProtocol.cancelTimeout() does nothing when the timeout was cancelled elsewhere", () => {
  const { sut, wrapped } = getProtocolAndClock();
  sut.setTimeout(3);
  sut.timeoutCall!.cancel();
  doesNotThrow(() => sut.cancelTimeout());
  equal(wrapped.disconnected, 0);
});

Deno.test("TimeoutProtocol.setTimeout() replaces the running timeout", () => {
  const { sut, clock, wrapped } = getProtocolAndClock();
  sut.setTimeout(3);
  clock.advance(2);
  sut.setTimeout(5);
  equal(clock.getDelayedCalls().length, 1);
  clock.advance(4.9);
  equal(wrapped.disconnected, 0);
  clock.advance(0.1);
  equal(wrapped.disconnected, 1);
});

Deno.test("TimeoutProtocol.setTimeout() rejects a negative or NaN period", () => {
  const { sut } = getProtocolAndClock();
  throws(() => sut.setTimeout(-1), RangeError);
  throws(() => sut.setTimeout(NaN), RangeError);
});

Deno.test("TimeoutProtocol.timeoutFunc() can be overridden", () => {
  const clock = new Clock();
  const fired: string[] = [];
  class Custom extends TimeoutProtocol {
    override timeoutFunc(): void {
      fired.push("custom");
    }
  }
  class CustomFactory extends TimeoutFactory {
    override wrapProtocol(p: Protocol): Custom {
      return new Custom(this, p, this.timeoutPeriod);
    }
  }
  const factory = new CustomFactory(new SimpleServer(), 2);
  factory.clock = clock;
  const p = factory.buildProtocol(addr())!;
  const transport = connect(p);
  clock.advance(2);
  deepEqual(fired, ["custom"]);
  equal(transport.connected, true);
});

Deno.test("TimeoutProtocol.callLater() goes through the factory's callLater hook", () => {
  const periods: number[] = [];
  const clock = new Clock();
  class Hooked extends TimeoutFactory {
    override callLater(period: number, func: () => void): IDelayedCall {
      periods.push(period);
      return clock.callLater(period, func);
    }
  }
  new Hooked(new SimpleServer(), 7).buildProtocol(addr());
  deepEqual(periods, [7]);
});

// --- TimeoutFactory --------------------------------------------------------

/** A TimeoutFactory with a 3 s timeout and one connection (Twisted's `TimeoutFactoryTests.setUp`). */
function setUpFactory(): {
  clock: Clock;
  factory: TimeoutFactory;
  proto: TimeoutProtocol;
  transport: StringTransportWithDisconnection;
  wrapped: SimpleProtocol;
} {
  const clock = new Clock();
  const factory = new TimeoutFactory(new SimpleServer(), 3);
  factory.clock = clock;
  const proto = factory.buildProtocol(addr("127.0.0.1", 12345))!;
  const transport = connect(proto);
  const wrapped = proto.wrappedProtocol as SimpleProtocol;
  return { clock, factory, proto, transport, wrapped };
}

Deno.test("TimeoutFactory closes a connection with no traffic for timeoutPeriod", () => {
  const { clock, wrapped } = setUpFactory();
  clock.pump([0.0, 0.5, 1.0, 1.0, 0.4]);
  equal(wrapped.disconnected, 0);
  clock.pump([0.0, 0.2]);
  equal(wrapped.disconnected, 1);
});

Deno.test("TimeoutProtocol.write() restarts the countdown", () => {
  const { clock, proto, wrapped } = setUpFactory();
  clock.pump([0.0, 0.5, 1.0]);
  proto.write(bytes("bytes bytes bytes"));
  clock.pump([0.0, 1.0, 1.0]);
  equal(wrapped.disconnected, 0);
  clock.pump([0.0, 1.0]);
  equal(wrapped.disconnected, 1);
});

Deno.test("TimeoutProtocol.writeSequence() restarts the countdown", () => {
  const { clock, proto, wrapped } = setUpFactory();
  clock.pump([0.0, 0.5, 1.0]);
  proto.writeSequence([bytes("bytes"), bytes("bytes"), bytes("bytes")]);
  clock.pump([0.0, 1.0, 1.0]);
  equal(wrapped.disconnected, 0);
  clock.pump([0.0, 1.0]);
  equal(wrapped.disconnected, 1);
});

Deno.test("TimeoutProtocol restarts the countdown when the wrapped protocol writes", () => {
  const { clock, transport, wrapped } = setUpFactory();
  clock.pump([0.0, 0.5, 1.0]);
  wrapped.transport.write("from the protocol");
  clock.pump([0.0, 1.0, 1.0]);
  equal(wrapped.disconnected, 0);
  equal(transport.valueText(), "from the protocol");
  clock.pump([0.0, 1.0]);
  equal(wrapped.disconnected, 1);
});

Deno.test("TimeoutProtocol.dataReceived() restarts the countdown", () => {
  const { clock, proto, wrapped } = setUpFactory();
  clock.pump([0.0, 1.0, 0.5]);
  proto.dataReceived(bytes("bytes bytes bytes"));
  clock.pump([0.0, 1.0, 1.0]);
  equal(wrapped.disconnected, 0);
  clock.pump([0.0, 1.0, 1.0]);
  equal(wrapped.disconnected, 1);
  equal(wrapped.buffer, "bytes bytes bytes");
});

Deno.test("TimeoutProtocol.dataReceived() restarts the countdown at every chunk size", () => {
  const input = bytes("keep me alive");
  for (let size = 1; size <= input.length; size++) {
    const { clock, proto, wrapped } = setUpFactory();
    for (let i = 0; i < input.length; i += size) {
      clock.advance(2);
      proto.dataReceived(input.subarray(i, i + size));
    }
    equal(wrapped.disconnected, 0, `size ${size}`);
    equal(wrapped.buffer, "keep me alive", `size ${size}`);
    clock.advance(3);
    equal(wrapped.disconnected, 1, `size ${size}`);
  }
});

Deno.test("TimeoutProtocol.connectionLost() cancels the countdown", () => {
  const { clock, transport, wrapped } = setUpFactory();
  equal(clock.getDelayedCalls().length, 1);
  transport.loseConnection();
  equal(wrapped.disconnected, 1);
  deepEqual(clock.getDelayedCalls(), []);
});

Deno.test("TimeoutProtocol lets traffic through after the timeout fired and before the close completes", () => {
  const clock = new Clock();
  const factory = new TimeoutFactory(new SimpleServer(), 1);
  factory.clock = clock;
  const proto = factory.buildProtocol(addr())!;
  const transport = new StringTransport(); // closing never completes
  proto.makeConnection(transport);
  clock.advance(1);
  equal(transport.disconnecting, true);
  const wrapped = proto.wrappedProtocol as SimpleProtocol;
  doesNotThrow(() => {
    wrapped.transport.write("bye");
    proto.dataReceived(bytes("late"));
  });
  equal(transport.valueText(), "bye");
  equal(wrapped.buffer, "late");
});

Deno.test("TimeoutFactory starts each countdown when the wrapper is built", () => {
  const clock = new Clock();
  clock.advance(10);
  const factory = new TimeoutFactory(new SimpleServer(), 3);
  factory.clock = clock;
  const proto = factory.buildProtocol(addr())!;
  equal(proto.timeoutPeriod, 3);
  equal(proto.timeoutCall?.getTime(), 13);
});

Deno.test("TimeoutFactory with a null timeoutPeriod sets no timeout", () => {
  const clock = new Clock();
  const factory = new TimeoutFactory(new SimpleServer(), null);
  factory.clock = clock;
  connect(factory.buildProtocol(addr())!);
  deepEqual(clock.getDelayedCalls(), []);
});

Deno.test("TimeoutFactory.timeoutPeriod defaults to 1800 seconds", () => {
  equal(new TimeoutFactory(new SimpleServer()).timeoutPeriod, 1800);
});

Deno.test("TimeoutFactory.clock defaults to the reactor and can be set", () => {
  const factory = new TimeoutFactory(new SimpleServer());
  equal(factory.clock, reactor);
  const clock = new Clock();
  factory.clock = clock;
  equal(factory.clock, clock);
});

Deno.test("TimeoutFactory rejects a negative timeoutPeriod", () => {
  throws(() => new TimeoutFactory(new SimpleServer(), -5), RangeError);
});

Deno.test("TimeoutFactory.buildProtocol() returns null when the wrapped factory refuses", () => {
  const clock = new Clock();
  const factory = new TimeoutFactory(
    { buildProtocol: () => null, doStart() {}, doStop() {} },
    3,
  );
  factory.clock = clock;
  equal(factory.buildProtocol(addr()), null);
  deepEqual(clock.getDelayedCalls(), []);
});

// --- TimeoutMixin ----------------------------------------------------------

/** A protocol with a timeout of 3 s (Twisted's `TimeoutTester`). */
class TimeoutTester extends TimeoutMixin(Protocol) {
  override timeOut: number | null = 3;
  timedOut = false;

  constructor(clock: Clock) {
    super();
    this.clock = clock;
  }

  override connectionMade(): void {
    this.setTimeout(this.timeOut);
  }

  override dataReceived(_data: Uint8Array): void {
    this.resetTimeout();
  }

  override connectionLost(_reason: Failure): void {
    this.setTimeout(null);
  }

  override timeoutConnection(): void {
    this.timedOut = true;
  }
}

Deno.test("TimeoutMixin.setTimeout() schedules on the protocol's clock", () => {
  const clock = new Clock();
  const proto = new TimeoutTester(clock);
  proto.setTimeout(10);
  equal(clock.getDelayedCalls().length, 1);
});

Deno.test("TimeoutMixin times out after timeOut seconds", () => {
  const clock = new Clock();
  const proto = new TimeoutTester(clock);
  proto.makeConnection(new StringTransport());
  clock.pump([0, 0.5, 1.0, 1.0]);
  equal(proto.timedOut, false);
  clock.pump([0, 1.0]);
  equal(proto.timedOut, true);
});

Deno.test("TimeoutMixin.resetTimeout() delays the timeout", () => {
  const clock = new Clock();
  const proto = new TimeoutTester(clock);
  proto.makeConnection(new StringTransport());
  clock.pump([0, 0.5, 1.0, 1.0]);
  equal(proto.timedOut, false);
  proto.dataReceived(bytes("hello there"));
  clock.pump([0, 1.0, 1.0, 0.5]);
  equal(proto.timedOut, false);
  clock.pump([0, 1.0]);
  equal(proto.timedOut, true);
});

Deno.test("TimeoutMixin.setTimeout() with a new value replaces the timeout", () => {
  const clock = new Clock();
  const proto = new TimeoutTester(clock);
  proto.timeOut = null;
  proto.makeConnection(new StringTransport());
  proto.setTimeout(1);
  equal(proto.timeOut, 1);
  clock.pump([0, 0.9]);
  equal(proto.timedOut, false);
  clock.pump([0, 0.2]);
  equal(proto.timedOut, true);
});

Deno.test("TimeoutMixin.setTimeout() restarts a running countdown with the new period", () => {
  const clock = new Clock();
  const proto = new TimeoutTester(clock);
  proto.makeConnection(new StringTransport());
  clock.advance(2);
  proto.setTimeout(5);
  equal(clock.getDelayedCalls().length, 1);
  clock.advance(4.9);
  equal(proto.timedOut, false);
  clock.advance(0.1);
  equal(proto.timedOut, true);
});

Deno.test("TimeoutMixin.setTimeout(null) cancels the timeout", () => {
  const clock = new Clock();
  const proto = new TimeoutTester(clock);
  proto.timeOut = 5;
  proto.makeConnection(new StringTransport());
  proto.setTimeout(null);
  equal(proto.timeOut, null);
  clock.pump([0, 5, 5, 5]);
  equal(proto.timedOut, false);
  deepEqual(clock.getDelayedCalls(), []);
});

Deno.test("TimeoutMixin.setTimeout() returns the previous timeout", () => {
  const clock = new Clock();
  const proto = new TimeoutTester(clock);
  proto.timeOut = 5;
  equal(proto.setTimeout(10), 5);
  equal(proto.setTimeout(null), 10);
  equal(proto.setTimeout(1), null);
  equal(proto.timeOut, 1);
  proto.setTimeout(null);
  deepEqual(clock.getDelayedCalls(), []);
});

Deno.test("TimeoutMixin.setTimeout(null) ignores a timeout cancelled elsewhere", () => {
  const clock = new Clock();
  const proto = new TimeoutTester(clock);
  proto.setTimeout(3);
  clock.getDelayedCalls()[0].cancel();
  ok(proto.timeOut !== null);
  doesNotThrow(() => proto.setTimeout(null));
  equal(proto.timeOut, null);
});

Deno.test("TimeoutMixin.setTimeout() starts a new timeout when the last was cancelled elsewhere", () => {
  const clock = new Clock();
  const proto = new TimeoutTester(clock);
  proto.setTimeout(3);
  clock.getDelayedCalls()[0].cancel();
  proto.setTimeout(2);
  clock.advance(2);
  equal(proto.timedOut, true);
});

Deno.test("TimeoutMixin.resetTimeout() does nothing when the timeout was cancelled elsewhere", () => {
  const clock = new Clock();
  const proto = new TimeoutTester(clock);
  proto.setTimeout(3);
  clock.getDelayedCalls()[0].cancel();
  doesNotThrow(() => proto.resetTimeout());
  deepEqual(clock.getDelayedCalls(), []);
});

Deno.test("TimeoutMixin.resetTimeout() does nothing once the timeout fired", () => {
  const clock = new Clock();
  const proto = new TimeoutTester(clock);
  proto.makeConnection(new StringTransport());
  clock.advance(3);
  equal(proto.timedOut, true);
  proto.resetTimeout();
  deepEqual(clock.getDelayedCalls(), []);
});

Deno.test("TimeoutMixin.resetTimeout() does nothing without a timeout", () => {
  const clock = new Clock();
  const proto = new TimeoutTester(clock);
  proto.resetTimeout();
  deepEqual(clock.getDelayedCalls(), []);
});

Deno.test("TimeoutMixin.setTimeout() after the timeout fired starts a new one", () => {
  const clock = new Clock();
  const proto = new TimeoutTester(clock);
  proto.makeConnection(new StringTransport());
  clock.advance(3);
  proto.timedOut = false;
  proto.setTimeout(4);
  clock.advance(4);
  equal(proto.timedOut, true);
});

Deno.test("TimeoutMixin does not reset the timeout on data by itself", () => {
  class Quiet extends TimeoutMixin(Protocol) {
    override connectionMade(): void {
      this.setTimeout(2);
    }
  }
  const clock = new Clock();
  const proto = new Quiet();
  proto.clock = clock;
  const transport = new StringTransport();
  proto.makeConnection(transport);
  clock.advance(1);
  proto.dataReceived(bytes("data"));
  clock.advance(1);
  equal(transport.disconnecting, true);
});

Deno.test("TimeoutMixin.timeoutConnection() closes the transport by default", () => {
  const clock = new Clock();
  const proto = new (TimeoutMixin(Protocol))();
  proto.clock = clock;
  const transport = new StringTransport();
  proto.makeConnection(transport);
  proto.setTimeout(5);
  clock.advance(5);
  equal(transport.disconnecting, true);
});

Deno.test("TimeoutMixin.connectionLost() in the protocol cancels the timeout with setTimeout(null)", () => {
  const clock = new Clock();
  const proto = new TimeoutTester(clock);
  const transport = new StringTransportWithDisconnection();
  transport.protocol = proto;
  proto.makeConnection(transport);
  transport.loseConnection();
  deepEqual(clock.getDelayedCalls(), []);
});

Deno.test("TimeoutMixin.callLater() can be overridden (Twisted's hook)", () => {
  const clock = new Clock();
  const periods: number[] = [];
  class Hooked extends TimeoutMixin(Protocol) {
    override callLater(period: number, func: () => void): IDelayedCall {
      periods.push(period);
      return clock.callLater(period, func);
    }
  }
  const proto = new Hooked();
  proto.setTimeout(4);
  deepEqual(periods, [4]);
  equal(clock.getDelayedCalls().length, 1);
});

Deno.test("TimeoutMixin.clock defaults to the reactor", () => {
  equal(new (TimeoutMixin(Protocol))().clock, reactor);
});

Deno.test("TimeoutMixin.timeOut defaults to null", () => {
  equal(new (TimeoutMixin(Protocol))().timeOut, null);
});

Deno.test("TimeoutMixin.setTimeout() rejects a negative or NaN period", () => {
  const proto = new TimeoutTester(new Clock());
  throws(() => proto.setTimeout(-1), RangeError);
  throws(() => proto.setTimeout(NaN), RangeError);
  equal(proto.timeOut, 3);
});

Deno.test("TimeoutMixin() keeps the base class's constructor, statics and instanceof", () => {
  class Greeter extends Protocol {
    static kind = "greeter";
    constructor(readonly greeting: string) {
      super();
    }
    override connectionMade(): void {
      this.transport.write(this.greeting);
    }
  }
  class TimedGreeter extends TimeoutMixin(Greeter) {}
  const p = new TimedGreeter("hello");
  ok(p instanceof Greeter);
  ok(p instanceof Protocol);
  equal(TimedGreeter.kind, "greeter");
  const transport = new StringTransport();
  p.makeConnection(transport);
  equal(transport.valueText(), "hello");
});

Deno.test("TimeoutMixin gives each protocol its own timeout", () => {
  const clock = new Clock();
  const a = new TimeoutTester(clock);
  const b = new TimeoutTester(clock);
  a.makeConnection(new StringTransport());
  clock.advance(2);
  b.makeConnection(new StringTransport());
  clock.advance(1);
  equal(a.timedOut, true);
  equal(b.timedOut, false);
  clock.advance(2);
  equal(b.timedOut, true);
});
