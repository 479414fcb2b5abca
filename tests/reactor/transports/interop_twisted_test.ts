// Copyright 2026 the Torsion authors. MIT license.
// Torsion against real Python Twisted peers (Debian's python3-twisted).
import { deepEqual, equal, ok } from "node:assert/strict";
import type { Failure } from "../../../defer/mod.ts";
import {
  ClientFactory,
  ConnectionDone,
  Factory,
  type IPv4Address,
  Protocol,
} from "../../../reactor/mod.ts";
import { needs, Peer, twistedPython } from "../../_interop.ts";
import { signal, withReactor } from "../../_reactor.ts";

const TOTAL = 1 << 20;
const SIZES = [1, 7, 13, 101, 997, 4093, 65537];
const payload = new Uint8Array(TOTAL);
for (let i = 0; i < TOTAL; i++) payload[i] = (i * 31 + 7) & 0xff;

const TWISTED_ECHO_SERVER = `
from twisted.internet import reactor, protocol
class Echo(protocol.Protocol):
    def dataReceived(self, data):
        self.transport.write(data)
factory = protocol.Factory.forProtocol(Echo)
factory.noisy = False
port = reactor.listenTCP(0, factory, interface="127.0.0.1")
print(port.getHost().port, flush=True)
reactor.run()
`;

const TWISTED_ECHO_CLIENT = `
import sys
from twisted.internet import reactor, protocol
port = int(sys.argv[1])
total = 1 << 20
data = bytes((i * 31 + 7) & 0xff for i in range(total))
sizes = [1, 7, 13, 101, 997, 4093, 65537]
class Client(protocol.Protocol):
    def connectionMade(self):
        self.chunks = []
        self.got = 0
        off, i = 0, 0
        while off < total:
            n = sizes[i % len(sizes)]
            self.transport.write(data[off:off + n])
            off += n
            i += 1
    def dataReceived(self, d):
        self.chunks.append(d)
        self.got += len(d)
        if self.got >= total:
            print("OK" if b"".join(self.chunks) == data else "MISMATCH", flush=True)
            self.transport.loseConnection()
    def connectionLost(self, reason):
        reactor.stop()
def failed(f):
    print("FAILED", f.getErrorMessage(), flush=True)
    reactor.stop()
protocol.ClientCreator(reactor, Client).connectTCP("127.0.0.1", port).addErrback(failed)
reactor.run()
`;

Deno.test({
  name:
    "Torsion client echoes 1 MiB in odd-sized chunks through a Twisted server",
  ...needs("Python Twisted (python3-twisted)", twistedPython !== null),
  async fn() {
    await using server = new Peer(twistedPython!, ["-c", TWISTED_ECHO_SERVER]);
    const port = Number(await server.line());
    ok(port > 0);
    await withReactor(async (reactor) => {
      const [lost, onLost] = signal<Failure>();
      const chunks: Uint8Array[] = [];
      let got = 0;
      class Client extends Protocol {
        override connectionMade(): void {
          let off = 0;
          for (let i = 0; off < TOTAL; i++) {
            const n = SIZES[i % SIZES.length];
            this.transport.write(payload.subarray(off, off + n));
            off += n;
          }
        }
        override dataReceived(data: Uint8Array): void {
          chunks.push(data);
          got += data.length;
          if (got >= TOTAL) this.transport.loseConnection();
        }
        override connectionLost(reason: Failure): void {
          onLost(reason);
        }
      }
      const cf = new ClientFactory();
      cf.protocol = Client;
      cf.noisy = false;
      reactor.connectTCP("127.0.0.1", port, cf);
      ok((await lost).check(ConnectionDone));
      const all = new Uint8Array(got);
      let off = 0;
      for (const c of chunks) {
        all.set(c, off);
        off += c.length;
      }
      equal(all.length, TOTAL);
      deepEqual(all, payload);
    });
  },
});

Deno.test({
  name:
    "Twisted client echoes 1 MiB in odd-sized chunks through a Torsion server",
  ...needs("Python Twisted (python3-twisted)", twistedPython !== null),
  async fn() {
    await withReactor(async (reactor) => {
      class Echo extends Protocol {
        override dataReceived(data: Uint8Array): void {
          this.transport.write(data);
        }
      }
      const f = Factory.forProtocol(Echo);
      f.noisy = false;
      const port = reactor.listenTCP(0, f, { interface: "127.0.0.1" });
      const n = (port.getHost() as IPv4Address).port;
      await using client = new Peer(twistedPython!, [
        "-c",
        TWISTED_ECHO_CLIENT,
        String(n),
      ]);
      equal(await client.line(), "OK");
      equal((await client.status()).code, 0);
    });
  },
});
