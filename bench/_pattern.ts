// Copyright 2026 the Torsion authors. MIT license.
/**
 * What the load clients of `bench/` share: the periodic byte pattern every
 * client sends (so that an echo of any kind can be checked against it at its
 * stream offset) and a write loop for partial writes.
 *
 * The pattern is printable characters with a `"\n"` every
 * {@linkcode LINE_SIZE} bytes. Its period is a multiple of the line size and
 * not of the chunk sizes the clients write, and it is stored with
 * {@linkcode MAX_READ} bytes more than one period, so that any read or write
 * of up to that size at any offset is one `subarray`.
 *
 * @module
 */

/** Bytes per line of the pattern, the `"\n"` included. */
export const LINE_SIZE = 64;
/** The largest read or write compared with the pattern at once. */
export const MAX_READ = 65536;
/** The pattern's period: a multiple of the line size, not of the chunk size. */
export const PERIOD = LINE_SIZE * 257;

function makePattern(): Uint8Array {
  const p = new Uint8Array(PERIOD + MAX_READ);
  for (let i = 0; i < p.length; i++) {
    const k = i % PERIOD;
    p[i] = k % LINE_SIZE === LINE_SIZE - 1
      ? 10
      : 33 + ((k * 7 + Math.floor(k / LINE_SIZE)) % 90);
  }
  return p;
}

/** One period of the pattern and {@linkcode MAX_READ} bytes more. */
export const PATTERN: Uint8Array = makePattern();

/**
 * The pattern's bytes at stream offset `offset`.
 *
 * @param offset The stream offset.
 * @param length At most {@linkcode MAX_READ}.
 * @returns A view of {@linkcode PATTERN}.
 */
export function patternAt(offset: number, length: number): Uint8Array {
  const q = offset % PERIOD;
  return PATTERN.subarray(q, q + length);
}

/**
 * Writes all of `data` (`conn.write()` may write part of it).
 *
 * @param conn The connection.
 * @param data The bytes.
 */
export async function writeAll(
  conn: Deno.Conn,
  data: Uint8Array,
): Promise<void> {
  let off = 0;
  while (off < data.length) off += await conn.write(data.subarray(off));
}
