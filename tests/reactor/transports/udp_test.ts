// Copyright 2026 the Torsion authors. MIT license.
// Real UDP sockets on 127.0.0.1: listenUDP, connected mode, truncation,
// send errors, stopListening, multicast on loopback, and a Python peer.
import dgram from "node:dgram";
import {
  deepEqual,
  equal,
  match,
  ok,
  rejects,
  throws,
} from "node:assert/strict";
import {
  CannotListenError,
  type DatagramAddress,
  DatagramProtocol,
  InvalidAddressError,
  IPv4Address,
  IPv6Address,
  MessageLengthError,
  MulticastJoinError,
  Reactor,
  type UDPPort,
} from "../../../reactor/mod.ts";
import { captureLog, MemoryReactor } from "../../../reactor/testing/mod.ts";
import { signal, turn, withReactor } from "../../_reactor.ts";
import {
  hasCommand,
  needs,
  needsIPv6Loopback,
  Peer,
  twistedPython,
} from "../../_interop.ts";

const hasPython = await hasCommand("/usr/bin/python3", ["-c", "pass"]);

// Twisted's UDP echo (its howto's Echo), on a free port it prints.
const TWISTED_UDP_ECHO = `
from twisted.internet import reactor
from twisted.internet.protocol import DatagramProtocol
import sys
class Echo(DatagramProtocol):
    def datagramReceived(self, data, addr):
        self.transport.write(data, addr)
        if data == b"quit":
            reactor.stop()
p = reactor.listenUDP(0, Echo(), interface="127.0.0.1")
print(p.getHost().port, flush=True)
reactor.run()
`;

const decoder = new TextDecoder();

/** Records datagrams; resolves `next()` promises as they arrive. */
class Recorder extends DatagramProtocol {
  readonly received: [string, DatagramAddress][] = [];
  readonly bytes: Uint8Array[] = [];
  started = 0;
  stopped = 0;
  #waiters: [number, () => void][] = [];

  override startProtocol(): void {
    this.started++;
  }

  override stopProtocol(): void {
    this.stopped++;
  }

  override datagramReceived(data: Uint8Array, addr: DatagramAddress): void {
    this.bytes.push(data);
    this.received.push([decoder.decode(data), addr]);
    this.#waiters = this.#waiters.filter(([n, resolve]) => {
      if (this.received.length < n) return true;
      resolve();
      return false;
    });
  }

  /** Resolves once `n` datagrams in all have arrived. */
  count(n: number): Promise<void> {
    if (this.received.length >= n) return Promise.resolve();
    const [p, resolve] = signal();
    this.#waiters.push([n, resolve]);
    return p;
  }
}

class Echo extends DatagramProtocol {
  override datagramReceived(data: Uint8Array, addr: DatagramAddress): void {
    this.transport!.write(data, addr);
  }
}

function local(
  reactor: Reactor,
  protocol: DatagramProtocol,
  maxPacketSize?: number,
): [UDPPort, DatagramAddress] {
  const port = reactor.listenUDP(0, protocol, {
    interface: "127.0.0.1",
    maxPacketSize,
  });
  return [port, ["127.0.0.1", port.getHost().port]];
}

Deno.test("listenUDP() binds synchronously, starts the protocol and tells the real port", async () => {
  await withReactor(async (reactor) => {
    const p = new Recorder();
    const port = reactor.listenUDP(0, p, { interface: "127.0.0.1" });
    equal(p.started, 1);
    equal(p.transport, port);
    const host = port.getHost();
    equal(host.type, "UDP");
    equal(host.host, "127.0.0.1");
    ok(host.port > 0);
    equal(port.maxPacketSize, 8192);
    equal(port.interface, "127.0.0.1");
    equal(String(port), `<Recorder on ${host.port}>`);
    await port.stopListening();
  });
});

Deno.test("listenUDP() on a port in use throws CannotListenError at once; a bad interface InvalidAddressError", async () => {
  await withReactor(async (reactor) => {
    const [port, [, n]] = local(reactor, new DatagramProtocol());
    const p = new Recorder();
    throws(
      () => reactor.listenUDP(n, p, { interface: "127.0.0.1" }),
      CannotListenError,
    );
    equal(p.started, 0);
    throws(
      () => reactor.listenUDP(0, p, { interface: "localhost" }),
      InvalidAddressError,
    );
    throws(
      () => reactor.listenUDP(0, p, { interface: "10.255.255.254" }),
      CannotListenError,
    );
    await port.stopListening();
  });
});

Deno.test("write() sends datagrams in order and datagramReceived gets [host, port]", async () => {
  await withReactor(async (reactor) => {
    const server = new Recorder();
    const [sport, saddr] = local(reactor, server);
    const client = new DatagramProtocol();
    const [cport, caddr] = local(reactor, client);
    for (let i = 0; i < 20; i++) {
      cport.write(`${i}:` + (i % 2 ? "x".repeat(3000) : "small"), saddr);
    }
    cport.write(new Uint8Array(0), saddr);
    await server.count(21);
    deepEqual(
      server.received.slice(0, 20).map(([d]) => d.split(":")[0]),
      Array.from({ length: 20 }, (_, i) => String(i)),
    );
    equal(server.bytes[20].length, 0);
    deepEqual(server.received[0][1], caddr);
    await cport.stopListening();
    await sport.stopListening();
  });
});

Deno.test({
  name:
    "an echo port answers a Python socket peer; 20,000 bytes arrive whole, more than maxPacketSize truncated",
  ...needs("python3", hasPython),
  fn: async () => {
    await withReactor(async (reactor) => {
      const [big, bigAddr] = local(reactor, new Echo(), 65536);
      const [small, smallAddr] = local(reactor, new Echo());
      const script = `
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(5)
s.sendto(b"hello", ("127.0.0.1", ${bigAddr[1]}))
print(s.recvfrom(70000)[0].decode())
s.sendto(b"y" * 20000, ("127.0.0.1", ${bigAddr[1]}))
print(len(s.recvfrom(70000)[0]))
s.sendto(b"z" * 20000, ("127.0.0.1", ${smallAddr[1]}))
print(len(s.recvfrom(70000)[0]))
`;
      const out = await new Deno.Command("/usr/bin/python3", {
        args: ["-c", script],
        stdout: "piped",
        stderr: "piped",
      }).output();
      equal(decoder.decode(out.stderr), "");
      deepEqual(decoder.decode(out.stdout).trim().split("\n"), [
        "hello",
        "20000",
        "8192",
      ]);
      await big.stopListening();
      await small.stopListening();
    });
  },
});

Deno.test({
  name: "a port and Python Twisted's UDP echo exchange datagrams both ways",
  ...needs("python3-twisted", twistedPython !== null),
  fn: async () => {
    await using peer = new Peer(twistedPython!, ["-c", TWISTED_UDP_ECHO]);
    const n = Number(await peer.line());
    ok(n > 0);
    await withReactor(async (reactor) => {
      const client = new Recorder();
      const [port] = local(reactor, client);
      port.connect("127.0.0.1", n);
      port.write("hello Twisted");
      port.write(new Uint8Array(8192).fill(7));
      await client.count(2);
      deepEqual(client.received[0], ["hello Twisted", ["127.0.0.1", n]]);
      equal(client.bytes[1].length, 8192);
      port.write("quit");
      await client.count(3);
      await port.stopListening();
    });
    equal((await peer.status()).code, 0);
  },
});

Deno.test("datagrams that arrive before the reactor runs are delivered once it runs, not before", async () => {
  const idle = new Reactor();
  const early = new Recorder();
  const [, earlyAddr] = local(idle, early);
  await withReactor(async (reactor) => {
    const [eport, eaddr] = local(reactor, new Echo());
    const client = new Recorder();
    const [cport] = local(reactor, client);
    cport.write("early", earlyAddr);
    // The echo comes back after the datagram to the idle reactor's port left.
    cport.write("marker", eaddr);
    await client.count(1);
    await turn();
    deepEqual(early.received, []);
    await cport.stopListening();
    await eport.stopListening();
  });
  const done = idle.run({ installSignalHandlers: false });
  await early.count(1);
  equal(early.received[0][0], "early");
  idle.stop();
  await done;
});

Deno.test("a datagram over maxPacketSize is truncated to it; one over 65,507 bytes throws MessageLengthError", async () => {
  await withReactor(async (reactor) => {
    const server = new Recorder();
    const [sport, saddr] = local(reactor, server, 100);
    const [cport] = local(reactor, new DatagramProtocol());
    throws(
      () => cport.write(new Uint8Array(65_508), saddr),
      MessageLengthError,
    );
    cport.write(new Uint8Array(300).fill(65), saddr);
    cport.write(new Uint8Array(100).fill(66), saddr);
    await server.count(2);
    deepEqual(server.bytes.map((b) => b.length), [100, 100]);
    equal(server.bytes[0][99], 65);
    await cport.stopListening();
    await sport.stopListening();
  });
});

Deno.test("a connected port sends to its peer and drops datagrams from other senders", async () => {
  await withReactor(async (reactor) => {
    const a = new Recorder();
    const [aport, aaddr] = local(reactor, a);
    // B answers A once C has asked it to, after C's own datagram to A left.
    class Relay extends DatagramProtocol {
      override datagramReceived(data: Uint8Array): void {
        this.transport!.write(data, aaddr);
      }
    }
    const b = new Relay();
    const [bport, baddr] = local(reactor, b);
    const [cport, caddr] = local(reactor, new DatagramProtocol());
    aport.connect(...baddr);
    cport.write("from c", aaddr);
    cport.write("from b", baddr);
    await a.count(1);
    deepEqual(a.received, [["from b", baddr]]);
    // Writes go to the peer; another address, or a second connect, throws.
    const seen = new Recorder();
    bport.protocol.datagramReceived = (d, addr) =>
      seen.datagramReceived(d, addr);
    aport.write("to b");
    aport.write("to b again", baddr);
    await seen.count(2);
    deepEqual(seen.received.map(([d]) => d), ["to b", "to b again"]);
    throws(() => aport.write("x", caddr), /connected to 127\.0\.0\.1/);
    throws(() => aport.connect(...caddr), /already connected/);
    await Promise.all([
      aport.stopListening(),
      bport.stopListening(),
      cport.stopListening(),
    ]);
  });
});

Deno.test("write() and connect() take IP addresses only; an unconnected write needs an address", async () => {
  await withReactor(async (reactor) => {
    const [port] = local(reactor, new DatagramProtocol());
    throws(() => port.write("x", ["localhost", 9]), InvalidAddressError);
    throws(() => port.write("x"), /needs an address/);
    throws(() => port.connect("localhost", 9), InvalidAddressError);
    await port.stopListening();
  });
});

Deno.test("a write to a closed port or an unreachable peer does not throw, connectionRefused is not called, and the port keeps serving", async () => {
  await withReactor(async (reactor) => {
    using _captured = captureLog();
    let refused = 0;
    class Client extends Recorder {
      override connectionRefused(): void {
        refused++;
      }
    }
    const [gone, goneAddr] = local(reactor, new DatagramProtocol());
    await gone.stopListening();
    const [eport, eaddr] = local(reactor, new Echo());
    const client = new Client();
    const [cport] = local(reactor, client);
    cport.write("lost", goneAddr);
    cport.write("lost too", ["192.0.2.77", 9]);
    cport.write("echo", eaddr);
    await client.count(1);
    deepEqual(client.received, [["echo", eaddr]]);
    // Connected to the closed port: still nothing reported.
    const connected = new Client();
    const [kport] = local(reactor, connected);
    kport.connect(...goneAddr);
    kport.write("lost");
    kport.write("lost");
    cport.write("echo 2", eaddr);
    await client.count(2);
    equal(refused, 0);
    await Promise.all([
      eport.stopListening(),
      cport.stopListening(),
      kport.stopListening(),
    ]);
  });
});

// What keeps connectionRefused from being called (deno_datagram.ts): in
// Deno 2.9.6, node:dgram's connect() does not connect the system's socket
// (strace shows a sendto with the address for every send), so no
// ECONNREFUSED ever reaches a send callback or an "error" event. If this
// test fails, Deno now reports refusals: wire them to connectionRefused.
Deno.test("node:dgram's connect() reports no refusal from a closed port: no send error, no error event", async () => {
  const closed = dgram.createSocket("udp4");
  const echo = dgram.createSocket("udp4");
  const probe = dgram.createSocket("udp4");
  const bound = (s: dgram.Socket) =>
    new Promise<void>((resolve) => s.bind(0, "127.0.0.1", resolve));
  await Promise.all([bound(closed), bound(echo), bound(probe)]);
  const closedPort = closed.address().port;
  closed.close();
  echo.on("message", (m, r) => echo.send(m, r.port, r.address));
  // A round trip through the echo: the ICMP error a datagram to the closed
  // port drew has been handled by the system by then (loopback).
  const roundTrip = () =>
    new Promise<void>((resolve) => {
      probe.once("message", () => resolve());
      probe.send("marker", echo.address().port, "127.0.0.1");
    });
  const s = dgram.createSocket("udp4");
  await bound(s);
  const errors: unknown[] = [];
  s.on("error", (e) => errors.push(e));
  await new Promise<void>((resolve, reject) =>
    s.connect(
      closedPort,
      "127.0.0.1",
      (e?: Error) => e ? reject(e) : resolve(),
    )
  );
  deepEqual(s.remoteAddress(), {
    address: "127.0.0.1",
    family: "IPv4",
    port: closedPort,
  });
  const sendErrors: (Error | null)[] = [];
  for (let i = 0; i < 3; i++) {
    await new Promise<void>((resolve) =>
      s.send("x", (e: Error | null) => {
        sendErrors.push(e);
        resolve();
      })
    );
    await roundTrip();
  }
  deepEqual(sendErrors, [null, null, null]);
  deepEqual(errors, []);
  for (const sock of [s, echo, probe]) sock.close();
  await turn();
});

Deno.test("a send the system refuses (broadcast without setBroadcastAllowed) is logged; allowing it works", async () => {
  await withReactor(async (reactor) => {
    using captured = captureLog();
    const client = new Recorder();
    const [port] = local(reactor, client);
    const [eport, eaddr] = local(reactor, new Echo());
    equal(port.getBroadcastAllowed(), false);
    port.write("x", ["<broadcast>", 9]);
    port.write("after", eaddr);
    await client.count(1);
    const errors = captured.events.filter((e) => e.isError);
    equal(errors.length, 1);
    match(errors[0].message, /Cannot send a datagram to 255\.255\.255\.255:9/);
    port.setBroadcastAllowed(true);
    equal(port.getBroadcastAllowed(), true);
    port.write("x", ["255.255.255.255", 9]);
    port.write("after 2", eaddr);
    await client.count(2);
    equal(captured.events.filter((e) => e.isError).length, 1);
    await port.stopListening();
    await eport.stopListening();
  });
});

Deno.test("a throw in datagramReceived is logged and the port keeps serving", async () => {
  await withReactor(async (reactor) => {
    using captured = captureLog();
    class Fussy extends Recorder {
      override datagramReceived(data: Uint8Array, addr: DatagramAddress) {
        super.datagramReceived(data, addr);
        if (decoder.decode(data) === "bad") throw new RangeError("boom");
      }
    }
    const server = new Fussy();
    const [sport, saddr] = local(reactor, server);
    const [cport] = local(reactor, new DatagramProtocol());
    cport.write("bad", saddr);
    cport.write("good", saddr);
    await server.count(2);
    equal(captured.flushLoggedErrors(RangeError).length, 1);
    await cport.stopListening();
    await sport.stopListening();
  });
});

Deno.test("stopListening() closes the socket, runs stopProtocol on a later turn, and the port can be bound again", async () => {
  await withReactor(async (reactor) => {
    const p = new Recorder();
    const [port, [, n]] = local(reactor, p);
    const d = port.stopListening();
    equal(p.stopped, 0);
    equal(port.stopListening(), d);
    throws(() => port.getHost(), /not listening/);
    throws(() => port.write("x", ["127.0.0.1", 9]), /not listening/);
    await d;
    equal(p.stopped, 1);
    equal(p.transport, null);
    equal(port.connected, false);
    await port.stopListening();
    const again = reactor.listenUDP(n, p, { interface: "127.0.0.1" });
    equal(p.started, 2);
    await again.stopListening();
  });
});

Deno.test("the reactor's shutdown stops its UDP ports", async () => {
  const p = new Recorder();
  await withReactor((reactor) => {
    local(reactor, p);
  });
  equal(p.stopped, 1);
});

Deno.test("listenMulticast(): two ports share a port, join a group on loopback, and both receive", async () => {
  await withReactor(async (reactor) => {
    const a = new Recorder();
    const b = new Recorder();
    const aport = reactor.listenMulticast(0, a, { listenMultiple: true });
    const n = aport.getHost().port;
    const bport = reactor.listenMulticast(n, b, { listenMultiple: true });
    const group = "228.0.0.42";
    equal(await aport.joinGroup(group, "127.0.0.1"), true);
    equal(await bport.joinGroup(group, "127.0.0.1"), true);
    equal(aport.getLoopbackMode(), true);
    equal(aport.getTTL(), 1);
    aport.setTTL(2);
    equal(aport.getTTL(), 2);
    throws(() => aport.setTTL(300));
    equal(await aport.setOutgoingInterface("127.0.0.1"), true);
    equal(aport.getOutgoingInterface(), "127.0.0.1");
    aport.write("to the group", [group, n]);
    await Promise.all([a.count(1), b.count(1)]);
    deepEqual(b.received.map(([d]) => d), ["to the group"]);
    equal(await aport.leaveGroup(group, "127.0.0.1"), true);
    await rejects(
      Promise.resolve(aport.leaveGroup(group, "127.0.0.1")),
      MulticastJoinError,
    );
    await rejects(
      Promise.resolve(aport.joinGroup("1.2.3.4")),
      MulticastJoinError,
    );
    aport.setLoopbackMode(false);
    equal(aport.getLoopbackMode(), false);
    await aport.stopListening();
    await bport.stopListening();
  });
});

Deno.test("listenMulticast() without listenMultiple cannot share a port", async () => {
  await withReactor(async (reactor) => {
    const aport = reactor.listenMulticast(0, new DatagramProtocol(), {
      interface: "127.0.0.1",
    });
    throws(
      () =>
        reactor.listenMulticast(aport.getHost().port, new DatagramProtocol(), {
          interface: "127.0.0.1",
        }),
      CannotListenError,
    );
    await aport.stopListening();
  });
});

Deno.test("DatagramProtocol starts once per first port and stops after the last", () => {
  const p = new Recorder();
  const t = {} as UDPPort;
  p.makeConnection(t);
  throws(() => p.makeConnection(t), /connected to a port already/);
  p.doStart();
  equal(p.started, 1);
  p.doStop();
  equal(p.stopped, 0);
  p.doStop();
  equal(p.stopped, 1);
  equal(p.transport, null);
});

Deno.test("MemoryReactor records listenUDP calls in udpServers", () => {
  const reactor = new MemoryReactor();
  const p = new DatagramProtocol();
  const port = reactor.listenUDP(53, p, {
    interface: "127.0.0.1",
    maxPacketSize: 512,
  });
  deepEqual(reactor.udpServers, [[53, p, "127.0.0.1", 512]]);
  equal(
    String(port.getHost()),
    "IPv4Address(type='UDP', host='0.0.0.0', port=53)",
  );
  equal(p.transport, null);
});

// ---------------------------------------------------------------------------
// IPv6: an IPv6 interface makes an IPv6 port, as in Twisted.

const ipv6 = needsIPv6Loopback();

// A Python socket peer on ::1: it prints its port, sends "hello6" to the
// port given as its argument and prints the echo and where it came from,
// then echoes datagrams until "quit".
const PYTHON_UDP6_PEER = `
import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.settimeout(5)
s.bind(("::1", 0))
print(s.getsockname()[1], flush=True)
s.sendto(b"hello6", ("::1", int(sys.argv[1])))
data, addr = s.recvfrom(70000)
print(data.decode(), addr[0], addr[1], flush=True)
while True:
    data, addr = s.recvfrom(70000)
    s.sendto(data, addr)
    if data == b"quit":
        break
`;

Deno.test({
  name:
    "listenUDP() on ::1 or :: makes an IPv6 port: getHost() is an IPv6Address",
  ...ipv6,
  fn: async () => {
    await withReactor(async (reactor) => {
      const loop = reactor.listenUDP(0, new DatagramProtocol(), {
        interface: "::1",
      });
      const any = reactor.listenUDP(0, new DatagramProtocol(), {
        interface: "::",
      });
      const v4 = reactor.listenUDP(0, new DatagramProtocol(), {
        interface: "127.0.0.1",
      });
      const host = loop.getHost();
      ok(host instanceof IPv6Address);
      equal(host.type, "UDP");
      equal(host.host, "::1");
      ok(host.port > 0);
      equal(
        String(host),
        `IPv6Address(type='UDP', host='::1', port=${host.port}, flowInfo=0, scopeID=0)`,
      );
      equal(loop.isIPv6, true);
      ok(any.getHost() instanceof IPv6Address);
      equal(any.getHost().host, "::");
      ok(v4.getHost() instanceof IPv4Address);
      equal(v4.isIPv6, false);
      // The port is taken for IPv6 too.
      throws(
        () =>
          reactor.listenUDP(host.port, new DatagramProtocol(), {
            interface: "::1",
          }),
        CannotListenError,
      );
      await Promise.all([
        loop.stopListening(),
        any.stopListening(),
        v4.stopListening(),
      ]);
    });
  },
});

Deno.test({
  name:
    "an IPv6 port and a Python socket peer on ::1 exchange datagrams both ways, connected or not",
  ...ipv6,
  ...(hasPython ? {} : needs("python3", false)),
  fn: async () => {
    await withReactor(async (reactor) => {
      const echo = reactor.listenUDP(0, new Echo(), { interface: "::1" });
      await using peer = new Peer("/usr/bin/python3", [
        "-c",
        PYTHON_UDP6_PEER,
        String(echo.getHost().port),
      ]);
      const n = Number(await peer.line());
      ok(n > 0);
      // Python's datagram was echoed back to it, from the port's address.
      equal(await peer.line(), `hello6 ::1 ${echo.getHost().port}`);
      // Writes to an IPv6 address; the answer comes from [::1, n].
      const client = new Recorder();
      const cport = reactor.listenUDP(0, client, {
        interface: "::1",
        maxPacketSize: 65536,
      });
      cport.write("to python", ["::1", n]);
      await client.count(1);
      deepEqual(client.received[0], ["to python", ["::1", n]]);
      // The largest IPv6 payload goes through whole; one byte more throws.
      cport.write(new Uint8Array(65_527).fill(6), ["::1", n]);
      await client.count(2);
      equal(client.bytes[1].length, 65_527);
      throws(
        () => cport.write(new Uint8Array(65_528), ["::1", n]),
        MessageLengthError,
      );
      // Connected to the peer, spelled another way: writes go to it, its
      // answers arrive, datagrams from other senders are dropped.
      const connected = new Recorder();
      const kport = reactor.listenUDP(0, connected, { interface: "::1" });
      kport.connect("0:0:0:0:0:0:0:1", n);
      echo.write("not from the peer", ["::1", kport.getHost().port]);
      kport.write("connected");
      await connected.count(1);
      deepEqual(connected.received, [["connected", ["::1", n]]]);
      kport.write("quit");
      await connected.count(2);
      // By now the echo port's datagram has long arrived, and was dropped.
      deepEqual(connected.received, [
        ["connected", ["::1", n]],
        ["quit", ["::1", n]],
      ]);
      equal((await peer.status()).code, 0);
      await Promise.all([
        echo.stopListening(),
        cport.stopListening(),
        kport.stopListening(),
      ]);
    });
  },
});

Deno.test({
  name:
    "a port on :: receives IPv4 datagrams from IPv4-mapped addresses and answers there",
  ...ipv6,
  fn: async () => {
    await withReactor(async (reactor) => {
      const server = new Recorder();
      const sport = reactor.listenUDP(0, server, { interface: "::" });
      const client = new Recorder();
      const [cport, caddr] = local(reactor, client);
      cport.write("over IPv4", ["127.0.0.1", sport.getHost().port]);
      await server.count(1);
      deepEqual(server.received[0], [
        "over IPv4",
        ["::ffff:127.0.0.1", caddr[1]],
      ]);
      sport.write("back", server.received[0][1]);
      await client.count(1);
      deepEqual(client.received[0], [
        "back",
        ["127.0.0.1", sport.getHost().port],
      ]);
      await Promise.all([sport.stopListening(), cport.stopListening()]);
    });
  },
});

Deno.test("an IPv4 port refuses IPv6 peers, a bad interface throws InvalidAddressError naming it, and multicast is IPv4 only", async () => {
  await withReactor(async (reactor) => {
    const [port] = local(reactor, new DatagramProtocol());
    throws(
      () => port.write("x", ["::1", 9]),
      (e: unknown) =>
        e instanceof InvalidAddressError &&
        /IPv4 port write\(\) called with IPv6 address/.test(e.message),
    );
    throws(
      () => port.connect("::1", 9),
      /IPv4 port connect\(\) called with IPv6 address/,
    );
    // The failed connect left the port unconnected.
    port.connect("127.0.0.1", 9);
    throws(
      () =>
        reactor.listenUDP(0, new DatagramProtocol(), {
          interface: "example.com",
        }),
      (e: unknown) =>
        e instanceof InvalidAddressError && e.address === "example.com" &&
        /not an IPv4 or IPv6 address/.test(e.message),
    );
    throws(
      () =>
        reactor.listenMulticast(0, new DatagramProtocol(), {
          interface: "::1",
        }),
      /multicast ports are IPv4 only/,
    );
    await port.stopListening();
  });
});

Deno.test({
  name:
    "an IPv6 port refuses IPv4 and broadcast peers and stays usable after a refused connect()",
  ...ipv6,
  fn: async () => {
    await withReactor(async (reactor) => {
      const server = new Recorder();
      const sport = reactor.listenUDP(0, server, { interface: "::1" });
      const port = reactor.listenUDP(0, new DatagramProtocol(), {
        interface: "::1",
      });
      throws(
        () => port.write("x", ["127.0.0.1", 9]),
        /IPv6 port write\(\) called with IPv4 or broadcast address/,
      );
      throws(
        () => port.write("x", ["<broadcast>", 9]),
        /IPv6 port write\(\) called with IPv4 or broadcast address/,
      );
      throws(
        () => port.write("x", ["localhost", 9]),
        InvalidAddressError,
      );
      throws(
        () => port.connect("127.0.0.1", 9),
        /IPv6 port connect\(\) called with IPv4 address/,
      );
      port.connect("::1", sport.getHost().port);
      port.write("after");
      await server.count(1);
      deepEqual(server.received[0], ["after", [
        "::1",
        port.getHost().port,
      ]]);
      await Promise.all([sport.stopListening(), port.stopListening()]);
    });
  },
});
