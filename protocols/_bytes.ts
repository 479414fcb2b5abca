// Copyright 2026 the Torsion authors. MIT license.
/**
 * Byte helpers shared by the framing protocols (private).
 *
 * @module
 */

/** A shared empty array (never written to). */
export const EMPTY: Uint8Array = new Uint8Array(0);

const encoder = new TextEncoder();

/**
 * Returns `data` as bytes: a string as UTF-8, an array as it is.
 *
 * @param data The data.
 * @returns The bytes.
 */
export function toBytes(data: Uint8Array | string): Uint8Array {
  return typeof data === "string" ? encoder.encode(data) : data;
}

/**
 * Returns a view of `buf[start..end]`, always a plain `Uint8Array`
 * (`subarray` makes one of `buf`'s own class, such as Node's `Buffer`).
 *
 * @param buf The array.
 * @param start Where the view starts.
 * @param end Where it ends (exclusive).
 * @returns The view.
 */
export function view(buf: Uint8Array, start: number, end: number): Uint8Array {
  return new Uint8Array(buf.buffer, buf.byteOffset + start, end - start);
}

/** Buffers larger than this get a word view per call instead of a cached one. */
const CACHED_WORDS_MAX = 1 << 20;
let wordsOf: ArrayBufferLike | null = null;
let cachedWords: Int32Array = new Int32Array(0);

/**
 * `buf.indexOf(byte, from)`, about twice as fast or more for anything
 * longer than a few bytes: after an 8-byte head, it tests four bytes at a
 * time through an `Int32Array` view of the same memory (a word holds the
 * byte when `x ^ pattern` has a zero byte), and finds the byte within the
 * word that does. The view of the last (small) buffer searched is kept.
 *
 * @param buf Where to search.
 * @param byte The byte (0 to 255).
 * @param from Where to start.
 * @returns Its first index at or after `from`, or -1.
 */
export function indexOfByte(
  buf: Uint8Array,
  byte: number,
  from: number,
): number {
  const n = buf.length;
  let i = from;
  const head = from + 8 < n ? from + 8 : n;
  while (i < head) {
    if (buf[i] === byte) return i;
    i++;
  }
  if (i >= n) return -1;
  const ab = buf.buffer;
  let words = cachedWords;
  if (ab !== wordsOf) {
    if ((ab as ArrayBuffer).resizable) return buf.indexOf(byte, i);
    words = new Int32Array(ab, 0, ab.byteLength >> 2);
    if (ab.byteLength <= CACHED_WORDS_MAX) {
      cachedWords = words;
      wordsOf = ab;
    }
  }
  const off = buf.byteOffset;
  // Bytes up to a word boundary.
  const aligned = ((off + i + 3) & ~3) - off;
  const lim = aligned < n ? aligned : n;
  while (i < lim) {
    if (buf[i] === byte) return i;
    i++;
  }
  const pattern = byte * 0x01010101;
  let w = (off + i) >> 2;
  const wordsEnd = (off + n) >> 2;
  while (w < wordsEnd) {
    const x = words[w] ^ pattern;
    if (((x - 0x01010101) & ~x & 0x80808080) !== 0) break;
    w++;
  }
  i = (w << 2) - off;
  while (i < n) {
    if (buf[i] === byte) return i;
    i++;
  }
  return -1;
}

/**
 * Finds the first occurrence of `delim` in `buf` at or after `from`: an
 * {@linkcode indexOfByte} for the first byte, then a compare of the rest.
 *
 * @param buf Where to search.
 * @param delim The delimiter (at least one byte).
 * @param from Where to start.
 * @returns The index where the delimiter starts, or -1.
 */
export function findDelimiter(
  buf: Uint8Array,
  delim: Uint8Array,
  from: number,
): number {
  const first = delim[0];
  const dl = delim.length;
  if (dl === 1) return indexOfByte(buf, first, from);
  const last = buf.length - dl;
  let i = from;
  if (dl === 2) {
    // The common "\r\n".
    const second = delim[1];
    for (;;) {
      i = indexOfByte(buf, first, i);
      if (i < 0 || i > last) return -1;
      if (buf[i + 1] === second) return i;
      i++;
    }
  }
  for (;;) {
    i = indexOfByte(buf, first, i);
    if (i < 0 || i > last) return -1;
    let k = 1;
    while (k < dl && buf[i + k] === delim[k]) k++;
    if (k === dl) return i;
    i++;
  }
}

/**
 * Finds the earliest delimiter that starts in `tail` and ends in `data`
 * (`tail` itself holding no whole delimiter).
 *
 * @param tail The bytes kept from before.
 * @param data The new bytes.
 * @param delim The delimiter.
 * @returns How many bytes of `data` complete the delimiter (1 to
 *   `delim.length - 1`), or 0 if no delimiter straddles the boundary.
 */
export function straddle(
  tail: Uint8Array,
  data: Uint8Array,
  delim: Uint8Array,
): number {
  const dl = delim.length;
  const tl = tail.length;
  const kMax = dl - 1 < data.length ? dl - 1 : data.length;
  for (let k = dl - tl > 1 ? dl - tl : 1; k <= kMax; k++) {
    // The delimiter would start at tail[tl - (dl - k)].
    const inTail = dl - k;
    const s = tl - inTail;
    let j = 0;
    while (j < inTail && tail[s + j] === delim[j]) j++;
    if (j < inTail) continue;
    while (j < dl && data[j - inTail] === delim[j]) j++;
    if (j === dl) return k;
  }
  return 0;
}

/**
 * Builds the error a default hook throws (Twisted's `NotImplementedError`).
 *
 * @param self The object whose method was not overridden.
 * @param method The method's name.
 * @returns The error.
 */
export function notOverridden(self: object, method: string): Error {
  return new Error(
    `Cannot call ${self.constructor.name}.${method}(): it must be overridden`,
  );
}

/**
 * The unconsumed input of a decoder: `buf[pos..]`, then `more`. `buf` is
 * either an array pushed by the caller (kept without a copy) or a prefix
 * view of an owned, growable store. Views handed out of it stay valid:
 * bytes below the end of `buf` are never written again; compaction moves to
 * a new store.
 *
 * {@linkcode ByteBuffer.push} holds an array that arrives behind unconsumed
 * bytes back in `more` instead of copying it into the store: a decoder can
 * then complete the unfinished frame from it, copying only that frame, and
 * {@linkcode ByteBuffer.take} the rest of it. Everything else appends `more`
 * first.
 */
export class ByteBuffer {
  /** The buffer; the unconsumed bytes start at `pos`. */
  buf: Uint8Array = EMPTY;
  /** Where the unconsumed bytes start. */
  pos = 0;
  /** Bytes pushed after `buf` and not appended to it yet, or `null`. */
  more: Uint8Array | null = null;
  #store: Uint8Array | null = null;

  /** Whether there are unconsumed bytes. */
  get pending(): boolean {
    return this.pos < this.buf.length || this.more !== null;
  }

  /**
   * Replaces the contents with `data` (kept, not copied).
   *
   * @param data The new contents.
   */
  take(data: Uint8Array): void {
    this.buf = data;
    this.pos = 0;
    this.more = null;
    this.#store = null;
  }

  /** Empties the buffer. */
  reset(): void {
    this.take(EMPTY);
  }

  /**
   * Adds `data` (kept, not copied): an empty buffer takes it, otherwise it
   * is held back in `more` (after appending what was held back before).
   *
   * @param data The bytes.
   */
  push(data: Uint8Array): void {
    if (data.length === 0) return;
    if (this.more !== null) this.merge();
    if (this.pos < this.buf.length) this.more = data;
    else this.take(data);
  }

  /** Appends the bytes held back in `more`, if any. */
  merge(): void {
    const more = this.more;
    if (more === null) return;
    this.more = null;
    this.append(more);
  }

  /**
   * Returns the unconsumed bytes, `more` included, without consuming them.
   *
   * @returns A view of them.
   */
  rest(): Uint8Array {
    if (this.more !== null) this.merge();
    return this.pos === 0 ? this.buf : this.buf.subarray(this.pos);
  }

  /** Returns how many bytes can be appended without a new store. */
  spare(): number {
    const store = this.#store;
    return store === null ? 0 : store.length - this.buf.length;
  }

  /**
   * Appends `data` (after `more`). An empty buffer just takes `data`;
   * otherwise the bytes go into the owned store (grown by doubling, so a
   * long run of small appends stays linear), which may move the unconsumed
   * bytes to its start (`pos` 0).
   *
   * @param data The bytes.
   */
  append(data: Uint8Array): void {
    const n = data.length;
    if (n === 0) return;
    if (this.more !== null) this.merge();
    const buf = this.buf;
    const pos = this.pos;
    const len = buf.length;
    if (pos === len) {
      this.take(data);
      return;
    }
    let store = this.#store;
    if (store !== null && store.length - len >= n) {
      store.set(data, len);
      this.buf = store.subarray(0, len + n);
      return;
    }
    const keep = len - pos;
    const size = keep + n;
    let cap = store === null ? size : 2 * store.length;
    if (cap < size) cap = size;
    store = new Uint8Array(cap);
    store.set(pos === 0 ? buf : buf.subarray(pos));
    store.set(data, keep);
    this.#store = store;
    this.buf = store.subarray(0, size);
    this.pos = 0;
  }

  /**
   * Copies the unconsumed bytes into an array of their own when they are a
   * small part of a larger one (say, the tail of a 64 KiB read), so that an
   * idle connection holding an unfinished message stays cheap; with `own`,
   * whenever they are in an array that was pushed (lent bytes, read into
   * again once the call that pushed them returns).
   *
   * @param own Whether to copy any bytes not in memory of its own.
   */
  compact(own = false): void {
    if (this.more !== null) this.merge();
    const buf = this.buf;
    const rest = buf.length - this.pos;
    if (rest === 0) {
      this.reset();
      return;
    }
    if (own) {
      if (this.#store !== null && buf.buffer === this.#store.buffer) return;
    } else if (rest * 4 >= buf.buffer.byteLength) return;
    const copy = buf.slice(this.pos);
    this.#store = copy;
    this.buf = copy;
    this.pos = 0;
  }
}
