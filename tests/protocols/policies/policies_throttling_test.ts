// Copyright 2026 the Torsion authors. MIT license.
// ThrottlingFactory and ThrottlingProtocol: Twisted's ThrottlingTests
// (twisted/test/test_policies.py) on a Clock, test_limit without sockets,
// plus the timers' lifetime and the isolation of connections.
import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { Failure } from "../../../defer/failure.ts";
import { ConnectionDone } from "../../../reactor/errors.ts";
import { ServerFactory } from "../../../reactor/factory.ts";
import type {
  IAddress,
  IProtocol,
  IPullProducer,
} from "../../../reactor/interfaces.ts";
import { reactor } from "../../../reactor/default_reactor.ts";
import {
  captureLog,
  Clock,
  StringTransport,
} from "../../../reactor/testing/mod.ts";
import {
  ThrottlingFactory,
  type ThrottlingFactoryOptions,
  ThrottlingProtocol,
} from "../../../protocols/policies/mod.ts";
import {
  addr,
  bytes,
  connect,
  EchoProtocol,
  Server,
  type SimpleProtocol,
  SimpleServer,
} from "../../_policies_helpers.ts";

/** A ThrottlingFactory on a new Clock (Twisted's `TestableThrottlingFactory`). */
function testable(
  options: ThrottlingFactoryOptions = {},
  wrapped: ServerFactory = new Server(),
): { factory: ThrottlingFactory; clock: Clock } {
  const clock = new Clock();
  const factory = new ThrottlingFactory(wrapped, options);
  factory.clock = clock;
  return { factory, clock };
}

Deno.test("ThrottlingFactory refuses connections over maxConnectionCount", () => {
  using captured = captureLog();
  const { factory } = testable({ maxConnectionCount: 2 });
  const c1 = factory.buildProtocol(addr())!;
  const c2 = factory.buildProtocol(addr())!;
  connect(c1);
  connect(c2);
  equal(factory.buildProtocol(addr()), null);
  equal(factory.protocols.size, 2);
  equal(factory.connectionCount, 2);
  deepEqual(captured.messages, ["Max connection count reached!"]);
});

Deno.test("ThrottlingFactory accepts a connection again once one closes", () => {
  using _log = captureLog();
  const { factory } = testable({ maxConnectionCount: 2 });
  const t1 = connect(factory.buildProtocol(addr())!);
  connect(factory.buildProtocol(addr())!);
  equal(factory.buildProtocol(addr()), null);
  t1.loseConnection();
  equal(factory.connectionCount, 1);
  const c4 = factory.buildProtocol(addr());
  ok(c4 instanceof ThrottlingProtocol);
  connect(c4);
  equal(factory.protocols.size, 2);
});

Deno.test("ThrottlingFactory has no connection or bandwidth limit by default", () => {
  const factory = new ThrottlingFactory(new Server());
  equal(factory.maxConnectionCount, Infinity);
  equal(factory.readLimit, null);
  equal(factory.writeLimit, null);
});

Deno.test("ThrottlingFactory rejects bad limits", () => {
  throws(
    () => new ThrottlingFactory(new Server(), { readLimit: 0 }),
    RangeError,
  );
  throws(
    () => new ThrottlingFactory(new Server(), { writeLimit: -1 }),
    RangeError,
  );
  throws(
    () => new ThrottlingFactory(new Server(), { readLimit: NaN }),
    RangeError,
  );
  throws(
    () => new ThrottlingFactory(new Server(), { writeLimit: Infinity }),
    RangeError,
  );
  throws(
    () => new ThrottlingFactory(new Server(), { maxConnectionCount: -1 }),
    RangeError,
  );
});

Deno.test("ThrottlingFactory.clock defaults to the reactor", () => {
  equal(new ThrottlingFactory(new Server()).clock, reactor);
});

Deno.test("ThrottlingProtocol.writeSequence() writes and counts the bytes", () => {
  const { factory } = testable();
  const p = factory.buildProtocol(addr("127.0.0.1", 0))!;
  const transport = connect(p);
  p.writeSequence([
    bytes("bytes"),
    bytes("bytes"),
    bytes("bytes"),
    bytes("bytes"),
  ]);
  equal(transport.valueText(), "bytesbytesbytesbytes");
  equal(factory.writtenThisSecond, 20);
});

Deno.test("ThrottlingProtocol.writeSequence() takes a generator's pieces once", () => {
  const { factory } = testable();
  const p = factory.buildProtocol(addr())!;
  const transport = connect(p);
  function* pieces(): Generator<string> {
    yield "ab";
    yield "cd";
  }
  p.writeSequence(pieces());
  equal(transport.valueText(), "abcd");
  equal(factory.writtenThisSecond, 4);
});

Deno.test("ThrottlingProtocol.write() counts strings in UTF-8 bytes", () => {
  const { factory } = testable();
  const p = factory.buildProtocol(addr())!;
  connect(p);
  p.write("é€😀"); // 2 + 3 + 4 bytes
  equal(factory.writtenThisSecond, 9);
});

Deno.test("ThrottlingProtocol.dataReceived() counts every byte at every chunk size", () => {
  const input = bytes("count all of these bytes");
  for (let size = 1; size <= input.length; size++) {
    const { factory } = testable({}, new SimpleServer());
    const p = factory.buildProtocol(addr())!;
    connect(p);
    for (let i = 0; i < input.length; i += size) {
      p.dataReceived(input.subarray(i, i + size));
    }
    equal(factory.readThisSecond, input.length, `size ${size}`);
    equal(
      (p.wrappedProtocol as SimpleProtocol).buffer,
      "count all of these bytes",
      `size ${size}`,
    );
  }
});

Deno.test("ThrottlingFactory with a writeLimit pauses and resumes the producer", () => {
  using _log = captureLog();
  const { factory, clock } = testable({ writeLimit: 10 });
  const port = factory.buildProtocol(addr("127.0.0.1", 0))!;
  const tr = connect(port);
  const echo = port.wrappedProtocol as EchoProtocol;
  port.producer = echo;

  port.dataReceived(bytes("0123456789"));
  port.dataReceived(bytes("abcdefghij"));
  equal(tr.valueText(), "0123456789abcdefghij");
  equal(factory.writtenThisSecond, 20);
  equal(echo.paused, false);

  // 10 bytes over the limit: paused for 20 / 10 - 1 = 1 second.
  clock.advance(1.05);
  equal(factory.writtenThisSecond, 0);
  equal(echo.paused, true);

  clock.advance(1.05);
  equal(factory.writtenThisSecond, 0);
  equal(echo.paused, false);
});

Deno.test("ThrottlingFactory with a readLimit pauses and resumes the transport", () => {
  using _log = captureLog();
  const { factory, clock } = testable({ readLimit: 10 });
  const port = factory.buildProtocol(addr("127.0.0.1", 0))!;
  const tr = connect(port);

  for (let round = 0; round < 2; round++) {
    tr.clear();
    port.dataReceived(bytes("0123456789"));
    port.dataReceived(bytes("abcdefghij"));
    equal(tr.valueText(), "0123456789abcdefghij");
    equal(factory.readThisSecond, 20);

    clock.advance(1.05);
    equal(factory.readThisSecond, 0);
    equal(tr.producerState, "paused", `round ${round}`);

    clock.advance(1.05);
    equal(factory.readThisSecond, 0);
    equal(tr.producerState, "producing", `round ${round}`);
  }
});

Deno.test("ThrottlingFactory does not throttle at exactly the limit", () => {
  const { factory, clock } = testable({ readLimit: 10 });
  const port = factory.buildProtocol(addr())!;
  const tr = connect(port);
  port.dataReceived(bytes("0123456789"));
  clock.advance(1);
  equal(tr.producerState, "producing");
});

Deno.test("ThrottlingFactory throttles writes only through a registered push producer", () => {
  using _log = captureLog();
  const { factory, clock } = testable({ writeLimit: 1 });
  const withPush = factory.buildProtocol(addr())!;
  connect(withPush);
  const producer = new EchoProtocol();
  withPush.registerProducer(producer, true);
  const withPull = factory.buildProtocol(addr())!;
  connect(withPull);
  let pulls = 0;
  const pull: IPullProducer = {
    resumeProducing: () => pulls++,
    stopProducing: () => {},
  };
  withPull.registerProducer(pull, false);
  const without = factory.buildProtocol(addr())!;
  const t3 = connect(without);
  without.write("xxxx");
  clock.advance(1);
  equal(producer.paused, true);
  equal(t3.producerState, "producing");
  clock.advance(3);
  equal(producer.paused, false);
  equal(pulls, 0);
});

Deno.test("ThrottlingProtocol.registerProducer() keeps the producer and unregisterProducer() forgets it", () => {
  const { factory } = testable();
  const p = factory.buildProtocol(addr())!;
  const transport = connect(p);
  const producer = new EchoProtocol();
  p.registerProducer(producer, true);
  equal(p.producer, producer);
  equal(transport.producer, producer);
  p.unregisterProducer();
  equal(p.producer, null);
  equal(transport.producer, null);
});

Deno.test("ThrottlingProtocol.registerProducer() keeps the first producer when the transport refuses a second", () => {
  const { factory } = testable();
  const p = factory.buildProtocol(addr())!;
  connect(p);
  const first = new EchoProtocol();
  p.registerProducer(first, true);
  throws(() => p.registerProducer(new EchoProtocol(), true));
  equal(p.producer, first);
});

Deno.test("ThrottlingFactory starts no timers without bandwidth limits", () => {
  const { factory, clock } = testable();
  connect(factory.buildProtocol(addr())!);
  deepEqual(clock.getDelayedCalls(), []);
});

Deno.test("ThrottlingFactory starts the checks with the first connection only", () => {
  const { factory, clock } = testable({ readLimit: 10, writeLimit: 10 });
  deepEqual(clock.getDelayedCalls(), []);
  factory.buildProtocol(addr());
  equal(clock.getDelayedCalls().length, 2);
  ok(factory.checkReadBandwidthID?.active());
  ok(factory.checkWriteBandwidthID?.active());
  factory.buildProtocol(addr());
  equal(clock.getDelayedCalls().length, 2);
});

Deno.test("ThrottlingFactory checks the bandwidth every second", () => {
  const { factory, clock } = testable({ readLimit: 10 });
  factory.buildProtocol(addr());
  deepEqual(clock.getDelayedCalls().map((c) => c.getTime()), [1]);
  clock.advance(1);
  deepEqual(clock.getDelayedCalls().map((c) => c.getTime()), [2]);
});

Deno.test("ThrottlingFactory cancels its timers when the connection count is back to 0", () => {
  using _log = captureLog();
  const { factory, clock } = testable({ readLimit: 10, writeLimit: 10 });
  const p1 = factory.buildProtocol(addr())!;
  const p2 = factory.buildProtocol(addr())!;
  const t1 = connect(p1);
  const t2 = connect(p2);
  p1.dataReceived(new Uint8Array(30));
  p1.write(new Uint8Array(30));
  clock.advance(1); // throttled: resumes are pending
  equal(clock.getDelayedCalls().length, 4);
  t1.loseConnection();
  equal(clock.getDelayedCalls().length, 4);
  t2.loseConnection();
  deepEqual(clock.getDelayedCalls(), []);
  equal(factory.unthrottleReadsID, null);
  equal(factory.checkReadBandwidthID, null);
  equal(factory.unthrottleWritesID, null);
  equal(factory.checkWriteBandwidthID, null);
});

Deno.test("ThrottlingFactory restarts the checks for a new first connection", () => {
  const { factory, clock } = testable({ readLimit: 10 });
  const t = connect(factory.buildProtocol(addr())!);
  t.loseConnection();
  clock.advance(5);
  factory.buildProtocol(addr());
  deepEqual(clock.getDelayedCalls().map((c) => c.getTime()), [6]);
});

Deno.test("ThrottlingFactory forgets the bytes counted when the last connection closes", () => {
  const { factory } = testable({ readLimit: 10, writeLimit: 10 });
  const p = factory.buildProtocol(addr())!;
  const t = connect(p);
  p.dataReceived(new Uint8Array(5));
  p.write(new Uint8Array(5));
  t.loseConnection();
  equal(factory.readThisSecond, 0);
  equal(factory.writtenThisSecond, 0);
});

Deno.test("ThrottlingFactory starts no checks and counts nothing for a refused connection", () => {
  using _log = captureLog();
  const { factory, clock } = testable({ maxConnectionCount: 0, readLimit: 10 });
  equal(factory.buildProtocol(addr()), null);
  equal(factory.connectionCount, 0);
  deepEqual(clock.getDelayedCalls(), []);
});

Deno.test("ThrottlingFactory.buildProtocol() returns null, counting nothing, when the wrapped factory refuses", () => {
  class Refusing extends ServerFactory {
    override buildProtocol(_addr: IAddress): IProtocol | null {
      return null;
    }
  }
  const { factory, clock } = testable({ readLimit: 10 }, new Refusing());
  equal(factory.buildProtocol(addr()), null);
  equal(factory.connectionCount, 0);
  deepEqual(clock.getDelayedCalls(), []);
});

Deno.test("ThrottlingFactory throttling again moves a pending resume later", () => {
  using _log = captureLog();
  const { factory, clock } = testable({ writeLimit: 10 });
  const p = factory.buildProtocol(addr())!;
  connect(p);
  const producer = new EchoProtocol();
  p.registerProducer(producer, true);
  p.write(new Uint8Array(40));
  clock.advance(1); // t = 1: paused for 40 / 10 - 1 = 3 s, until 4
  equal(producer.paused, true);
  p.write(new Uint8Array(60));
  clock.advance(1); // t = 2: paused for 60 / 10 - 1 = 5 s, until 7
  clock.advance(1);
  clock.advance(1.5); // t = 4.5: Twisted would have resumed at 4
  equal(producer.paused, true);
  clock.advance(2); // t = 6.5
  equal(producer.paused, true);
  clock.advance(0.5); // t = 7
  equal(producer.paused, false);
});

Deno.test("ThrottlingFactory logs throttling and unthrottling", () => {
  using captured = captureLog();
  const { factory, clock } = testable({ readLimit: 10 });
  const p = factory.buildProtocol(addr())!;
  connect(p);
  p.dataReceived(new Uint8Array(20));
  clock.advance(1);
  clock.advance(1);
  deepEqual(captured.messages, [
    "Throttling reads on <ThrottlingFactory object>",
    "Stopped throttling reads on <ThrottlingFactory object>",
  ]);
});

Deno.test("ThrottlingFactory goes on throttling the other connections when one fails to pause", () => {
  using captured = captureLog();
  const { factory, clock } = testable({ readLimit: 10 });
  const p1 = factory.buildProtocol(addr())!;
  const t1 = connect(p1);
  const p2 = factory.buildProtocol(addr())!;
  const t2 = connect(p2);
  t1.stopProducing(); // its pauseProducing now throws
  p1.dataReceived(new Uint8Array(30));
  clock.advance(1);
  equal(t2.producerState, "paused");
  equal(captured.flushLoggedErrors().length, 1);
  ok(factory.checkReadBandwidthID?.active());
});

Deno.test("ThrottlingFactory neither pauses nor resumes a connection that is closing", () => {
  using captured = captureLog();
  const { factory, clock } = testable({ readLimit: 10 });
  const p = factory.buildProtocol(addr())!;
  const transport = new StringTransport(); // loseConnection leaves it open
  p.makeConnection(transport);
  p.dataReceived(new Uint8Array(30));
  p.loseConnection();
  clock.advance(3);
  equal(transport.producerState, "producing");
  deepEqual(captured.errors(), []);
});

Deno.test("ThrottlingFactory counts each built connection down once", () => {
  const { factory } = testable();
  const p = factory.buildProtocol(addr())!;
  factory.buildProtocol(addr());
  p.makeConnection(new StringTransport());
  const reason = new Failure(new ConnectionDone());
  p.connectionLost(reason);
  p.connectionLost(reason);
  equal(factory.connectionCount, 1);
});
