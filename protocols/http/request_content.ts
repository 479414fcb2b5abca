// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode RequestContent}: a request body, in memory while it is small
 * and in a temporary file once it is not (Twisted's `Request.content`).
 *
 * @module
 */

import * as log from "../../defer/log.ts";
import {
  denoTemporaryFiles,
  type TemporaryFile,
  type TemporaryFileSystem,
} from "../../reactor/backends/deno/deno_temporary_files.ts";

/**
 * The size from which Twisted keeps a request body in a temporary file
 * rather than in memory (`http._getContentFile`: `length < 100000` stays in
 * a `BytesIO`).
 */
export const DEFAULT_SPOOL_SIZE = 100000;

const EMPTY = new Uint8Array(0);

/** Options of a {@linkcode RequestContent}. */
export interface RequestContentOptions {
  /**
   * The body's length if the request announced it (`Content-Length`), or
   * `null` (a chunked body).
   *
   * @default {null}
   */
  length?: number | null;
  /**
   * A body of this many bytes or more goes to a temporary file.
   *
   * @default {100000}
   */
  spoolSize?: number;
  /**
   * Where the temporary files come from.
   *
   * @default {denoTemporaryFiles()}
   */
  temporaryFiles?: TemporaryFileSystem;
}

/**
 * A request body, read like the file Twisted's `Request.content` is
 * ({@linkcode RequestContent.read}, {@linkcode RequestContent.seek},
 * {@linkcode RequestContent.tell}), from the start once the request is
 * rendered.
 *
 * A body under `spoolSize` bytes (Twisted's 100000) stays in memory; a
 * larger one is written to a temporary file as it arrives
 * ({@linkcode RequestContent.spooled}): from its first byte when its
 * `Content-Length` says so, and once it reaches `spoolSize` for a chunked
 * one (Twisted spools every chunked body; waiting keeps small ones off the
 * disk with the same bound on memory). The file has no name while open and
 * is gone once {@linkcode RequestContent.close}d, which the request does
 * when its response is finished or its connection is lost. If no file can
 * be made (a server run without `--allow-write`), the body stays in memory,
 * still bounded by the site's `maxBodySize`, and the log says why.
 *
 * Reads are synchronous, as they are of Twisted's file: at most the site's
 * `maxBodySize` (10 MiB) in one call.
 *
 * @example Usage
 * ```ts
 * import { RequestContent } from "@torsion/torsion/http";
 * import { equal } from "node:assert/strict";
 *
 * const content = new RequestContent();
 * content.write(new TextEncoder().encode("hello, world"));
 * content.seek(0);
 * equal(new TextDecoder().decode(content.read(5)), "hello");
 * equal(new TextDecoder().decode(content.read()), ", world");
 * equal(content.spooled, false);
 * content.close();
 * ```
 */
export class RequestContent {
  #spoolSize: number;
  #files: TemporaryFileSystem | null;
  #spoolNow: boolean;
  // In memory: the pieces written (kept as given), joined on the first read.
  #chunks: Uint8Array[] = [];
  #file: TemporaryFile | null = null;
  #spooled = false;
  // Where the file's own position is (-1: unknown).
  #filePosition = 0;
  #length = 0;
  #position = 0;
  #closed = false;

  /**
   * Creates an empty body.
   *
   * @param options The announced length, the spool size and the file
   *   system of the temporary files.
   */
  constructor(options: RequestContentOptions = {}) {
    this.#spoolSize = options.spoolSize ?? DEFAULT_SPOOL_SIZE;
    this.#files = options.temporaryFiles ?? null;
    const length = options.length ?? null;
    this.#spoolNow = length !== null && length >= this.#spoolSize;
  }

  /** The number of bytes in the body. */
  get length(): number {
    return this.#length;
  }

  /** Whether the body went to a temporary file (it stays so once closed). */
  get spooled(): boolean {
    return this.#spooled;
  }

  /** Whether {@linkcode RequestContent.close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Appends bytes to the body (the channel does, as they arrive); the
   * position does not move.
   *
   * @param data The bytes (kept while in memory: do not change them).
   * @throws {Error} If the body is closed, or the temporary file cannot be
   *   written.
   */
  write(data: Uint8Array): void {
    this.#check("write to");
    if (data.length === 0) return;
    if (
      this.#file === null &&
      (this.#spoolNow || this.#length + data.length >= this.#spoolSize)
    ) {
      this.#spool();
    }
    if (this.#file !== null) {
      if (this.#filePosition !== this.#length) this.#file.seek(this.#length);
      this.#filePosition = -1;
      this.#file.write(data);
      this.#filePosition = this.#length + data.length;
    } else {
      this.#chunks.push(data);
    }
    this.#length += data.length;
  }

  // Moves the body to a temporary file, or leaves it in memory for good if
  // none can be made.
  #spool(): void {
    this.#spoolNow = false;
    this.#spoolSize = Infinity;
    let file: TemporaryFile;
    try {
      file = (this.#files ?? denoTemporaryFiles()).create();
    } catch (e) {
      log.err(
        e,
        "Cannot spool a request body to a temporary file: keeping it in memory",
      );
      return;
    }
    try {
      for (const chunk of this.#chunks) file.write(chunk);
    } catch (e) {
      file.close();
      throw e;
    }
    this.#file = file;
    this.#spooled = true;
    this.#filePosition = this.#length;
    this.#chunks = [];
  }

  /**
   * Reads from the position, which moves past what was read (Python's
   * `file.read`).
   *
   * @param size The most bytes to read; all that is left if omitted or
   *   negative.
   * @returns The bytes (a copy), empty at the end.
   * @throws {Error} If the body is closed.
   */
  read(size = -1): Uint8Array {
    this.#check("read");
    const left = this.#length - this.#position;
    const n = size < 0 ? left : Math.min(size, left);
    if (n <= 0) return EMPTY.slice();
    const start = this.#position;
    this.#position += n;
    if (this.#file === null) {
      return this.#joined().slice(start, start + n);
    }
    const out = new Uint8Array(n);
    if (this.#filePosition !== start) this.#file.seek(start);
    this.#filePosition = -1;
    let got = 0;
    while (got < n) {
      const r = this.#file.read(out.subarray(got));
      if (r === null || r === 0) {
        throw new Error(
          `Cannot read a request body: its temporary file ended at ${
            start + got
          } of ${this.#length} bytes`,
        );
      }
      got += r;
    }
    this.#filePosition = start + n;
    return out;
  }

  #joined(): Uint8Array {
    const chunks = this.#chunks;
    if (chunks.length === 0) return EMPTY;
    if (chunks.length > 1) {
      const all = new Uint8Array(this.#length);
      let off = 0;
      for (const c of chunks) {
        all.set(c, off);
        off += c.length;
      }
      this.#chunks = [all];
    }
    return this.#chunks[0];
  }

  /**
   * Moves the position (Python's `file.seek`).
   *
   * @param offset The offset.
   * @param whence From the start (0), the position (1) or the end (2).
   * @returns The new position.
   * @throws {RangeError} If the position would be negative.
   */
  seek(offset: number, whence: 0 | 1 | 2 = 0): number {
    this.#check("seek");
    const base = whence === 0
      ? 0
      : whence === 1
      ? this.#position
      : this.#length;
    const position = base + offset;
    if (!Number.isInteger(position) || position < 0) {
      throw new RangeError(
        `Cannot seek a request body: position ${position} is not a whole number of at least 0`,
      );
    }
    this.#position = position;
    return position;
  }

  /**
   * The position (Python's `file.tell`).
   *
   * @returns The offset from the start.
   */
  tell(): number {
    return this.#position;
  }

  /**
   * Drops the body: closes and removes its temporary file, if any. Later
   * reads throw; closing again does nothing.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#chunks = [];
    const file = this.#file;
    this.#file = null;
    file?.close();
  }

  #check(action: string): void {
    if (this.#closed) {
      throw new Error(
        `Cannot ${action} a request body: it is closed (its request is finished or its connection lost)`,
      );
    }
  }
}
