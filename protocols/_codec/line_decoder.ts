// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode LineDecoder}: splits a byte stream into delimited lines, without
 * a protocol or a transport (private).
 *
 * @module
 */

import {
  EMPTY,
  findDelimiter,
  indexOfByte,
  straddle,
  view,
} from "../_bytes.ts";
import { BufferedDecoder } from "./buffered_decoder.ts";

const encoder = new TextEncoder();

/** Options of {@linkcode LineDecoder}. */
export interface LineDecoderOptions {
  /**
   * The line delimiter (a string as UTF-8).
   *
   * @default {"\r\n"}
   */
  delimiter?: string | Uint8Array;
  /**
   * The longest line accepted, in bytes, without the delimiter.
   *
   * @default {16384}
   */
  maxLength?: number;
}

/**
 * Splits a byte stream into lines (sans-I/O): {@linkcode LineDecoder.push}
 * bytes as they arrive, then call {@linkcode LineDecoder.next} until it
 * returns `null`. What it does not return stays buffered, so a caller can
 * stop after any line (to pause, to switch to raw data with
 * {@linkcode LineDecoder.clear}, to change the delimiter) and go on later.
 *
 * Lines are views of the pushed arrays, never copies, except a line that
 * spans two pushes: then only that line is copied (or none of it, when just
 * the delimiter is split), and the rest of the later push is split in place.
 * Pushed arrays are kept: do not change them afterwards.
 *
 * {@linkcode LineDecoder.each} runs the same loop with a callback, which
 * keeps the position in a local between lines: the faster way for a caller
 * that handles every line alike.
 *
 * Limits, as Twisted's `LineReceiver`: a line longer than
 * {@linkcode LineDecoder.maxLength}, or an unfinished one of
 * `maxLength + delimiter.length` bytes or more, is not returned:
 * `next()` returns `null` and {@linkcode LineDecoder.exceeded} is set, with
 * all the bytes still buffered, for the caller to
 * {@linkcode LineDecoder.clear} or {@linkcode LineDecoder.skipLine}.
 *
 * @example Usage
 * ```ts
 * import { LineDecoder } from "./line_decoder.ts";
 * import { deepEqual } from "node:assert/strict";
 *
 * const decoder = new LineDecoder({ delimiter: "\n" });
 * const lines: string[] = [];
 * for (const chunk of ["GET / HT", "TP/1.1\nHost: a\n", "\n"]) {
 *   decoder.push(new TextEncoder().encode(chunk));
 *   for (let line; (line = decoder.next()) !== null;) {
 *     lines.push(new TextDecoder().decode(line));
 *   }
 * }
 * deepEqual(lines, ["GET / HTTP/1.1", "Host: a", ""]);
 * ```
 */
export class LineDecoder extends BufferedDecoder {
  /**
   * The longest line accepted, in bytes, without the delimiter. It may be
   * changed between calls.
   *
   * @default {16384}
   */
  maxLength: number;

  // No delimiter starts in input.buf[input.pos .. input.pos + #clean) (0
  // when the buffer is empty).
  #clean = 0;
  #source: string | Uint8Array | null = null;
  #delim: Uint8Array = EMPTY;
  #exceeded = false;
  // The memory behind the lines' views, looked up once per buffer.
  #viewed: Uint8Array = EMPTY;
  #memory: ArrayBufferLike = EMPTY.buffer;
  #base = 0;

  /**
   * Creates a decoder with nothing buffered.
   *
   * @param options The delimiter and the line length limit.
   * @throws {RangeError} If the delimiter is empty.
   */
  constructor(options: LineDecoderOptions = {}) {
    super();
    this.delimiter = options.delimiter ?? "\r\n";
    this.maxLength = options.maxLength ?? 16384;
  }

  /**
   * The delimiter's bytes. Assigning a string (as UTF-8) or an array sets
   * it; the buffered bytes are then split with the new delimiter. Assigning
   * the same string or array again costs a comparison (an array changed in
   * place is not noticed).
   *
   * @throws {RangeError} If the delimiter assigned is empty.
   */
  get delimiter(): Uint8Array {
    return this.#delim;
  }
  set delimiter(source: string | Uint8Array) {
    if (source === this.#source) return;
    const bytes = typeof source === "string"
      ? encoder.encode(source)
      : source.slice();
    if (bytes.length === 0) {
      throw new RangeError("Cannot split lines: the delimiter is empty");
    }
    this.#delim = bytes;
    this.#source = source;
    this.#clean = 0;
  }

  /**
   * Whether the last {@linkcode LineDecoder.next} returned `null` because
   * the next line is longer than {@linkcode LineDecoder.maxLength} (or,
   * unfinished, already has `maxLength + delimiter.length` bytes) rather
   * than because it needs more bytes.
   */
  get exceeded(): boolean {
    return this.#exceeded;
  }

  /**
   * Returns the next line, without its delimiter: a view of the pushed
   * bytes that stays valid and unchanged. Returns `null` when no whole line
   * is buffered, or when the next one is too long
   * ({@linkcode LineDecoder.exceeded}).
   *
   * @returns The line, or `null`.
   */
  next(): Uint8Array | null {
    const inb = this.input;
    const buf = inb.buf;
    const pos = inb.pos;
    const delim = this.#delim;
    const dl = delim.length;
    const i = dl === 1
      ? indexOfByte(buf, delim[0], pos + this.#clean)
      : findDelimiter(buf, delim, pos + this.#clean);
    if (i < 0 || i - pos > this.maxLength) return this.#stalled(i);
    inb.pos = i + dl;
    this.#clean = 0;
    if (buf !== this.#viewed) {
      this.#viewed = buf;
      this.#memory = buf.buffer;
      this.#base = buf.byteOffset;
    }
    return new Uint8Array(this.#memory, this.#base + pos, i - pos);
  }

  /**
   * Calls `onLine(context, line)` with each line, as
   * {@linkcode LineDecoder.next} would return them, until it returns `true`
   * or no line is left (then `next()` has returned `null`, and
   * {@linkcode LineDecoder.exceeded} says why). A plain function and a
   * context rather than a closure: one function then serves every decoder,
   * and the compiler can inline it into the loop, which keeps the
   * position in a local between lines.
   *
   * @typeParam T The type of the context.
   * @param onLine Called with the context and each line (a view, as from
   *   `next()`); returns `true` to stop, the rest staying buffered.
   * @param context Passed to `onLine`.
   * @returns Whether `onLine` stopped it.
   */
  each<T>(
    onLine: (context: T, line: Uint8Array) => boolean,
    context: T,
  ): boolean {
    const inb = this.input;
    const delim = this.#delim;
    const dl = delim.length;
    for (let line = this.next(); line !== null; line = this.next()) {
      if (onLine(context, line)) return true;
      // The rest of this buffer, with no state kept between lines but the
      // position (in case `onLine` looks at the decoder).
      const buf = inb.buf;
      const len = buf.length;
      const memory = buf.buffer;
      const base = buf.byteOffset;
      const max = this.maxLength;
      let pos = inb.pos;
      for (;;) {
        const i = dl === 1
          ? indexOfByte(buf, delim[0], pos)
          : findDelimiter(buf, delim, pos);
        if (i < 0) {
          const clean = len - dl + 1 - pos;
          if (clean > 0) this.#clean = clean;
          break;
        }
        if (i - pos > max) break;
        inb.pos = i + dl;
        if (onLine(context, new Uint8Array(memory, base + pos, i - pos))) {
          return true;
        }
        if (inb.buf !== buf || inb.pos !== i + dl) break;
        pos = i + dl;
      }
    }
    return false;
  }

  // No delimiter in the buffer (`i` < 0), or one after a line that is too
  // long: reports it, or goes on into a push held back behind the
  // unfinished line.
  #stalled(i: number): Uint8Array | null {
    if (i >= 0) {
      this.#exceeded = true;
      return null;
    }
    const inb = this.input;
    const buf = inb.buf;
    const pos = inb.pos;
    const len = buf.length;
    const dl = this.#delim.length;
    const clean = len - dl + 1 - pos;
    this.#clean = clean > 0 ? clean : 0;
    const more = inb.more;
    if (more === null) {
      this.#exceeded = len - pos >= this.maxLength + dl;
      return null;
    }
    inb.more = null;
    if (pos !== len) return this.#join(buf, pos, more);
    inb.take(more);
    return this.next();
  }

  // The buffer holds an unfinished line, buf[pos..]: completes it from
  // `more`, copying only that line, and goes on in `more` itself.
  #join(buf: Uint8Array, pos: number, more: Uint8Array): Uint8Array | null {
    const inb = this.input;
    const delim = this.#delim;
    const dl = delim.length;
    const tl = buf.length - pos;
    // The line's length, and where what follows it starts in `more`.
    let n = -1;
    let rest = 0;
    const k = dl === 1 ? 0 : straddle(buf.subarray(pos), more, delim);
    if (k !== 0) {
      n = tl - dl + k;
      rest = k;
    } else {
      const i = dl === 1
        ? indexOfByte(more, delim[0], 0)
        : findDelimiter(more, delim, 0);
      if (i >= 0) {
        n = tl + i;
        rest = i + dl;
      }
    }
    if (n < 0 || n > this.maxLength) {
      // Still unfinished, or too long: keep it all.
      inb.append(more);
      if (n < 0) {
        const clean = tl + more.length - dl + 1;
        this.#clean = clean > 0 ? clean : 0;
        this.#exceeded = inb.buf.length - inb.pos >= this.maxLength + dl;
      } else {
        this.#exceeded = true;
      }
      return null;
    }
    let line: Uint8Array;
    if (k !== 0) {
      line = view(buf, pos, pos + n);
    } else {
      line = new Uint8Array(n);
      line.set(buf.subarray(pos));
      line.set(more.subarray(0, n - tl), tl);
    }
    inb.take(more);
    inb.pos = rest;
    this.#clean = 0;
    return line;
  }

  /**
   * Removes and returns the buffered bytes: everything not returned as a
   * line yet, such as raw data after a header, or a line that is too long
   * with whatever follows it.
   *
   * @returns The bytes that were buffered.
   */
  clear(): Uint8Array {
    const rest = this.input.rest();
    this.input.reset();
    this.#clean = 0;
    this.#exceeded = false;
    return rest;
  }

  /**
   * Removes the next line, however long, and returns it without its
   * delimiter; for a line that is too long.
   *
   * @returns The line, or `null` (nothing removed) if it is unfinished.
   */
  skipLine(): Uint8Array | null {
    const inb = this.input;
    inb.merge();
    const buf = inb.buf;
    const pos = inb.pos;
    const i = findDelimiter(buf, this.#delim, pos + this.#clean);
    if (i < 0) return null;
    inb.pos = i + this.#delim.length;
    this.#clean = 0;
    this.#exceeded = false;
    return view(buf, pos, i);
  }

  /**
   * Removes every whole line buffered: only the bytes after the last
   * delimiter stay.
   */
  dropLines(): void {
    const inb = this.input;
    inb.merge();
    const delim = this.#delim;
    for (;;) {
      const i = findDelimiter(inb.buf, delim, inb.pos + this.#clean);
      if (i < 0) break;
      inb.pos = i + delim.length;
      this.#clean = 0;
    }
    this.#exceeded = false;
  }

  /**
   * Compacts the buffer as {@linkcode BufferedDecoder.compact} does, and
   * forgets the memory the last lines were views of.
   *
   * @param own Whether to copy any bytes still in pushed arrays.
   */
  override compact(own = false): void {
    super.compact(own);
    this.#viewed = EMPTY;
    this.#memory = EMPTY.buffer;
    this.#base = 0;
  }
}
