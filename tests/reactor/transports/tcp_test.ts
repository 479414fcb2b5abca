// Copyright 2026 the Torsion authors. MIT license.
// Real sockets on 127.0.0.1, port 0: listenTCP, connectTCP and the transport.
import { deepEqual, equal, match, ok, throws } from "node:assert/strict";
import type { Failure } from "../../../defer/mod.ts";
import {
  CannotListenError,
  ClientFactory,
  ConnectionAborted,
  ConnectionDone,
  ConnectionLost,
  ConnectionRefusedError,
  DNSLookupError,
  Factory,
  type IConnector,
  type IPushProducer,
  IPv4Address,
  IPv6Address,
  Protocol,
  ReconnectingClientFactory,
  TimeoutError,
  UserError,
} from "../../../reactor/mod.ts";
import type { Connection } from "../../../reactor/transports/connection.ts";
import { captureLog } from "../../../reactor/testing/mod.ts";
import { signal, withReactor } from "../../_reactor.ts";
import { collector, Echo, listen, Recorder } from "../../_tcp.ts";

const decoder = new TextDecoder();

Deno.test("listenTCP() and connectTCP() echo bytes over loopback", async () => {
  await withReactor(async (reactor) => {
    const [, portNumber] = listen(reactor, Factory.forProtocol(Echo));
    const c = collector("hello", 5);
    reactor.connectTCP("127.0.0.1", portNumber, new Recorder(c.Collector));
    ok((await c.lost).check(ConnectionDone));
    equal(decoder.decode(c.bytes()), "hello");
  });
});

Deno.test("listenTCP() on port 0 reports the real port in getHost()", async () => {
  await withReactor((reactor) => {
    const [port, n] = listen(reactor, Factory.forProtocol(Echo));
    ok(n > 0);
    ok(port.getHost() instanceof IPv4Address);
    equal((port.getHost() as IPv4Address).host, "127.0.0.1");
  });
});

Deno.test("listenTCP() on a taken port throws CannotListenError at once", async () => {
  await withReactor((reactor) => {
    const [, n] = listen(reactor, Factory.forProtocol(Echo));
    const e = throws(
      () =>
        reactor.listenTCP(n, Factory.forProtocol(Echo), {
          interface: "127.0.0.1",
        }),
      CannotListenError,
    );
    void e;
    try {
      reactor.listenTCP(n, Factory.forProtocol(Echo), {
        interface: "127.0.0.1",
      });
    } catch (err) {
      ok(err instanceof CannotListenError);
      equal(err.port, n);
      match(
        err.message,
        new RegExp(`^Couldn't listen on 127\\.0\\.0\\.1:${n}: .*in use.*\\.$`),
      );
    }
  });
});

Deno.test("listenTCP() logs the factory start and the port close", async () => {
  using captured = captureLog();
  await withReactor(async (reactor) => {
    class EchoFactory extends Factory {
      override protocol = Echo;
    }
    const port = reactor.listenTCP(0, new EchoFactory(), {
      interface: "127.0.0.1",
    });
    const n = (port.getHost() as IPv4Address).port;
    await port.stopListening();
    deepEqual(captured.messages, [
      `EchoFactory starting on ${n}`,
      "Starting factory <EchoFactory object>",
      `(TCP Port ${n} Closed)`,
      "Stopping factory <EchoFactory object>",
    ]);
  });
});

Deno.test("Port.stopListening() fires after the listener closed and doStop ran", async () => {
  await withReactor(async (reactor) => {
    let stops = 0;
    class F extends Factory {
      override protocol = Echo;
      override stopFactory(): void {
        stops++;
      }
    }
    const [port, n] = listen(reactor, new F());
    await port.stopListening();
    equal(stops, 1);
    equal(port.connected, false);
    const c = new Recorder(Protocol);
    reactor.connectTCP("127.0.0.1", n, c);
    ok((await c.failed).check(ConnectionRefusedError));
  });
});

Deno.test("Port.startListening() listens again after stopListening()", async () => {
  await withReactor(async (reactor) => {
    const [port] = listen(reactor, Factory.forProtocol(Echo));
    await port.stopListening();
    port.startListening();
    const n = (port.getHost() as IPv4Address).port;
    const c = collector("again", 5);
    reactor.connectTCP("127.0.0.1", n, new Recorder(c.Collector));
    await c.lost;
    equal(decoder.decode(c.bytes()), "again");
  });
});

Deno.test("listenTCP() on '::1' serves IPv6 clients", async () => {
  await withReactor(async (reactor) => {
    const f = Factory.forProtocol(Echo);
    f.noisy = false;
    const port = reactor.listenTCP(0, f, { interface: "::1" });
    const host = port.getHost();
    ok(host instanceof IPv6Address);
    let peer: unknown;
    const c = collector("six", 3);
    class C extends c.Collector {
      override connectionMade(): void {
        peer = this.transport.getPeer();
        super.connectionMade();
      }
    }
    reactor.connectTCP("::1", host.port, new Recorder(C));
    await c.lost;
    equal(decoder.decode(c.bytes()), "six");
    ok(peer instanceof IPv6Address);
  });
});

Deno.test("connectTCP() to a closed port reports ConnectionRefusedError", async () => {
  await withReactor(async (reactor) => {
    const f = new Recorder(Protocol);
    reactor.connectTCP("127.0.0.1", 1, f);
    const reason = await f.failed;
    ok(reason.check(ConnectionRefusedError));
    equal(f.started, 1);
  });
});

Deno.test("connectTCP() to an unknown host reports DNSLookupError", async () => {
  await withReactor(async (reactor) => {
    const f = new Recorder(Protocol);
    reactor.connectTCP("nonexistent.invalid", 80, f);
    ok((await f.failed).check(DNSLookupError));
  });
});

Deno.test("connectTCP() resolves host names", async () => {
  await withReactor(async (reactor) => {
    const [, n] = listen(reactor, Factory.forProtocol(Echo));
    const c = collector("name", 4);
    reactor.connectTCP("localhost", n, new Recorder(c.Collector));
    await c.lost;
    equal(decoder.decode(c.bytes()), "name");
  });
});

/** A listener that never accepts, with its queue full: connects to it hang. */
async function tarpit(): Promise<[number, () => void]> {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0, tcpBacklog: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  const filler = await Deno.connect({ hostname: "127.0.0.1", port });
  return [port, () => {
    filler.close();
    l.close();
  }];
}

Deno.test("connectTCP() fails with TimeoutError after its timeout", async () => {
  const [port, close] = await tarpit();
  try {
    await withReactor(async (reactor) => {
      const f = new Recorder(Protocol);
      const connector = reactor.connectTCP("127.0.0.1", port, f, {
        timeout: 0.2,
      });
      const reason = await f.failed;
      ok(reason.check(TimeoutError), reason.getTraceback());
      equal(connector.state, "disconnected");
    });
  } finally {
    close();
  }
});

Deno.test("Connector.stopConnecting() fails the attempt with UserError", async () => {
  const [port, close] = await tarpit();
  try {
    await withReactor(async (reactor) => {
      const f = new Recorder(Protocol);
      const connector = reactor.connectTCP("127.0.0.1", port, f);
      equal(connector.state, "connecting");
      connector.stopConnecting();
      ok((await f.failed).check(UserError));
      throws(() => connector.stopConnecting(), /not connecting/);
    });
  } finally {
    close();
  }
});

Deno.test("Connector.connect() reconnects with the same factory after a loss", async () => {
  await withReactor(async (reactor) => {
    const [, n] = listen(reactor, Factory.forProtocol(Echo));
    let connections = 0;
    let starts = 0;
    let stops = 0;
    const [done, onDone] = signal();
    class Once extends Protocol {
      override connectionMade(): void {
        connections++;
        this.transport.loseConnection();
      }
    }
    class F extends ClientFactory {
      override protocol = Once;
      override noisy = false;
      override startFactory(): void {
        starts++;
      }
      override stopFactory(): void {
        stops++;
      }
      override clientConnectionLost(connector: IConnector, _r: Failure): void {
        if (connections < 3) connector.connect();
        else onDone();
      }
    }
    reactor.connectTCP("127.0.0.1", n, new F());
    await done;
    equal(connections, 3);
    // Reconnecting from the hook keeps the factory started; it stops once.
    equal(starts, 1);
    equal(stops, 1);
  });
});

Deno.test("Connection.loseConnection() after large writes delivers every byte", async () => {
  await withReactor(async (reactor) => {
    const size = 8 * 1024 * 1024;
    const payload = new Uint8Array(size);
    for (let i = 0; i < size; i++) payload[i] = (i * 7) & 0xff;
    class Blast extends Protocol {
      override connectionMade(): void {
        // Many writes, then a close: all of it must arrive first.
        for (let off = 0; off < size; off += 65536) {
          this.transport.write(payload.subarray(off, off + 65536));
        }
        this.transport.loseConnection();
      }
    }
    const [, n] = listen(reactor, Factory.forProtocol(Blast));
    const c = collector("");
    reactor.connectTCP("127.0.0.1", n, new Recorder(c.Collector));
    ok((await c.lost).check(ConnectionDone));
    const got = c.bytes();
    equal(got.length, size);
    deepEqual(got, payload);
  });
});

Deno.test("Connection reads on while its writes wait: a peer that sends everything before reading gets it all back", async () => {
  await withReactor(async (reactor) => {
    // More than the socket buffers of both ends hold: a transport that
    // stopped reading until its write finished would deadlock here.
    const size = 32 * 1024 * 1024;
    const payload = new Uint8Array(size);
    for (let i = 0; i < size; i++) payload[i] = (i * 13) & 0xff;
    // Twisted's unbounded buffering: by default the transport stops reading
    // past its write buffer limit, and this peer would wait forever.
    class UnboundedEcho extends Echo {
      override connectionMade(): void {
        this.transport.setWriteBufferLimits({
          pauseReading: false,
          max: Infinity,
        });
      }
    }
    const [, n] = listen(reactor, Factory.forProtocol(UnboundedEcho));
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: n });
    // A deadlock fails the test: the pending write or read is interrupted.
    let timedOut = false;
    const guard = setTimeout(() => {
      timedOut = true;
      conn.close();
    }, 20_000);
    try {
      for (let off = 0; off < size;) {
        off += await conn.write(payload.subarray(off, off + 1024 * 1024));
      }
      // Only now read the echo (no half-close: like Twisted, the server
      // would drop what it had not sent when its protocol is not
      // half-closeable).
      const got = new Uint8Array(size);
      let have = 0;
      while (have < size) {
        const r = await conn.read(got.subarray(have));
        if (r === null) break;
        have += r;
      }
      equal(have, size);
      deepEqual(got, payload);
    } finally {
      clearTimeout(guard);
      if (!timedOut) conn.close();
    }
  });
});

Deno.test("Connection writes after loseConnection() are still sent; after connectionLost dropped", async () => {
  await withReactor(async (reactor) => {
    let server: Protocol | undefined;
    class Late extends Protocol {
      override connectionMade(): void {
        server = this;
        this.transport.write("a");
        this.transport.loseConnection();
        this.transport.write("b");
      }
    }
    const [, n] = listen(reactor, Factory.forProtocol(Late));
    const c = collector("");
    reactor.connectTCP("127.0.0.1", n, new Recorder(c.Collector));
    await c.lost;
    equal(decoder.decode(c.bytes()), "ab");
    equal(server!.transport.connected, false);
    server!.transport.write("dropped"); // silently ignored
  });
});

Deno.test("Connection.abortConnection() reports ConnectionAborted on a later turn", async () => {
  await withReactor(async (reactor) => {
    const [lost, onLost] = signal<Failure>();
    let lostDuringAbort = false;
    class Aborter extends Protocol {
      inAbort = false;
      override connectionMade(): void {
        this.transport.write("never sent, maybe");
        this.inAbort = true;
        this.transport.abortConnection();
        this.transport.abortConnection(); // a second abort does nothing
        this.inAbort = false;
      }
      override connectionLost(reason: Failure): void {
        if (this.inAbort) lostDuringAbort = true;
        onLost(reason);
      }
    }
    const [, n] = listen(reactor, Factory.forProtocol(Aborter));
    const c = collector("");
    reactor.connectTCP("127.0.0.1", n, new Recorder(c.Collector));
    const reason = await lost;
    ok(reason.check(ConnectionAborted));
    equal(lostDuringAbort, false);
    await c.lost;
  });
});

Deno.test("Connection half-close: readConnectionLost, then the reply, then ConnectionDone", async () => {
  await withReactor(async (reactor) => {
    const events: string[] = [];
    class HalfServer extends Protocol {
      received = "";
      override dataReceived(data: Uint8Array): void {
        this.received += decoder.decode(data);
      }
      readConnectionLost(): void {
        events.push("server readConnectionLost");
        this.transport.write(`got ${this.received}`);
        this.transport.loseConnection();
      }
      override connectionLost(reason: Failure): void {
        events.push(`server ${reason.type?.name}`);
      }
    }
    const [, n] = listen(reactor, Factory.forProtocol(HalfServer));
    const [lost, onLost] = signal<Failure>();
    let reply = "";
    class HalfClient extends Protocol {
      override connectionMade(): void {
        this.transport.write("request");
        this.transport.loseWriteConnection();
      }
      writeConnectionLost(): void {
        events.push("client writeConnectionLost");
      }
      override dataReceived(data: Uint8Array): void {
        reply += decoder.decode(data);
      }
      readConnectionLost(): void {
        events.push("client readConnectionLost");
        this.transport.loseConnection();
      }
      override connectionLost(reason: Failure): void {
        onLost(reason);
      }
    }
    reactor.connectTCP("127.0.0.1", n, new Recorder(HalfClient));
    ok((await lost).check(ConnectionDone));
    equal(reply, "got request");
    ok(events.includes("client writeConnectionLost"));
    ok(events.includes("server readConnectionLost"));
    ok(events.includes("client readConnectionLost"));
  });
});

Deno.test("Connection without readConnectionLost gets ConnectionDone at the peer's end of stream", async () => {
  await withReactor(async (reactor) => {
    const [lost, onLost] = signal<Failure>();
    class Server extends Protocol {
      override connectionLost(reason: Failure): void {
        onLost(reason);
      }
    }
    const [, n] = listen(reactor, Factory.forProtocol(Server));
    class Client extends Protocol {
      override connectionMade(): void {
        this.transport.loseWriteConnection();
      }
    }
    reactor.connectTCP("127.0.0.1", n, new Recorder(Client));
    ok((await lost).check(ConnectionDone));
  });
});

Deno.test("Connection pauses a streaming producer when the peer stops reading, within bounds", async () => {
  await withReactor(async (reactor) => {
    const chunk = new Uint8Array(16384);
    let maxBuffered = 0;
    let pauses = 0;
    let resumes = 0;
    let written = 0;
    const [paused, onPaused] = signal();
    const [finished, onFinished] = signal();
    const target = 32 * 1024 * 1024;
    class Streamer extends Protocol implements IPushProducer {
      #paused = false;
      override connectionMade(): void {
        this.transport.registerProducer(this, true);
        this.#produce();
      }
      #produce(): void {
        const t = this.transport as unknown as Connection;
        while (!this.#paused && written < target) {
          t.write(chunk);
          written += chunk.length;
          maxBuffered = Math.max(maxBuffered, t.getWriteBufferSize());
        }
        if (written >= target) {
          this.transport.unregisterProducer();
          this.transport.loseConnection();
          onFinished();
        }
      }
      pauseProducing(): void {
        this.#paused = true;
        pauses++;
        onPaused();
      }
      resumeProducing(): void {
        this.#paused = false;
        resumes++;
        this.#produce();
      }
      stopProducing(): void {}
    }
    const [, n] = listen(reactor, Factory.forProtocol(Streamer));
    const [readerMade, onReaderMade] = signal<Protocol>();
    let got = 0;
    const [lost, onLost] = signal<Failure>();
    class SlowReader extends Protocol {
      override connectionMade(): void {
        this.transport.pauseProducing(); // stop reading at once
        onReaderMade(this);
      }
      override dataReceived(data: Uint8Array): void {
        got += data.length;
      }
      override connectionLost(reason: Failure): void {
        onLost(reason);
      }
    }
    reactor.connectTCP("127.0.0.1", n, new Recorder(SlowReader));
    await paused;
    // The producer stopped: the server's buffer is bounded by bufferSize
    // plus one write.
    ok(maxBuffered <= 65536 + chunk.length, `buffered ${maxBuffered}`);
    ok(written < target);
    (await readerMade).transport.resumeProducing();
    await finished;
    ok((await lost).check(ConnectionDone));
    equal(got, target);
    ok(pauses >= 1 && resumes >= 1);
    ok(maxBuffered <= 65536 + chunk.length, `buffered ${maxBuffered}`);
  });
});

Deno.test("Connection.pauseProducing() holds incoming data until resumeProducing()", async () => {
  await withReactor(async (reactor) => {
    // The server echoes, and reports when its echo of "two" has left its
    // buffer (a pull producer is asked for more each time it empties).
    const [echoed, onEchoed] = signal();
    class Reporting extends Protocol {
      override dataReceived(data: Uint8Array): void {
        this.transport.write(data);
        if (decoder.decode(data) === "two") {
          let calls = 0;
          this.transport.registerProducer({
            resumeProducing: () => {
              if (++calls === 2) onEchoed();
            },
            stopProducing: () => {},
          }, false);
        }
      }
    }
    const [, n] = listen(reactor, Factory.forProtocol(Reporting));
    const [first, onFirst] = signal<Protocol>();
    const [second, onSecond] = signal();
    const received: string[] = [];
    class Pausing extends Protocol {
      override connectionMade(): void {
        this.transport.write("one");
      }
      override dataReceived(data: Uint8Array): void {
        received.push(decoder.decode(data));
        if (received.length === 1) onFirst(this);
        else onSecond();
      }
    }
    reactor.connectTCP("127.0.0.1", n, new Recorder(Pausing));
    const p = await first;
    // Paused with a read pending: what arrives now is held.
    p.transport.pauseProducing();
    p.transport.write("two");
    await echoed;
    deepEqual(received, ["one"]);
    p.transport.resumeProducing();
    await second;
    deepEqual(received, ["one", "two"]);
    p.transport.loseConnection();
  });
});

Deno.test("Connection closes with the error dataReceived threw, and the server lives on", async () => {
  using captured = captureLog();
  await withReactor(async (reactor) => {
    const [lost, onLost] = signal<Failure>();
    class Fragile extends Protocol {
      override dataReceived(data: Uint8Array): void {
        if (decoder.decode(data).includes("boom")) {
          throw new RangeError("bad input");
        }
        this.transport.write(data);
      }
      override connectionLost(reason: Failure): void {
        onLost(reason);
      }
    }
    const [, n] = listen(reactor, Factory.forProtocol(Fragile));
    const bad = collector("boom");
    reactor.connectTCP("127.0.0.1", n, new Recorder(bad.Collector));
    const reason = await lost;
    ok(reason.check(RangeError));
    equal(reason.getErrorMessage(), "bad input");
    ok((await bad.lost).check(ConnectionDone));
    equal(captured.flushLoggedErrors(RangeError).length, 1);
    // Another connection is served as usual.
    const good = collector("fine", 4);
    reactor.connectTCP("127.0.0.1", n, new Recorder(good.Collector));
    await good.lost;
    equal(decoder.decode(good.bytes()), "fine");
  });
});

Deno.test("buildProtocol() returning null closes the accepted connection at once", async () => {
  await withReactor(async (reactor) => {
    class Refuse extends Factory {
      override buildProtocol(): null {
        return null;
      }
    }
    const [, n] = listen(reactor, new Refuse());
    const c = collector("ignored");
    reactor.connectTCP("127.0.0.1", n, new Recorder(c.Collector));
    const reason = await c.lost;
    ok(reason.check(ConnectionDone) || reason.check(ConnectionLost));
    equal(c.bytes().length, 0);
  });
});

Deno.test("Connection sets TCP_NODELAY by default", async () => {
  await withReactor(async (reactor) => {
    const [, n] = listen(reactor, Factory.forProtocol(Echo));
    const [made, onMade] = signal<Protocol>();
    class C extends Protocol {
      override connectionMade(): void {
        onMade(this);
      }
    }
    reactor.connectTCP("127.0.0.1", n, new Recorder(C));
    const p = await made;
    equal(p.transport.getTcpNoDelay(), true);
    p.transport.setTcpNoDelay(false);
    equal(p.transport.getTcpNoDelay(), false);
    p.transport.setTcpKeepAlive(true);
    equal(p.transport.getTcpKeepAlive(), true);
    ok(p.transport.getHost() instanceof IPv4Address);
    equal((p.transport.getPeer() as IPv4Address).port, n);
    p.transport.loseConnection();
  });
});

Deno.test("reactor shutdown closes connections with ConnectionLost and stops listening", async () => {
  let stopped = 0;
  const reasons: Failure[] = [];
  let clientLost: Failure | undefined;
  await withReactor(async (reactor) => {
    class Keep extends Protocol {
      override connectionLost(reason: Failure): void {
        reasons.push(reason);
      }
    }
    class F extends Factory {
      override protocol = Keep;
      override stopFactory(): void {
        stopped++;
      }
    }
    const [, n] = listen(reactor, new F());
    const [made, onMade] = signal();
    class C extends Protocol {
      override dataReceived(): void {}
      override connectionMade(): void {
        this.transport.write("x");
        onMade();
      }
    }
    class CF extends Recorder {
      override clientConnectionLost(_c: IConnector, r: Failure): void {
        clientLost = r;
      }
    }
    reactor.connectTCP("127.0.0.1", n, new CF(C));
    await made;
    // withReactor stops the reactor now; run() settles after the shutdown.
  });
  equal(stopped, 1);
  ok(reasons.length === 1 && reasons[0].check(ConnectionLost));
  ok(clientLost?.check(ConnectionLost));
});

Deno.test("500 concurrent connections exchange data with no loss", async () => {
  await withReactor(async (reactor) => {
    // 500 connects at once: a queue deep enough for all of them.
    const [, n] = listen(reactor, Factory.forProtocol(Echo), 1024);
    const count = 500;
    const results: Promise<boolean>[] = [];
    for (let i = 0; i < count; i++) {
      const msg = `message ${i} `.repeat(50);
      const c = collector(msg, msg.length);
      reactor.connectTCP("127.0.0.1", n, new Recorder(c.Collector));
      results.push(c.lost.then(() => decoder.decode(c.bytes()) === msg));
    }
    const ok500 = await Promise.all(results);
    equal(ok500.filter(Boolean).length, count);
  });
});

Deno.test("ReconnectingClientFactory reconnects to a server that restarts", async () => {
  await withReactor(async (reactor) => {
    const f = Factory.forProtocol(Echo);
    f.noisy = false;
    let port = reactor.listenTCP(0, f, { interface: "127.0.0.1" });
    const n = (port.getHost() as IPv4Address).port;
    let connected = signal<Protocol>();
    const [refused, onRefused] = signal();
    class Client extends Protocol {
      override connectionMade(): void {
        (this.factory as ReconnectingClientFactory).resetDelay();
        connected[1](this);
      }
    }
    class Watched extends ReconnectingClientFactory {
      failures = 0;
      override clientConnectionFailed(c: IConnector, reason: Failure): void {
        this.failures++;
        if (reason.check(ConnectionRefusedError)) onRefused();
        super.clientConnectionFailed(c, reason);
      }
    }
    const rcf = new Watched();
    rcf.protocol = Client;
    rcf.noisy = false;
    rcf.initialDelay = 0.01;
    rcf.factor = 1.5;
    rcf.jitter = 0;
    rcf.clock = reactor;
    reactor.connectTCP("127.0.0.1", n, rcf);
    const first = await connected[0];
    // Restart the server: the client loses the connection, is refused while
    // the port is closed, and gets back once it is open again.
    connected = signal<Protocol>();
    await port.stopListening();
    first.transport.loseConnection();
    await refused;
    ok(rcf.retries >= 1);
    port = reactor.listenTCP(n, f, { interface: "127.0.0.1" });
    const second = await connected[0];
    ok(rcf.failures >= 1);
    equal(rcf.retries, 0);
    rcf.stopTrying();
    second.transport.loseConnection();
  });
});
