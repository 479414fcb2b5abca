// Copyright 2026 the Torsion authors. MIT license.
// TCPServer, UNIXServer, TCPClient and UNIXClient: on a MemoryReactor
// (Twisted's test_reactorParametrization* in twisted/test/test_application.py),
// then end to end on a real reactor over 127.0.0.1.
import { deepEqual, equal, ok, rejects, throws } from "node:assert/strict";
import { Deferred, type Failure } from "../../../defer/mod.ts";
import {
  Application,
  startApplication,
  TCPClient,
  TCPServer,
  UNIXClient,
  UNIXServer,
} from "../../../reactor/application/mod.ts";
import {
  CannotListenError,
  ClientFactory,
  Factory,
  type IListeningPort,
  type IProtocolFactory,
  type IPv4Address,
  Protocol,
} from "../../../reactor/mod.ts";
import {
  captureLog,
  FakePort,
  MemoryReactor,
  successResultOf,
} from "../../../reactor/testing/mod.ts";
import { newReactor, runToEnd, signal, withReactor } from "../../_reactor.ts";
import { Echo } from "../../_tcp.ts";

/** A MemoryReactor whose ports stop listening only when the test says so. */
class SlowStopReactor extends MemoryReactor {
  readonly stops: Deferred<void>[] = [];
  override listenTCP(
    port: number,
    factory: IProtocolFactory,
  ): FakePort {
    const p = super.listenTCP(port, factory);
    p.stopListening = () => {
      p.listening = false;
      const d = new Deferred<void>();
      this.stops.push(d);
      return d;
    };
    return p;
  }
}

Deno.test("TCPServer.privilegedStartService() listens with its port, factory and options", () => {
  const reactor = new MemoryReactor();
  const factory = new Factory();
  const server = new TCPServer(1234, factory, {
    backlog: 5,
    interface: "127.0.0.1",
    reactor,
  });
  server.privilegedStartService();
  deepEqual(reactor.tcpServers, [[1234, factory, 5, "127.0.0.1"]]);
  ok(server.listeningPort instanceof FakePort);
  equal(server.running, false);
});

Deno.test("TCPServer.startService() after privilegedStartService() does not listen again", () => {
  const reactor = new MemoryReactor();
  const server = new TCPServer(1234, new Factory(), { reactor });
  server.privilegedStartService();
  server.startService();
  equal(reactor.tcpServers.length, 1);
  equal(server.running, true);
});

Deno.test("TCPServer.startService() listens when privilegedStartService() was skipped", () => {
  const reactor = new MemoryReactor();
  const factory = new Factory();
  const server = new TCPServer(1234, factory, { reactor });
  server.startService();
  deepEqual(reactor.tcpServers.map((r) => r.slice(0, 2)), [[1234, factory]]);
});

Deno.test("TCPServer.stopService() stops listening and returns the port's Deferred", () => {
  const reactor = new SlowStopReactor();
  const server = new TCPServer(1234, new Factory(), { reactor });
  server.startService();
  const port = server.listeningPort as FakePort;
  const d = server.stopService() as Deferred<void>;
  equal(port.listening, false);
  equal(server.running, false);
  equal(server.listeningPort, null);
  let fired = false;
  d.addCallback(() => {
    fired = true;
  });
  equal(fired, false);
  reactor.stops[0].callback();
  equal(fired, true);
});

Deno.test("TCPServer.stopService() before a start returns nothing", () => {
  const server = new TCPServer(1234, new Factory(), {
    reactor: new MemoryReactor(),
  });
  equal(server.stopService(), undefined);
});

Deno.test("TCPServer started again after a stop listens again on the same reactor", () => {
  const reactor = new MemoryReactor();
  const factory = new Factory();
  const server = new TCPServer(1234, factory, { reactor });
  server.startService();
  server.stopService();
  server.startService();
  deepEqual(reactor.tcpServers.map((r) => r.slice(0, 2)), [
    [1234, factory],
    [1234, factory],
  ]);
});

Deno.test("TCPServer.privilegedStartService() throws what listenTCP throws", () => {
  const reactor = new MemoryReactor();
  reactor.listenTCP = () => {
    throw new CannotListenError("", 80, new Error("denied"));
  };
  const server = new TCPServer(80, new Factory(), { reactor });
  throws(() => server.privilegedStartService(), CannotListenError);
  equal(server.listeningPort, null);
});

Deno.test("UNIXServer listens on its path with its options and stops listening", () => {
  const reactor = new MemoryReactor();
  const factory = new Factory();
  const server = new UNIXServer("/tmp/x.sock", factory, {
    mode: 0o600,
    wantPID: true,
    reactor,
  });
  server.privilegedStartService();
  server.startService();
  deepEqual(reactor.unixServers, [["/tmp/x.sock", factory, 50, 0o600, true]]);
  const port = server.listeningPort as FakePort;
  successResultOf(server.stopService() as Deferred<void>);
  equal(port.listening, false);
  equal(server.running, false);
});

Deno.test("TCPClient.startService() connects with its host, port, factory and timeout", () => {
  const reactor = new MemoryReactor();
  const factory = new ClientFactory();
  const client = new TCPClient("127.0.0.1", 1234, factory, {
    timeout: 7,
    reactor,
  });
  client.startService();
  deepEqual(reactor.tcpClients, [["127.0.0.1", 1234, factory, 7, null]]);
  equal(client.connector, reactor.connectors[0]);
  equal(client.running, true);
});

Deno.test("TCPClient.stopService() disconnects the connector", () => {
  const reactor = new MemoryReactor();
  const client = new TCPClient("127.0.0.1", 1234, new ClientFactory(), {
    reactor,
  });
  client.startService();
  equal(client.stopService(), undefined);
  equal(reactor.connectors[0].disconnected, true);
  equal(client.connector, null);
  equal(client.running, false);
});

Deno.test("TCPClient started again after a stop connects again on the same reactor", () => {
  const reactor = new MemoryReactor();
  const factory = new ClientFactory();
  const client = new TCPClient("127.0.0.1", 1234, factory, { reactor });
  client.startService();
  client.stopService();
  client.startService();
  deepEqual(reactor.tcpClients.map((r) => r.slice(0, 3)), [
    ["127.0.0.1", 1234, factory],
    ["127.0.0.1", 1234, factory],
  ]);
});

Deno.test("UNIXClient connects on start and disconnects on stop", () => {
  const reactor = new MemoryReactor();
  const factory = new ClientFactory();
  const client = new UNIXClient("/tmp/x.sock", factory, { reactor });
  client.startService();
  deepEqual(reactor.unixClients, [["/tmp/x.sock", factory, 30]]);
  client.stopService();
  equal(reactor.connectors[0].disconnected, true);
});

Deno.test("TCPServer and TCPClient in an application: echo over 127.0.0.1, and reactor.stop() closes the port first", async () => {
  const reactor = newReactor();
  const events: string[] = [];
  class EchoFactory extends Factory {
    override noisy = false;
    override protocol = Echo;
    override stopFactory(): void {
      events.push("server factory stopped");
    }
  }
  const app = new Application("echo");
  const server = new TCPServer(0, new EchoFactory(), {
    interface: "127.0.0.1",
    reactor,
  });
  server.setServiceParent(app);
  const started = startApplication(app, { reactor });
  // The privileged start has bound the port: its number is known.
  const portNumber = (server.listeningPort!.getHost() as IPv4Address).port;
  ok(portNumber > 0);

  const [echoed, onEchoed] = signal<string>();
  class Hello extends Protocol {
    override connectionMade(): void {
      this.transport.write("lalala");
    }
    override dataReceived(data: Uint8Array): void {
      onEchoed(new TextDecoder().decode(data));
    }
  }
  class HelloFactory extends ClientFactory {
    override noisy = false;
    override protocol = Hello;
    override clientConnectionLost(_c: unknown, _reason: Failure): void {
      events.push("client connection lost");
    }
  }
  new TCPClient("127.0.0.1", portNumber, new HelloFactory(), { reactor })
    .setServiceParent(app);
  started.addCallback(async () => {
    equal(await echoed, "lalala");
    reactor.stop();
  });
  reactor.addSystemEventTrigger("during", "shutdown", () => {
    events.push("reactor closes what is left");
  });
  await runToEnd(reactor);
  equal(app.running, false);
  equal(server.listeningPort, null);
  // The application stopped (the port closed) before the reactor's own
  // shutdown work.
  ok(events.includes("server factory stopped"));
  ok(
    events.indexOf("server factory stopped") <
      events.indexOf("reactor closes what is left"),
  );
  // Nothing listens any more.
  await rejects(
    Deno.connect({ hostname: "127.0.0.1", port: portNumber }),
    Deno.errors.ConnectionRefused,
  );
});

Deno.test("TCPServer on a port in use: the application's start fails with CannotListenError, logged with the service's name", async () => {
  await withReactor(async (reactor) => {
    const taken = reactor.listenTCP(0, Factory.forProtocol(Protocol), {
      interface: "127.0.0.1",
    });
    const n = (taken.getHost() as IPv4Address).port;
    const app = new Application("clash");
    const server = new TCPServer(n, Factory.forProtocol(Protocol), {
      interface: "127.0.0.1",
      reactor,
    });
    server.setName("web");
    server.setServiceParent(app);
    using captured = captureLog();
    const started = startApplication(app, { reactor });
    let error: unknown;
    await started.addErrback((f: Failure) => {
      error = f.value;
    });
    ok(error instanceof Error && error.name === "ServiceStartError");
    deepEqual(captured.messages, [
      'Error in the privileged start of service "web" (TCPServer)',
    ]);
    equal(captured.flushLoggedErrors(CannotListenError).length, 1);
    equal(server.listeningPort, null);
    await (taken as IListeningPort).stopListening();
  });
});
