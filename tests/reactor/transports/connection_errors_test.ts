// Copyright 2026 the Torsion authors. MIT license.
// A throw from user code on a connection's error path (connectionMade,
// dataReceived or connectionLost throwing, and logPrefix() throwing while
// the error is logged) closes that connection with a reason and a log line;
// the listener, the connector and the other connections live on.
import { equal, match, ok } from "node:assert/strict";
import type { Failure } from "../../../defer/mod.ts";
import {
  ConnectionDone,
  Factory,
  Protocol,
  ReconnectingClientFactory,
} from "../../../reactor/mod.ts";
import { captureLog } from "../../../reactor/testing/mod.ts";
import { signal, withReactor } from "../../_reactor.ts";
import { collector, Echo, listen, Recorder } from "../../_tcp.ts";

const decoder = new TextDecoder();

/** A protocol whose `logPrefix()` reads state that `connectionMade` sets. */
class Fragile extends Protocol {
  user: { name: string } | null = null;
  override logPrefix(): string {
    return `Fragile(${this.user!.name})`;
  }
}

Deno.test("Port accepts on after connectionMade() and logPrefix() both throw", async () => {
  using captured = captureLog();
  await withReactor(async (reactor) => {
    const [firstLost, onFirstLost] = signal<Failure>();
    let calls = 0;
    class Server extends Fragile {
      override connectionMade(): void {
        if (calls++ === 0) throw new RangeError("no user yet");
        this.user = { name: "second" };
      }
      override dataReceived(data: Uint8Array): void {
        this.transport.write(data);
      }
      override connectionLost(reason: Failure): void {
        if (calls === 1) onFirstLost(reason);
      }
    }
    const [, n] = listen(reactor, Factory.forProtocol(Server));
    const bad = collector("");
    reactor.connectTCP("127.0.0.1", n, new Recorder(bad.Collector));
    const reason = await firstLost;
    ok(reason.check(RangeError));
    ok((await bad.lost).check(ConnectionDone));
    // The listener still serves.
    const good = collector("still here", 10);
    reactor.connectTCP("127.0.0.1", n, new Recorder(good.Collector));
    await good.lost;
    equal(decoder.decode(good.bytes()), "still here");
    // Logged under the class name, since logPrefix() throws.
    match(
      captured.events.find((e) => e.isError)?.system ?? "",
      /^Server,\d+,127\.0\.0\.1$/,
    );
    equal(captured.flushLoggedErrors(RangeError).length, 1);
  });
});

Deno.test("Connection reports connectionLost after dataReceived() and logPrefix() both throw", async () => {
  using captured = captureLog();
  await withReactor(async (reactor) => {
    const [lost, onLost] = signal<Failure>();
    class Server extends Fragile {
      override dataReceived(): void {
        throw new TypeError("cannot parse");
      }
      override connectionLost(reason: Failure): void {
        onLost(reason);
      }
    }
    const [, n] = listen(reactor, Factory.forProtocol(Server));
    const c = collector("anything");
    reactor.connectTCP("127.0.0.1", n, new Recorder(c.Collector));
    ok((await lost).check(TypeError));
    ok((await c.lost).check(ConnectionDone));
    equal(captured.flushLoggedErrors(TypeError).length, 1);
    // Another connection is served as usual.
    class EchoServer extends Echo {}
    const [, m] = listen(reactor, Factory.forProtocol(EchoServer));
    const good = collector("fine", 4);
    reactor.connectTCP("127.0.0.1", m, new Recorder(good.Collector));
    await good.lost;
    equal(decoder.decode(good.bytes()), "fine");
  });
});

Deno.test("Connector tells the factory when the protocol's connectionLost() and logPrefix() both throw", async () => {
  using captured = captureLog();
  await withReactor(async (reactor) => {
    class Server extends Protocol {
      override connectionMade(): void {
        this.transport.loseConnection();
      }
    }
    const [, n] = listen(reactor, Factory.forProtocol(Server));
    class Client extends Fragile {
      override connectionLost(): void {
        throw new Error("cleanup failed");
      }
    }
    const client = new Recorder(Client);
    reactor.connectTCP("127.0.0.1", n, client);
    ok((await client.lost).check(ConnectionDone));
    equal(captured.flushLoggedErrors(Error).length, 1);
  });
});

Deno.test("ReconnectingClientFactory retries after the protocol's connectionLost() and logPrefix() both throw", async () => {
  using captured = captureLog();
  await withReactor(async (reactor) => {
    let accepted = 0;
    const [twice, onTwice] = signal();
    class Server extends Protocol {
      override connectionMade(): void {
        if (++accepted === 2) onTwice();
        this.transport.loseConnection();
      }
    }
    const [, n] = listen(reactor, Factory.forProtocol(Server));
    class Client extends Fragile {
      override connectionLost(): void {
        throw new Error("cleanup failed");
      }
    }
    class Retrying extends ReconnectingClientFactory {
      override noisy = false;
      override protocol = Client;
      override initialDelay = 0.01;
      override delay = 0.01;
      override factor = 1;
      override jitter = 0;
    }
    const factory = new Retrying();
    factory.clock = reactor;
    reactor.connectTCP("127.0.0.1", n, factory);
    await twice;
    factory.stopTrying();
    ok(captured.flushLoggedErrors(Error).length >= 1);
  });
});

Deno.test("Connector tells the factory when the client's connectionMade() and logPrefix() both throw", async () => {
  using captured = captureLog();
  await withReactor(async (reactor) => {
    const [, n] = listen(reactor, Factory.forProtocol(Echo));
    class Client extends Fragile {
      override connectionMade(): void {
        throw new RangeError("not ready");
      }
    }
    const client = new Recorder(Client);
    reactor.connectTCP("127.0.0.1", n, client);
    ok((await client.lost).check(RangeError));
    equal(captured.flushLoggedErrors(RangeError).length, 1);
  });
});
