// Copyright 2026 the Torsion authors. MIT license.
// The framing protocols' byte search against the built-in indexOf: every
// offset of the view in its buffer (word alignment), every start, buffers
// past the size whose word view is cached, and shared memory.
import { equal } from "node:assert/strict";
import fc from "fast-check";
import { findDelimiter, indexOfByte, view } from "../../protocols/_bytes.ts";

const RUNS = { numRuns: 1000 };

/**
 * `bytes` placed at `offset` in a buffer with `after` more bytes, all of
 * them `around`.
 */
function placed(
  bytes: number[],
  offset: number,
  after: number,
  around: number,
): Uint8Array {
  const store = new Uint8Array(offset + bytes.length + after).fill(around);
  store.set(bytes, offset);
  return store.subarray(offset, offset + bytes.length);
}

Deno.test("indexOfByte() finds what indexOf() finds, at any alignment", () => {
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom(0, 10, 13, 97, 255), { maxLength: 200 }),
      fc.nat(7),
      fc.nat(7),
      fc.constantFrom(0, 10, 13, 255),
      fc.nat(220),
      (bytes, offset, after, byte, from) => {
        // Bytes around the view are the byte searched: a search that
        // strays outside the view finds them.
        const buf = placed(bytes, offset, after, byte);
        equal(indexOfByte(buf, byte, from), buf.indexOf(byte, from));
      },
    ),
    RUNS,
  );
});

Deno.test("indexOfByte() does not read past the view", () => {
  for (let offset = 0; offset < 8; offset++) {
    for (let len = 0; len < 40; len++) {
      const store = new Uint8Array(offset + len + 8).fill(10);
      const buf = store.subarray(offset, offset + len).fill(97);
      equal(indexOfByte(buf, 10, 0), -1, `offset ${offset}, length ${len}`);
      store.fill(10);
      equal(indexOfByte(buf, 10, 0), len === 0 ? -1 : 0);
    }
  }
});

Deno.test("indexOfByte() searches big, shared and resizable buffers", () => {
  const big = new Uint8Array((1 << 20) + 100);
  big[big.length - 3] = 7;
  equal(indexOfByte(big, 7, 5), big.length - 3);
  equal(indexOfByte(big.subarray(1), 7, 0), big.length - 4);
  const shared = new Uint8Array(new SharedArrayBuffer(64));
  shared[45] = 7;
  equal(indexOfByte(shared, 7, 0), 45);
  const resizable = new Uint8Array(new ArrayBuffer(64, { maxByteLength: 128 }));
  resizable[50] = 7;
  equal(indexOfByte(resizable, 7, 1), 50);
  // Alternating buffers: the cached word view follows the buffer.
  const a = new Uint8Array(64);
  const b = new Uint8Array(64);
  a[40] = 1;
  b[20] = 1;
  equal(indexOfByte(a, 1, 0), 40);
  equal(indexOfByte(b, 1, 0), 20);
  equal(indexOfByte(a, 1, 0), 40);
});

Deno.test("findDelimiter() finds what a naive search finds", () => {
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom(13, 10, 97), { maxLength: 120 }),
      fc.constantFrom([13, 10], [10], [13, 10, 13, 10], [97, 97, 10]),
      fc.nat(130),
      (bytes, delim, from) => {
        const buf = Uint8Array.from(bytes);
        const d = Uint8Array.from(delim);
        let expected = -1;
        for (let i = from; i + d.length <= buf.length && expected < 0; i++) {
          if (d.every((x, k) => buf[i + k] === x)) expected = i;
        }
        equal(findDelimiter(buf, d, from), expected);
      },
    ),
    RUNS,
  );
});

Deno.test("view() is a plain Uint8Array over the same memory", () => {
  const store = new Uint8Array([1, 2, 3, 4, 5, 6]);
  const v = view(store.subarray(1), 1, 4);
  equal(v.constructor, Uint8Array);
  equal(v.join(","), "3,4,5");
  v[0] = 9;
  equal(store[2], 9);
});
