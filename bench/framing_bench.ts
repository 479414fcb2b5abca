// Copyright 2026 the Torsion authors. MIT license.
// The framing receivers beside hand-written parsers of the same stream: 1 MiB
// of 64-byte messages delivered in 16 KiB chunks (message boundaries line up
// with chunk boundaries), and the same with 67-byte messages (every chunk
// ends in an unfinished message, so the receivers must join tails).
import {
  Int32StringReceiver,
  LineOnlyReceiver,
  LineReceiver,
  NetstringReceiver,
} from "../protocols/mod.ts";
import { StringTransport } from "../reactor/testing/mod.ts";
import { benchOptions } from "./_smoke.ts";

const TOTAL = 1 << 20;
const CHUNK = 16 * 1024;

function chunked(stream: Uint8Array): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < stream.length; i += CHUNK) {
    chunks.push(stream.slice(i, i + CHUNK));
  }
  return chunks;
}

/** Builds about 1 MiB of `frame(i)` messages, each `size` bytes framed. */
function stream(
  size: number,
  frame: (i: number) => Uint8Array,
): { chunks: Uint8Array[]; count: number } {
  const count = Math.floor(TOTAL / size);
  const out = new Uint8Array(count * size);
  for (let i = 0; i < count; i++) out.set(frame(i), i * size);
  return { chunks: chunked(out), count };
}

function payload(n: number, i: number): Uint8Array {
  const p = new Uint8Array(n);
  for (let k = 0; k < n; k++) p[k] = 97 + ((i + k) % 26);
  return p;
}

function lineFrame(size: number): (i: number) => Uint8Array {
  return (i) => {
    const f = new Uint8Array(size);
    f.set(payload(size - 2, i));
    f[size - 2] = 13;
    f[size - 1] = 10;
    return f;
  };
}

function netstringFrame(size: number): (i: number) => Uint8Array {
  return (i) => {
    const n = size - 4; // "NN:" + payload + ","
    const head = new TextEncoder().encode(`${n}:`);
    const f = new Uint8Array(size);
    f.set(head);
    f.set(payload(n, i), head.length);
    f[size - 1] = 44;
    return f;
  };
}

function int32Frame(size: number): (i: number) => Uint8Array {
  return (i) => {
    const f = new Uint8Array(size);
    new DataView(f.buffer).setUint32(0, size - 4);
    f.set(payload(size - 4, i), 4);
    return f;
  };
}

// What every parser does with a message: count it and its bytes.
let seen = 0;
let bytes = 0;
function sink(m: Uint8Array): void {
  seen++;
  bytes += m.length;
}

function check(count: number): void {
  if (seen !== count) {
    throw new Error(`Expected ${count} messages, got ${seen}`);
  }
  seen = 0;
  bytes = 0;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** A hand-written CRLF splitter: indexOf, a tail kept between chunks. */
function splitLines(chunks: Uint8Array[]): void {
  let tail: Uint8Array | null = null;
  for (const chunk of chunks) {
    const buf: Uint8Array = tail === null ? chunk : concat(tail, chunk);
    tail = null;
    let start = 0;
    let from = 0;
    for (;;) {
      const i = buf.indexOf(13, from);
      if (i < 0 || i + 1 >= buf.length) break;
      if (buf[i + 1] !== 10) {
        from = i + 1;
        continue;
      }
      sink(buf.subarray(start, i));
      start = from = i + 2;
    }
    if (start < buf.length) tail = buf.subarray(start);
  }
}

/** A hand-written netstring parser (no validation beyond the framing). */
function parseNetstrings(chunks: Uint8Array[]): void {
  let tail: Uint8Array | null = null;
  for (const chunk of chunks) {
    const buf: Uint8Array = tail === null ? chunk : concat(tail, chunk);
    tail = null;
    let pos = 0;
    for (;;) {
      let n = 0;
      let j = pos;
      while (j < buf.length && buf[j] !== 58) n = n * 10 + buf[j++] - 48;
      const end = j + 1 + n;
      if (end >= buf.length) break;
      if (buf[end] !== 44) throw new Error("Missing comma");
      sink(buf.subarray(j + 1, end));
      pos = end + 1;
    }
    if (pos < buf.length) tail = buf.subarray(pos);
  }
}

/** A hand-written parser of 4-byte big-endian length prefixes. */
function parseInt32(chunks: Uint8Array[]): void {
  let tail: Uint8Array | null = null;
  for (const chunk of chunks) {
    const buf: Uint8Array = tail === null ? chunk : concat(tail, chunk);
    tail = null;
    let pos = 0;
    while (buf.length - pos >= 4) {
      const n = buf[pos] * 0x1000000 +
        ((buf[pos + 1] << 16) | (buf[pos + 2] << 8) | buf[pos + 3]);
      const end = pos + 4 + n;
      if (end > buf.length) break;
      sink(buf.subarray(pos + 4, end));
      pos = end;
    }
    if (pos < buf.length) tail = buf.subarray(pos);
  }
}

class Lines extends LineReceiver {
  override lineReceivedBytes(line: Uint8Array): void {
    sink(line);
  }
}

class TextLines extends LineReceiver {
  override lineReceived(line: string): void {
    seen++;
    bytes += line.length;
  }
}

class OnlyLines extends LineOnlyReceiver {
  override lineReceivedBytes(line: Uint8Array): void {
    sink(line);
  }
}

class Netstrings extends NetstringReceiver {
  override stringReceived(data: Uint8Array): void {
    sink(data);
  }
}

class Int32s extends Int32StringReceiver {
  override stringReceived(data: Uint8Array): void {
    sink(data);
  }
}

function receive(
  p: {
    makeConnection(t: StringTransport): void;
    dataReceived(d: Uint8Array): unknown;
  },
  chunks: Uint8Array[],
): void {
  p.makeConnection(new StringTransport());
  for (const c of chunks) p.dataReceived(c);
}

for (const size of [64, 67]) {
  const lines = stream(size, lineFrame(size));
  const nets = stream(size, netstringFrame(size));
  const ints = stream(size, int32Frame(size));
  const what = `1 MiB of ${size}-byte`;

  Deno.bench({
    name: `hand-written indexOf split: ${what} lines`,
    group: `lines-${size}`,
    baseline: true,
    ...benchOptions,
    fn() {
      splitLines(lines.chunks);
      check(lines.count);
    },
  });
  Deno.bench({
    name: `LineReceiver (lineReceivedBytes): ${what} lines`,
    group: `lines-${size}`,
    ...benchOptions,
    fn() {
      receive(new Lines(), lines.chunks);
      check(lines.count);
    },
  });
  Deno.bench({
    name: `LineOnlyReceiver (lineReceivedBytes): ${what} lines`,
    group: `lines-${size}`,
    ...benchOptions,
    fn() {
      receive(new OnlyLines(), lines.chunks);
      check(lines.count);
    },
  });
  Deno.bench({
    name: `LineReceiver (lineReceived, decoded): ${what} lines`,
    group: `lines-${size}`,
    ...benchOptions,
    fn() {
      receive(new TextLines(), lines.chunks);
      check(lines.count);
    },
  });

  Deno.bench({
    name: `hand-written parser: ${what} netstrings`,
    group: `netstrings-${size}`,
    baseline: true,
    ...benchOptions,
    fn() {
      parseNetstrings(nets.chunks);
      check(nets.count);
    },
  });
  Deno.bench({
    name: `NetstringReceiver: ${what} netstrings`,
    group: `netstrings-${size}`,
    ...benchOptions,
    fn() {
      receive(new Netstrings(), nets.chunks);
      check(nets.count);
    },
  });

  Deno.bench({
    name: `hand-written parser: ${what} int32-prefixed strings`,
    group: `int32-${size}`,
    baseline: true,
    ...benchOptions,
    fn() {
      parseInt32(ints.chunks);
      check(ints.count);
    },
  });
  Deno.bench({
    name: `Int32StringReceiver: ${what} int32-prefixed strings`,
    group: `int32-${size}`,
    ...benchOptions,
    fn() {
      receive(new Int32s(), ints.chunks);
      check(ints.count);
    },
  });
}
