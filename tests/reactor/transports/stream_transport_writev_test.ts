// Copyright 2026 the Torsion authors. MIT license.
// The stream core's vectored writes: a transport with `_writev` is given the
// queued chunks as they are (no concatenation), continues after partial
// writes that end anywhere, and the staged slab regions and lent buffers
// those chunks are views of are kept until sent, whatever other connections
// write meanwhile.
import { deepEqual, equal, ok } from "node:assert/strict";
import fc from "fast-check";
import type { Failure } from "../../../defer/mod.ts";
import { IPv4Address } from "../../../reactor/address.ts";
import type { IAddress } from "../../../reactor/interfaces.ts";
import { Protocol } from "../../../reactor/protocol.ts";
import { StreamTransport } from "../../../reactor/transports/stream_transport.ts";
import { Reactor } from "../../../reactor/reactor.ts";

/** A transport whose sends complete when the test says, with the count it picks. */
class Vectored extends StreamTransport {
  /** What was sent, in order. */
  readonly sent: number[] = [];
  /** The calls made: chunk counts (`_writev`) or 1 (`_write`). */
  readonly calls: { vector: boolean; chunks: number }[] = [];
  /** The send in progress: its bytes, copied when the call was made. */
  pending: Uint8Array | null = null;

  getHost(): IAddress {
    return new IPv4Address("TCP", "127.0.0.1", 1);
  }
  getPeer(): IAddress {
    return new IPv4Address("TCP", "127.0.0.1", 2);
  }
  protected _startReading(): void {}
  protected _resumeReading(): void {}
  protected _write(chunk: Uint8Array): void {
    this.calls.push({ vector: false, chunks: 1 });
    this.pending = chunk.slice();
  }
  protected override _writev(chunks: readonly Uint8Array[]): void {
    this.calls.push({ vector: true, chunks: chunks.length });
    let total = 0;
    for (const c of chunks) total += c.length;
    const all = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) {
      all.set(c, at);
      at += c.length;
    }
    this.pending = all;
  }
  protected _shutdownWrite(): void {}
  protected _closeIO(): void {}

  /**
   * Completes `n` bytes of the send in progress (all by default); the
   * bytes are taken as they are now, so a region reused too early shows.
   */
  complete(n?: number): void {
    const p = this.pending!;
    const count = Math.min(n ?? p.length, p.length);
    this.pending = null;
    for (let i = 0; i < count; i++) this.sent.push(p[i]);
    this._written(count);
  }
}

class Quiet extends Protocol {
  readonly lost = Promise.withResolvers<Failure>();
  override connectionLost(reason: Failure): void {
    this.lost.resolve(reason);
  }
}

const reactor = new Reactor();

function open(): Vectored {
  const t = new Vectored(reactor, new Quiet(), 0);
  t._start();
  return t;
}

/** Lets the write passes that `write()` scheduled (microtasks) run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await null;
}

/** Closes `t` once its writes are sent, and waits for `connectionLost`. */
async function close(t: Vectored): Promise<void> {
  t.loseConnection();
  await settle();
  if (t.pending !== null) t.complete();
  await (t.protocol as Quiet).lost.promise;
}

/** `count` bytes of `byte`. */
function bytes(count: number, byte: number): Uint8Array {
  return new Uint8Array(count).fill(byte);
}

Deno.test("a transport with _writev gets queued chunks as they are, without a copy into one", async () => {
  const t = open();
  const big = bytes(5000, 2);
  t.write(bytes(10, 1));
  t.write(big);
  t.write(bytes(10, 3));
  await settle();
  deepEqual(t.calls, [{ vector: true, chunks: 3 }]);
  t.complete();
  equal(t.sent.length, 5020);
  deepEqual(t.sent.slice(0, 10), [...bytes(10, 1)]);
  deepEqual(t.sent.slice(5010), [...bytes(10, 3)]);
  // Small writes alone are one staged chunk: `_write`.
  t.write(bytes(10, 4));
  t.write(bytes(10, 5));
  await settle();
  deepEqual(t.calls.at(-1), { vector: false, chunks: 1 });
  t.complete();
  await close(t);
});

Deno.test("a partial _writev continues from the byte where it ended, inside any chunk", async () => {
  const t = open();
  t.write(bytes(3000, 1));
  t.write(bytes(3000, 2));
  t.write(bytes(3000, 3));
  await settle();
  t.complete(1000); // inside the first chunk
  deepEqual(t.calls.at(-1), { vector: true, chunks: 3 });
  t.complete(5000); // ends inside the third
  deepEqual(t.calls.at(-1), { vector: true, chunks: 1 });
  t.complete();
  const expected = [...bytes(3000, 1), ...bytes(3000, 2), ...bytes(3000, 3)];
  deepEqual(t.sent, expected);
  ok(t.pending === null);
  await close(t);
});

Deno.test("vectored writes deliver every byte in order at every split, with slabs reused meanwhile", async () => {
  // A write: its size (small ones are staged in slabs, large ones queued as
  // they are) and whether the queue is sent after it.
  const write = fc.record({
    size: fc.oneof(
      fc.integer({ min: 1, max: 1024 }),
      fc.integer({ min: 1025, max: 40_000 }),
    ),
    flush: fc.boolean(),
  });
  await fc.assert(
    fc.asyncProperty(
      fc.array(write, { minLength: 1, maxLength: 30 }),
      fc.array(fc.integer({ min: 1, max: 70_000 }), {
        minLength: 1,
        maxLength: 20,
      }),
      async (writes, splits) => {
        const t = open();
        const other = open();
        const expected: number[] = [];
        let split = 0;
        const step = async () => {
          // Another connection takes and frees slab regions between steps.
          other.write(bytes(900, 0xee));
          other.write(bytes(900, 0xef));
          await settle();
          if (other.pending !== null) other.complete();
          // The splits given, then whole sends (so that tiny splits end).
          if (t.pending !== null) {
            t.complete(
              split < 60 ? splits[split++ % splits.length] : undefined,
            );
          }
          await settle();
        };
        for (const [i, w] of writes.entries()) {
          const b = new Uint8Array(w.size);
          for (let j = 0; j < w.size; j++) b[j] = (i * 31 + j) & 255;
          expected.push(...b);
          t.write(b);
          if (w.flush) await step();
        }
        await settle();
        for (let guard = 0; t.pending !== null && guard < 1000; guard++) {
          await step();
        }
        equal(t.sent.length, expected.length);
        deepEqual(t.sent, expected);
        await close(t);
        await close(other);
      },
    ),
    { numRuns: 100 },
  );
});
