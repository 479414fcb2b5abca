// Copyright 2026 the Torsion authors. MIT license.
// The receive path on a scripted stream: bytes a protocol may keep never
// change under it, lent read buffers are read into again only once the
// protocol and every write of them are done, and kept bytes cost bounded
// memory.
import { deepEqual, equal, notEqual, ok } from "node:assert/strict";
import type { Failure } from "../../../defer/mod.ts";
import { LineOnlyReceiver, LineReceiver } from "../../../protocols/mod.ts";
import { Echo } from "../../../protocols/wire.ts";
import { ProtocolWrapper } from "../../../protocols/policies/protocol_wrapper.ts";
import { WrappingFactory } from "../../../protocols/policies/wrapping_factory.ts";
import { Factory } from "../../../reactor/factory.ts";
import type { IProtocol } from "../../../reactor/interfaces.ts";
import { Protocol } from "../../../reactor/protocol.ts";
import type { Reactor } from "../../../reactor/reactor.ts";
import { Connection } from "../../../reactor/transports/connection.ts";
import { signal, turn, withReactor } from "../../_reactor.ts";
import { HeldStream } from "./_held_stream.ts";

const encoder = new TextEncoder();

/** `n` bytes of a pattern that does not repeat within 251 bytes. */
function pattern(n: number, seed = 0): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 7 + seed) % 251;
  return out;
}

function open(
  reactor: Reactor,
  protocol: IProtocol,
): [Connection, HeldStream] {
  const stream = new HeldStream();
  const conn = new Connection(reactor, stream, protocol, 1);
  conn._start();
  return [conn, stream];
}

/** Feeds `data` in `size`-byte chunks, one read each, and waits for them. */
async function feedInChunks(
  stream: HeldStream,
  data: Uint8Array,
  size: number,
): Promise<void> {
  for (let off = 0; off < data.length; off += size) {
    stream.feed(data.subarray(off, off + size));
  }
  await stream.whenIdle();
}

/** Closes `conn` and waits for its protocol's connectionLost. */
async function close(conn: Connection, lost: Promise<Failure>): Promise<void> {
  conn.loseConnection();
  await lost;
}

class Keeper extends Protocol {
  readonly chunks: Uint8Array[] = [];
  readonly lost: Promise<Failure>;
  readonly #lost: (f: Failure) => void;
  constructor() {
    super();
    [this.lost, this.#lost] = signal<Failure>();
  }
  override dataReceived(data: Uint8Array): void {
    this.chunks.push(data);
  }
  override connectionLost(reason: Failure): void {
    this.#lost(reason);
  }
}

class LentEcho extends Echo {
  readonly lost: Promise<Failure>;
  readonly #lost: (f: Failure) => void;
  constructor() {
    super();
    [this.lost, this.#lost] = signal<Failure>();
  }
  override connectionLost(reason: Failure): void {
    this.#lost(reason);
  }
}

const SIZES = [
  1,
  7,
  100,
  1000,
  2048,
  4095,
  4096,
  5000,
  16384,
  32767,
  32768,
  65536,
  70000,
];

Deno.test("Connection hands a keeping protocol bytes that never change, at every read size", () =>
  withReactor(async (reactor) => {
    for (const size of SIZES) {
      const data = pattern(Math.min(200_000, size * 200));
      const p = new Keeper();
      const [conn, stream] = open(reactor, p);
      await feedInChunks(stream, data, size);
      // Every array kept is as it was delivered, although the connection
      // has read into its buffers again since.
      let off = 0;
      for (const c of p.chunks) {
        deepEqual(c, data.subarray(off, off + c.length), `size ${size}`);
        off += c.length;
      }
      equal(off, data.length);
      await close(conn, p.lost);
    }
  }));

Deno.test("Connection bounds what kept bytes cost: 32 KiB for a small read, twice the bytes for a large one", () =>
  withReactor(async (reactor) => {
    for (const size of [1, 100, 8191, 8192, 20000, 32768, 40000]) {
      const p = new Keeper();
      const [conn, stream] = open(reactor, p);
      // Let the read buffer grow to its largest first.
      await feedInChunks(stream, pattern(8 * 65536), 65536);
      p.chunks.length = 0;
      await feedInChunks(stream, pattern(size), size);
      const kept = p.chunks.at(-1)!;
      equal(kept.length, size);
      ok(
        kept.buffer.byteLength <= Math.max(32768, 2 * size),
        `${size} bytes kept hold ${kept.buffer.byteLength}`,
      );
      await close(conn, p.lost);
    }
  }));

Deno.test("Connection reads into the same lent buffer again when the protocol keeps nothing", () =>
  withReactor(async (reactor) => {
    const buffers = new Set<ArrayBufferLike>();
    class Looker extends Keeper {
      readonly keepsReceivedData = false;
      override dataReceived(data: Uint8Array): void {
        buffers.add(data.buffer);
      }
    }
    const p = new Looker();
    const [conn, stream] = open(reactor, p);
    // Reads of one size, too small to grow the buffer or to shrink it.
    await feedInChunks(stream, pattern(1000 * 100), 1000);
    equal(buffers.size, 1);
    await close(conn, p.lost);
  }));

Deno.test("Connection does not read into a lent buffer while a write of it waits, at every read size", () =>
  withReactor(async (reactor) => {
    for (const size of SIZES) {
      const data = pattern(Math.min(300_000, size * 200), 3);
      const p = new LentEcho();
      const [conn, stream] = open(reactor, p);
      // Reads go on while writes wait; a write completes each turn.
      for (let off = 0; off < data.length; off += size) {
        stream.feed(data.subarray(off, off + size));
      }
      let sent = 0;
      while (sent < data.length) {
        await turn();
        if (stream.writesPending > 0) sent += stream.complete();
      }
      deepEqual(stream.sentBytes(), data, `size ${size}`);
      await close(conn, p.lost);
    }
  }));

Deno.test("Connection gives a lent buffer back once its write is sent, and reads into it again", () =>
  withReactor(async (reactor) => {
    const p = new LentEcho();
    const [conn, stream] = open(reactor, p);
    // Grow the read buffer to 4 KiB with full reads, their echoes sent.
    stream.autoComplete = true;
    await feedInChunks(stream, pattern(1024), 1024);
    await feedInChunks(stream, pattern(2048), 2048);
    await turn();
    stream.autoComplete = false;
    // The echo of this read (3,000 bytes: written as they are) waits, so
    // the next read goes into another buffer.
    const at = stream.readInto.length - 1;
    await feedInChunks(stream, pattern(3000), 3000);
    const held = stream.readInto[at].buffer;
    equal(stream.readInto[at].length, 4096);
    notEqual(stream.readInto[at + 1].buffer, held);
    // Sent: the buffer is free again, and a later read uses it.
    stream.complete();
    await turn();
    stream.autoComplete = true;
    await feedInChunks(stream, pattern(3000), 3000);
    await feedInChunks(stream, pattern(3000), 3000);
    ok(
      stream.readInto.slice(at + 1).some((b) => b.buffer === held),
      "the held buffer was read into again",
    );
    await close(conn, p.lost);
  }));

Deno.test("LineReceiver keeps kept lines unchanged while the transport reuses its buffer, at every read size", () =>
  withReactor(async (reactor) => {
    // Short lines, and long ones that stay buffered across reads.
    const text = Array.from(
      { length: 200 },
      (_, i) =>
        `line ${i} ${"x".repeat(i % 50 === 7 ? 1000 * (i % 6) : i % 97)}`,
    );
    const data = encoder.encode(text.join("\r\n") + "\r\n");
    for (const size of [1, 3, 64, 1000, 4096, 20000, 65536]) {
      const kept: Uint8Array[] = [];
      const strings: string[] = [];
      const [lost, onLost] = signal<Failure>();
      class Bytes extends LineReceiver {
        override lineReceivedBytes(line: Uint8Array): void {
          kept.push(line);
        }
        override connectionLost(reason: Failure): void {
          onLost(reason);
        }
      }
      const [conn, stream] = open(reactor, new Bytes());
      await feedInChunks(stream, data, size);
      deepEqual(kept.map((l) => new TextDecoder().decode(l)), text);
      await close(conn, lost);
      // The string path reads lent bytes: the same lines.
      const [lost2, onLost2] = signal<Failure>();
      class Strings extends LineReceiver {
        override lineReceived(line: string): void {
          strings.push(line);
        }
        override connectionLost(reason: Failure): void {
          onLost2(reason);
        }
      }
      const [conn2, stream2] = open(reactor, new Strings());
      await feedInChunks(stream2, data, size);
      deepEqual(strings, text, `size ${size}`);
      await close(conn2, lost2);
    }
  }));

Deno.test("LineReceiver hands raw mode bytes that stay unchanged, after a switch in the middle of a lent chunk", () =>
  withReactor(async (reactor) => {
    const body = pattern(50_000, 9);
    const head = encoder.encode("BODY\r\n");
    const data = new Uint8Array(head.length + body.length);
    data.set(head);
    data.set(body, head.length);
    for (const size of [1, 5, 6, 7, 1000, 65536]) {
      const raw: Uint8Array[] = [];
      const [lost, onLost] = signal<Failure>();
      class Switch extends LineReceiver {
        override lineReceived(line: string): void {
          equal(line, "BODY");
          this.setRawMode();
        }
        override rawDataReceived(chunk: Uint8Array): void {
          raw.push(chunk);
        }
        override connectionLost(reason: Failure): void {
          onLost(reason);
        }
      }
      const [conn, stream] = open(reactor, new Switch());
      await feedInChunks(stream, data, size);
      let off = 0;
      for (const c of raw) {
        deepEqual(c, body.subarray(off, off + c.length), `size ${size}`);
        off += c.length;
      }
      equal(off, body.length);
      await close(conn, lost);
    }
  }));

Deno.test("LineOnlyReceiver assembles lines split across lent reads, at every read size", () =>
  withReactor(async (reactor) => {
    const text = Array.from(
      { length: 200 },
      (_, i) => `${i}:${"y".repeat(i % 40 === 3 ? 900 * (i % 7) : i)}`,
    );
    const data = encoder.encode(text.join("\n") + "\n");
    for (const size of [1, 2, 50, 4096, 65536]) {
      const got: string[] = [];
      const [lost, onLost] = signal<Failure>();
      class Lines extends LineOnlyReceiver {
        override delimiter = "\n";
        override lineReceived(line: string): void {
          got.push(line);
        }
        override connectionLost(reason: Failure): void {
          onLost(reason);
        }
      }
      const [conn, stream] = open(reactor, new Lines());
      await feedInChunks(stream, data, size);
      deepEqual(got, text, `size ${size}`);
      await close(conn, lost);
    }
  }));

Deno.test("ProtocolWrapper keeps received data as the protocol it wraps does", () => {
  const factory = new WrappingFactory(Factory.forProtocol(Echo));
  equal(new ProtocolWrapper(factory, new Echo()).keepsReceivedData, false);
  equal(new ProtocolWrapper(factory, new Protocol()).keepsReceivedData, true);
});
