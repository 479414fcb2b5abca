// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode FileSender}: a producer that sends a file to a consumer, after
 * `twisted.protocols.basic.FileSender`.
 *
 * @module
 */

import { Deferred } from "../defer/deferred.ts";
import * as log from "../defer/log.ts";
import type {
  IConsumer,
  IPullProducer,
  IPushProducer,
} from "../reactor/interfaces.ts";
import { EMPTY } from "./_bytes.ts";

/**
 * A reader with a synchronous read, such as a `Deno.FsFile`.
 *
 * @example Usage
 * ```ts
 * import type { SyncReader } from "@torsion/torsion/protocols";
 * import { equal } from "node:assert/strict";
 *
 * let done = false;
 * const reader: SyncReader = {
 *   readSync(p) {
 *     if (done) return null;
 *     done = true;
 *     p[0] = 42;
 *     return 1;
 *   },
 * };
 * const p = new Uint8Array(4);
 * equal(reader.readSync(p), 1);
 * equal(reader.readSync(p), null);
 * ```
 */
export interface SyncReader {
  /**
   * Reads up to `p.length` bytes into `p`.
   *
   * @param p Where to read to.
   * @returns How many bytes were read, or `null` at the end.
   */
  readSync(p: Uint8Array): number | null;
}

/**
 * A reader with an asynchronous read (`Deno.Reader`'s shape).
 *
 * @example Usage
 * ```ts
 * import type { AsyncReader } from "@torsion/torsion/protocols";
 * import { equal } from "node:assert/strict";
 *
 * const reader: AsyncReader = { read: () => Promise.resolve(null) };
 * equal(await reader.read(new Uint8Array(1)), null);
 * ```
 */
export interface AsyncReader {
  /**
   * Reads up to `p.length` bytes into `p`.
   *
   * @param p Where to read to.
   * @returns How many bytes were read, or `null` at the end.
   */
  read(p: Uint8Array): Promise<number | null>;
}

/**
 * What {@linkcode FileSender} reads from: a {@linkcode SyncReader} or an
 * {@linkcode AsyncReader}.
 *
 * @example Usage
 * ```ts
 * import { FileSender, type FileSenderSource } from "@torsion/torsion/protocols";
 * import { StringTransport } from "@torsion/torsion/testing";
 * import { equal } from "node:assert/strict";
 *
 * const empty: FileSenderSource = { readSync: () => null };
 * const consumer = new StringTransport();
 * new FileSender().beginFileTransfer(empty, consumer);
 * equal(consumer.streaming, false);
 * ```
 */
export type FileSenderSource = SyncReader | AsyncReader;

/**
 * A function applied to each chunk before it is written.
 *
 * @example Usage
 * ```ts
 * import { FileSender, type FileSenderTransform } from "@torsion/torsion/protocols";
 * import { StringTransport } from "@torsion/torsion/testing";
 * import { equal } from "node:assert/strict";
 *
 * const upper: FileSenderTransform = (chunk) =>
 *   chunk.map((c) => c >= 97 && c <= 122 ? c - 32 : c);
 * const text = new TextEncoder().encode("hi");
 * let sent = false;
 * const file = {
 *   readSync(p: Uint8Array): number | null {
 *     if (sent) return null;
 *     sent = true;
 *     p.set(text);
 *     return text.length;
 *   },
 * };
 * const consumer = new StringTransport();
 * const sender = new FileSender();
 * sender.beginFileTransfer(file, consumer, upper);
 * sender.resumeProducing();
 * equal(consumer.valueText(), "HI");
 * ```
 */
export type FileSenderTransform = (chunk: Uint8Array) => Uint8Array;

/**
 * A pull producer that sends the contents of a file to a consumer, a chunk
 * of at most {@linkcode FileSender.CHUNK_SIZE} bytes per `resumeProducing`,
 * optionally transforming the bytes on the way (Twisted's `FileSender`).
 *
 * The file is anything with `readSync(p)` (used when present, e.g. a
 * `Deno.FsFile`: each `resumeProducing` then writes synchronously) or
 * `read(p)` returning a promise (the chunk is written when the read
 * completes; a `resumeProducing` while a read is pending does nothing). A
 * read of 0 bytes is retried; `null` is the end. The file is not closed.
 *
 * @example Usage
 * ```ts
 * import { FileSender } from "@torsion/torsion/protocols";
 * import { StringTransport, successResultOf } from "@torsion/torsion/testing";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * // A reader over bytes in memory.
 * const bytes = new TextEncoder().encode("Test content");
 * let at = 0;
 * const file = {
 *   readSync(p: Uint8Array): number | null {
 *     if (at === bytes.length) return null;
 *     const n = Math.min(p.length, bytes.length - at);
 *     p.set(bytes.subarray(at, at + n));
 *     at += n;
 *     return n;
 *   },
 * };
 * const consumer = new StringTransport();
 * const sender = new FileSender();
 * const d = sender.beginFileTransfer(file, consumer);
 * equal(consumer.producer, sender);
 * sender.resumeProducing(); // writes the content
 * sender.resumeProducing(); // reads the end: unregisters, fires `d`
 * equal(consumer.valueText(), "Test content");
 * deepEqual(successResultOf(d), new TextEncoder().encode("t"));
 * ```
 */
export class FileSender implements IPullProducer, IPushProducer {
  /**
   * The most bytes read and written per `resumeProducing`.
   *
   * @default {16384}
   */
  CHUNK_SIZE: number = 2 ** 14;
  /**
   * The last byte sent (after the transform), or an empty array before the
   * first chunk.
   */
  lastSent: Uint8Array = EMPTY;
  /**
   * The Deferred of the transfer under way, or `null` once it has fired.
   */
  deferred: Deferred<Uint8Array> | null = null;

  #file: FileSenderSource | null = null;
  #consumer: IConsumer | null = null;
  #transform: FileSenderTransform | undefined;
  #reading = false;
  #stopped = false;

  /**
   * Starts sending `file` to `consumer`: registers this sender with it as a
   * pull producer (`streaming = false`). The consumer then calls
   * {@linkcode FileSender.resumeProducing} for each chunk.
   *
   * @param file What to read from.
   * @param consumer Where to write (a transport, usually).
   * @param transform A function applied to each chunk before it is written.
   * @returns A Deferred that fires with the last byte sent (a 1-byte array;
   *   empty for an empty file) once the file is sent and the sender has
   *   unregistered. It fails if the consumer stops the transfer first, or
   *   if an asynchronous read fails.
   */
  beginFileTransfer(
    file: FileSenderSource,
    consumer: IConsumer,
    transform?: FileSenderTransform,
  ): Deferred<Uint8Array> {
    this.#file = file;
    this.#consumer = consumer;
    this.#transform = transform;
    this.#stopped = false;
    const d = new Deferred<Uint8Array>();
    this.deferred = d;
    consumer.registerProducer(this, false);
    return d;
  }

  /**
   * Reads the next chunk and writes it to the consumer; at the end of the
   * file, unregisters from the consumer and fires the Deferred.
   */
  resumeProducing(): void {
    const file = this.#file;
    if (file === null || this.#stopped || this.#reading) return;
    const buf = new Uint8Array(this.CHUNK_SIZE);
    if ("readSync" in file) {
      let n: number | null;
      do n = file.readSync(buf); while (n === 0);
      this.#got(buf, n);
      return;
    }
    this.#reading = true;
    file.read(buf).then(
      (n) => {
        this.#reading = false;
        if (this.#stopped) return;
        try {
          if (n === 0) this.resumeProducing();
          else this.#got(buf, n);
        } catch (e) {
          this.#abort(e);
        }
      },
      (e) => {
        this.#reading = false;
        if (!this.#stopped) this.#abort(e);
      },
    );
  }

  // An asynchronous read (or the write after it) failed: nobody is there to
  // catch it, so the transfer ends and the Deferred fails.
  #abort(e: unknown): void {
    this.#file = null;
    const consumer = this.#consumer;
    this.#consumer = null;
    try {
      consumer?.unregisterProducer();
    } catch (unregisterError) {
      log.err(unregisterError, "Error unregistering a FileSender");
    }
    if (this.deferred === null) log.err(e, "Error in FileSender");
    else this.#fire(e, true);
  }

  #got(buf: Uint8Array, n: number | null): void {
    if (n === null) {
      this.#file = null;
      const consumer = this.#consumer;
      this.#consumer = null;
      consumer?.unregisterProducer();
      this.#fire(this.lastSent, false);
      return;
    }
    let chunk = buf.subarray(0, n);
    if (this.#transform !== undefined) chunk = this.#transform(chunk);
    this.#consumer?.write(chunk);
    this.lastSent = chunk.slice(-1);
  }

  #fire(result: unknown, failed: boolean): void {
    const d = this.deferred;
    if (d === null) return;
    this.deferred = null;
    if (failed) d.errback(result);
    else d.callback(result as Uint8Array);
  }

  /** Does nothing: a pull producer writes only when asked. */
  pauseProducing(): void {}

  /**
   * Stops the transfer: the Deferred fails with
   * `Error("Consumer asked us to stop producing")`, and nothing more is
   * read or written.
   *
   * @example Usage
   * ```ts
   * import { FileSender } from "@torsion/torsion/protocols";
   * import { failureResultOf, StringTransport } from "@torsion/torsion/testing";
   * import { equal } from "node:assert/strict";
   *
   * const sender = new FileSender();
   * const d = sender.beginFileTransfer({ readSync: () => null }, new StringTransport());
   * sender.stopProducing();
   * equal(failureResultOf(d).getErrorMessage(), "Consumer asked us to stop producing");
   * ```
   */
  stopProducing(): void {
    this.#stopped = true;
    this.#fire(new Error("Consumer asked us to stop producing"), true);
  }
}
