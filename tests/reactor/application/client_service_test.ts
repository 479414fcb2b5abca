// Copyright 2026 the Torsion authors. MIT license.
// ClientService, ported from Twisted's ClientServiceTests
// (twisted/application/test/test_internet.py), with the backoff figures,
// backoffPolicy (BackoffPolicyTests in twisted/test/test_application.py),
// cancellation through a real endpoint on a MemoryReactor, and one run over
// 127.0.0.1.
import { deepEqual, equal, notEqual, ok } from "node:assert/strict";
import { CancelledError, Deferred, Failure } from "../../../defer/mod.ts";
import {
  backoffPolicy,
  ClientService,
  type ClientServiceOptions,
  TCPServer,
} from "../../../reactor/application/mod.ts";
import {
  ConnectionDone,
  Factory,
  type IProtocol,
  type IProtocolFactory,
  type IPv4Address,
  type IStreamClientEndpoint,
  Protocol,
  TCP4ClientEndpoint,
} from "../../../reactor/mod.ts";
import {
  assertNoResult,
  captureLog,
  Clock,
  failureResultOf,
  MemoryReactor,
  StringTransport,
  successResultOf,
} from "../../../reactor/testing/mod.ts";
import { signal, withReactor } from "../../_reactor.ts";

/** More than any retry delay the tests use. */
const AT_LEAST_ONE_ATTEMPT = 100.0;

class IndentationError extends Error {
  constructor() {
    super("indentation");
    this.name = "IndentationError";
  }
}

/** What the testing endpoint did (Twisted's ConnectInformation). */
interface ConnectInformation {
  /** The Deferreds `connect` returned; fire one to connect. */
  connectQueue: Deferred<unknown>[];
  /** The protocols built by the factories passed to the endpoint (wrappers). */
  constructedProtocols: IProtocol[];
  /** The factories passed to the endpoint. */
  passedFactories: IProtocolFactory[];
  /** The application's protocols. */
  applicationProtocols: Protocol[];
  /** The application's factory. */
  applicationFactory: RememberingFactory;
}

class RememberingFactory extends Factory {
  override noisy = false;
  constructor(
    readonly built: Protocol[],
    protocolType: new () => Protocol,
  ) {
    super();
    this.protocol = protocolType;
  }
  override buildProtocol(addr: { type: string }): Protocol {
    const p = super.buildProtocol(addr) as Protocol;
    this.built.push(p);
    return p;
  }
}

/** An endpoint whose connections the test settles (Twisted's endpointForTesting). */
function endpointForTesting(
  info: ConnectInformation,
  fireImmediately: boolean,
): IStreamClientEndpoint {
  return {
    connect(factory: IProtocolFactory): Deferred<IProtocol> {
      const result = new Deferred<unknown>();
      info.passedFactories.push(factory);
      result.addCallback(() => {
        const protocol = factory.buildProtocol({ type: "TCP" })!;
        info.constructedProtocols.push(protocol);
        protocol.makeConnection(new StringTransport());
        return protocol;
      });
      info.connectQueue.push(result);
      if (fireImmediately) result.callback(undefined);
      return result as Deferred<IProtocol>;
    },
  };
}

interface ReconnectorOptions extends ClientServiceOptions<Protocol> {
  fireImmediately?: boolean;
  startService?: boolean;
  protocolType?: new () => Protocol;
}

/**
 * A started ClientService on a Clock (Twisted's makeReconnector), and a
 * cleanup that stops it and checks nothing is left scheduled.
 */
function makeReconnector(
  options: ReconnectorOptions = {},
): [ConnectInformation, ClientService<Protocol>, Clock, () => void] {
  const {
    fireImmediately = true,
    startService = true,
    protocolType = Protocol,
    ...rest
  } = options;
  const clock = (rest.clock as Clock | undefined) ?? new Clock();
  const applicationProtocols: Protocol[] = [];
  const info: ConnectInformation = {
    connectQueue: [],
    constructedProtocols: [],
    passedFactories: [],
    applicationProtocols,
    applicationFactory: new RememberingFactory(
      applicationProtocols,
      protocolType,
    ),
  };
  const service = new ClientService<Protocol>(
    endpointForTesting(info, fireImmediately),
    info.applicationFactory,
    { ...rest, clock },
  );
  if (startService) service.startService();
  const cleanup = (): void => {
    if (service.running) service.stopService();
    deepEqual(clock.getDelayedCalls(), []);
  };
  return [info, service, clock, cleanup];
}

function lose(p: IProtocol, error: Error = new Error("lost")): void {
  p.connectionLost(new Failure(error));
}

Deno.test("ClientService.startService() makes a connection attempt", () => {
  const [cq, , , cleanup] = makeReconnector({ fireImmediately: false });
  equal(cq.connectQueue.length, 1);
  cq.connectQueue[0].errback(new Error("x"));
  cleanup();
});

Deno.test("ClientService passes the factory's doStart on to the application's factory", () => {
  const [cq, , , cleanup] = makeReconnector();
  const appFactory = cq.applicationFactory;
  equal(appFactory.numPorts, 0);
  cq.passedFactories[0].doStart();
  equal(appFactory.numPorts, 1);
  cq.passedFactories[0].doStop();
  equal(appFactory.numPorts, 0);
  cleanup();
});

Deno.test("ClientService.stopService() while connected closes the connection and fires once it is lost", () => {
  const [cq, service, , cleanup] = makeReconnector();
  const d = service.stopService();
  assertNoResult(d);
  const transport = cq.applicationProtocols[0].transport as StringTransport;
  equal(transport.disconnecting, true);
  lose(cq.constructedProtocols[0]);
  successResultOf(d);
  cleanup();
});

Deno.test("ClientService restarted while stopping waits for the disconnection before connecting", () => {
  const [cq, service, , cleanup] = makeReconnector();
  const d = service.stopService();
  assertNoResult(d);
  service.startService();
  assertNoResult(d);
  equal(cq.constructedProtocols.length, 1);
  lose(cq.constructedProtocols[0]);
  equal(cq.constructedProtocols.length, 2);
  successResultOf(d);
  cleanup();
});

Deno.test("ClientService restarted while stopping makes a new connection and whenConnected succeeds", () => {
  const [cq, service, , cleanup] = makeReconnector({ fireImmediately: false });
  cq.connectQueue[0].callback(undefined);
  const first = cq.constructedProtocols[0];
  const stopped = service.stopService();
  assertNoResult(stopped);
  const nextProtocol = service.whenConnected();
  assertNoResult(nextProtocol);
  service.startService();
  assertNoResult(nextProtocol);
  assertNoResult(stopped);
  equal(
    (cq.applicationProtocols[0].transport as StringTransport).disconnecting,
    true,
  );
  lose(first);
  successResultOf(stopped);
  cq.connectQueue[1].callback(undefined);
  equal(cq.constructedProtocols.length, 2);
  equal(successResultOf(nextProtocol), cq.applicationProtocols[1]);
  const secondStopped = service.stopService();
  assertNoResult(secondStopped);
  lose(cq.constructedProtocols[1]);
  successResultOf(secondStopped);
  cleanup();
});

Deno.test("ClientService restarted after it stopped connects again and whenConnected succeeds", () => {
  const [cq, service, , cleanup] = makeReconnector({ fireImmediately: false });
  const stopped = service.stopService();
  successResultOf(stopped);
  failureResultOf(service.whenConnected(), CancelledError);
  service.startService();
  cq.connectQueue.at(-1)!.callback(undefined);
  equal(
    successResultOf(service.whenConnected()),
    cq.applicationProtocols.at(-1),
  );
  cleanup();
  lose(cq.constructedProtocols.at(-1)!);
});

Deno.test("ClientService offers the half-close events to the transport only if the protocol has them", () => {
  class Fancy extends Protocol {
    readConnectionLost(): void {}
    writeConnectionLost(): void {}
  }
  const [cq, , , cleanup] = makeReconnector({ protocolType: Fancy });
  const reactorFacing = cq.constructedProtocols[0] as {
    readConnectionLost?: unknown;
    writeConnectionLost?: unknown;
  };
  equal(typeof reactorFacing.readConnectionLost, "function");
  equal(typeof reactorFacing.writeConnectionLost, "function");
  cleanup();
  lose(cq.constructedProtocols[0]);

  const [plain, , , cleanup2] = makeReconnector();
  equal(
    (plain.constructedProtocols[0] as { readConnectionLost?: unknown })
      .readConnectionLost,
    undefined,
  );
  cleanup2();
  lose(plain.constructedProtocols[0]);
});

Deno.test("ClientService.stopService() while retrying cancels the retry", () => {
  const [cq, service, clock, cleanup] = makeReconnector({
    fireImmediately: false,
  });
  cq.connectQueue[0].errback(new Error("x"));
  clock.advance(AT_LEAST_ONE_ATTEMPT);
  equal(cq.connectQueue.length, 2);
  const d = service.stopService();
  cq.connectQueue[1].errback(new Error("x"));
  successResultOf(d);
  cleanup();
});

Deno.test("ClientService.stopService() while connecting cancels the attempt", () => {
  const [cq, service, , cleanup] = makeReconnector({ fireImmediately: false });
  equal(cq.connectQueue.length, 1);
  assertNoResult(cq.connectQueue[0]);
  const d = service.stopService();
  successResultOf(d);
  deepEqual(cq.constructedProtocols, []);
  cleanup();
});

Deno.test("ClientService keeps the connected protocol and schedules nothing", () => {
  const [cq, service, clock, cleanup] = makeReconnector();
  const awaiting = service.whenConnected();
  deepEqual(clock.getDelayedCalls(), []);
  equal(successResultOf(awaiting), cq.applicationProtocols[0]);
  cleanup();
  lose(cq.constructedProtocols[0]);
});

Deno.test("ClientService tries again after a failed attempt", () => {
  const [cq, service, clock, cleanup] = makeReconnector({
    fireImmediately: false,
  });
  equal(cq.connectQueue.length, 1);
  cq.connectQueue[0].errback(new Error("x"));
  const whenConnected = service.whenConnected();
  assertNoResult(whenConnected);
  whenConnected.addErrback((f: Failure) => f.trap(CancelledError));
  clock.advance(AT_LEAST_ONE_ATTEMPT);
  equal(cq.connectQueue.length, 2);
  cq.connectQueue[1].errback(new Error("x"));
  cleanup();
});

Deno.test("ClientService reconnects after an established connection is lost", () => {
  const [cq, service, clock, cleanup] = makeReconnector({
    fireImmediately: false,
  });
  cq.connectQueue[0].callback(undefined);
  equal(cq.connectQueue.length, 1);
  equal(successResultOf(service.whenConnected()), cq.applicationProtocols[0]);
  lose(cq.constructedProtocols[0]);
  clock.advance(AT_LEAST_ONE_ATTEMPT);
  equal(cq.connectQueue.length, 2);
  cq.connectQueue[1].callback(undefined);
  equal(successResultOf(service.whenConnected()), cq.applicationProtocols[1]);
  cleanup();
  lose(cq.constructedProtocols[1]);
});

Deno.test("ClientService: a connection lost while stopping fires the stop and fails whenConnected", () => {
  const [cq, service, , cleanup] = makeReconnector();
  const d = service.stopService();
  lose(cq.constructedProtocols[0], new IndentationError());
  failureResultOf(service.whenConnected(), CancelledError);
  ok(d.called);
  cleanup();
});

Deno.test("ClientService.startService() twice logs a complaint and makes no second attempt", () => {
  const [cq, service, , cleanup] = makeReconnector({
    fireImmediately: false,
    startService: false,
  });
  equal(cq.connectQueue.length, 0);
  service.startService();
  equal(cq.connectQueue.length, 1);
  using captured = captureLog();
  service.startService();
  equal(cq.connectQueue.length, 1);
  ok(captured.messages[0].includes("Duplicate ClientService.startService"));
  cleanup();
});

Deno.test("ClientService.whenConnected() fires every waiter with the protocol once connected", () => {
  const [cq, service, , cleanup] = makeReconnector({ fireImmediately: false });
  const a = service.whenConnected();
  const b = service.whenConnected();
  const c = service.whenConnected({ failAfterFailures: 1 });
  assertNoResult(a);
  assertNoResult(b);
  assertNoResult(c);
  cq.connectQueue[0].callback(undefined);
  const resultA = successResultOf(a);
  equal(successResultOf(b), resultA);
  equal(successResultOf(c), resultA);
  equal(resultA, cq.applicationProtocols[0]);
  cleanup();
  lose(cq.constructedProtocols[0]);
});

Deno.test("ClientService.whenConnected({ failAfterFailures }) fails after that many failed attempts", () => {
  const [cq, service, clock, cleanup] = makeReconnector({
    fireImmediately: false,
  });
  const a0 = service.whenConnected();
  const a1 = service.whenConnected({ failAfterFailures: 1 });
  const a2 = service.whenConnected({ failAfterFailures: 2 });
  const a3 = service.whenConnected({ failAfterFailures: 3 });
  for (const d of [a0, a1, a2, a3]) assertNoResult(d);

  const f1 = new Failure(new Error("first"));
  cq.connectQueue[0].errback(f1);
  assertNoResult(a0);
  equal(failureResultOf(a1, Error), f1);
  assertNoResult(a2);
  assertNoResult(a3);

  clock.advance(AT_LEAST_ONE_ATTEMPT);
  equal(cq.connectQueue.length, 2);
  const f2 = new Failure(new Error("second"));
  cq.connectQueue[1].errback(f2);
  assertNoResult(a0);
  equal(failureResultOf(a2, Error), f2);
  assertNoResult(a3);

  clock.advance(AT_LEAST_ONE_ATTEMPT);
  equal(cq.connectQueue.length, 3);
  cq.connectQueue[2].callback(undefined);
  const resultA0 = successResultOf(a0);
  equal(successResultOf(a3), resultA0);
  equal(resultA0, cq.applicationProtocols[0]);

  // Asked once connected, it has fired already, failAfterFailures or not.
  equal(
    successResultOf(service.whenConnected({ failAfterFailures: 1 })),
    resultA0,
  );
  cleanup();
  lose(cq.constructedProtocols[0]);
});

Deno.test("ClientService.whenConnected() fails with CancelledError when the service stops", () => {
  const [, service, clock, cleanup] = makeReconnector({
    fireImmediately: false,
  });
  const a = service.whenConnected();
  const b = service.whenConnected();
  const c = service.whenConnected({ failAfterFailures: 1 });
  service.stopService();
  clock.advance(AT_LEAST_ONE_ATTEMPT);
  failureResultOf(a, CancelledError);
  failureResultOf(b, CancelledError);
  failureResultOf(c, CancelledError);
  cleanup();
});

Deno.test("ClientService.stopService() between attempts cancels the retry and stops at once", () => {
  const [cq, service, clock, cleanup] = makeReconnector({
    fireImmediately: false,
  });
  cq.connectQueue[0].errback(new Error("no connection"));
  const d = service.stopService();
  deepEqual(clock.getDelayedCalls(), []);
  successResultOf(d);
  cleanup();
});

Deno.test("ClientService.stopService() before startService() fires at once with undefined", () => {
  const [, service, , cleanup] = makeReconnector({
    fireImmediately: false,
    startService: false,
  });
  equal(successResultOf(service.stopService()), undefined);
  cleanup();
});

Deno.test("ClientService.whenConnected() before and after a stop between attempts fails with CancelledError", () => {
  const [cq, service, , cleanup] = makeReconnector({ fireImmediately: false });
  const before = service.whenConnected();
  cq.connectQueue[0].errback(new Error("no connection"));
  service.stopService();
  const after = service.whenConnected();
  failureResultOf(before, CancelledError);
  failureResultOf(after, CancelledError);
  cleanup();
});

Deno.test("ClientService.stopService() twice while disconnecting: both fire once disconnected", () => {
  const [cq, service, , cleanup] = makeReconnector({ fireImmediately: false });
  cq.connectQueue[0].callback(undefined);
  const first = service.stopService();
  const second = service.stopService();
  lose(cq.constructedProtocols[0], new IndentationError());
  successResultOf(first);
  successResultOf(second);
  cleanup();
});

Deno.test("ClientService.stopService() while restarting fires once disconnected", () => {
  const [cq, service, , cleanup] = makeReconnector({ fireImmediately: false });
  cq.connectQueue[0].callback(undefined);
  const first = service.stopService();
  service.startService();
  const second = service.stopService();
  lose(cq.constructedProtocols[0], new IndentationError());
  successResultOf(first);
  successResultOf(second);
  equal(cq.connectQueue.length, 1);
  cleanup();
});

Deno.test("ClientService.stopService() on a stopped service fires at once with undefined", () => {
  const [, service, , cleanup] = makeReconnector({ fireImmediately: false });
  equal(successResultOf(service.stopService()), undefined);
  equal(successResultOf(service.stopService()), undefined);
  cleanup();
});

Deno.test("ClientService calls prepareConnection once connected, with the application's protocol", () => {
  const prepared: Protocol[] = [];
  const [cq, , , cleanup] = makeReconnector({
    prepareConnection: (p) => {
      prepared.push(p);
    },
  });
  deepEqual(prepared, [cq.applicationProtocols[0]]);
  cleanup();
  lose(cq.constructedProtocols[0]);
});

Deno.test("ClientService calls prepareConnection only once a connection is made", () => {
  let prepares = 0;
  const [cq, , clock, cleanup] = makeReconnector({
    fireImmediately: false,
    prepareConnection: () => {
      prepares++;
    },
  });
  cq.connectQueue[0].errback(new Error("connection attempt failed"));
  equal(prepares, 0);
  clock.advance(AT_LEAST_ONE_ATTEMPT);
  cq.connectQueue[1].callback(undefined);
  equal(prepares, 1);
  cleanup();
  lose(cq.constructedProtocols[0]);
});

Deno.test("ClientService calls prepareConnection on each reconnection", () => {
  let prepares = 0;
  const [cq, , clock, cleanup] = makeReconnector({
    prepareConnection: () => {
      prepares++;
    },
  });
  equal(prepares, 1);
  lose(cq.constructedProtocols[0], new IndentationError());
  clock.advance(AT_LEAST_ONE_ATTEMPT);
  equal(prepares, 2);
  cleanup();
  lose(cq.constructedProtocols[1]);
});

Deno.test("ClientService ignores what prepareConnection returns", () => {
  const sentinel = {};
  const [cq, service, , cleanup] = makeReconnector({
    prepareConnection: () => sentinel,
  });
  const result = successResultOf(service.whenConnected());
  notEqual(result, sentinel);
  equal(result, cq.applicationProtocols[0]);
  cleanup();
  lose(cq.constructedProtocols[0]);
});

Deno.test("ClientService.whenConnected() waits for the Deferred of prepareConnection", () => {
  const ready = new Deferred<void>();
  const [cq, service, , cleanup] = makeReconnector({
    prepareConnection: () => ready,
  });
  const d = service.whenConnected();
  assertNoResult(d);
  ready.callback();
  equal(successResultOf(d), cq.applicationProtocols[0]);
  cleanup();
  lose(cq.constructedProtocols[0]);
});

Deno.test("ClientService counts a prepareConnection that throws as a failed attempt, and closes that connection", () => {
  const [cq, service, clock, cleanup] = makeReconnector({
    prepareConnection: () => {
      throw new IndentationError();
    },
  });
  equal(
    (cq.applicationProtocols[0].transport as StringTransport).disconnecting,
    true,
  );
  const d = service.whenConnected({ failAfterFailures: 2 });
  assertNoResult(d);
  clock.advance(AT_LEAST_ONE_ATTEMPT);
  assertNoResult(d);
  clock.advance(AT_LEAST_ONE_ATTEMPT);
  ok(failureResultOf(d).value instanceof IndentationError);
  // The closed connections' losses change nothing.
  for (const p of cq.constructedProtocols) lose(p);
  equal(clock.getDelayedCalls().length, 1);
  cleanup();
});

Deno.test("ClientService counts a connection lost while prepareConnection runs as a failed attempt", () => {
  const ready = new Deferred<void>();
  const [cq, service, clock, cleanup] = makeReconnector({
    prepareConnection: () => ready,
    retryPolicy: () => 5,
  });
  const d = service.whenConnected({ failAfterFailures: 1 });
  lose(cq.constructedProtocols[0]);
  ready.callback();
  failureResultOf(d, Error);
  deepEqual(clock.getDelayedCalls().map((c) => c.getTime()), [5]);
  cleanup();
});

Deno.test("ClientService.stopService() while prepareConnection runs cancels it and closes the connection", () => {
  const ready = new Deferred<void>();
  const [cq, service, , cleanup] = makeReconnector({
    prepareConnection: () => ready,
  });
  successResultOf(service.stopService());
  equal(
    (cq.applicationProtocols[0].transport as StringTransport).disconnecting,
    true,
  );
  failureResultOf(service.whenConnected(), CancelledError);
  cleanup();
});

Deno.test("ClientService: the first retry waits policy(1), the second policy(2)", () => {
  const [cq, , clock, cleanup] = makeReconnector({
    fireImmediately: false,
    retryPolicy: backoffPolicy({ jitter: () => 0.25 }),
  });
  cq.connectQueue[0].errback(new Error("refused"));
  deepEqual(clock.getDelayedCalls().map((c) => c.getTime()), [1.75]);
  clock.advance(1.75);
  cq.connectQueue[1].errback(new Error("refused"));
  deepEqual(clock.getDelayedCalls().map((c) => c.getTime()), [1.75 + 2.5]);
  cleanup();
});

Deno.test("ClientService: after an established connection is lost, the reconnection waits policy(1)", () => {
  const attempts: number[] = [];
  const [cq, , clock, cleanup] = makeReconnector({
    fireImmediately: false,
    retryPolicy: (n) => {
      attempts.push(n);
      return n * 10;
    },
  });
  cq.connectQueue[0].errback(new Error("refused"));
  clock.advance(10);
  cq.connectQueue[1].errback(new Error("refused"));
  clock.advance(20);
  cq.connectQueue[2].callback(undefined);
  lose(cq.constructedProtocols[0]);
  deepEqual(attempts, [1, 2, 1]);
  deepEqual(clock.getDelayedCalls().map((c) => c.getTime() - clock.seconds()), [
    10,
  ]);
  cleanup();
});

Deno.test("ClientService's default policy: the first retry after 1.5 s plus jitter below 1 s", () => {
  const clock = new Clock();
  const queue: Deferred<IProtocol>[] = [];
  const service = new ClientService(
    { connect: () => queue[queue.push(new Deferred<IProtocol>()) - 1] },
    new Factory(),
    { clock },
  );
  using _captured = captureLog();
  service.startService();
  queue[0].errback(new Error("refused"));
  const [retry] = clock.getDelayedCalls();
  ok(retry.getTime() >= 1.5 && retry.getTime() < 2.5, `${retry.getTime()}`);
  service.stopService();
});

Deno.test("ClientService logs each scheduled retry", () => {
  const [cq, , , cleanup] = makeReconnector({
    fireImmediately: false,
    retryPolicy: () => 3,
  });
  using captured = captureLog();
  cq.connectQueue[0].errback(new Error("refused"));
  equal(captured.messages.length, 1);
  ok(/^Scheduling retry 1 to connect .* in 3 seconds\.$/.test(
    captured.messages[0],
  ));
  cleanup();
});

Deno.test("ClientService.clock defaults to the reactor and the option sets it", async () => {
  const { reactor } = await import("../../../reactor/default_reactor.ts");
  const endpoint = { connect: () => new Deferred<IProtocol>() };
  equal(new ClientService(endpoint, new Factory()).clock, reactor);
  const clock = new Clock();
  equal(new ClientService(endpoint, new Factory(), { clock }).clock, clock);
});

Deno.test("ClientService.stopService() while connecting through a TCP endpoint stops the connector", () => {
  const reactor = new MemoryReactor();
  const service = new ClientService(
    new TCP4ClientEndpoint(reactor, "example.com", 79),
    new Factory(),
    { clock: new Clock() },
  );
  service.startService();
  equal(reactor.connectors.length, 1);
  const waiting = service.whenConnected();
  successResultOf(service.stopService());
  equal(reactor.connectors[0].stoppedConnecting, true);
  failureResultOf(waiting, CancelledError);
});

Deno.test("ClientService over 127.0.0.1: reconnects when the server drops it, and stopService waits for the close", async () => {
  await withReactor(async (reactor) => {
    let accepted = 0;
    class DropFirst extends Protocol {
      override connectionMade(): void {
        if (++accepted === 1) this.transport.loseConnection();
      }
    }
    const serverFactory = Factory.forProtocol(DropFirst);
    serverFactory.noisy = false;
    const server = new TCPServer(0, serverFactory, {
      interface: "127.0.0.1",
      reactor,
    });
    server.startService();
    const port = (server.listeningPort!.getHost() as IPv4Address).port;
    const lost: string[] = [];
    const [firstLost, onFirstLost] = signal();
    class Client extends Protocol {
      override connectionLost(reason: Failure): void {
        lost.push(reason.check(ConnectionDone) ? "done" : "other");
        onFirstLost();
      }
    }
    const clientFactory = Factory.forProtocol(Client);
    clientFactory.noisy = false;
    using _captured = captureLog();
    const service = new ClientService<Client>(
      new TCP4ClientEndpoint(reactor, "127.0.0.1", port),
      clientFactory,
      { clock: reactor, retryPolicy: () => 0 },
    );
    service.startService();
    const first = await service.whenConnected();
    // The server drops the first connection: the service connects again.
    await firstLost;
    const second = await service.whenConnected();
    notEqual(second, first);
    equal(accepted, 2);
    await service.stopService();
    deepEqual(lost, ["done", "done"]);
    await server.stopService();
  });
});
