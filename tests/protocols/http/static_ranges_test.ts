// Copyright 2026 the Torsion authors. MIT license.
// static.File's Range requests on an in-memory file system, after
// twisted/web/test/test_static.py's RangeTests and StaticProducer tests:
// one range, several as multipart/byteranges, unsatisfiable and malformed
// headers, and the bound on what one header may ask.
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { captureLog } from "../../../reactor/testing/mod.ts";
import type { IPushProducer } from "../../../reactor/interfaces.ts";
import {
  File,
  parseRange,
  type StaticFileReader,
  type StaticFileSystem,
} from "../../../protocols/http/mod.ts";
import { get, Served } from "./_http_helpers.ts";

// test_static.py's RangeTests payload: 64 bytes, not all printable.
const PAYLOAD = Uint8Array.from(
  "\xf8u\xf3E\x8c7\xce\x00\x9e\xb6a0y0S\xf0\xef\xac\xb7\xbe\xb5\x17M\x1e\x136k{\x1e\xbe\x0c\x07\x07\t\xd0\xbckY\xf5I\x0b\xb8\x88oZ\x1d\x85b\x1a\xcdk\xf2\x1d&\xfd%\xdd\x82q/A\x10Y\x8b",
  (c) => c.charCodeAt(0),
);
const latin1 = (b: Uint8Array) => new TextDecoder("latin1").decode(b);
const TEXT = latin1(PAYLOAD);

/** A read that the test resolves. */
interface PendingRead {
  buffer: Uint8Array;
  resolve: () => void;
}

/**
 * Files in memory. Reads give at most `readSize` bytes; with `manual`,
 * each read waits in `reads` until the test answers it.
 */
class MemoryFiles implements StaticFileSystem {
  readonly files = new Map<string, Uint8Array>();
  readSize = Infinity;
  manual = false;
  /** A file's size as `stat` tells it, when it differs from its bytes. */
  statSize: number | null = null;
  readonly reads: PendingRead[] = [];
  opened = 0;
  closed = 0;

  realPath(path: string): string | null {
    return path === "/site" || this.files.has(path) ? path : null;
  }
  stat(path: string) {
    if (path === "/site") {
      return { isFile: false, isDirectory: true, size: 0, mtime: 1 };
    }
    const data = this.files.get(path);
    if (data === undefined) return null;
    const size = this.statSize ?? data.length;
    return { isFile: true, isDirectory: false, size, mtime: 1 };
  }
  open(path: string): StaticFileReader {
    const data = this.files.get(path)!;
    let position = 0;
    this.opened++;
    const answer = (buffer: Uint8Array): number | null => {
      const n = Math.min(buffer.length, this.readSize, data.length - position);
      if (n <= 0) return null;
      buffer.set(data.subarray(position, position + n));
      position += n;
      return n;
    };
    return {
      read: (buffer) => {
        if (!this.manual) return Promise.resolve(answer(buffer));
        return new Promise((resolve) =>
          this.reads.push({
            buffer,
            resolve: () => resolve(answer(buffer)),
          })
        );
      },
      seek: (offset) => {
        position = offset;
      },
      close: () => {
        this.closed++;
      },
    };
  }
  readDir(): string[] {
    return [...this.files.keys()].map((p) => p.slice("/site/".length));
  }
}

interface Answer {
  status: string;
  headers: Map<string, string>;
  /** The body, one character a byte. */
  body: string;
}

/** Splits one response (Content-Length framed), checking nothing follows. */
function answer(text: string, head = false): Answer {
  const end = text.indexOf("\r\n\r\n");
  const [status, ...lines] = text.slice(0, end).split("\r\n");
  const headers = new Map<string, string>();
  for (const l of lines) {
    const i = l.indexOf(":");
    headers.set(l.slice(0, i).toLowerCase(), l.slice(i + 1).trim());
  }
  const body = text.slice(end + 4);
  if (!head) equal(body.length, Number(headers.get("content-length")));
  else equal(body, "");
  return { status, headers, body };
}

/** Serves PAYLOAD as /site/payload.bin and answers one GET (or HEAD). */
async function fetchRange(
  range: string | null,
  options: { method?: string; files?: MemoryFiles } = {},
): Promise<Answer & { files: MemoryFiles; s: Served }> {
  const files = options.files ?? new MemoryFiles();
  if (!files.files.has("/site/payload.bin")) {
    files.files.set("/site/payload.bin", PAYLOAD);
  }
  const s = new Served(new File("/site", { fileSystem: files }));
  const { promise, resolve } = Promise.withResolvers<void>();
  s.site.log = () => resolve();
  const method = options.method ?? "GET";
  s.send(
    `${method} /payload.bin HTTP/1.1\r\nHost: h\r\n${
      range === null ? "" : `Range: ${range}\r\n`
    }\r\n`,
  );
  await promise;
  return { ...answer(s.take(), method === "HEAD"), files, s };
}

interface Part {
  type: string;
  range: [number, number, number];
  body: string;
}

/** Twisted's parseMultipartBody: the parts of a multipart/byteranges body. */
function byteranges(r: Answer): Part[] {
  const m = /^multipart\/byteranges; boundary="([^"]+)"$/.exec(
    r.headers.get("content-type")!,
  );
  ok(m !== null, r.headers.get("content-type"));
  const parts = r.body.split(`\r\n--${m[1]}`);
  equal(parts[0], "");
  equal(parts[parts.length - 1], "--\r\n");
  return parts.slice(1, -1).map((part) => {
    const [before, type, range, blank, ...rest] = part.split("\r\n");
    equal(before, "");
    equal(blank, "");
    const t = /^Content-type: (.*)$/.exec(type);
    const c = /^Content-range: bytes (\d+)-(\d+)\/(\d+)$/.exec(range);
    ok(t !== null && c !== null, part);
    return {
      type: t[1],
      range: [Number(c[1]), Number(c[2]), Number(c[3])],
      body: rest.join("\r\n"),
    };
  });
}

Deno.test("static.File: several ranges are a multipart/byteranges 206 (test_multipleRangeRequest)", async () => {
  const r = await fetchRange("bytes=0-2,20-30,40-50");
  equal(r.status, "HTTP/1.1 206 Partial Content");
  equal(r.headers.has("content-range"), false);
  deepEqual(byteranges(r), [
    { type: "text/html", range: [0, 2, 64], body: TEXT.slice(0, 3) },
    { type: "text/html", range: [20, 30, 64], body: TEXT.slice(20, 31) },
    { type: "text/html", range: [40, 50, 64], body: TEXT.slice(40, 51) },
  ]);
  equal(r.files.opened, 1);
  equal(r.files.closed, 1);
});

Deno.test("static.File: a range past the end is cut at it (test_multipleRangeRequestWithRangeOverlappingEnd)", async () => {
  const r = await fetchRange("bytes=0-2,40-74");
  deepEqual(byteranges(r).map((p) => [p.range, p.body]), [
    [[0, 2, 64], TEXT.slice(0, 3)],
    [[40, 63, 64], TEXT.slice(40)],
  ]);
});

Deno.test("static.File: ranges are sent in the order asked, suffix and open ones too", async () => {
  const r = await fetchRange("bytes= 60- , -3,\t5-5 ,,0-0");
  deepEqual(byteranges(r).map((p) => [p.range, p.body]), [
    [[60, 63, 64], TEXT.slice(60)],
    [[61, 63, 64], TEXT.slice(61)],
    [[5, 5, 64], TEXT.slice(5, 6)],
    [[0, 0, 64], TEXT.slice(0, 1)],
  ]);
});

Deno.test("static.File: one satisfiable range of several is enough (test_oneSatisfiableRangeIsEnough)", async () => {
  const r = await fetchRange("bytes=1-3,100-200");
  equal(r.status, "HTTP/1.1 206 Partial Content");
  deepEqual(byteranges(r).map((p) => [p.range, p.body]), [
    [[1, 3, 64], TEXT.slice(1, 4)],
  ]);
});

Deno.test("static.File: several ranges all past the end are a 416 (test_multipleUnsatisfiableRangesSets416)", async () => {
  const r = await fetchRange("bytes=64-70,100-,-0");
  equal(r.status, "HTTP/1.1 416 Range Not Satisfiable");
  equal(r.headers.get("content-range"), "bytes */64");
  equal(r.headers.get("content-length"), "0");
  equal(r.body, "");
  equal(r.files.opened, 0);
});

Deno.test("static.File: one range, and one past the end (test_invalidStartBytePos)", async () => {
  const one = await fetchRange("bytes=3-43");
  equal(one.status, "HTTP/1.1 206 Partial Content");
  equal(one.headers.get("content-range"), "bytes 3-43/64");
  equal(one.body, TEXT.slice(3, 44));
  const past = await fetchRange("bytes=67-108");
  equal(past.status, "HTTP/1.1 416 Range Not Satisfiable");
  equal(past.headers.get("content-range"), "bytes */64");
  equal(past.headers.get("content-length"), "0");
});

Deno.test("static.File: HEAD with several ranges has the GET's head and no body", async () => {
  const head = await fetchRange("bytes=0-2,20-30", { method: "HEAD" });
  const got = await fetchRange("bytes=0-2,20-30");
  equal(head.status, "HTTP/1.1 206 Partial Content");
  match(head.headers.get("content-type")!, /^multipart\/byteranges; /);
  equal(head.headers.get("content-length"), got.headers.get("content-length"));
  equal(head.files.opened, 0);
});

Deno.test("static.File: a malformed Range is ignored and logged (test_invalidRangeRequest)", async () => {
  for (
    const range of [
      "foobar=0-43",
      "bytes",
      "bytes=3",
      "bytes=-",
      "bytes=foo-",
      "bytes=-foo",
      "bytes=20-13",
      "bytes=0-1,5-4",
      "bytes=",
      "bytes=+1-2",
    ]
  ) {
    using logs = captureLog();
    const r = await fetchRange(range);
    equal(r.status, "HTTP/1.1 200 OK", range);
    equal(r.body, TEXT, range);
    equal(r.headers.get("content-length"), "64", range);
    ok(
      logs.messages.includes(`Ignoring malformed Range header '${range}'`),
      range,
    );
  }
});

Deno.test("static.File: more than 100 ranges, or overlapping ones past the file's size, are ignored", async () => {
  const files = new MemoryFiles();
  const big = Uint8Array.from({ length: 1000 }, (_, i) => i & 255);
  files.files.set("/site/payload.bin", big);
  const ranges = (n: number) =>
    "bytes=" +
    Array.from({ length: n }, (_, i) => `${2 * i}-${2 * i}`).join(",");
  {
    const r = await fetchRange(ranges(100), { files });
    equal(r.status, "HTTP/1.1 206 Partial Content");
    equal(byteranges(r).length, 100);
  }
  for (
    const [range, whole] of [
      [ranges(101), true],
      ["bytes=0-,0-", true],
      ["bytes=0-600,500-999", true],
      ["bytes=0-499,400-899", false], // Overlapping, but 1000 bytes in all.
    ] as const
  ) {
    using logs = captureLog();
    const r = await fetchRange(range, { files });
    equal(r.status, whole ? "HTTP/1.1 200 OK" : "HTTP/1.1 206 Partial Content");
    if (whole) {
      equal(r.body.length, 1000);
      match(
        logs.messages.join("\n"),
        /^Ignoring Range header of \d+ ranges, \d+ bytes of 1000$/m,
      );
    }
  }
});

Deno.test("static.File: several ranges stream through short reads, pausing after every write", async () => {
  const files = new MemoryFiles();
  files.readSize = 4;
  files.manual = true;
  files.files.set("/site/payload.bin", PAYLOAD);
  const s = new Served(new File("/site", { fileSystem: files }));
  const { promise: done, resolve } = Promise.withResolvers<void>();
  s.site.log = () => resolve();
  // A transport whose buffer is full after every write of the body: it
  // pauses the producer inside write(), as a real one does past 64 KiB.
  const writes: string[] = [];
  const write = s.transport.write.bind(s.transport);
  s.transport.write = (data) => {
    write(data);
    const producer = s.transport.producer as IPushProducer | null;
    if (producer !== null) {
      writes.push(typeof data === "string" ? data : latin1(data));
      producer.pauseProducing();
    }
  };
  s.send(get("/payload.bin", "Range: bytes=0-5,10-13\r\n"));
  const producer = s.transport.producer as IPushProducer;
  const label = (x: string) =>
    x.startsWith("HTTP/1.1 206")
      ? "response head"
      : x.startsWith("\r\n--")
      ? "part head"
      : x;
  const events: string[] = [];
  for (;;) {
    events.push(...writes.splice(0).map(label));
    equal(files.reads.length, 0); // Paused by the write: no read started.
    if (s.transport.producer === null) break;
    producer.resumeProducing();
    if (files.reads.length > 0) {
      files.reads.shift()!.resolve();
      for (let i = 0; i < 5; i++) await Promise.resolve();
    }
  }
  await done;
  deepEqual(events, [
    "response head",
    "part head",
    TEXT.slice(0, 4),
    TEXT.slice(4, 6),
    "part head",
    TEXT.slice(10, 14),
    "part head", // The closing boundary.
  ]);
  const parts = byteranges(answer(latin1(s.transport.value())));
  deepEqual(parts.map((p) => p.body), [TEXT.slice(0, 6), TEXT.slice(10, 14)]);
  equal(files.closed, 1);
});

Deno.test("static.File: a file shorter than its size aborts the connection, logged", async () => {
  using logs = captureLog();
  const files = new MemoryFiles();
  files.statSize = 100; // It shrank after the stat.
  const s = new Served(new File("/site", { fileSystem: files }));
  files.files.set("/site/payload.bin", PAYLOAD);
  const { promise: closed, resolve } = Promise.withResolvers<void>();
  const reader = files.open.bind(files);
  files.open = (path) => {
    const r = reader(path);
    return { ...r, close: () => (r.close(), resolve()) };
  };
  s.send(get("/payload.bin", "Range: bytes=0-1,60-99\r\n"));
  await closed;
  ok(s.transport.disconnected);
  const [failure] = logs.flushLoggedErrors();
  match(String(failure.value), /Cannot serve a file: it ended at byte 64/);
});

Deno.test("parseRange: Twisted's _parseRangeHeader cases, as offsets in the file", () => {
  deepEqual(parseRange("bytes=0-", 10), [[0, 10]]);
  deepEqual(parseRange("bytes=-3", 10), [[7, 10]]);
  deepEqual(parseRange("bytes=2-5", 10), [[2, 6]]);
  for (
    const spaced of [
      " bytes=1-2 ",
      "bytes =1-2 ",
      "bytes= 1-2",
      "bytes=1 -2",
      "bytes=1- 2",
      "bytes=1-2 ",
    ]
  ) {
    deepEqual(parseRange(spaced, 10), [[1, 3]], spaced);
  }
  deepEqual(parseRange("bytes=1-2,\r\n, ,\t", 10), [[1, 3]]);
  deepEqual(parseRange("bytes=1-2,3-4", 10), [[1, 3], [3, 5]]);
  for (
    const bad of [
      "bytes",
      "unknown=1-2",
      "bytes=3",
      "bytes=-",
      "bytes=foo-",
      "bytes=-foo",
      "bytes=5-4",
      "bytes=",
      "bytes=,",
    ]
  ) {
    equal(parseRange(bad, 10), null, bad);
  }
  // Past the end: null; a suffix longer than the file is all of it.
  deepEqual(parseRange("bytes=10-,-0,9-100,-50", 10), [null, null, [9, 10], [
    0,
    10,
  ]]);
  deepEqual(parseRange("bytes=0-", 0), [null]);
  deepEqual(parseRange("bytes=-5", 0), [null]);
  deepEqual(parseRange("bytes=0-0", 1), [[0, 1]]);
});
