// Copyright 2026 the Torsion authors. MIT license.
/**
 * UTF-8 lengths of strings, without encoding them (private).
 *
 * @module
 */

/**
 * The number of bytes `s` takes as UTF-8 (a lone surrogate counts as the 3
 * bytes of U+FFFD, which `TextEncoder` writes for it).
 */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    } else {
      n += 3;
    }
  }
  return n;
}

/**
 * The index in `s` where its longest prefix of at most `bytes` UTF-8 bytes
 * ends, never inside a surrogate pair.
 */
export function utf8Prefix(s: string, bytes: number): number {
  let n = 0;
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    let size = 3;
    let units = 1;
    if (c < 0x80) size = 1;
    else if (c < 0x800) size = 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        size = 4;
        units = 2;
      }
    }
    if (n + size > bytes) break;
    n += size;
    i += units;
  }
  return i;
}
