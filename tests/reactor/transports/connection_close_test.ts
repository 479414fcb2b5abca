// Copyright 2026 the Torsion authors. MIT license.
// Closing a connection from a producer, half-closing with writes after it,
// and pausing a push producer again after someone else resumed it (Twisted's
// abstract.FileDescriptor: doWrite at an empty buffer, _maybePauseProducer,
// _writeDisconnected).
import { deepEqual, equal, ok } from "node:assert/strict";
import type { Failure } from "../../../defer/mod.ts";
import { FileSender, type SyncReader } from "../../../protocols/mod.ts";
import {
  ConnectionDone,
  Factory,
  type IPullProducer,
  type IPushProducer,
  Protocol,
} from "../../../reactor/mod.ts";
import { signal, withReactor } from "../../_reactor.ts";
import { collector, listen, Recorder } from "../../_tcp.ts";

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** A synchronous reader over bytes in memory, like a `Deno.FsFile`. */
class BytesReader implements SyncReader {
  readonly #data: Uint8Array;
  #at = 0;
  constructor(data: Uint8Array) {
    this.#data = data;
  }
  readSync(p: Uint8Array): number | null {
    if (this.#at === this.#data.length) return null;
    const n = Math.min(p.length, this.#data.length - this.#at);
    p.set(this.#data.subarray(this.#at, this.#at + n));
    this.#at += n;
    return n;
  }
}

/** A server whose protocol reports its `connectionLost` reason. */
function serverReporting(
  made: (p: Protocol) => void,
): [Factory, Promise<Failure>] {
  const [lost, onLost] = signal<Failure>();
  class Server extends Protocol {
    override connectionMade(): void {
      made(this);
    }
    override connectionLost(reason: Failure): void {
      onLost(reason);
    }
  }
  return [Factory.forProtocol(Server), lost];
}

Deno.test("Connection closes once a pull producer unregisters and calls loseConnection() in its last resumeProducing()", async () => {
  await withReactor(async (reactor) => {
    const [factory, serverLost] = serverReporting((p) => {
      let left = 3;
      const producer: IPullProducer = {
        resumeProducing() {
          if (left > 0) {
            p.transport.write(`chunk ${left--}\n`);
            return;
          }
          // Nothing more to write: finish here.
          p.transport.unregisterProducer();
          p.transport.loseConnection();
        },
        stopProducing() {},
      };
      p.transport.registerProducer(producer, false);
    });
    const [, n] = listen(reactor, factory);
    const c = collector("");
    reactor.connectTCP("127.0.0.1", n, new Recorder(c.Collector));
    ok((await serverLost).check(ConnectionDone));
    ok((await c.lost).check(ConnectionDone));
    equal(decoder.decode(c.bytes()), "chunk 3\nchunk 2\nchunk 1\n");
  });
});

Deno.test("FileSender.beginFileTransfer() then loseConnection() sends the file and closes", async () => {
  await withReactor(async (reactor) => {
    const size = 100_000;
    const content = new Uint8Array(size);
    for (let i = 0; i < size; i++) content[i] = (i * 31) & 0xff;
    const [factory, serverLost] = serverReporting((p) => {
      new FileSender()
        .beginFileTransfer(new BytesReader(content), p.transport)
        .addCallback(() => p.transport.loseConnection());
    });
    const [, n] = listen(reactor, factory);
    const c = collector("");
    reactor.connectTCP("127.0.0.1", n, new Recorder(c.Collector));
    ok((await serverLost).check(ConnectionDone));
    ok((await c.lost).check(ConnectionDone));
    const got = c.bytes();
    equal(got.length, size);
    ok(got.every((b, i) => b === content[i]), "the file arrived intact");
  });
});

Deno.test("Connection half-closes when a pull producer calls loseWriteConnection() in its last resumeProducing()", async () => {
  await withReactor(async (reactor) => {
    const [writeLost, onWriteLost] = signal();
    class Server extends Protocol {
      override connectionMade(): void {
        let sent = false;
        this.transport.registerProducer({
          resumeProducing: () => {
            if (!sent) {
              sent = true;
              this.transport.write("all of it");
              return;
            }
            this.transport.unregisterProducer();
            this.transport.loseWriteConnection();
          },
          stopProducing() {},
        }, false);
      }
      writeConnectionLost(): void {
        onWriteLost();
      }
      readConnectionLost(): void {
        this.transport.loseConnection();
      }
    }
    const [, n] = listen(reactor, Factory.forProtocol(Server));
    // The client answers the server's end of stream by closing its side.
    const [reply, onReply] = signal<string>();
    let got = "";
    class Client extends Protocol {
      override dataReceived(data: Uint8Array): void {
        got += decoder.decode(data);
      }
      readConnectionLost(): void {
        onReply(got);
        this.transport.loseConnection();
      }
    }
    const client = new Recorder(Client);
    reactor.connectTCP("127.0.0.1", n, client);
    equal(await reply, "all of it");
    await writeLost;
    ok((await client.lost).check(ConnectionDone));
  });
});

Deno.test("Connection sends writes made after loseWriteConnection() until the write side is shut", async () => {
  await withReactor(async (reactor) => {
    class Server extends Protocol {
      override connectionMade(): void {
        this.transport.write("a");
        this.transport.loseWriteConnection();
        this.transport.write("b");
        this.transport.writeSequence(["c", encoder.encode("d")]);
      }
      readConnectionLost(): void {
        this.transport.loseConnection();
      }
    }
    const [, n] = listen(reactor, Factory.forProtocol(Server));
    const [reply, onReply] = signal<string>();
    let got = "";
    class Client extends Protocol {
      override dataReceived(data: Uint8Array): void {
        got += decoder.decode(data);
      }
      readConnectionLost(): void {
        onReply(got);
        this.transport.loseConnection();
      }
    }
    const client = new Recorder(Client);
    reactor.connectTCP("127.0.0.1", n, client);
    equal(await reply, "abcd");
    await client.lost;
  });
});

Deno.test("Connection pauses a push producer again on each write over the limit after someone else resumed it", async () => {
  await withReactor(async (reactor) => {
    let pauses = 0;
    const seen: number[] = [];
    const [done, onDone] = signal();
    class Server extends Protocol implements IPushProducer {
      override connectionMade(): void {
        this.transport.registerProducer(this, true);
        this.transport.write(new Uint8Array(70_000)); // over 64 KiB: paused
        seen.push(pauses);
        // A throttle (or a proxy) resumes the producer while the buffer is
        // still full; the next write must pause it again.
        this.resumeProducing();
        this.transport.write("x");
        seen.push(pauses);
        this.transport.write("y");
        seen.push(pauses);
        this.transport.unregisterProducer();
        this.transport.loseConnection();
        onDone();
      }
      pauseProducing(): void {
        pauses++;
      }
      resumeProducing(): void {}
      stopProducing(): void {}
    }
    const [, n] = listen(reactor, Factory.forProtocol(Server));
    const c = collector("");
    reactor.connectTCP("127.0.0.1", n, new Recorder(c.Collector));
    await done;
    deepEqual(seen, [1, 2, 3]);
    await c.lost;
    equal(c.bytes().length, 70_002);
  });
});
