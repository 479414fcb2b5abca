// Copyright 2026 the Torsion authors. MIT license.
// Torsion's framing helpers against Python Twisted's (Debian's python3-twisted).
import { deepEqual, equal, ok } from "node:assert/strict";
import type { Failure } from "../../defer/mod.ts";
import {
  ClientFactory,
  ConnectionDone,
  Factory,
  type IPv4Address,
} from "../../reactor/mod.ts";
import {
  Int32StringReceiver,
  LineReceiver,
  NetstringReceiver,
} from "../../protocols/mod.ts";
import { needs, Peer, twistedPython } from "../_interop.ts";
import { signal, withReactor } from "../_reactor.ts";

const TWISTED = "Python Twisted (python3-twisted)";

const TWISTED_LINE_SERVER = `
from twisted.internet import reactor, protocol
from twisted.protocols.basic import LineReceiver
class Answer(LineReceiver):
    def lineReceived(self, line):
        self.sendLine(b"echo: " + line)
factory = protocol.Factory.forProtocol(Answer)
factory.noisy = False
port = reactor.listenTCP(0, factory, interface="127.0.0.1")
print(port.getHost().port, flush=True)
reactor.run()
`;

Deno.test({
  name:
    "Torsion LineReceiver client exchanges 10,000 lines with a Twisted LineReceiver server",
  ...needs(TWISTED, twistedPython !== null),
  async fn() {
    await using server = new Peer(twistedPython!, ["-c", TWISTED_LINE_SERVER]);
    const port = Number(await server.line());
    const count = 10_000;
    const sent = Array.from(
      { length: count },
      (_, i) => `line ${i}: ${"é".repeat(i % 17)}`,
    );
    await withReactor(async (reactor) => {
      const replies: string[] = [];
      const [lost, onLost] = signal<Failure>();
      class Client extends LineReceiver {
        override connectionMade(): void {
          for (const line of sent) this.sendLine(line);
        }
        override lineReceived(line: string): void {
          replies.push(line);
          if (replies.length === count) this.transport.loseConnection();
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
      deepEqual(replies, sent.map((l) => `echo: ${l}`));
    });
  },
});

/** A Twisted client sending binary strings with `kind` framing and checking the echo. */
function twistedFramingClient(
  kind: "NetstringReceiver" | "Int32StringReceiver",
): string {
  return `
import sys, random
from twisted.internet import reactor, protocol
from twisted.protocols.basic import ${kind}
port = int(sys.argv[1])
rng = random.Random(7)
strings = [bytes(rng.randrange(256) for _ in range(rng.choice([0, 1, 2, 100, 1000, 65536, 99999]))) for _ in range(200)]
strings.append(bytes(range(256)))
class Client(${kind}):
    def connectionMade(self):
        self.got = []
        for s in strings:
            self.sendString(s)
    def stringReceived(self, s):
        self.got.append(s)
        if len(self.got) == len(strings):
            print("OK" if self.got == strings else "MISMATCH", flush=True)
            self.transport.loseConnection()
    def connectionLost(self, reason):
        reactor.stop()
def failed(f):
    print("FAILED", f.getErrorMessage(), flush=True)
    reactor.stop()
protocol.ClientCreator(reactor, Client).connectTCP("127.0.0.1", port).addErrback(failed)
reactor.run()
`;
}

let received = 0;

class NetstringEcho extends NetstringReceiver {
  override stringReceived(data: Uint8Array): void {
    received++;
    this.sendString(data);
  }
}

class Int32Echo extends Int32StringReceiver {
  override stringReceived(data: Uint8Array): void {
    received++;
    this.sendString(data);
  }
}

for (
  const [kind, Echo] of [
    ["NetstringReceiver", NetstringEcho],
    ["Int32StringReceiver", Int32Echo],
  ] as const
) {
  Deno.test({
    name:
      `Twisted ${kind} client and Torsion ${kind} server exchange binary strings byte-exact`,
    ...needs(TWISTED, twistedPython !== null),
    async fn() {
      received = 0;
      await withReactor(async (reactor) => {
        const f = Factory.forProtocol(Echo);
        f.noisy = false;
        const port = reactor.listenTCP(0, f, { interface: "127.0.0.1" });
        const n = (port.getHost() as IPv4Address).port;
        await using client = new Peer(twistedPython!, [
          "-c",
          twistedFramingClient(kind),
          String(n),
        ]);
        equal(await client.line(), "OK");
        equal((await client.status()).code, 0);
        equal(received, 201);
      });
    },
  });
}
