// Copyright 2026 the Torsion authors. MIT license.
/**
 * The buffer pools of the stream transports: a slab that small reads are
 * copied into, and the slabs that small writes are staged in. Module-wide,
 * shared by every connection of the process.
 *
 * @module
 */

/**
 * Reads below this size are copied out of the connection's read buffer into
 * views of a shared slab, which costs less than a new buffer per read (Node's
 * Buffer pool does the same); a view keeps its slab alive, never the read
 * buffer. Larger reads hand the read buffer itself over (copying them would
 * cost as much as a new buffer).
 */
export const HANDOVER = 32768;
const SLAB_SIZE = 262144;
let slab = new Uint8Array(SLAB_SIZE);
let slabUsed = 0;

/** Copies the first `n` bytes of `buf` into the read slab; returns the copy. */
export function copyOut(buf: Uint8Array, n: number): Uint8Array {
  if (slabUsed + n > SLAB_SIZE) {
    slab = new Uint8Array(SLAB_SIZE);
    slabUsed = 0;
  }
  const start = slabUsed;
  slab.set(n === buf.length ? buf : buf.subarray(0, n), start);
  slabUsed = (start + n + 7) & ~7;
  return new Uint8Array(slab.buffer, start, n);
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
export class WriteSlab {
  readonly bytes: Uint8Array = new Uint8Array(WRITE_SLAB_SIZE);
  /** Where the free space starts. */
  used = 0;
  /** Regions staged, queued or being sent. */
  live = 0;
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
