// Copyright 2026 the Torsion authors. MIT license.
// LengthPrefixDecoder on its own: every prefix width and chunk size, the
// length limit at its borders, and random garbage.
import { deepEqual, equal, ok, throws } from "node:assert/strict";
import fc from "fast-check";
import { LengthPrefixDecoder } from "../../../protocols/_codec/length_prefix_decoder.ts";
import {
  chunkSizes,
  concat,
  decodeSplit,
  drain,
  garbage,
  RUNS,
} from "./_split.ts";

/** `payload` after its big-endian length in `size` bytes. */
function framed(size: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(size + payload.length);
  let n = payload.length;
  for (let i = size - 1; i >= 0; i--) {
    out[i] = n % 256;
    n = Math.floor(n / 256);
  }
  out.set(payload, size);
  return out;
}

function bytes(n: number, seed = 0): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i + seed) % 251);
}

const WIDTHS = [1, 2, 3, 4, 6];

Deno.test("LengthPrefixDecoder returns the same strings at every chunk size", () => {
  for (const size of WIDTHS) {
    const strings = [bytes(5), bytes(0), bytes(200, 7), bytes(1, 3)];
    const data = concat(strings.map((s) => framed(size, s)));
    for (let chunk = 1; chunk <= 40; chunk++) {
      const d = new LengthPrefixDecoder(size);
      deepEqual(decodeSplit(d, data, [chunk]), strings, `${size} ${chunk}`);
      equal(d.pending, false);
    }
  }
});

Deno.test("LengthPrefixDecoder returns views, copying only a string's buffered part", () => {
  const d = new LengthPrefixDecoder(2);
  const first = new Uint8Array([0, 1, 9, 0, 3, 1]);
  d.push(first);
  equal(d.next()?.buffer, first.buffer);
  equal(d.next(), null);
  const second = new Uint8Array([2, 3, 0]);
  d.push(second);
  const joined = d.next() as Uint8Array;
  deepEqual([...joined], [1, 2, 3]);
  ok(joined.buffer !== first.buffer && joined.buffer !== second.buffer);
  // Only a prefix buffered: the string is a view of the later push.
  const third = new Uint8Array([1, 4, 5]);
  d.push(third);
  equal(d.next()?.buffer, third.buffer);
});

Deno.test("LengthPrefixDecoder accepts maxLength and refuses maxLength + 1, even when all there", () => {
  for (const size of [1, 2, 4]) {
    for (let chunk = 1; chunk <= 12; chunk++) {
      const ok5 = new LengthPrefixDecoder(size, { maxLength: 5 });
      deepEqual(decodeSplit(ok5, framed(size, bytes(5)), [chunk]), [bytes(5)]);

      const d = new LengthPrefixDecoder(size, { maxLength: 5 });
      const data = concat([framed(size, bytes(2)), framed(size, bytes(6))]);
      deepEqual(decodeSplit(d, data, [chunk]), [bytes(2)]);
      equal(d.exceeded, true);
      equal(d.announcedLength, 6);
      // Everything from the prefix on stays buffered.
      deepEqual(d.peek(), framed(size, bytes(6)));
      equal(d.next(), null);
    }
  }
});

Deno.test("LengthPrefixDecoder reports an incomplete prefix as no length", () => {
  const d = new LengthPrefixDecoder(4);
  d.push(new Uint8Array([0, 0]));
  equal(d.next(), null);
  equal(d.announcedLength, -1);
  equal(d.exceeded, false);
  d.push(new Uint8Array([1]));
  d.push(new Uint8Array([0]));
  equal(d.announcedLength, 256);
});

Deno.test("LengthPrefixDecoder.replace() goes on from the new bytes", () => {
  const d = new LengthPrefixDecoder(1);
  d.push(new Uint8Array([1, 65, 9, 9, 9]));
  deepEqual([...(d.next() as Uint8Array)], [65]);
  d.replace(new Uint8Array([1, 66]));
  deepEqual(drain(d), [new Uint8Array([66])]);
  equal(d.pending, false);
});

Deno.test("LengthPrefixDecoder does not reserve an announced length before it arrives", () => {
  const d = new LengthPrefixDecoder(4);
  d.push(new Uint8Array([0, 1, 134, 159, 1]));
  d.push(new Uint8Array([2]));
  equal(d.next(), null);
  d.compact();
  deepEqual([...d.peek()], [0, 1, 134, 159, 1, 2]);
  ok(d.peek().buffer.byteLength < 1024);
});

Deno.test("LengthPrefixDecoder refuses a prefix length outside 1 to 6", () => {
  for (const size of [0, 7, 1.5, NaN]) {
    throws(() => new LengthPrefixDecoder(size), RangeError);
  }
});

Deno.test("LengthPrefixDecoder returns exactly the strings sent, however the stream is split", () => {
  fc.assert(
    fc.property(
      fc.constantFrom(1, 2, 4),
      fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 20 }),
      chunkSizes,
      (size, strings, sizes) => {
        const d = new LengthPrefixDecoder(size);
        const data = concat(strings.map((s) => framed(size, s)));
        deepEqual(decodeSplit(d, data, sizes), strings);
        equal(d.pending, false);
      },
    ),
    RUNS,
  );
});

Deno.test("LengthPrefixDecoder on garbage gives the same strings and state at every split", () => {
  fc.assert(
    fc.property(
      fc.constantFrom(1, 2, 3, 4),
      garbage,
      chunkSizes,
      (size, data, sizes) => {
        const whole = new LengthPrefixDecoder(size, { maxLength: 20 });
        const split = new LengthPrefixDecoder(size, { maxLength: 20 });
        const strings = decodeSplit(whole, data, []);
        deepEqual(decodeSplit(split, data, sizes), strings);
        equal(split.exceeded, whole.exceeded);
        deepEqual(split.peek(), whole.peek());
        // Nothing is lost: each string after its prefix, then the rest.
        deepEqual(
          concat([...strings.map((s) => framed(size, s)), whole.peek()]),
          data,
        );
      },
    ),
    RUNS,
  );
});
