// Copyright 2026 the Torsion authors. MIT license.
/**
 * The buffer pools of the stream transports: the read buffers lent to
 * protocols that do not keep what they are given, the slab small reads are
 * copied into for those that do, and the slabs small writes are staged in.
 * Module-wide, shared by every connection of the process.
 *
 * @module
 */

/**
 * Bytes the transport hands over for good ("bytes you may keep", Twisted's
 * promise) are copied out of the read buffer, which is then read into
 * again, or are the read buffer itself:
 *
 * - below {@linkcode SMALL_COPY}: into a shared 32 KiB slab, which costs less
 *   than an array per read (Node's Buffer pool does the same); a view the
 *   application keeps holds its slab alive, so kept small reads cost at most
 *   32 KiB each;
 * - up to {@linkcode HANDOVER}: into an array of their own;
 * - from {@linkcode HANDOVER} on: the read buffer is handed over (at most
 *   twice the size of the bytes in it) and the connection reads into a new
 *   one.
 */
export const HANDOVER = 32768;
/** Reads below this size are copied into the shared slab. */
export const SMALL_COPY = 8192;
const COPY_SLAB_SIZE = 32768;
let copySlab = new Uint8Array(COPY_SLAB_SIZE);
let copySlabUsed = 0;

/**
 * Returns a copy of `data` the caller may keep: in the shared slab below
 * {@linkcode SMALL_COPY} bytes, else in an array of its own.
 */
export function ownBytes(data: Uint8Array): Uint8Array {
  const n = data.length;
  if (n >= SMALL_COPY) return data.slice();
  if (copySlabUsed + n > COPY_SLAB_SIZE) {
    copySlab = new Uint8Array(COPY_SLAB_SIZE);
    copySlabUsed = 0;
  }
  const start = copySlabUsed;
  copySlab.set(data, start);
  copySlabUsed = (start + n + 7) & ~7;
  return new Uint8Array(copySlab.buffer, start, n);
}

/** What a queued write holds until it is sent: a write slab region or a lent read buffer. */
export interface Lease {
  /** The write no longer needs the memory. */
  release(): void;
}

const LENT: unique symbol = Symbol("torsion.lent");

/**
 * A read buffer from the pool, lent to a protocol that does not keep what
 * it is given (`keepsReceivedData === false`). Its holds are the connection
 * reading into it and each queued write of a view of it; once none is left
 * it goes back to the pool, and the next connection that needs a buffer of
 * its size reads into the same, still warm, memory.
 */
export class LentBuffer implements Lease {
  /** The memory. */
  readonly bytes: Uint8Array;
  /** The connection's hold and each queued write's. */
  holds = 1;

  /** A new buffer of `size` bytes, held once. */
  constructor(size: number) {
    this.bytes = new Uint8Array(size);
    (this.bytes.buffer as unknown as Record<symbol, LentBuffer>)[LENT] = this;
  }

  /** Drops one hold; the last puts the buffer back into the pool. */
  release(): void {
    if (--this.holds === 0) recycle(this);
  }
}

/** Free read buffers by size (powers of two from 1 KiB to 64 KiB). */
const freeBuffers = new Map<number, LentBuffer[]>();
/** Free read buffers kept per size. */
const FREE_PER_SIZE = 16;

function recycle(b: LentBuffer): void {
  const size = b.bytes.length;
  let free = freeBuffers.get(size);
  if (free === undefined) freeBuffers.set(size, free = []);
  if (free.length < FREE_PER_SIZE) free.push(b);
}

/** Takes a read buffer of `size` bytes from the pool (or a new one), held once. */
export function takeReadBuffer(size: number): LentBuffer {
  const b = freeBuffers.get(size)?.pop();
  if (b === undefined) return new LentBuffer(size);
  b.holds = 1;
  return b;
}

/** Returns the lent read buffer `view` is part of, if any. */
export function lentBufferOf(view: Uint8Array): LentBuffer | undefined {
  return (view.buffer as unknown as Record<symbol, LentBuffer | undefined>)[
    LENT
  ];
}

/**
 * Small writes are copied into a shared slab, where consecutive writes of a
 * connection form one contiguous region: a burst of small writes (lines,
 * delimiters, headers) becomes one chunk with no allocation per write and no
 * concatenation at send time. Larger writes are queued as they are.
 *
 * The slabs never leave the transport, so a slab is used again once none of
 * its regions is staged, queued or being sent: the memory written stays warm
 * in the cache, where fresh memory would cost page faults.
 */
export const SMALL_WRITE = 1024;
export const WRITE_SLAB_SIZE = 262144;
/** Idle slabs kept for reuse. */
const SPARE_SLABS = 3;

/** A write slab and the count of its regions in use. */
export class WriteSlab implements Lease {
  readonly bytes: Uint8Array = new Uint8Array(WRITE_SLAB_SIZE);
  /** Where the free space starts. */
  used = 0;
  /** Regions staged, queued or being sent. */
  live = 0;

  /** One of its regions is no longer in use. */
  release(): void {
    releaseRegion(this);
  }
}

/** The slab small writes go to now. */
export let writeSlab: WriteSlab = new WriteSlab();
const spareSlabs: WriteSlab[] = [];

/**
 * Makes room for `n` more bytes: the current slab, emptied if none of its
 * regions is in use, else a spare or a new slab, which becomes current.
 *
 * @returns The slab to write into.
 */
export function slabWithRoom(n: number): WriteSlab {
  const slab = writeSlab;
  if (slab.used + n <= WRITE_SLAB_SIZE) return slab;
  if (slab.live === 0) {
    slab.used = 0;
    return slab;
  }
  return writeSlab = spareSlabs.pop() ?? new WriteSlab();
}

/** One region of `slab` is no longer in use. */
export function releaseRegion(slab: WriteSlab): void {
  if (--slab.live !== 0) return;
  if (slab === writeSlab) {
    slab.used = 0;
  } else if (spareSlabs.length < SPARE_SLABS) {
    slab.used = 0;
    spareSlabs.push(slab);
  }
}
