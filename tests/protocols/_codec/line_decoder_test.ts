// Copyright 2026 the Torsion authors. MIT license.
// LineDecoder on its own: every chunk size, delimiters across chunks, the
// length limit at its borders, and random garbage.
import { deepEqual, equal, ok, throws } from "node:assert/strict";
import fc from "fast-check";
import { LineDecoder } from "../../../protocols/_codec/line_decoder.ts";
import {
  chunkSizes,
  concat,
  decodeSplit,
  drain,
  enc,
  garbage,
  RUNS,
  texts,
} from "./_split.ts";

const decoder = new TextDecoder();

Deno.test("LineDecoder splits the same lines at every chunk size", () => {
  const cases: [string, string, string[]][] = [
    ["\r\n", "a\r\nbb\r\n\r\nccc\r\nd\re\nf\r\n", [
      "a",
      "bb",
      "",
      "ccc",
      "d\re\nf",
    ]],
    ["\n", "one\ntwo\n\nthree\n", ["one", "two", "", "three"]],
    ["<>>", "a<>b<<>>c<><>>d<>><>><>>e<>", ["a<>b<", "c<>", "d", "", ""]],
  ];
  for (const [delimiter, input, lines] of cases) {
    const data = enc(input);
    for (let size = 1; size <= data.length; size++) {
      const d = new LineDecoder({ delimiter });
      deepEqual(texts(decodeSplit(d, data, [size])), lines, `size ${size}`);
    }
  }
});

Deno.test("LineDecoder completes a line whose delimiter straddles two pushes", () => {
  for (const delimiter of ["\r\n", "<>>", "\r\n\r\n"]) {
    const delim = enc(delimiter);
    for (let cut = 1; cut < delim.length; cut++) {
      const d = new LineDecoder({ delimiter });
      d.push(concat([enc("head"), delim.subarray(0, cut)]));
      equal(d.next(), null);
      d.push(concat([delim.subarray(cut), enc("tail")]));
      deepEqual(texts(drain(d)), ["head"], `${delimiter} cut at ${cut}`);
      equal(decoder.decode(d.peek()), "tail");
    }
  }
});

Deno.test("LineDecoder returns lines as views of the pushed bytes", () => {
  const d = new LineDecoder();
  const first = enc("ab\r\ncd");
  d.push(first);
  const a = d.next();
  equal(a?.buffer, first.buffer);
  const second = enc("e\r\nfg\r\n");
  d.push(second);
  // The line that spans the pushes is a copy of its own; the rest are views.
  const cde = d.next();
  ok(
    cde !== null && cde.buffer !== first.buffer && cde.buffer !== second.buffer,
  );
  equal(decoder.decode(cde), "cde");
  equal(d.next()?.buffer, second.buffer);
  equal(d.next(), null);
});

/** Collects a line for each(), decoded. */
function collect(out: string[], line: Uint8Array): boolean {
  out.push(decoder.decode(line));
  return false;
}

/** Takes the lines through each(). */
function eachLine(d: LineDecoder, data: Uint8Array, size: number): string[] {
  const lines: string[] = [];
  for (let i = 0; i < data.length; i += size) {
    d.push(data.slice(i, i + size));
    equal(d.each(collect, lines), false);
  }
  return lines;
}

Deno.test("LineDecoder.each() gives the lines next() gives, at every chunk size", () => {
  const data = enc("a\r\nbb\r\n\r\nccc\r\nd\re\nf\r\ntail");
  for (let size = 1; size <= data.length; size++) {
    const d = new LineDecoder();
    deepEqual(eachLine(d, data, size), ["a", "bb", "", "ccc", "d\re\nf"]);
    equal(decoder.decode(d.peek()), "tail");
  }
});

Deno.test("LineDecoder.each() stops when onLine returns true, keeping the rest", () => {
  const d = new LineDecoder({ delimiter: "\n" });
  d.push(enc("a\nstop\nb\nc"));
  const seen: string[] = [];
  const stopped = d.each((out, line) => {
    out.push(decoder.decode(line));
    return decoder.decode(line) === "stop";
  }, seen);
  equal(stopped, true);
  deepEqual(seen, ["a", "stop"]);
  equal(decoder.decode(d.peek()), "b\nc");
});

Deno.test("LineDecoder.each() goes on from where onLine leaves the decoder", () => {
  const d = new LineDecoder({ delimiter: "\n" });
  d.push(enc("a\nskip\nb\nc\nd"));
  const seen: string[] = [];
  d.each((out, line) => {
    const text = decoder.decode(line);
    out.push(text);
    if (text === "skip") d.skipLine();
    if (text === "c") d.clear();
    return false;
  }, seen);
  deepEqual(seen, ["a", "skip", "c"]);
  equal(d.pending, false);
});

Deno.test("LineDecoder.each() stops at a line that is too long", () => {
  const d = new LineDecoder({ delimiter: "\n", maxLength: 2 });
  d.push(enc("ab\nabc\nd\n"));
  const seen: string[] = [];
  equal(d.each(collect, seen), false);
  deepEqual(seen, ["ab"]);
  equal(d.exceeded, true);
  equal(decoder.decode(d.peek()), "abc\nd\n");
});

Deno.test("LineDecoder accepts a line of maxLength and refuses maxLength + 1", () => {
  for (let size = 1; size <= 12; size++) {
    const ok8 = new LineDecoder({ delimiter: "\n", maxLength: 8 });
    deepEqual(
      texts(decodeSplit(ok8, enc("12345678\nx"), [size])),
      ["12345678"],
    );
    equal(ok8.exceeded, false);

    const long = new LineDecoder({ delimiter: "\n", maxLength: 8 });
    const data = enc("ab\n123456789\ncd\n");
    deepEqual(texts(decodeSplit(long, data, [size])), ["ab"], `size ${size}`);
    equal(long.exceeded, true, `size ${size}`);
    // Nothing of the long line is consumed.
    equal(decoder.decode(long.peek()), "123456789\ncd\n");
    equal(long.next(), null);
  }
});

Deno.test("LineDecoder tolerates an unfinished line until maxLength + delimiter length", () => {
  for (let size = 1; size <= 12; size++) {
    const d = new LineDecoder({ delimiter: "\r\n", maxLength: 8 });
    // 8 + 2 - 1 bytes: the delimiter may still be on the way.
    deepEqual(decodeSplit(d, enc("123456789"), [size]), []);
    equal(d.exceeded, false, `size ${size}`);
    d.push(enc("0"));
    equal(d.next(), null);
    equal(d.exceeded, true, `size ${size}`);
  }
  const d = new LineDecoder({ delimiter: "\r\n", maxLength: 8 });
  d.push(enc("12345678\r"));
  equal(d.next(), null);
  d.push(enc("\n"));
  deepEqual(texts(drain(d)), ["12345678"]);
});

Deno.test("LineDecoder.clear() returns a long line with its delimiter and all the rest", () => {
  for (let size = 1; size <= 16; size++) {
    const d = new LineDecoder({ delimiter: "\n", maxLength: 3 });
    deepEqual(texts(decodeSplit(d, enc("ok\nlong\nx\ny"), [size])), ["ok"]);
    equal(d.exceeded, true);
    equal(decoder.decode(d.clear()), "long\nx\ny");
    equal(d.exceeded, false);
    equal(d.pending, false);
  }
});

Deno.test("LineDecoder.skipLine() removes only the long line", () => {
  const d = new LineDecoder({ delimiter: "\n", maxLength: 3 });
  d.push(enc("long"));
  d.push(enc("er\nab\ncd"));
  equal(d.next(), null);
  equal(d.exceeded, true);
  equal(decoder.decode(d.skipLine() as Uint8Array), "longer");
  deepEqual(texts(drain(d)), ["ab"]);
  equal(d.skipLine(), null);
  equal(decoder.decode(d.peek()), "cd");
});

Deno.test("LineDecoder.dropLines() keeps only what follows the last delimiter", () => {
  const d = new LineDecoder({ delimiter: "<>" });
  d.push(enc("a<>b<"));
  d.push(enc(">c<>d"));
  d.dropLines();
  equal(decoder.decode(d.peek()), "d");
  d.push(enc("<>"));
  deepEqual(texts(drain(d)), ["d"]);
});

Deno.test("LineDecoder.clear() hands over raw data after a line, pushed or not", () => {
  const d = new LineDecoder();
  d.push(enc("HEAD\r\nbody"));
  d.push(enc("more"));
  deepEqual(texts([d.next() as Uint8Array]), ["HEAD"]);
  equal(decoder.decode(d.clear()), "bodymore");
  equal(d.next(), null);
  d.push(enc("next\r\n"));
  deepEqual(texts(drain(d)), ["next"]);
});

Deno.test("LineDecoder splits buffered bytes again when the delimiter changes", () => {
  const d = new LineDecoder();
  d.push(enc("a;b"));
  equal(d.next(), null);
  d.delimiter = ";";
  d.push(enc(";c"));
  deepEqual(texts(drain(d)), ["a", "b"]);
  equal(d.delimiter.length, 1);
});

Deno.test("LineDecoder refuses an empty delimiter", () => {
  throws(() => new LineDecoder({ delimiter: "" }), RangeError);
  const d = new LineDecoder();
  throws(() => {
    d.delimiter = new Uint8Array(0);
  }, /Cannot split lines: the delimiter is empty/);
  equal(d.delimiter.length, 2);
});

Deno.test("LineDecoder.compact() copies a short unfinished line out of a large chunk", () => {
  const d = new LineDecoder({ delimiter: "\n", maxLength: 1 << 20 });
  const chunk = new Uint8Array(65536).fill(120);
  chunk[65530] = 10;
  d.push(chunk);
  equal(drain(d).length, 1);
  d.compact();
  const rest = d.peek();
  equal(rest.length, 5);
  ok(rest.buffer.byteLength < 1024);
});

/** Where `delim` first starts in `hay`, naively. */
function find(hay: Uint8Array, delim: Uint8Array): number {
  for (let i = 0; i + delim.length <= hay.length; i++) {
    if (delim.every((b, j) => hay[i + j] === b)) return i;
  }
  return -1;
}

/** The lines that hold no delimiter, even across their end. */
function cleanLines(
  lines: Uint8Array[],
  delim: Uint8Array,
  max: number,
): Uint8Array[] {
  return lines.filter((l) =>
    l.length <= max && find(concat([l, delim]), delim) === l.length
  );
}

const delimiters = fc.constantFrom("\r\n", "\n", "\0", "<>>", "aab");

Deno.test("LineDecoder returns exactly the lines sent, however the stream is split", () => {
  fc.assert(
    fc.property(
      delimiters,
      fc.array(
        fc.array(fc.constantFrom(0, 10, 13, 60, 62, 97, 98, 120), {
          maxLength: 24,
        }).map((a) => Uint8Array.from(a)),
        { maxLength: 20 },
      ),
      chunkSizes,
      (delimiter, raw, sizes) => {
        const delim = enc(delimiter);
        const lines = cleanLines(raw, delim, 16);
        const d = new LineDecoder({ delimiter, maxLength: 16 });
        const data = concat(lines.flatMap((l) => [l, delim]));
        deepEqual(decodeSplit(d, data, sizes), lines);
        equal(d.pending, false);
      },
    ),
    RUNS,
  );
});

Deno.test("LineDecoder on garbage gives the same lines and state at every split", () => {
  fc.assert(
    fc.property(delimiters, garbage, chunkSizes, (delimiter, data, sizes) => {
      const whole = new LineDecoder({ delimiter, maxLength: 8 });
      const split = new LineDecoder({ delimiter, maxLength: 8 });
      const expected = decodeSplit(whole, data, []);
      deepEqual(decodeSplit(split, data, sizes), expected);
      ok(expected.every((l) => l.length <= 8));
      if (whole.exceeded) {
        // A too-long line can show before all the data is in.
        equal(split.exceeded, true);
      } else {
        equal(split.exceeded, false);
        deepEqual(split.peek(), whole.peek());
        // Nothing is lost: the lines, their delimiters and the rest.
        const delim = enc(delimiter);
        deepEqual(
          concat([...expected.flatMap((l) => [l, delim]), whole.peek()]),
          data,
        );
      }
    }),
    RUNS,
  );
});
