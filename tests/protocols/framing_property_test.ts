// Copyright 2026 the Torsion authors. MIT license.
// Property tests of the framing protocols: for random messages and random
// splits of the byte stream, each receiver delivers exactly the messages
// sent; for random garbage, none throws, and each either delivers what it
// can or closes the connection.
import { deepEqual, equal, ok } from "node:assert/strict";
import fc from "fast-check";
import {
  Int16StringReceiver,
  Int32StringReceiver,
  Int8StringReceiver,
  type IntNStringReceiver,
  LineOnlyReceiver,
  LineReceiver,
  NetstringReceiver,
} from "../../protocols/mod.ts";
import { StringTransport } from "../../reactor/testing/mod.ts";

const RUNS = { numRuns: 1000 };
const encoder = new TextEncoder();

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Feeds `data` cut into chunks of the given sizes (cycled). */
function feed(
  p: { dataReceived(d: Uint8Array): unknown },
  data: Uint8Array,
  sizes: number[],
): void {
  let k = 0;
  for (let i = 0; i < data.length; k++) {
    const n = sizes.length === 0 ? data.length : sizes[k % sizes.length];
    // A fresh copy: the receiver owns what it is given.
    p.dataReceived(data.slice(i, i + n));
    i += n;
  }
}

/** Index of `needle` in `hay` from `from`, naively (a reference). */
function indexOfBytes(hay: Uint8Array, needle: Uint8Array, from = 0): number {
  outer: for (let i = from; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) {
      if (hay[i + j] !== needle[j]) continue outer;
    }
    return i;
  }
  return -1;
}

/** Python's `bytes.split(delim)`, as a reference. */
function split(data: Uint8Array, delim: Uint8Array): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  let from = 0;
  for (;;) {
    const i = indexOfBytes(data, delim, from);
    if (i < 0) break;
    pieces.push(data.subarray(from, i));
    from = i + delim.length;
  }
  pieces.push(data.subarray(from));
  return pieces;
}

const chunkSizes = fc.array(fc.integer({ min: 1, max: 40 }), {
  minLength: 1,
  maxLength: 8,
});

const delimiters = fc.constantFrom(
  "\r\n",
  "\n",
  "\0",
  "<>>",
  "aab",
  "\r\n\r\n",
);

/** Bytes over a small alphabet, so that delimiters appear often. */
const smallBytes = fc.array(fc.constantFrom(0, 10, 13, 60, 62, 97, 98, 120), {
  maxLength: 24,
}).map((a) => Uint8Array.from(a));

/** Messages that contain no delimiter, even across their end. */
function linesFor(delim: Uint8Array, max: number): fc.Arbitrary<Uint8Array[]> {
  return fc.array(smallBytes, { maxLength: 20 }).map((lines) =>
    lines.filter((l) =>
      l.length <= max &&
      indexOfBytes(concat([l, delim]), delim) === l.length
    )
  );
}

class LineCollector extends LineReceiver {
  lines: Uint8Array[] = [];
  exceeded = 0;
  override lineReceivedBytes(line: Uint8Array): void {
    this.lines.push(line);
  }
  override lineLengthExceeded(line: Uint8Array): unknown {
    this.exceeded++;
    return super.lineLengthExceeded(line);
  }
}

class LineOnlyCollector extends LineOnlyReceiver {
  lines: Uint8Array[] = [];
  override lineReceivedBytes(line: Uint8Array): void {
    this.lines.push(line);
  }
}

function connected<P extends { makeConnection(t: StringTransport): void }>(
  p: P,
): [P, StringTransport] {
  const t = new StringTransport();
  p.makeConnection(t);
  return [p, t];
}

Deno.test("LineReceiver delivers exactly the lines sent, however the stream is split", () => {
  fc.assert(
    fc.property(
      delimiters.chain((d) => {
        const delim = encoder.encode(d);
        return fc.tuple(fc.constant(d), linesFor(delim, 16), chunkSizes);
      }),
      ([d, lines, sizes]) => {
        const [p, t] = connected(new LineCollector());
        p.delimiter = d;
        p.MAX_LENGTH = 16;
        const delim = encoder.encode(d);
        feed(p, concat(lines.flatMap((l) => [l, delim])), sizes);
        deepEqual(p.lines, lines);
        equal(t.disconnecting, false);
      },
    ),
    RUNS,
  );
});

Deno.test("LineOnlyReceiver delivers exactly the lines sent, however the stream is split", () => {
  fc.assert(
    fc.property(
      delimiters.chain((d) => {
        const delim = encoder.encode(d);
        return fc.tuple(fc.constant(d), linesFor(delim, 16), chunkSizes);
      }),
      ([d, lines, sizes]) => {
        const [p, t] = connected(new LineOnlyCollector());
        p.delimiter = d;
        p.MAX_LENGTH = 16;
        const delim = encoder.encode(d);
        feed(p, concat(lines.flatMap((l) => [l, delim])), sizes);
        deepEqual(p.lines, lines);
        equal(t.disconnecting, false);
      },
    ),
    RUNS,
  );
});

class NetstringCollector extends NetstringReceiver {
  strings: Uint8Array[] = [];
  override stringReceived(data: Uint8Array): void {
    this.strings.push(data);
  }
}

const payloads = fc.array(
  fc.oneof(
    fc.uint8Array({ maxLength: 40 }),
    fc.string({ maxLength: 20 }).map((s) => encoder.encode(s)),
  ),
  { maxLength: 20 },
);

Deno.test("NetstringReceiver delivers exactly the strings sent, however the stream is split", () => {
  fc.assert(
    fc.property(payloads, chunkSizes, (strings, sizes) => {
      const [sender, wire] = connected(new NetstringCollector());
      for (const s of strings) sender.sendString(s);
      const [p, t] = connected(new NetstringCollector());
      feed(p, wire.value(), sizes);
      deepEqual(p.strings, strings);
      equal(t.disconnecting, false);
      equal(p.brokenPeer, false);
    }),
    RUNS,
  );
});

Deno.test("NetstringReceiver assembles long payloads from chunks of any size", () => {
  // Payloads up to many times the first room a split payload gets (4 KiB),
  // so that it grows while they arrive.
  const long = fc.array(
    fc.tuple(fc.integer({ min: 0, max: 40000 }), fc.integer()).map(
      ([n, seed]) => Uint8Array.from({ length: n }, (_, i) => (i + seed) & 255),
    ),
    { minLength: 1, maxLength: 4 },
  );
  const longChunkSizes = fc.array(fc.integer({ min: 1, max: 9000 }), {
    minLength: 1,
    maxLength: 8,
  });
  fc.assert(
    fc.property(long, longChunkSizes, (strings, sizes) => {
      const [sender, wire] = connected(new NetstringCollector());
      for (const s of strings) sender.sendString(s);
      const [p, t] = connected(new NetstringCollector());
      feed(p, wire.value(), sizes);
      deepEqual(p.strings, strings);
      equal(t.disconnecting, false);
    }),
    { numRuns: 200 },
  );
});

type IntNCollector = IntNStringReceiver & { strings: Uint8Array[] };

function intCollector(
  C:
    | typeof Int8StringReceiver
    | typeof Int16StringReceiver
    | typeof Int32StringReceiver,
): IntNCollector {
  const p = new C() as IntNCollector;
  p.strings = [];
  p.stringReceived = (data) => {
    p.strings.push(data);
  };
  return p;
}

for (
  const C of [Int8StringReceiver, Int16StringReceiver, Int32StringReceiver]
) {
  Deno.test(`${C.name} delivers exactly the strings sent, however the stream is split`, () => {
    fc.assert(
      fc.property(payloads, chunkSizes, (strings, sizes) => {
        const [sender, wire] = connected(intCollector(C));
        for (const s of strings) sender.sendString(s);
        const [p, t] = connected(intCollector(C));
        feed(p, wire.value(), sizes);
        deepEqual(p.strings, strings);
        equal(t.disconnecting, false);
        equal(p.recvd.length, 0);
      }),
      RUNS,
    );
  });
}

const garbage = fc.oneof(
  fc.uint8Array({ maxLength: 80 }),
  fc.array(
    fc.constantFrom(0, 1, 2, 3, 10, 13, 44, 48, 49, 50, 51, 53, 57, 58, 97),
    { maxLength: 80 },
  ).map((a) => Uint8Array.from(a)),
);

Deno.test("LineReceiver on garbage keeps every byte unless it closes the connection", () => {
  fc.assert(
    fc.property(delimiters, garbage, chunkSizes, (d, data, sizes) => {
      const [p, t] = connected(new LineCollector());
      p.delimiter = d;
      p.MAX_LENGTH = 8;
      feed(p, data, sizes);
      const delim = encoder.encode(d);
      if (t.disconnecting) {
        ok(p.exceeded > 0);
      } else {
        ok(p.lines.every((l) => l.length <= p.MAX_LENGTH));
        const kept = concat([
          ...p.lines.flatMap((l) => [l, delim]),
          p.clearLineBuffer(),
        ]);
        deepEqual(kept, data);
      }
    }),
    RUNS,
  );
});

Deno.test("LineOnlyReceiver on garbage delivers every complete line unless it closes the connection", () => {
  fc.assert(
    fc.property(delimiters, garbage, chunkSizes, (d, data, sizes) => {
      const [p, t] = connected(new LineOnlyCollector());
      p.delimiter = d;
      p.MAX_LENGTH = 8;
      feed(p, data, sizes);
      const delim = encoder.encode(d);
      const pieces = split(data, delim);
      const complete = pieces.slice(0, -1);
      // Complete lines may have MAX_LENGTH bytes, an unfinished one
      // MAX_LENGTH + len(delimiter) - 1 (its delimiter may be on the way).
      const firstLong = pieces.findIndex((l, i) =>
        l.length > p.MAX_LENGTH +
            (i === pieces.length - 1 ? delim.length - 1 : 0)
      );
      if (firstLong < 0) {
        equal(t.disconnecting, false);
        deepEqual(p.lines, complete);
      } else {
        equal(t.disconnecting, true);
        deepEqual(p.lines, complete.slice(0, firstLong));
      }
    }),
    RUNS,
  );
});

/** A reference netstring parser: the strings, and whether it failed. */
function parseNetstrings(
  data: Uint8Array,
  max: number,
): { strings: Uint8Array[]; error: boolean } {
  const strings: Uint8Array[] = [];
  let pos = 0;
  const isDigit = (c: number) => c >= 48 && c <= 57;
  while (pos < data.length) {
    let j = pos;
    while (j < data.length && isDigit(data[j])) j++;
    const digits = new TextDecoder().decode(data.subarray(pos, j));
    const badNumber = (digits.length > 1 && digits[0] === "0") ||
      Number(digits) > max;
    if (j === data.length) return { strings, error: badNumber };
    if (digits.length === 0 || data[j] !== 58 || badNumber) {
      return { strings, error: true };
    }
    const n = Number(digits);
    const start = j + 1;
    if (start + n + 1 > data.length) return { strings, error: false };
    if (data[start + n] !== 44) return { strings, error: true };
    strings.push(data.subarray(start, start + n));
    pos = start + n + 1;
  }
  return { strings, error: false };
}

Deno.test("NetstringReceiver on garbage delivers the valid netstrings, then closes on the first error", () => {
  fc.assert(
    fc.property(
      fc.oneof(
        garbage,
        payloads.map((ss) =>
          concat(
            ss.map((s) => encoder.encode(`${s.length}:`)).flatMap((h, i) => [
              h,
              ss[i],
              encoder.encode(","),
            ]),
          )
        ),
      ),
      chunkSizes,
      fc.constantFrom(5, 30, 99999),
      (data, sizes, max) => {
        const [p, t] = connected(new NetstringCollector());
        p.MAX_LENGTH = max;
        feed(p, data, sizes);
        const expected = parseNetstrings(data, max);
        deepEqual(p.strings, expected.strings);
        equal(t.disconnecting, expected.error);
        equal(p.brokenPeer, expected.error);
      },
    ),
    RUNS,
  );
});

for (
  const [C, size] of [
    [Int8StringReceiver, 1],
    [Int16StringReceiver, 2],
    [Int32StringReceiver, 4],
  ] as const
) {
  Deno.test(`${C.name} on garbage delivers whole strings, or closes on an over-long prefix`, () => {
    fc.assert(
      fc.property(garbage, chunkSizes, (data, sizes) => {
        const [p, t] = connected(intCollector(C));
        p.MAX_LENGTH = 20;
        feed(p, data, sizes);
        // The reference: read prefixes until one is too long or incomplete.
        const strings: Uint8Array[] = [];
        let pos = 0;
        let tooLong = false;
        while (data.length - pos >= size) {
          let n = 0;
          for (let i = 0; i < size; i++) n = n * 256 + data[pos + i];
          if (n > p.MAX_LENGTH) {
            tooLong = true;
            break;
          }
          if (pos + size + n > data.length) break;
          strings.push(data.subarray(pos + size, pos + size + n));
          pos += size + n;
        }
        deepEqual(p.strings, strings);
        equal(t.disconnecting, tooLong);
        if (!tooLong) deepEqual(p.recvd, data.subarray(pos));
      }),
      RUNS,
    );
  });
}
