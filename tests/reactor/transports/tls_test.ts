// Copyright 2026 the Torsion authors. MIT license.
// TLS over real sockets on 127.0.0.1: listenSSL, connectSSL, verification,
// ALPN, startTLS, and failed handshakes. The certificates are in
// tls_fixtures/ (a test CA and a server certificate for localhost and
// 127.0.0.1, valid until 2126).
import { deepEqual, equal, match, ok, throws } from "node:assert/strict";
import type { Failure } from "../../../defer/mod.ts";
import {
  CannotListenError,
  CertificateOptions,
  clientFromString,
  ConnectionDone,
  ConnectionLost,
  DefaultOpenSSLContextFactory,
  Factory,
  type IOpenSSLServerConnectionCreator,
  type IPv4Address,
  optionsForClientTLS,
  type Port,
  Protocol,
  Reactor,
  serverFromString,
} from "../../../reactor/mod.ts";
import type { Connection } from "../../../reactor/transports/connection.ts";
import { captureLog } from "../../../reactor/testing/mod.ts";
import { REACTOR_UNDER_TEST, signal, withReactor } from "../../_reactor.ts";
import { collector, Echo, Recorder } from "../../_tcp.ts";
import { hasCommand, needs, Peer, twistedPython } from "../../_interop.ts";

const decoder = new TextDecoder();
const FIXTURES = new URL("./tls_fixtures/", import.meta.url).pathname;
const KEY = `${FIXTURES}server.key`;
const CERT = `${FIXTURES}server.pem`;
const CA = `${FIXTURES}ca.pem`;

const serverContext = () => new DefaultOpenSSLContextFactory(KEY, CERT);
const trusting = (name = "localhost", alpnProtocols?: string[]) =>
  optionsForClientTLS(name, { trustRoot: { path: CA }, alpnProtocols });

function listenTLS(
  reactor: Reactor,
  factory: Factory,
  ctx: IOpenSSLServerConnectionCreator = serverContext(),
): [Port, number] {
  factory.noisy = false;
  const port = reactor.listenSSL(0, factory, ctx, { interface: "127.0.0.1" });
  return [port, (port.getHost() as IPv4Address).port];
}

/** A server factory whose connections report their `connectionLost` reasons. */
function recordingServer(): [Factory, Failure[], Promise<Failure>] {
  const reasons: Failure[] = [];
  const [first, onFirst] = signal<Failure>();
  class Server extends Echo {
    override connectionLost(reason: Failure): void {
      reasons.push(reason);
      onFirst(reason);
    }
  }
  return [Factory.forProtocol(Server), reasons, first];
}

Deno.test("listenSSL() and connectSSL() echo 1 MiB sent in odd chunks", async () => {
  await withReactor(async (reactor) => {
    const [, n] = listenTLS(reactor, Factory.forProtocol(Echo));
    const payload = new Uint8Array(1 << 20);
    for (let i = 0; i < payload.length; i++) payload[i] = (i * 7 + 3) & 0xff;
    const received: Uint8Array[] = [];
    let total = 0;
    const [lost, onLost] = signal<Failure>();
    class Sender extends Protocol {
      override connectionMade(): void {
        // Chunks of 1, 3, 5, ... 4093 bytes, then the rest.
        let off = 0;
        for (let size = 1; off < payload.length; size = (size + 2) % 4095) {
          this.transport.write(payload.subarray(off, off + size));
          off += size;
        }
      }
      override dataReceived(data: Uint8Array): void {
        received.push(data.slice());
        total += data.length;
        if (total >= payload.length) this.transport.loseConnection();
      }
      override connectionLost(reason: Failure): void {
        onLost(reason);
      }
    }
    reactor.connectSSL("127.0.0.1", n, new Recorder(Sender), trusting());
    ok((await lost).check(ConnectionDone));
    const out = new Uint8Array(total);
    let off = 0;
    for (const c of received) {
      out.set(c, off);
      off += c.length;
    }
    equal(total, payload.length);
    deepEqual(out, payload);
  });
});

Deno.test("connectSSL() with CertificateOptions verifies the host it connects to", async () => {
  await withReactor(async (reactor) => {
    const server = new CertificateOptions({
      privateKey: await Deno.readTextFile(KEY),
      certificate: await Deno.readTextFile(CERT),
    });
    const [, n] = listenTLS(reactor, Factory.forProtocol(Echo), server);
    const c = collector("hi", 2);
    const client = new CertificateOptions({ caCerts: [{ path: CA }] });
    reactor.connectSSL("localhost", n, new Recorder(c.Collector), client);
    ok((await c.lost).check(ConnectionDone));
    equal(decoder.decode(c.bytes()), "hi");
  });
});

Deno.test("ALPN: both sides see the negotiated protocol once the handshake completes", async () => {
  await withReactor(async (reactor) => {
    const [serverSaw, onServer] = signal<string | null>();
    class Server extends Echo {
      handshakeCompleted(): void {
        onServer((this.transport as Connection).negotiatedProtocol);
      }
    }
    const ctx = new CertificateOptions({
      privateKey: { path: KEY },
      certificate: { path: CERT },
      alpnProtocols: ["h2", "http/1.1"],
    });
    const [, n] = listenTLS(reactor, Factory.forProtocol(Server), ctx);
    const [clientSaw, onClient] = signal<[string | null, string | null]>();
    class Client extends Protocol {
      before: string | null = "unset";
      override connectionMade(): void {
        this.before = (this.transport as Connection).negotiatedProtocol;
      }
      handshakeCompleted(): void {
        onClient([
          this.before,
          (this.transport as Connection).negotiatedProtocol,
        ]);
        this.transport.loseConnection();
      }
    }
    reactor.connectSSL(
      "127.0.0.1",
      n,
      new Recorder(Client),
      trusting("localhost", ["http/1.1", "spdy/3"]),
    );
    deepEqual(await clientSaw, [null, "http/1.1"]);
    equal(await serverSaw, "http/1.1");
  });
});

Deno.test("a client verifies the server's name: a wrong host loses the connection, naming it", async () => {
  await withReactor(async (reactor) => {
    const [factory, , serverLost] = recordingServer();
    const [, n] = listenTLS(reactor, factory);
    const c = collector("never echoed");
    reactor.connectSSL(
      "127.0.0.1",
      n,
      new Recorder(c.Collector),
      trusting("example.com"),
    );
    const reason = await c.lost;
    ok(reason.check(ConnectionLost));
    match(
      reason.getErrorMessage(),
      /TLS error: .*not valid for name "example\.com"/,
    );
    equal(c.bytes().length, 0);
    const s = await serverLost;
    ok(s.check(ConnectionLost));
    match(s.getErrorMessage(), /TLS error: .*BadCertificate/);
  });
});

Deno.test("a client verifies the chain by default: an unknown CA loses the connection", async () => {
  await withReactor(async (reactor) => {
    const [factory, , serverLost] = recordingServer();
    const [, n] = listenTLS(reactor, factory);
    const c = collector("x");
    // No trustRoot: the platform's roots, which do not include the test CA.
    reactor.connectSSL(
      "127.0.0.1",
      n,
      new Recorder(c.Collector),
      optionsForClientTLS("localhost"),
    );
    const reason = await c.lost;
    ok(reason.check(ConnectionLost));
    match(
      reason.getErrorMessage(),
      /TLS error: invalid peer certificate: UnknownIssuer/,
    );
    match((await serverLost).getErrorMessage(), /TLS error: .*UnknownCA/);
  });
});

Deno.test("unsafelyDisableHostnameVerification accepts a certificate for another name", async () => {
  await withReactor(async (reactor) => {
    const [, n] = listenTLS(reactor, Factory.forProtocol(Echo));
    const c = collector("ok", 2);
    reactor.connectSSL(
      "127.0.0.1",
      n,
      new Recorder(c.Collector),
      optionsForClientTLS("example.com", {
        trustRoot: { path: CA },
        unsafelyDisableHostnameVerification: true,
      }),
    );
    ok((await c.lost).check(ConnectionDone));
    equal(decoder.decode(c.bytes()), "ok");
  });
});

Deno.test("a plain TCP client sending garbage to a TLS port loses only its own connection", async () => {
  await withReactor(async (reactor) => {
    const [factory, reasons, serverLost] = recordingServer();
    const [port, n] = listenTLS(reactor, factory);
    const plain = collector("GET / HTTP/1.0\r\n\r\n");
    reactor.connectTCP("127.0.0.1", n, new Recorder(plain.Collector));
    const s = await serverLost;
    ok(s.check(ConnectionLost));
    match(s.getErrorMessage(), /TLS error: /);
    await plain.lost;
    // The listener carries on: a TLS client still gets its echo.
    ok(port.connected);
    const good = collector("still here", 10);
    reactor.connectSSL(
      "127.0.0.1",
      n,
      new Recorder(good.Collector),
      trusting(),
    );
    ok((await good.lost).check(ConnectionDone));
    equal(decoder.decode(good.bytes()), "still here");
    equal(reasons.length >= 1, true);
  });
});

Deno.test("connectSSL() to a plain TCP server loses the connection with a TLS error", async () => {
  await withReactor(async (reactor) => {
    class Garbage extends Protocol {
      override connectionMade(): void {
        this.transport.write("220 plain text, not TLS\r\n");
      }
    }
    const f = Factory.forProtocol(Garbage);
    f.noisy = false;
    const port = reactor.listenTCP(0, f, { interface: "127.0.0.1" });
    const n = (port.getHost() as IPv4Address).port;
    const c = collector("hello");
    reactor.connectSSL("127.0.0.1", n, new Recorder(c.Collector), trusting());
    const reason = await c.lost;
    ok(reason.check(ConnectionLost));
    match(reason.getErrorMessage(), /TLS error: /);
  });
});

Deno.test("listenSSL() with a missing key file throws CannotListenError", async () => {
  await withReactor((reactor) => {
    throws(
      () =>
        reactor.listenSSL(
          0,
          Factory.forProtocol(Echo),
          new DefaultOpenSSLContextFactory(`${FIXTURES}missing.key`, CERT),
          { interface: "127.0.0.1" },
        ),
      CannotListenError,
    );
    throws(
      () =>
        reactor.listenSSL(
          0,
          Factory.forProtocol(Echo),
          new CertificateOptions({ privateKey: "garbage", certificate: "x" }),
          { interface: "127.0.0.1" },
        ),
      CannotListenError,
    );
  });
});

Deno.test("listenSSL() logs its close as a TLS port; listenTLS/connectTLS are the same calls", async () => {
  using captured = captureLog();
  await withReactor(async (reactor) => {
    const f = Factory.forProtocol(Echo);
    f.noisy = false;
    const port = reactor.listenTLS(0, f, serverContext(), {
      interface: "127.0.0.1",
    });
    const n = (port.getHost() as IPv4Address).port;
    const c = collector("abc", 3);
    reactor.connectTLS("127.0.0.1", n, new Recorder(c.Collector), trusting());
    await c.lost;
    equal(decoder.decode(c.bytes()), "abc");
    await port.stopListening();
    ok(captured.messages.some((m) => m.includes(`(TLS Port ${n} Closed)`)));
  });
});

Deno.test("TLS option objects check what they are given", () => {
  throws(
    () => new CertificateOptions({ privateKey: "k" }),
    /neither or both of privateKey and certificate/,
  );
  throws(() => new CertificateOptions().serverTLSConfig(), TypeError);
  throws(() => optionsForClientTLS(""), TypeError);
  throws(
    () => optionsForClientTLS("a", { alpnProtocols: [""] }),
    /ALPN protocol names/,
  );
  const ctx = optionsForClientTLS("name", { trustRoot: "PEM" });
  deepEqual(ctx.clientTLSConfig("10.0.0.1").caCerts, ["PEM"]);
  equal(ctx.clientTLSConfig("10.0.0.1").hostname, "name");
  equal(
    ctx.clientTLSConfig("x").unsafelyDisableHostnameVerification,
    false,
  );
});

// startTLS: a STARTTLS server in Python's ssl module (Deno has no
// server-side startTls); see tls_fixtures/starttls_server.py.
const python = await hasCommand("python3", ["-c", "import ssl"]);

Deno.test({
  name:
    "startTLS() on a TCP client: earlier bytes go out in clear, later ones over TLS",
  ignore: REACTOR_UNDER_TEST === "epoll" || needs("python3", python).ignore,
  fn: async () => {
    await using server = new Peer("python3", [
      `${FIXTURES}starttls_server.py`,
    ]);
    const port = Number(await server.line());
    await withReactor(async (reactor) => {
      const [done, onDone] = signal<[string, Failure]>();
      const [handshake, onHandshake] = signal<void>();
      let got = "";
      class StartTLSClient extends Protocol {
        phase = 0;
        override connectionMade(): void {
          this.transport.write("STARTTLS\r\n");
        }
        override dataReceived(data: Uint8Array): void {
          got += decoder.decode(data);
          if (this.phase === 0 && got === "GO\r\n") {
            this.phase = 1;
            got = "";
            this.transport.write("CLEAR LINE\r\n");
            (this.transport as Connection).startTLS(trusting());
            this.transport.write("secret over TLS");
            return;
          }
          if (got === "secret over TLS") this.transport.loseConnection();
        }
        handshakeCompleted(): void {
          // The socket options reach the TLS socket now, not the TCP
          // socket it consumed.
          const t = this.transport as Connection;
          t.setTcpNoDelay(false);
          t.setTcpKeepAlive(true);
          equal(t.getTcpKeepAlive(), true);
          onHandshake();
        }
        override connectionLost(reason: Failure): void {
          onDone([got, reason]);
        }
      }
      reactor.connectTCP("127.0.0.1", port, new Recorder(StartTLSClient));
      equal(await server.line(), "CLEAR CLEAR LINE");
      await handshake;
      const [echoed, reason] = await done;
      equal(echoed, "secret over TLS");
      ok(reason.check(ConnectionDone));
    });
    equal(await server.line(), "DONE");
  },
});

Deno.test({
  name:
    "startTLS() refuses a server-side handshake and a call with a read in flight",
  ignore: REACTOR_UNDER_TEST === "epoll",
  fn: async () => {
    await withReactor(async (reactor) => {
      const [serverErr, onServerErr] = signal<unknown>();
      class Server extends Protocol {
        override connectionMade(): void {
          try {
            (this.transport as Connection).startTLS(serverContext());
          } catch (e) {
            onServerErr(e);
          }
        }
      }
      const f = Factory.forProtocol(Server);
      f.noisy = false;
      const port = reactor.listenTCP(0, f, { interface: "127.0.0.1" });
      const n = (port.getHost() as IPv4Address).port;
      const [clientTransport, onClient] = signal<Connection>();
      class Client extends Protocol {
        override connectionMade(): void {
          onClient(this.transport as Connection);
        }
      }
      reactor.connectTCP("127.0.0.1", n, new Recorder(Client));
      match(String(await serverErr), /Server-side startTLS is not supported/);
      const t = await clientTransport;
      // The read loop started right after connectionMade: a read waits.
      throws(() => t.startTLS(trusting()), /read is in flight/);
      t.loseConnection();
    });
  },
});

Deno.test({
  name:
    "startTLS() on the epoll reactor's TCP connections throws a clear error",
  ignore: REACTOR_UNDER_TEST !== "epoll",
  fn: async () => {
    await withReactor(async (reactor) => {
      const [err, onErr] = signal<unknown>();
      class Client extends Protocol {
        override connectionMade(): void {
          try {
            (this.transport as Connection).startTLS(trusting());
          } catch (e) {
            onErr(e);
          }
          this.transport.loseConnection();
        }
      }
      const f = Factory.forProtocol(Echo);
      f.noisy = false;
      const port = reactor.listenTCP(0, f, { interface: "127.0.0.1" });
      const n = (port.getHost() as IPv4Address).port;
      reactor.connectTCP("127.0.0.1", n, new Recorder(Client));
      match(String(await err), /startTLS is not supported on this transport/);
    });
  },
});

Deno.test("ssl: and tls: endpoint strings listen and connect with TLS", async () => {
  await withReactor(async (reactor) => {
    const f = Factory.forProtocol(Echo);
    f.noisy = false;
    const port = await serverFromString(
      reactor,
      `ssl:0:privateKey=${KEY}:certKey=${CERT}:interface=127.0.0.1`,
    ).listen(f);
    const n = (port.getHost() as IPv4Address).port;
    const proto = await clientFromString(
      reactor,
      `tls:127.0.0.1:${n}:trustRoots=${CA}:timeout=5`,
    ).connect(Factory.forProtocol(Protocol));
    const [echoed, onEcho] = signal<string>();
    proto.dataReceived = (d: Uint8Array) => onEcho(decoder.decode(d));
    (proto as Protocol).transport.write("via strings");
    equal(await echoed, "via strings");
    (proto as Protocol).transport.loseConnection();
  });
});

Deno.test("ssl: takes a PEM holding both key and certificate, as Twisted's server.pem", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const both = `${dir}/server.pem`;
    await Deno.writeTextFile(
      both,
      (await Deno.readTextFile(KEY)) + (await Deno.readTextFile(CERT)),
    );
    await withReactor(async (reactor) => {
      const f = Factory.forProtocol(Echo);
      f.noisy = false;
      await serverFromString(
        reactor,
        `ssl:port=0:privateKey=${both}:interface=127.0.0.1`,
      ).listen(f).then(async (port) => {
        const n = (port.getHost() as IPv4Address).port;
        const c = collector("pem", 3);
        reactor.connectSSL(
          "127.0.0.1",
          n,
          new Recorder(c.Collector),
          trusting(),
        );
        ok((await c.lost).check(ConnectionDone));
        equal(decoder.decode(c.bytes()), "pem");
      });
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("tls: and ssl: strings refuse what Deno's TLS cannot do", () => {
  const reactor = new Reactor();
  throws(
    () => clientFromString(reactor, "tls:example.com:443:certificate=c.pem"),
    /certificate is not supported/,
  );
  throws(
    () => clientFromString(reactor, "tls:example.com:443:bogus=1"),
    /unknown keyword bogus/,
  );
  throws(
    () => serverFromString(reactor, "ssl:443:extraCertChain=chain.pem"),
    /extraCertChain is not supported/,
  );
  throws(() => clientFromString(reactor, "tls:example.com"), TypeError);
});

// Interop with OpenSSL's command-line peers.
const openssl = await hasCommand("openssl", ["version"]);

/** Reads `stream` until `expected` has arrived; returns what was read. */
async function readUntil(
  stream: ReadableStream<Uint8Array>,
  expected: string,
): Promise<string> {
  const reader = stream.getReader();
  let text = "";
  try {
    while (!text.includes(expected)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
    }
  } finally {
    reader.releaseLock();
  }
  return text;
}

Deno.test({
  name: "interop: openssl s_client verifies our TLS port and gets its echo",
  ...needs("openssl", openssl),
  fn: async () => {
    await withReactor(async (reactor) => {
      const [factory, , serverLost] = recordingServer();
      const [, n] = listenTLS(reactor, factory);
      const child = new Deno.Command("openssl", {
        args: [
          "s_client",
          "-quiet",
          "-verify_return_error",
          "-connect",
          `127.0.0.1:${n}`,
          "-servername",
          "localhost",
          "-verify_hostname",
          "localhost",
          "-CAfile",
          CA,
        ],
        stdin: "piped",
        stdout: "piped",
        stderr: "null",
      }).spawn();
      const writer = child.stdin.getWriter();
      await writer.write(new TextEncoder().encode("hello from openssl\n"));
      const out = await readUntil(child.stdout, "hello from openssl\n");
      equal(out, "hello from openssl\n");
      await writer.close();
      child.kill("SIGTERM");
      await child.status;
      await child.stdout.cancel();
      const lost = await serverLost;
      ok(lost.check(ConnectionDone) || lost.check(ConnectionLost));
    });
  },
});

Deno.test({
  name: "interop: connectSSL() verifies openssl s_server and agrees on ALPN",
  ...needs("openssl", openssl),
  fn: async () => {
    const child = new Deno.Command("openssl", {
      args: [
        "s_server",
        "-rev",
        "-naccept",
        "1",
        "-accept",
        "127.0.0.1:0",
        "-cert",
        CERT,
        "-key",
        KEY,
        "-alpn",
        "torsion/1",
      ],
      stdin: "null",
      stdout: "piped",
      stderr: "null",
    }).spawn();
    try {
      // "Using default temp DH parameters", then "ACCEPT 127.0.0.1:PORT".
      let banner = "";
      let m: RegExpExecArray | null = null;
      while (m === null) {
        const more = await readUntil(child.stdout, "\n");
        if (more === "") break;
        banner += more;
        m = /ACCEPT 127\.0\.0\.1:(\d+)\n/.exec(banner);
      }
      ok(m, `no ACCEPT line in ${JSON.stringify(banner)}`);
      const n = Number(m[1]);
      await withReactor(async (reactor) => {
        const [reply, onReply] = signal<[string, string | null]>();
        let got = "";
        class Client extends Protocol {
          override connectionMade(): void {
            this.transport.write("hello\n");
          }
          override dataReceived(data: Uint8Array): void {
            got += decoder.decode(data);
            if (got.endsWith("\n")) {
              onReply([got, (this.transport as Connection).negotiatedProtocol]);
              this.transport.loseConnection();
            }
          }
        }
        reactor.connectSSL(
          "127.0.0.1",
          n,
          new Recorder(Client),
          trusting("localhost", ["torsion/1"]),
        );
        deepEqual(await reply, ["olleh\n", "torsion/1"]);
      });
    } finally {
      try {
        child.kill("SIGTERM");
      } catch {
        // Exited after its one connection.
      }
      await child.status;
      await child.stdout.cancel();
    }
  },
});

// Interop with Python Twisted's TLS (python3-twisted with python3-openssl).
const twistedTLS = twistedPython !== null &&
  await hasCommand(twistedPython, [
    "-c",
    "import OpenSSL, twisted.internet.ssl",
  ]);

const TWISTED_TLS_ECHO_SERVER = `
import sys
from twisted.internet import reactor, protocol, ssl
class Echo(protocol.Protocol):
    def dataReceived(self, data):
        self.transport.write(data)
factory = protocol.Factory.forProtocol(Echo)
factory.noisy = False
ctx = ssl.DefaultOpenSSLContextFactory(sys.argv[1], sys.argv[2])
port = reactor.listenSSL(0, factory, ctx, interface="127.0.0.1")
print(port.getHost().port, flush=True)
reactor.run()
`;

const TWISTED_TLS_CLIENT = `
import sys
from twisted.internet import reactor, protocol, ssl
port, ca = int(sys.argv[1]), open(sys.argv[2]).read()
ctx = ssl.optionsForClientTLS("localhost", trustRoot=ssl.Certificate.loadPEM(ca))
class Client(protocol.Protocol):
    def connectionMade(self):
        self.got = b""
        self.transport.write(b"hello from Twisted")
    def dataReceived(self, d):
        self.got += d
        if self.got == b"hello from Twisted":
            print("OK", flush=True)
            self.transport.loseConnection()
    def connectionLost(self, reason):
        if self.got != b"hello from Twisted":
            print("LOST", reason.getErrorMessage(), flush=True)
        reactor.stop()
def failed(f):
    print("FAILED", f.getErrorMessage(), flush=True)
    reactor.stop()
protocol.ClientCreator(reactor, Client).connectSSL("127.0.0.1", port, ctx).addErrback(failed)
reactor.run()
`;

Deno.test({
  name: "interop: connectSSL() echoes 1 MiB through a Twisted listenSSL server",
  ...needs("Python Twisted with pyOpenSSL (python3-openssl)", twistedTLS),
  fn: async () => {
    await using server = new Peer(twistedPython!, [
      "-c",
      TWISTED_TLS_ECHO_SERVER,
      KEY,
      CERT,
    ]);
    const n = Number(await server.line());
    await withReactor(async (reactor) => {
      const payload = new Uint8Array(1 << 20);
      for (let i = 0; i < payload.length; i++) payload[i] = (i * 13) & 0xff;
      let got = 0;
      const chunks: Uint8Array[] = [];
      const [lost, onLost] = signal<Failure>();
      class Client extends Protocol {
        override connectionMade(): void {
          let k = 1;
          for (let off = 0; off < payload.length; off += k, k += 2) {
            this.transport.write(payload.subarray(off, off + k));
          }
        }
        override dataReceived(d: Uint8Array): void {
          chunks.push(d.slice());
          got += d.length;
          if (got >= payload.length) this.transport.loseConnection();
        }
        override connectionLost(reason: Failure): void {
          onLost(reason);
        }
      }
      reactor.connectSSL("127.0.0.1", n, new Recorder(Client), trusting());
      ok((await lost).check(ConnectionDone));
      const out = new Uint8Array(got);
      let off = 0;
      for (const c of chunks) {
        out.set(c, off);
        off += c.length;
      }
      deepEqual(out, payload);
    });
  },
});

Deno.test({
  name:
    "interop: a Twisted optionsForClientTLS client verifies our listenSSL port",
  ...needs("Python Twisted with pyOpenSSL (python3-openssl)", twistedTLS),
  fn: async () => {
    await withReactor(async (reactor) => {
      const [, n] = listenTLS(reactor, Factory.forProtocol(Echo));
      await using client = new Peer(twistedPython!, [
        "-c",
        TWISTED_TLS_CLIENT,
        String(n),
        CA,
      ]);
      equal(await client.line(), "OK");
      equal((await client.status()).code, 0);
    });
  },
});

Deno.test("getTcpNoDelay() tells the truth over TLS: off on an accepted connection (Deno cannot set it), on for a client", async () => {
  await withReactor(async (reactor) => {
    const [serverSaw, onServer] = signal<boolean>();
    class Server extends Echo {
      override connectionMade(): void {
        // As Twisted code does; a no-op on a TLS socket Deno accepted.
        this.transport.setTcpNoDelay(true);
        onServer(this.transport.getTcpNoDelay());
      }
    }
    const [, n] = listenTLS(reactor, Factory.forProtocol(Server));
    const [clientSaw, onClient] = signal<boolean>();
    class Client extends Protocol {
      override connectionMade(): void {
        onClient(this.transport.getTcpNoDelay());
        this.transport.loseConnection();
      }
    }
    reactor.connectSSL("127.0.0.1", n, new Recorder(Client), trusting());
    equal(await serverSaw, false);
    equal(await clientSaw, true);
  });
});

Deno.test("a throw from handshakeCompleted is logged and the connection carries on", async () => {
  using captured = captureLog();
  await withReactor(async (reactor) => {
    class Careless extends Echo {
      handshakeCompleted(): void {
        throw new Error("careless handshake listener");
      }
    }
    const [, n] = listenTLS(reactor, Factory.forProtocol(Careless));
    const c = collector("still echoed", 12);
    reactor.connectSSL("127.0.0.1", n, new Recorder(c.Collector), trusting());
    ok((await c.lost).check(ConnectionDone));
    equal(decoder.decode(c.bytes()), "still echoed");
  });
  const errors = captured.errors();
  equal(errors.length, 1);
  equal(errors[0].getErrorMessage(), "careless handshake listener");
});

Deno.test("a silent client on a TLS port (no handshake yet) is closed cleanly at shutdown", async () => {
  const [lost, onLost] = signal<Failure>();
  await withReactor(async (reactor) => {
    const [connected, onConnected] = signal<void>();
    class Server extends Echo {
      override connectionMade(): void {
        onConnected();
      }
      override connectionLost(reason: Failure): void {
        onLost(reason);
      }
    }
    const [, n] = listenTLS(reactor, Factory.forProtocol(Server));
    const silent = new Recorder(Protocol);
    reactor.connectTCP("127.0.0.1", n, silent);
    await connected;
    // The reactor stops with the handshake still pending on both sides.
  });
  ok((await lost).check(ConnectionLost));
});

Deno.test("startTLS() twice, or on a Unix connection, throws", {
  ignore: REACTOR_UNDER_TEST === "epoll",
}, async () => {
  const dir = await Deno.makeTempDir();
  try {
    await withReactor(async (reactor) => {
      const [errors, onErrors] = signal<string[]>();
      class Client extends Protocol {
        override connectionMade(): void {
          const t = this.transport as Connection;
          const seen: string[] = [];
          try {
            t.startTLS(trusting());
          } catch (e) {
            seen.push(String(e));
          }
          onErrors(seen);
          this.transport.loseConnection();
        }
      }
      const f = Factory.forProtocol(Echo);
      f.noisy = false;
      reactor.listenUNIX(`${dir}/s.sock`, f);
      reactor.connectUNIX(`${dir}/s.sock`, new Recorder(Client));
      const seen = await errors;
      equal(seen.length, 1);
      match(seen[0], /cannot be switched to TLS/);

      const [twice, onTwice] = signal<string>();
      const tcp = reactor.listenTCP(0, f, { interface: "127.0.0.1" });
      class Twice extends Protocol {
        override connectionMade(): void {
          const t = this.transport as Connection;
          t.startTLS(trusting());
          try {
            t.startTLS(trusting());
          } catch (e) {
            onTwice(String(e));
          }
          this.transport.loseConnection();
        }
      }
      reactor.connectTCP(
        "127.0.0.1",
        (tcp.getHost() as IPv4Address).port,
        new Recorder(Twice),
      );
      match(await twice, /TLS is already started/);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
