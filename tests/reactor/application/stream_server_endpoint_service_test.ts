// Copyright 2026 the Torsion authors. MIT license.
// StreamServerEndpointService and strports, ported from Twisted's
// EndpointServiceTests (twisted/application/test/test_internet.py).
import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { CancelledError, Deferred } from "../../../defer/mod.ts";
import {
  StreamServerEndpointService,
  strports,
} from "../../../reactor/application/mod.ts";
import {
  CannotListenError,
  Factory,
  type IAddress,
  type IListeningPort,
  type IProtocolFactory,
  type IStreamServerEndpoint,
  Protocol,
} from "../../../reactor/mod.ts";
import {
  captureLog,
  FakePort,
  MemoryReactor,
  successResultOf,
} from "../../../reactor/testing/mod.ts";

class ZeroDivisionError extends Error {
  constructor() {
    super("division by zero");
    this.name = "ZeroDivisionError";
  }
}

/** A port whose stopListening() fires when the test says (Twisted's FakePort). */
class SlowPort implements IListeningPort {
  deferred: Deferred<void> | null = null;
  startListening(): void {}
  stopListening(): Deferred<void> {
    this.deferred = new Deferred<void>();
    return this.deferred;
  }
  getHost(): IAddress {
    return { type: "TCP" };
  }
}

/** An endpoint whose listen() the test settles (Twisted's FakeServer). */
class FakeServer implements IStreamServerEndpoint {
  result: Deferred<IListeningPort> | null = null;
  factory: IProtocolFactory | null = null;
  failImmediately: Error | null = null;
  cancelException: Error = new CancelledError();
  listenAttempts = 0;
  readonly port = new SlowPort();

  listen(factory: IProtocolFactory): Deferred<IListeningPort> {
    this.listenAttempts++;
    this.factory = factory;
    this.result = new Deferred<IListeningPort>((d) =>
      d.errback(this.cancelException)
    );
    if (this.failImmediately !== null) {
      this.result.errback(this.failImmediately);
    }
    return this.result;
  }

  startedListening(): void {
    this.result!.callback(this.port);
  }

  stoppedListening(): void {
    this.port.deferred!.callback();
  }
}

function setUp(): [FakeServer, Factory, StreamServerEndpointService] {
  const server = new FakeServer();
  const factory = new Factory();
  return [server, factory, new StreamServerEndpointService(server, factory)];
}

Deno.test("StreamServerEndpointService.privilegedStartService() listens on the endpoint with the factory", () => {
  const [server, factory, svc] = setUp();
  svc.privilegedStartService();
  equal(server.factory, factory);
});

Deno.test("StreamServerEndpointService with raiseSynchronously: startService() throws a listen that failed at once", () => {
  const server = new FakeServer();
  server.failImmediately = new ZeroDivisionError();
  const svc = new StreamServerEndpointService(server, new Factory(), {
    raiseSynchronously: true,
  });
  throws(() => svc.startService(), ZeroDivisionError);
});

Deno.test("StreamServerEndpointService with raiseSynchronously: privilegedStartService() throws too", () => {
  const server = new FakeServer();
  server.failImmediately = new ZeroDivisionError();
  const svc = new StreamServerEndpointService(server, new Factory(), {
    raiseSynchronously: true,
  });
  throws(() => svc.privilegedStartService(), ZeroDivisionError);
});

Deno.test("StreamServerEndpointService logs a listen that fails later", () => {
  const [server, , svc] = setUp();
  using captured = captureLog();
  svc.startService();
  server.result!.errback(new ZeroDivisionError());
  equal(captured.flushLoggedErrors(ZeroDivisionError).length, 1);
});

Deno.test("StreamServerEndpointService logs a listen that fails later even with raiseSynchronously", () => {
  const server = new FakeServer();
  const svc = new StreamServerEndpointService(server, new Factory(), {
    raiseSynchronously: true,
  });
  using captured = captureLog();
  svc.startService();
  server.result!.errback(new ZeroDivisionError());
  equal(captured.flushLoggedErrors(ZeroDivisionError).length, 1);
});

Deno.test("StreamServerEndpointService without raiseSynchronously logs a listen that failed at once", () => {
  const [server, , svc] = setUp();
  server.failImmediately = new ZeroDivisionError();
  using captured = captureLog();
  svc.startService();
  equal(captured.flushLoggedErrors(ZeroDivisionError).length, 1);
});

Deno.test("StreamServerEndpointService.startService() sets running and listens if not started", () => {
  const [server, factory, svc] = setUp();
  svc.startService();
  equal(server.factory, factory);
  equal(svc.running, true);
});

Deno.test("StreamServerEndpointService.startService() after privilegedStartService() does not listen again", () => {
  const [server, , svc] = setUp();
  svc.privilegedStartService();
  svc.startService();
  equal(server.listenAttempts, 1);
  equal(svc.running, true);
});

Deno.test("StreamServerEndpointService.stopService() stops listening and fires once the port has stopped", () => {
  const [server, , svc] = setUp();
  svc.privilegedStartService();
  server.startedListening();
  svc.startService();
  const result = svc.stopService();
  const fired: unknown[] = [];
  result.addCallback((r) => {
    fired.push(r);
  });
  equal(fired.length, 0);
  server.stoppedListening();
  equal(fired.length, 1);
  equal(svc.running, false);
});

Deno.test("StreamServerEndpointService.stopService() cancels a listen under way, logging nothing", () => {
  const [, , svc] = setUp();
  using captured = captureLog();
  svc.privilegedStartService();
  const result = svc.stopService();
  deepEqual([successResultOf(result)], [undefined]);
  equal(captured.events.length, 0);
});

Deno.test("StreamServerEndpointService.stopService() logs a cancellation that fails otherwise, and fires", () => {
  const [server, , svc] = setUp();
  server.cancelException = new ZeroDivisionError();
  using captured = captureLog();
  svc.privilegedStartService();
  successResultOf(svc.stopService());
  equal(captured.flushLoggedErrors(ZeroDivisionError).length, 1);
});

Deno.test("StreamServerEndpointService.stopService() before a start fires at once", () => {
  const [, , svc] = setUp();
  successResultOf(svc.stopService());
  equal(svc.running, false);
});

Deno.test("StreamServerEndpointService listens anew when started again after a stop", () => {
  const [server, , svc] = setUp();
  svc.startService();
  server.startedListening();
  svc.stopService();
  server.stoppedListening();
  svc.startService();
  equal(server.listenAttempts, 2);
});

Deno.test("strports.service() listens on the endpoint of the description", () => {
  const reactor = new MemoryReactor();
  const factory = new Factory();
  const svc = strports.service("tcp:8080:interface=127.0.0.1", factory, {
    reactor,
  });
  ok(svc instanceof StreamServerEndpointService);
  equal(reactor.tcpServers.length, 0);
  svc.privilegedStartService();
  deepEqual(reactor.tcpServers, [[8080, factory, 50, "127.0.0.1"]]);
});

Deno.test("strports.service() makes a service whose start throws when the port cannot be bound", () => {
  const reactor = new MemoryReactor();
  reactor.listenTCP = () => {
    throw new CannotListenError("", 80, new Error("in use"));
  };
  const svc = strports.service("tcp:80", Factory.forProtocol(Protocol), {
    reactor,
  });
  throws(() => svc.privilegedStartService(), CannotListenError);
});

Deno.test("strports.service() throws for a bad description", () => {
  throws(
    () =>
      strports.service("nope:80", new Factory(), {
        reactor: new MemoryReactor(),
      }),
    RangeError,
  );
});

Deno.test("strports.listen() listens now and returns the port", () => {
  const reactor = new MemoryReactor();
  const factory = new Factory();
  const port = strports.listen(
    "unix:/tmp/s.sock:mode=600:lockfile=0",
    factory,
    {
      reactor,
    },
  );
  ok(port instanceof FakePort);
  deepEqual(reactor.unixServers, [["/tmp/s.sock", factory, 50, 0o600, false]]);
});

Deno.test("strports.listen() throws what the listen throws", () => {
  const reactor = new MemoryReactor();
  reactor.listenTCP = () => {
    throw new CannotListenError("", 80, new Error("in use"));
  };
  throws(
    () => strports.listen("tcp:80", new Factory(), { reactor }),
    CannotListenError,
  );
});
