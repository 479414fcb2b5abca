// Copyright 2026 the Torsion authors. MIT license.
// Ported from twisted/protocols/test/test_basic.py (FileSenderTests).
import { deepEqual, equal, ok } from "node:assert/strict";
import { FileSender, type SyncReader } from "../../protocols/mod.ts";
import type { IPullProducer, IPushProducer } from "../../reactor/interfaces.ts";
import {
  assertNoResult,
  failureResultOf,
  StringTransport,
  successResultOf,
} from "../../reactor/testing/mod.ts";

const encoder = new TextEncoder();

function enc(s: string): Uint8Array {
  return encoder.encode(s);
}

/** A synchronous reader over bytes in memory (Twisted's BytesIO). */
class BytesReader implements SyncReader {
  #data: Uint8Array;
  #at = 0;
  reads: number[] = [];
  constructor(data: Uint8Array) {
    this.#data = data;
  }
  readSync(p: Uint8Array): number | null {
    this.reads.push(p.length);
    if (this.#at === this.#data.length) return null;
    const n = Math.min(p.length, this.#data.length - this.#at);
    p.set(this.#data.subarray(this.#at, this.#at + n));
    this.#at += n;
    return n;
  }
}

/** A consumer that asks its pull producer for more after every write. */
class PullingConsumer extends StringTransport {
  #pull(): void {
    queueMicrotask(() => {
      (this.producer as IPullProducer | null)?.resumeProducing();
    });
  }
  override registerProducer(
    producer: IPushProducer | IPullProducer,
    streaming: boolean,
  ): void {
    super.registerProducer(producer, streaming);
    this.#pull();
  }
  override write(data: Uint8Array | string): void {
    super.write(data);
    this.#pull();
  }
}

Deno.test("FileSender registers as a pull producer", () => {
  const consumer = new StringTransport();
  const sender = new FileSender();
  sender.beginFileTransfer(new BytesReader(enc("Test content")), consumer);
  equal(consumer.producer, sender);
  equal(consumer.streaming, false);
});

Deno.test("FileSender sends a file and fires with the last byte sent", () => {
  const consumer = new StringTransport();
  const sender = new FileSender();
  const d = sender.beginFileTransfer(
    new BytesReader(enc("Test content")),
    consumer,
  );
  sender.resumeProducing();
  assertNoResult(d);
  // It finishes only after trying to read at the end.
  sender.resumeProducing();
  equal(consumer.producer, null);
  deepEqual(successResultOf(d), enc("t"));
  equal(consumer.valueText(), "Test content");
});

Deno.test("FileSender reads at most CHUNK_SIZE bytes per resumeProducing()", () => {
  const consumer = new StringTransport();
  const sender = new FileSender();
  sender.CHUNK_SIZE = 4;
  const d = sender.beginFileTransfer(
    new BytesReader(enc("Test content")),
    consumer,
  );
  sender.resumeProducing();
  equal(consumer.valueText(), "Test");
  sender.resumeProducing();
  equal(consumer.valueText(), "Test con");
  sender.resumeProducing();
  equal(consumer.valueText(), "Test content");
  sender.resumeProducing();
  deepEqual(successResultOf(d), enc("t"));
});

Deno.test("FileSender reads 16 KiB chunks by default", () => {
  const reader = new BytesReader(new Uint8Array(40000));
  const consumer = new StringTransport();
  const sender = new FileSender();
  equal(sender.CHUNK_SIZE, 16384);
  sender.beginFileTransfer(reader, consumer);
  sender.resumeProducing();
  equal(consumer.value().length, 16384);
  deepEqual(reader.reads, [16384]);
});

Deno.test("FileSender applies the transform to each chunk", () => {
  const swapcase = (chunk: Uint8Array): Uint8Array =>
    chunk.map((c) =>
      (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ? c ^ 32 : c
    );
  const consumer = new StringTransport();
  const sender = new FileSender();
  const d = sender.beginFileTransfer(
    new BytesReader(enc("Test content")),
    consumer,
    swapcase,
  );
  sender.resumeProducing();
  sender.resumeProducing();
  deepEqual(successResultOf(d), enc("T"));
  equal(consumer.valueText(), "tEST CONTENT");
});

Deno.test("FileSender fails its Deferred when the consumer stops it", () => {
  const consumer = new StringTransport();
  const sender = new FileSender();
  const d = sender.beginFileTransfer(
    new BytesReader(enc("Test content")),
    consumer,
  );
  sender.stopProducing();
  const f = failureResultOf(d, Error);
  equal(f.getErrorMessage(), "Consumer asked us to stop producing");
  equal(sender.deferred, null);
});

Deno.test("FileSender writes nothing once stopped", () => {
  const consumer = new StringTransport();
  const sender = new FileSender();
  const d = sender.beginFileTransfer(new BytesReader(enc("abc")), consumer);
  sender.stopProducing();
  sender.resumeProducing();
  equal(consumer.value().length, 0);
  failureResultOf(d);
});

Deno.test("FileSender fires with an empty array for an empty file", () => {
  const consumer = new StringTransport();
  const sender = new FileSender();
  const d = sender.beginFileTransfer(
    new BytesReader(new Uint8Array()),
    consumer,
  );
  sender.resumeProducing();
  deepEqual(successResultOf(d), new Uint8Array());
  equal(consumer.producer, null);
});

Deno.test("FileSender retries a read of 0 bytes", () => {
  let calls = 0;
  const reader: SyncReader = {
    readSync(p) {
      calls++;
      if (calls === 1) return 0;
      if (calls === 2) {
        p[0] = 120;
        return 1;
      }
      return null;
    },
  };
  const consumer = new StringTransport();
  const sender = new FileSender();
  const d = sender.beginFileTransfer(reader, consumer);
  sender.resumeProducing();
  equal(consumer.valueText(), "x");
  sender.resumeProducing();
  deepEqual(successResultOf(d), enc("x"));
});

Deno.test("FileSender does nothing on resumeProducing() after the transfer", () => {
  const consumer = new StringTransport();
  const sender = new FileSender();
  const reader = new BytesReader(enc("a"));
  sender.beginFileTransfer(reader, consumer);
  sender.resumeProducing();
  sender.resumeProducing();
  sender.resumeProducing();
  equal(reader.reads.length, 2);
  equal(consumer.valueText(), "a");
});

Deno.test("FileSender hands each write its own array", () => {
  const consumer = new StringTransport();
  const writes: Uint8Array[] = [];
  consumer.write = (data) => {
    writes.push(data as Uint8Array);
  };
  const sender = new FileSender();
  sender.CHUNK_SIZE = 2;
  sender.beginFileTransfer(new BytesReader(enc("abcd")), consumer);
  sender.resumeProducing();
  sender.resumeProducing();
  deepEqual(writes, [enc("ab"), enc("cd")]);
  ok(writes[0].buffer !== writes[1].buffer);
});

Deno.test("FileSender sends a Deno.FsFile synchronously", async () => {
  const path = await Deno.makeTempFile();
  try {
    const content = Uint8Array.from({ length: 40000 }, (_, i) => i % 251);
    await Deno.writeFile(path, content);
    using file = await Deno.open(path);
    const consumer = new StringTransport();
    const sender = new FileSender();
    const d = sender.beginFileTransfer(file, consumer);
    for (let i = 0; i < 4; i++) sender.resumeProducing();
    deepEqual(successResultOf(d), new Uint8Array([39999 % 251]));
    deepEqual(consumer.value(), content);
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("FileSender sends from an asynchronous reader", async () => {
  const path = await Deno.makeTempFile();
  try {
    const content = Uint8Array.from({ length: 50000 }, (_, i) => i % 253);
    await Deno.writeFile(path, content);
    using file = await Deno.open(path);
    const consumer = new PullingConsumer();
    const sender = new FileSender();
    const last = await sender.beginFileTransfer(
      { read: (p) => file.read(p) },
      consumer,
    );
    deepEqual(last, new Uint8Array([49999 % 253]));
    deepEqual(consumer.value(), content);
    equal(consumer.producer, null);
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("FileSender ignores resumeProducing() while a read is pending", async () => {
  let reads = 0;
  const reader = {
    read(p: Uint8Array): Promise<number | null> {
      reads++;
      p[0] = 121;
      return Promise.resolve(reads === 1 ? 1 : null);
    },
  };
  const consumer = new StringTransport();
  const sender = new FileSender();
  sender.beginFileTransfer(reader, consumer);
  sender.resumeProducing();
  sender.resumeProducing();
  equal(reads, 1);
  await Promise.resolve();
  equal(consumer.valueText(), "y");
});

Deno.test("FileSender fails its Deferred when an asynchronous read fails", async () => {
  const consumer = new StringTransport();
  const sender = new FileSender();
  const d = sender.beginFileTransfer(
    { read: () => Promise.reject(new RangeError("disk on fire")) },
    consumer,
  );
  sender.resumeProducing();
  await new Promise<void>((resolve) => queueMicrotask(resolve));
  equal(failureResultOf(d, RangeError).getErrorMessage(), "disk on fire");
  equal(consumer.producer, null);
});

Deno.test("FileSender drops a pending read's data once stopped", async () => {
  let finish!: (n: number) => void;
  const consumer = new StringTransport();
  const sender = new FileSender();
  const d = sender.beginFileTransfer({
    read: (p) =>
      new Promise<number>((resolve) => {
        p[0] = 122;
        finish = resolve;
      }),
  }, consumer);
  sender.resumeProducing();
  sender.stopProducing();
  finish(1);
  await Promise.resolve();
  await Promise.resolve();
  equal(consumer.value().length, 0);
  failureResultOf(d);
});
