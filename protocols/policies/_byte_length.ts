// Copyright 2026 the Torsion authors. MIT license.
/**
 * The number of bytes a write puts on the wire, for bandwidth accounting.
 *
 * @module
 */

/**
 * Returns how many bytes `data` takes on the wire: its length for bytes, its
 * UTF-8 length for a string (a lone surrogate counts as the 3 bytes of the
 * U+FFFD it is encoded as), without encoding it.
 *
 * @param data Bytes, or a string sent as UTF-8.
 * @returns The byte count.
 */
export function byteLength(data: Uint8Array | string): number {
  if (typeof data !== "string") return data.byteLength;
  let n = 0;
  for (let i = 0; i < data.length; i++) {
    const c = data.charCodeAt(i);
    if (c < 0x80) {
      n += 1;
    } else if (c < 0x800) {
      n += 2;
    } else if (
      c >= 0xd800 && c <= 0xdbff && i + 1 < data.length &&
      (data.charCodeAt(i + 1) & 0xfc00) === 0xdc00
    ) {
      n += 4;
      i++;
    } else {
      n += 3;
    }
  }
  return n;
}
