// Copyright 2026 the Torsion authors. MIT license.
// Endpoints, endpoint strings, connectProtocol and ClientCreator over loopback.
import { equal, ok, rejects, throws } from "node:assert/strict";
import { CancelledError } from "../../defer/mod.ts";
import {
  CannotListenError,
  ClientCreator,
  clientFromString,
  ConnectingCancelledError,
  ConnectionRefusedError,
  connectProtocol,
  Factory,
  type IPv4Address,
  NoProtocol,
  Protocol,
  serverFromString,
  TCP4ClientEndpoint,
  TCP4ServerEndpoint,
  TCP6ServerEndpoint,
  UNIXClientEndpoint,
  UNIXServerEndpoint,
} from "../../reactor/mod.ts";
import {
  MemoryReactor,
  MemoryReactorClock,
} from "../../reactor/testing/mod.ts";
import { signal, withReactor } from "../_reactor.ts";

const decoder = new TextDecoder();

class Echo extends Protocol {
  override dataReceived(data: Uint8Array): void {
    this.transport.write(data);
  }
}

function quiet(f: Factory): Factory {
  f.noisy = false;
  return f;
}

Deno.test("TCP4ServerEndpoint.listen() and TCP4ClientEndpoint.connect() connect a protocol", async () => {
  await withReactor(async (reactor) => {
    const port = await new TCP4ServerEndpoint(reactor, 0, {
      interface: "127.0.0.1",
    })
      .listen(quiet(Factory.forProtocol(Echo)));
    const n = (port.getHost() as IPv4Address).port;
    const [got, onGot] = signal<string>();
    let madeBeforeFired = false;
    class Client extends Protocol {
      made = false;
      override connectionMade(): void {
        this.made = true;
      }
      override dataReceived(data: Uint8Array): void {
        onGot(decoder.decode(data));
        this.transport.loseConnection();
      }
    }
    const client = new Client();
    const p = await connectProtocol(
      new TCP4ClientEndpoint(reactor, "127.0.0.1", n),
      client,
    );
    madeBeforeFired = client.made;
    equal(p, client);
    ok(madeBeforeFired);
    p.transport.write("via endpoint");
    equal(await got, "via endpoint");
    await port.stopListening();
  });
});

Deno.test("TCP4ServerEndpoint.listen() fails its Deferred when the port is taken", async () => {
  await withReactor(async (reactor) => {
    const first = await new TCP4ServerEndpoint(reactor, 0, {
      interface: "127.0.0.1",
    })
      .listen(quiet(Factory.forProtocol(Echo)));
    const n = (first.getHost() as IPv4Address).port;
    const d = new TCP4ServerEndpoint(reactor, n, { interface: "127.0.0.1" })
      .listen(quiet(Factory.forProtocol(Echo)));
    await rejects(Promise.resolve(d), CannotListenError);
    await first.stopListening();
  });
});

Deno.test("TCP4ClientEndpoint.connect() fails with the connection error, not the factory hooks", async () => {
  await withReactor(async (reactor) => {
    let hookCalled = false;
    class F extends Factory {
      override noisy = false;
      override protocol = Protocol;
      clientConnectionFailed(): void {
        hookCalled = true;
      }
    }
    await rejects(
      Promise.resolve(
        new TCP4ClientEndpoint(reactor, "127.0.0.1", 1).connect(new F()),
      ),
      ConnectionRefusedError,
    );
    equal(hookCalled, false);
  });
});

Deno.test("TCP4ClientEndpoint.connect() fails with NoProtocol when buildProtocol returns null", async () => {
  await withReactor(async (reactor) => {
    const port = reactor.listenTCP(0, quiet(Factory.forProtocol(Echo)), {
      interface: "127.0.0.1",
    });
    const n = (port.getHost() as IPv4Address).port;
    class Null extends Factory {
      override noisy = false;
      override buildProtocol(): null {
        return null;
      }
    }
    await rejects(
      Promise.resolve(
        new TCP4ClientEndpoint(reactor, "127.0.0.1", n).connect(new Null()),
      ),
      NoProtocol,
    );
    await port.stopListening();
  });
});

Deno.test("TCP4ClientEndpoint.connect() cancelled fails with ConnectingCancelledError", async () => {
  const reactor = new MemoryReactor();
  const d = new TCP4ClientEndpoint(reactor, "example.com", 79)
    .connect(quiet(Factory.forProtocol(Protocol)));
  d.cancel();
  await rejects(Promise.resolve(d), ConnectingCancelledError);
  ok(reactor.connectors[0].stoppedConnecting);
});

Deno.test("UNIX endpoints connect a protocol", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await withReactor(async (reactor) => {
      const path = `${dir}/ep.sock`;
      const port = await new UNIXServerEndpoint(reactor, path).listen(
        quiet(Factory.forProtocol(Echo)),
      );
      const p = await connectProtocol(
        new UNIXClientEndpoint(reactor, path),
        new Protocol(),
      );
      ok(p.connected);
      p.transport.loseConnection();
      await port.stopListening();
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("serverFromString() parses tcp, tcp6 and unix descriptions", () => {
  const reactor = new MemoryReactor();
  ok(serverFromString(reactor, "tcp:8000") instanceof TCP4ServerEndpoint);
  ok(serverFromString(reactor, "tcp6:port=8000") instanceof TCP6ServerEndpoint);
  ok(
    serverFromString(reactor, "unix:/tmp/a\\:b.sock:mode=600") instanceof
      UNIXServerEndpoint,
  );
  serverFromString(reactor, "tcp:1079:interface=127.0.0.1:backlog=7").listen(
    new Factory(),
  );
  serverFromString(reactor, "unix:address=/tmp/x=y:mode=640:lockfile=0").listen(
    new Factory(),
  );
  equal(reactor.tcpServers[0][0], 1079);
  equal(reactor.tcpServers[0][2], 7);
  equal(reactor.tcpServers[0][3], "127.0.0.1");
  equal(reactor.unixServers[0][0], "/tmp/x=y");
  equal(reactor.unixServers[0][3], 0o640);
  equal(reactor.unixServers[0][4], false);
  throws(
    () => serverFromString(reactor, "bogus:1"),
    /Unknown endpoint type: 'bogus'/,
  );
  throws(() => serverFromString(reactor, "tcp:port=x"), TypeError);
});

Deno.test("clientFromString() parses tcp and unix descriptions, case-insensitively", () => {
  const reactor = new MemoryReactor();
  clientFromString(reactor, "TCP:example.com:79:timeout=5").connect(
    new Factory(),
  );
  clientFromString(reactor, "tcp:host=h:port=80").connect(new Factory());
  clientFromString(reactor, "unix:path=/tmp/s").connect(new Factory());
  equal(reactor.tcpClients[0][0], "example.com");
  equal(reactor.tcpClients[0][1], 79);
  equal(reactor.tcpClients[0][3], 5);
  equal(reactor.tcpClients[1][0], "h");
  equal(reactor.tcpClients[1][1], 80);
  equal(reactor.unixClients[0][0], "/tmp/s");
});

Deno.test("ClientCreator.connectTCP() fires with the protocol after connectionMade", async () => {
  await withReactor(async (reactor) => {
    const port = reactor.listenTCP(0, quiet(Factory.forProtocol(Echo)), {
      interface: "127.0.0.1",
    });
    const n = (port.getHost() as IPv4Address).port;
    class Greeter extends Protocol {
      constructor(readonly greeting: string) {
        super();
      }
      made = false;
      override connectionMade(): void {
        this.made = true;
      }
    }
    const p = await new ClientCreator(reactor, Greeter, "hi").connectTCP(
      "127.0.0.1",
      n,
    );
    ok(p instanceof Greeter);
    equal(p.greeting, "hi");
    ok(p.made);
    p.transport.loseConnection();
    await port.stopListening();
  });
});

Deno.test("ClientCreator's Deferred cancelled stops connecting", async () => {
  const reactor = new MemoryReactorClock();
  const d = new ClientCreator(reactor, Protocol).connectTCP("example.com", 79);
  d.cancel();
  await rejects(Promise.resolve(d), CancelledError);
  ok(reactor.connectors[0].disconnected);
});
