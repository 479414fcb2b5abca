// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode NetstringDecoder}: parses netstrings from a byte stream, without
 * a protocol or a transport (private).
 *
 * @module
 */

import { EMPTY, view } from "../_bytes.ts";
import { BufferedDecoder } from "./buffered_decoder.ts";
import { NetstringParseError } from "../netstring_parse_error.ts";

const COLON = 0x3a;
const COMMA = 0x2c;
const ZERO = 0x30;

// Twisted's texts (`NetstringReceiver._MISSING_LENGTH` and friends).
const MISSING_LENGTH =
  "The received netstring does not start with a length specification.";
const MISSING_COMMA = "The received netstring is not terminated by a comma.";
function tooLong(max: number): string {
  return `The received netstring is longer than the maximum ${max} specified by MAX_LENGTH`;
}

/** The least room a payload that arrives in pieces starts with. */
const MIN_PAYLOAD = 4096;

// Returns room for at least `size` bytes of an `n`-byte payload, holding the
// bytes of `p` (which it detaches): twice as much as `p` (at least
// `MIN_PAYLOAD`), and the whole payload once that would be a quarter of it.
// The room is never more than `n` (a complete payload fills its array
// exactly), nor more than `MIN_PAYLOAD` or 8 times the bytes received.
// `transfer` can grow the memory in place instead of copying it.
function grown(
  p: Uint8Array<ArrayBuffer> | null,
  size: number,
  n: number,
): Uint8Array<ArrayBuffer> {
  let cap = p === null ? size : 2 * p.length;
  if (cap < size) cap = size;
  if (cap < MIN_PAYLOAD) cap = MIN_PAYLOAD < n ? MIN_PAYLOAD : n;
  else if (cap * 4 >= n) cap = n;
  if (p === null) return new Uint8Array(cap);
  return new Uint8Array(p.buffer.transfer(cap));
}

// Parser states.
const LENGTH = 0;
const PAYLOAD = 1;
const TRAILER = 2;
const FAILED = 3;

/**
 * Parses netstrings (`<decimal length>:<payload>,`, e.g. `5:hello,`) from a
 * byte stream (sans-I/O): {@linkcode NetstringDecoder.push} bytes as they
 * arrive, then call {@linkcode NetstringDecoder.next} until it returns
 * `null`. The grammar and error texts are Twisted's `NetstringReceiver`'s:
 * a length with a leading zero (`007:`), a missing length or colon, a
 * missing comma, or a length above {@linkcode NetstringDecoder.maxLength}
 * (refused as soon as it has too many digits, before the colon) is an error.
 *
 * A payload that arrives in one push is returned as a view of it. One that
 * arrives in pieces is collected in an array that grows with the bytes
 * received (by doubling, from 4 KiB), never allocated at the announced
 * length up front: it holds at most 4 KiB or 8 times the bytes received,
 * whichever is more. Pushed arrays are kept: do not change them afterwards.
 *
 * @example Usage
 * ```ts
 * import { NetstringDecoder } from "./netstring_decoder.ts";
 * import { deepEqual } from "node:assert/strict";
 *
 * const decoder = new NetstringDecoder();
 * const got: string[] = [];
 * for (const chunk of ["5:hel", "lo,0:,"]) {
 *   decoder.push(new TextEncoder().encode(chunk));
 *   for (let s; (s = decoder.next()) !== null;) {
 *     got.push(new TextDecoder().decode(s));
 *   }
 * }
 * deepEqual(got, ["hello", ""]);
 * ```
 */
export class NetstringDecoder extends BufferedDecoder {
  /**
   * The longest payload accepted, in bytes. It may be changed between
   * calls.
   *
   * @default {99999}
   */
  maxLength: number = 99999;

  #error: NetstringParseError | null = null;
  #state = LENGTH;
  // While parsing the length: its value so far; then the payload's length.
  #length = 0;
  #digits = 0;
  // A payload that arrived in pieces, and how much of it is there.
  #payload: Uint8Array<ArrayBuffer> | null = null;
  #filled = 0;
  #maxFor = -1;
  #maxDigits = 0;

  /**
   * The error {@linkcode NetstringDecoder.next} threw, or `null`. Once set,
   * every `next()` throws it again.
   */
  get error(): NetstringParseError | null {
    return this.#error;
  }

  /**
   * Adds received bytes, kept without a copy: do not change them
   * afterwards. Nothing is held back: the part of a payload that arrives
   * in pieces is copied anyway. After an error, {@linkcode BufferedDecoder.pending}
   * says whether bytes follow the point where it was found.
   *
   * @param data The bytes.
   */
  override push(data: Uint8Array): void {
    this.input.append(data);
  }

  /**
   * Returns the next payload: a view of the pushed bytes if it arrived in
   * one push, else an array of its own; either stays valid and unchanged.
   * Returns `null` when no whole netstring is buffered (the parsed part of
   * an unfinished one is kept, not the bytes).
   *
   * @returns The payload, or `null`.
   * @throws {NetstringParseError} If the data is not a valid netstring.
   */
  next(): Uint8Array | null {
    if (this.#state === LENGTH && this.#digits === 0) {
      // Fast path: a whole, valid netstring at the front is returned without
      // touching the parser's state. Anything else (incomplete, invalid)
      // goes to the state machine.
      const inb = this.input;
      const buf = inb.buf;
      const pos = inb.pos;
      const len = buf.length;
      const max = this.maxLength;
      whole: if (pos < len && max >= 1) {
        let j = pos;
        let value = buf[j] - ZERO;
        if (value >= 1 && value <= 9) {
          let c: number;
          while (++j < len && (c = buf[j] - ZERO) >= 0 && c <= 9) {
            value = value * 10 + c;
            if (value > max) break whole;
          }
        } else if (value === 0) {
          j++;
        } else {
          break whole;
        }
        const end = j + 1 + value;
        if (
          value <= max && end < len && buf[j] === COLON && buf[end] === COMMA
        ) {
          inb.pos = end + 1;
          return view(buf, j + 1, end);
        }
      }
    }
    return this.#parse();
  }

  // The state machine: one netstring, or what there is of one.
  #parse(): Uint8Array | null {
    if (this.#error !== null) throw this.#error;
    const inb = this.input;
    const buf = inb.buf;
    let pos = inb.pos;
    const len = buf.length;
    let state = this.#state;
    while (pos < len) {
      if (state === LENGTH) {
        let value = this.#length;
        let digits = this.#digits;
        const max = this.maxLength;
        if (max !== this.#maxFor) {
          // Twisted's `_maxLengthSize()`: longer lengths are refused early.
          this.#maxDigits = Math.ceil(Math.log10(max)) + 1;
          this.#maxFor = max;
        }
        const maxDigits = this.#maxDigits;
        for (;;) {
          if (pos === len) {
            this.#length = value;
            this.#digits = digits;
            inb.reset();
            return null;
          }
          const c = buf[pos];
          if (c === COLON) {
            if (digits === 0) this.#fail(MISSING_LENGTH, pos);
            pos++;
            break;
          }
          const d = c - ZERO;
          // Digits only, and no digit after a leading zero.
          if (d < 0 || d > 9 || (digits === 1 && value === 0)) {
            this.#fail(MISSING_LENGTH, pos);
          }
          value = value * 10 + d;
          digits++;
          if (digits > maxDigits || value > max) this.#fail(tooLong(max), pos);
          pos++;
        }
        this.#length = value;
        this.#digits = 0;
        this.#state = state = PAYLOAD;
        continue;
      }
      const n = this.#length;
      let payload: Uint8Array;
      if (state === PAYLOAD) {
        if (this.#payload === null && len - pos > n) {
          // The payload and its comma are all here: return a view.
          if (buf[pos + n] !== COMMA) this.#fail(MISSING_COMMA, pos + n + 1);
          payload = buf.subarray(pos, pos + n);
          pos += n + 1;
        } else {
          // Copy what is here into the payload's own array. It grows with
          // the bytes that arrived, never to the announced length up front:
          // the 6 bytes `99999:` must not cost 100 KB.
          const filled = this.#filled;
          const take = n - filled < len - pos ? n - filled : len - pos;
          const size = filled + take;
          let p = this.#payload;
          if (p === null || p.length < size) {
            p = this.#payload = grown(p, size, n);
          }
          p.set(buf.subarray(pos, pos + take), filled);
          this.#filled = size;
          pos += take;
          if (size === n) this.#state = state = TRAILER;
          continue;
        }
      } else {
        // TRAILER: the payload is complete, the comma is next.
        if (buf[pos] !== COMMA) this.#fail(MISSING_COMMA, pos + 1);
        pos++;
        payload = this.#payload ?? EMPTY;
        this.#payload = null;
        this.#filled = 0;
      }
      this.#state = LENGTH;
      this.#length = 0;
      inb.pos = pos;
      return payload;
    }
    inb.reset();
    return null;
  }

  // Keeps the bytes from `pos` on (Twisted keeps the bad data) and throws.
  #fail(message: string, pos: number): never {
    const inb = this.input;
    inb.pos = pos;
    inb.compact();
    const error = new NetstringParseError(message);
    this.#error = error;
    this.#state = FAILED;
    throw error;
  }
}
