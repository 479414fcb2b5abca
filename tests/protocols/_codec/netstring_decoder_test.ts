// Copyright 2026 the Torsion authors. MIT license.
// NetstringDecoder on its own: every chunk size, the length limit at its
// borders, Twisted's errors, and random garbage.
import { deepEqual, equal, ok, throws } from "node:assert/strict";
import fc from "fast-check";
import { NetstringDecoder } from "../../../protocols/_codec/netstring_decoder.ts";
import { NetstringParseError } from "../../../protocols/mod.ts";
import {
  chunkSizes,
  concat,
  decodeSplit,
  enc,
  garbage,
  RUNS,
} from "./_split.ts";

const decoder = new TextDecoder();

function netstrings(payloads: Uint8Array[]): Uint8Array {
  return concat(
    payloads.flatMap((p) => [enc(`${p.length}:`), p, enc(",")]),
  );
}

/** Decodes `data` split as given; the payloads and the error, if any. */
function decodeAll(
  data: Uint8Array,
  sizes: number[],
  maxLength = 99999,
): { payloads: Uint8Array[]; error: string | null } {
  const d = new NetstringDecoder();
  d.maxLength = maxLength;
  const payloads: Uint8Array[] = [];
  let k = 0;
  for (let i = 0; i < data.length; k++) {
    const n = sizes.length === 0 ? data.length : sizes[k % sizes.length];
    d.push(data.slice(i, i + n));
    i += n;
    try {
      for (let p; (p = d.next()) !== null;) payloads.push(p.slice());
    } catch (error) {
      ok(error instanceof NetstringParseError);
      return { payloads, error: error.message };
    }
  }
  return { payloads, error: null };
}

Deno.test("NetstringDecoder returns the same payloads at every chunk size", () => {
  const payloads = ["hello", "", "a:b,c", "1:a,", "x".repeat(300)].map(enc);
  const data = netstrings(payloads);
  for (let size = 1; size <= 40; size++) {
    const d = new NetstringDecoder();
    deepEqual(decodeSplit(d, data, [size]), payloads, `size ${size}`);
    equal(d.pending, false);
  }
});

Deno.test("NetstringDecoder returns a payload that arrived in one push as a view of it", () => {
  const d = new NetstringDecoder();
  const chunk = enc("3:abc,2:d");
  d.push(chunk);
  equal(d.next()?.buffer, chunk.buffer);
  equal(d.next(), null);
  d.push(enc("e,"));
  equal(decoder.decode(d.next() as Uint8Array), "de");
});

Deno.test("NetstringDecoder grows a payload with the bytes that arrive", () => {
  const d = new NetstringDecoder();
  d.push(enc("99999:"));
  d.push(new Uint8Array(10));
  equal(d.next(), null);
  for (let i = 0; i < 99989; i += 1000) {
    d.push(new Uint8Array(Math.min(1000, 99989 - i)));
    equal(d.next(), null);
  }
  d.push(enc(","));
  const payload = d.next() as Uint8Array;
  equal(payload.length, 99999);
  equal(payload.buffer.byteLength, 99999);
});

Deno.test("NetstringDecoder accepts a payload of maxLength and refuses maxLength + 1", () => {
  for (let size = 1; size <= 8; size++) {
    deepEqual(
      decodeAll(enc("12:abcdefghijkl,"), [size], 12).payloads.map((p) =>
        p.length
      ),
      [12],
    );
    deepEqual(decodeAll(enc("12:abcdefghijkl,"), [size], 11), {
      payloads: [],
      error:
        "The received netstring is longer than the maximum 11 specified by MAX_LENGTH",
    });
  }
});

Deno.test("NetstringDecoder refuses a one-digit length above maxLength", () => {
  for (let size = 1; size <= 9; size++) {
    deepEqual(decodeAll(enc("6:abcdef,"), [size], 5), {
      payloads: [],
      error:
        "The received netstring is longer than the maximum 5 specified by MAX_LENGTH",
    });
  }
});

Deno.test("NetstringDecoder refuses an over-long length before its colon", () => {
  const d = new NetstringDecoder();
  d.push(enc("999999"));
  throws(() => d.next(), /longer than the maximum 99999/);
});

Deno.test("NetstringDecoder refuses bad data with Twisted's texts, at every chunk size", () => {
  const missingLength =
    "The received netstring does not start with a length specification.";
  const missingComma = "The received netstring is not terminated by a comma.";
  const cases: [string, string][] = [
    ["007:abcdefg,", missingLength],
    [":abc,", missingLength],
    ["abc", missingLength],
    ["3abc,", missingLength],
    ["4:abcde", missingComma],
    ["0:a,", missingComma],
    ["2:ok,3:abcd", missingComma],
  ];
  for (const [input, message] of cases) {
    for (let size = 1; size <= input.length; size++) {
      equal(decodeAll(enc(input), [size]).error, message, `${input} ${size}`);
    }
  }
});

Deno.test("NetstringDecoder throws its error again on every later call", () => {
  const d = new NetstringDecoder();
  d.push(enc("1:a,x"));
  equal(decoder.decode(d.next() as Uint8Array), "a");
  throws(() => d.next(), NetstringParseError);
  const error = d.error;
  ok(error instanceof NetstringParseError);
  // The bad byte stays buffered.
  equal(d.pending, true);
  d.push(enc("1:b,"));
  throws(() => d.next(), (e) => e === error);
});

Deno.test("NetstringDecoder returns exactly the payloads sent, however the stream is split", () => {
  fc.assert(
    fc.property(
      fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 20 }),
      chunkSizes,
      (payloads, sizes) => {
        const d = new NetstringDecoder();
        deepEqual(decodeSplit(d, netstrings(payloads), sizes), payloads);
        equal(d.pending, false);
      },
    ),
    RUNS,
  );
});

Deno.test("NetstringDecoder on garbage gives the same payloads and error at every split", () => {
  fc.assert(
    fc.property(
      garbage,
      chunkSizes,
      fc.constantFrom(5, 30, 99999),
      (data, sizes, max) => {
        deepEqual(decodeAll(data, sizes, max), decodeAll(data, [], max));
      },
    ),
    RUNS,
  );
});
