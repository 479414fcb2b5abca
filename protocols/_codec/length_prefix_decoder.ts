// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode LengthPrefixDecoder}: splits a byte stream into length-prefixed
 * strings, without a protocol or a transport (private).
 *
 * @module
 */

import { view } from "../_bytes.ts";
import { BufferedDecoder } from "./buffered_decoder.ts";

// Reads the big-endian unsigned integer of `size` bytes at `buf[pos]`.
function readPrefix(buf: Uint8Array, pos: number, size: number): number {
  switch (size) {
    case 4:
      return buf[pos] * 0x1000000 +
        ((buf[pos + 1] << 16) | (buf[pos + 2] << 8) | buf[pos + 3]);
    case 2:
      return (buf[pos] << 8) | buf[pos + 1];
    case 1:
      return buf[pos];
    default: {
      let n = 0;
      for (let i = 0; i < size; i++) n = n * 256 + buf[pos + i];
      return n;
    }
  }
}

/** Options of {@linkcode LengthPrefixDecoder}. */
export interface LengthPrefixDecoderOptions {
  /**
   * The largest length prefix accepted.
   *
   * @default {99999}
   */
  maxLength?: number;
}

/**
 * Splits a byte stream into strings sent as their length, a big-endian
 * unsigned integer of {@linkcode LengthPrefixDecoder.prefixLength} bytes,
 * then their bytes (sans-I/O): {@linkcode LengthPrefixDecoder.push} bytes as
 * they arrive, then call {@linkcode LengthPrefixDecoder.next} until it
 * returns `null`. What it does not return stays buffered.
 *
 * Strings are views of the pushed arrays, except one that spans two pushes:
 * then only its buffered part is copied (or nothing, when just the prefix
 * was buffered), and the rest of the later push is split in place. No room
 * is reserved for an announced length before its bytes arrive. Pushed
 * arrays are kept: do not change them afterwards.
 *
 * A prefix above {@linkcode LengthPrefixDecoder.maxLength} stops the
 * decoder: `next()` returns `null` and
 * {@linkcode LengthPrefixDecoder.exceeded} is set, with everything from the
 * prefix on still buffered (the string is never returned, even when it is
 * all there).
 *
 * @example Usage
 * ```ts
 * import { LengthPrefixDecoder } from "./length_prefix_decoder.ts";
 * import { deepEqual } from "node:assert/strict";
 *
 * const decoder = new LengthPrefixDecoder(2);
 * const got: number[][] = [];
 * for (const chunk of [[0, 2, 7], [8, 0, 1, 9]]) {
 *   decoder.push(new Uint8Array(chunk));
 *   for (let s; (s = decoder.next()) !== null;) got.push([...s]);
 * }
 * deepEqual(got, [[7, 8], [9]]);
 * ```
 */
export class LengthPrefixDecoder extends BufferedDecoder {
  /** The size of the length prefix in bytes (1 to 6). */
  readonly prefixLength: number;
  /**
   * The largest length prefix accepted. It may be changed between calls.
   *
   * @default {99999}
   */
  maxLength: number;

  /**
   * Creates a decoder with nothing buffered.
   *
   * @param prefixLength The size of the length prefix in bytes (1 to 6).
   * @param options The length limit.
   * @throws {RangeError} If `prefixLength` is not an integer from 1 to 6.
   */
  constructor(
    prefixLength: number,
    options: LengthPrefixDecoderOptions = {},
  ) {
    super();
    if (
      !(Number.isInteger(prefixLength) && prefixLength >= 1 &&
        prefixLength <= 6)
    ) {
      throw new RangeError(
        `Cannot decode length prefixes: the prefix length must be an integer from 1 to 6: received ${prefixLength}`,
      );
    }
    this.prefixLength = prefixLength;
    this.maxLength = options.maxLength ?? 99999;
  }

  /**
   * The length announced by the prefix at the front of the buffer, or -1
   * while that prefix is incomplete.
   */
  get announcedLength(): number {
    const inb = this.input;
    inb.merge();
    const size = this.prefixLength;
    if (inb.buf.length - inb.pos < size) return -1;
    return readPrefix(inb.buf, inb.pos, size);
  }

  /**
   * Whether the prefix at the front of the buffer is above
   * {@linkcode LengthPrefixDecoder.maxLength}: then
   * {@linkcode LengthPrefixDecoder.next} returns `null` until the buffer is
   * replaced or the limit raised.
   */
  get exceeded(): boolean {
    return this.announcedLength > this.maxLength;
  }

  /**
   * Returns the next string: a view of the pushed bytes that stays valid and
   * unchanged. Returns `null` when no whole string is buffered, or when its
   * prefix is above the limit ({@linkcode LengthPrefixDecoder.exceeded}).
   *
   * @returns The string, or `null`.
   */
  next(): Uint8Array | null {
    const inb = this.input;
    const buf = inb.buf;
    const pos = inb.pos;
    const size = this.prefixLength;
    if (buf.length - pos >= size) {
      const length = readPrefix(buf, pos, size);
      const end = pos + size + length;
      if (end <= buf.length && length <= this.maxLength) {
        inb.pos = end;
        return view(buf, pos + size, end);
      }
    }
    return this.#stalled();
  }

  // No whole string at the front of the buffer, or one that is too long:
  // goes on into a push held back behind an unfinished string, if any.
  #stalled(): Uint8Array | null {
    const inb = this.input;
    const size = this.prefixLength;
    for (;;) {
      const buf = inb.buf;
      const pos = inb.pos;
      const len = buf.length;
      let length = -1;
      if (len - pos >= size) {
        length = readPrefix(buf, pos, size);
        if (length > this.maxLength) return null;
        const end = pos + size + length;
        if (end <= len) {
          inb.pos = end;
          return view(buf, pos + size, end);
        }
      }
      // A push held back behind an unfinished string: the string is
      // completed from it, and the rest of it is split in place.
      const more = inb.more;
      if (more === null) return null;
      inb.more = null;
      if (pos === len) {
        inb.take(more);
        continue;
      }
      const payload = this.#join(buf, pos, length, more);
      if (payload !== null) return payload;
    }
  }

  // The buffer holds an unfinished string, buf[pos..], whose prefix gives
  // `length` (or -1 if cut short): completes it from `more`, copying only
  // what is buffered, and goes on in `more` itself. Returns null, with
  // `more` appended, when it does not complete the string or the length is
  // above the limit (which `next` then reports).
  #join(
    buf: Uint8Array,
    pos: number,
    length: number,
    more: Uint8Array,
  ): Uint8Array | null {
    const inb = this.input;
    const size = this.prefixLength;
    const tl = buf.length - pos;
    if (length < 0) {
      if (tl + more.length < size) {
        inb.append(more);
        return null;
      }
      length = 0;
      for (let i = 0; i < size; i++) {
        length = length * 256 + (i < tl ? buf[pos + i] : more[i - tl]);
      }
    }
    // How many bytes of `more` finish the string.
    const need = size + length - tl;
    if (length > this.maxLength || more.length < need) {
      inb.append(more);
      return null;
    }
    let payload: Uint8Array;
    if (tl <= size) {
      payload = view(more, need - length, need);
    } else if (inb.spare() >= need) {
      inb.append(more.subarray(0, need));
      const at = inb.pos + size;
      payload = inb.buf.subarray(at, at + length);
    } else {
      payload = new Uint8Array(length);
      payload.set(buf.subarray(pos + size));
      payload.set(more.subarray(0, need), tl - size);
    }
    inb.take(more);
    inb.pos = need;
    return payload;
  }

  /**
   * Replaces the buffered bytes with `data` (kept, not copied): decoding
   * goes on from its start.
   *
   * @param data The new bytes.
   */
  replace(data: Uint8Array): void {
    this.input.take(data);
  }
}
