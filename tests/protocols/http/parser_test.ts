// Copyright 2026 the Torsion authors. MIT license.
import { deepEqual, equal, ok } from "node:assert/strict";
import fc from "fast-check";
import {
  HTTPParser,
  type HTTPParserOptions,
  type ParseEvent,
} from "../../../protocols/http/_parser.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder("latin1").decode(b);

type Simple =
  | { kind: "head"; line: string; headers: [string, string][]; body: unknown }
  | { kind: "body"; data: string }
  | { kind: "end" }
  | { kind: "error"; status: number };

/** Feeds `input` in chunks of `sizes` (cycled); body data merged per message. */
function parse(
  input: string | Uint8Array,
  sizes: number[] = [],
  options: HTTPParserOptions = {},
  eof = false,
): Simple[] {
  const data = typeof input === "string" ? enc(input) : input;
  const p = new HTTPParser(options);
  const out: Simple[] = [];
  const take = () => {
    for (let ev: ParseEvent | null; (ev = p.next()) !== null;) {
      if (ev.kind === "head") {
        const h = ev.head;
        out.push({
          kind: "head",
          line: h.method !== ""
            ? `${h.method} ${h.target} ${h.version}`
            : `${h.version} ${h.code} ${h.phrase}`,
          headers: h.headers,
          body: h.body,
        });
      } else if (ev.kind === "data") {
        const last = out[out.length - 1];
        if (last?.kind === "body") last.data += dec(ev.data);
        else out.push({ kind: "body", data: dec(ev.data) });
      } else if (ev.kind === "end") out.push({ kind: "end" });
      else out.push({ kind: "error", status: ev.status });
    }
  };
  let k = 0;
  for (let i = 0; i < data.length; k++) {
    const n = sizes.length === 0 ? data.length : sizes[k % sizes.length];
    p.push(data.slice(i, i + n));
    take();
    i += n;
  }
  if (eof) {
    p.pushEof();
    take();
  }
  return out;
}

/** The first error status, or 0. */
function status(input: string, options: HTTPParserOptions = {}): number {
  const err = parse(input, [], options).find((e) => e.kind === "error");
  return err?.kind === "error" ? err.status : 0;
}

const GET = "GET /a?b=c HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n";
const POST = "POST /f HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello";
const CHUNKED =
  "POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" +
  "5;ext=1\r\nhello\r\n1\r\n!\r\n0\r\nTrailer: t\r\n\r\n";
const STREAM = GET + POST + CHUNKED + "\r\nGET / HTTP/1.0\r\n\r\n";

Deno.test("parser: a GET, a POST and a chunked POST", () => {
  deepEqual(parse(STREAM), [
    {
      kind: "head",
      line: "GET /a?b=c HTTP/1.1",
      headers: [["Host", "x"], ["Accept", "*/*"]],
      body: 0,
    },
    { kind: "end" },
    {
      kind: "head",
      line: "POST /f HTTP/1.1",
      headers: [["Host", "x"], ["Content-Length", "5"]],
      body: 5,
    },
    { kind: "body", data: "hello" },
    { kind: "end" },
    {
      kind: "head",
      line: "POST /c HTTP/1.1",
      headers: [["Host", "x"], ["Transfer-Encoding", "chunked"]],
      body: "chunked",
    },
    { kind: "body", data: "hello!" },
    { kind: "end" },
    { kind: "head", line: "GET / HTTP/1.0", headers: [], body: 0 },
    { kind: "end" },
  ]);
});

Deno.test("parser: the same events at every chunk size", () => {
  const whole = parse(STREAM);
  for (let n = 1; n <= STREAM.length; n++) {
    deepEqual(parse(STREAM, [n]), whole, `chunk size ${n}`);
  }
});

Deno.test("parser: header values are trimmed, LF alone ends a line", () => {
  deepEqual(parse("GET / HTTP/1.1\nHost:   x \t\n\n"), [
    { kind: "head", line: "GET / HTTP/1.1", headers: [["Host", "x"]], body: 0 },
    { kind: "end" },
  ]);
});

Deno.test("parser: only spaces and tabs are trimmed: a value's NBSP byte is kept", () => {
  const bytes = Uint8Array.from(
    "GET / HTTP/1.1\r\nHost: x\r\nX-A: \xa0y\xa0 \r\n\r\n",
    (c) => c.charCodeAt(0),
  );
  deepEqual(parse(bytes), [
    {
      kind: "head",
      line: "GET / HTTP/1.1",
      headers: [["Host", "x"], ["X-A", "\xa0y\xa0"]],
      body: 0,
    },
    { kind: "end" },
  ]);
});

Deno.test("parser: Expect: 100-continue is reported with a body only", () => {
  const p = new HTTPParser();
  p.push(
    enc(
      "PUT / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\n",
    ),
  );
  const ev = p.next();
  ok(ev?.kind === "head" && ev.head.expectContinue);
  const q = new HTTPParser();
  q.push(enc("GET / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n\r\n"));
  const ev2 = q.next();
  ok(ev2?.kind === "head" && !ev2.head.expectContinue);
});

const big = "a".repeat(17000);
const manyHeaders = Array.from({ length: 101 }, (_, i) => `X-${i}: v\r\n`)
  .join("");

/** Malformed requests and the status each must get. */
const MALFORMED: [string, string, number][] = [
  ["no version", "GET /\r\n\r\n", 400],
  ["two spaces", "GET  / HTTP/1.1\r\nHost: x\r\n\r\n", 400],
  ["lower-case version", "GET / http/1.1\r\nHost: x\r\n\r\n", 400],
  ["method not a token", "GE(T / HTTP/1.1\r\nHost: x\r\n\r\n", 400],
  ["space in target", "GET /a b HTTP/1.1\r\nHost: x\r\n\r\n", 400],
  ["HTTP/2.0", "GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505],
  ["HTTP/1.2", "GET / HTTP/1.2\r\nHost: x\r\n\r\n", 505],
  ["no Host in HTTP/1.1", "GET / HTTP/1.1\r\n\r\n", 400],
  ["two Hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400],
  ["obs-fold", "GET / HTTP/1.1\r\nHost: x\r\nX: a\r\n b\r\n\r\n", 400],
  ["space before colon", "GET / HTTP/1.1\r\nHost : x\r\n\r\n", 400],
  ["no colon", "GET / HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n", 400],
  ["empty name", "GET / HTTP/1.1\r\nHost: x\r\n: v\r\n\r\n", 400],
  ["NUL in value", "GET / HTTP/1.1\r\nHost: x\r\nX: a\0b\r\n\r\n", 400],
  ["bare CR", "GET / HTTP/1.1\r\nHost: x\rY: z\r\n\r\n", 400],
  [
    "CL and TE",
    "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
    400,
  ],
  [
    "differing CLs",
    "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n",
    400,
  ],
  [
    "differing CLs in one field",
    "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3, 4\r\n\r\n",
    400,
  ],
  [
    "signed CL",
    "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: +3\r\n\r\n",
    400,
  ],
  ["hex CL", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0x3\r\n\r\n", 400],
  [
    "huge CL",
    "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n",
    400,
  ],
  [
    "CL over the limit",
    "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10485761\r\n\r\n",
    413,
  ],
  [
    "unknown coding",
    "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n",
    501,
  ],
  [
    "chunked not last",
    "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
    400,
  ],
  [
    "chunked twice",
    "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
    400,
  ],
  [
    "TE in HTTP/1.0",
    "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    400,
  ],
  [
    "bad chunk size",
    "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    400,
  ],
  [
    "negative chunk size",
    "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n",
    400,
  ],
  [
    "chunk size too long",
    "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" +
    "1".repeat(17) + "\r\n",
    400,
  ],
  [
    "chunk extension without end",
    "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n1;" +
    "e".repeat(5000),
    400,
  ],
  [
    "chunk data without CRLF",
    "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n1\r\naXY",
    400,
  ],
  [
    "chunked over the limit",
    "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nA00001\r\n",
    413,
  ],
  [
    "header block over 16 KiB",
    `GET / HTTP/1.1\r\nHost: x\r\nX: ${big}\r\n\r\n`,
    431,
  ],
  ["target over 16 KiB", `GET /${big} HTTP/1.1\r\nHost: x\r\n\r\n`, 431],
  ["101 fields", `GET / HTTP/1.1\r\nHost: x\r\n${manyHeaders}\r\n`, 431],
];

for (const [name, input, expected] of MALFORMED) {
  Deno.test(`parser: ${name} → ${expected}`, () => {
    equal(status(input), expected);
    // The same at every split, down to one byte.
    for (const n of [1, 2, 3, 7]) {
      const err = parse(input, [n]).find((e) => e.kind === "error");
      equal(err?.kind === "error" ? err.status : 0, expected, `split ${n}`);
    }
  });
}

Deno.test("parser: 100 fields are fine, a body at the limit is fine", () => {
  const fields = Array.from({ length: 99 }, (_, i) => `X-${i}: v\r\n`).join(
    "",
  );
  equal(status(`GET / HTTP/1.1\r\nHost: x\r\n${fields}\r\n`), 0);
  equal(
    status("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n", {
      maxBodySize: 10,
    }),
    0,
  );
  equal(
    status("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n", {
      maxBodySize: 10,
    }),
    413,
  );
});

Deno.test("parser: nothing after an error", () => {
  const p = new HTTPParser();
  p.push(enc("BAD\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n"));
  equal(p.next()?.kind, "error");
  equal(p.next(), null);
  ok(p.failed);
});

Deno.test("parser: an unfinished head never buffers past the limit", () => {
  const p = new HTTPParser({ maxHeaderBytes: 1024 });
  p.push(enc("GET / HTTP/1.1\r\n"));
  let ev: ParseEvent | null = null;
  for (let i = 0; i < 2000 && ev === null; i++) {
    p.push(enc("a"));
    ev = p.next();
    ok(p.buffered <= 1024);
  }
  equal(ev?.kind === "error" && ev.status, 431);
});

Deno.test("parser: responses (length, chunked, until close, no body)", () => {
  const response = { type: "response" } as const;
  deepEqual(
    parse("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi", [], response),
    [
      {
        kind: "head",
        line: "HTTP/1.1 200 OK",
        headers: [["Content-Length", "2"]],
        body: 2,
      },
      { kind: "body", data: "hi" },
      { kind: "end" },
    ],
  );
  deepEqual(
    parse(
      "HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nno\r\n0\r\n\r\n",
      [1],
      response,
    ).map((e) => e.kind),
    ["head", "body", "end"],
  );
  deepEqual(
    parse("HTTP/1.0 200 OK\r\n\r\nuntil close", [3], response, true),
    [
      { kind: "head", line: "HTTP/1.0 200 OK", headers: [], body: "close" },
      { kind: "body", data: "until close" },
      { kind: "end" },
    ],
  );
  deepEqual(
    parse(
      "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n",
      [],
      response,
    ).map((e) => e.kind === "head" ? e.line : e.kind),
    ["HTTP/1.1 100 Continue", "end", "HTTP/1.1 204 No Content", "end"],
  );
  const p = new HTTPParser(response);
  p.expectNoBody();
  p.push(enc("HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n"));
  equal(p.next()?.kind, "head");
  equal(p.next()?.kind, "end");
});

// Property tests: any split gives the same events; garbage never throws
// and never buffers past the limits.

const token = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,10}$/);
const value = fc.stringMatching(/^[!-~]([ -~]{0,20}[!-~])?$/);
const body = fc.string({ maxLength: 60 });
const request = fc.record({
  method: fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH"),
  path: fc.stringMatching(/^\/[A-Za-z0-9._~%?=&\/-]{0,30}$/),
  headers: fc.array(fc.tuple(token, value), { maxLength: 8 }),
  body,
  chunked: fc.boolean(),
  chunk: fc.integer({ min: 1, max: 20 }),
}).map(({ method, path, headers, body, chunked, chunk }) => {
  const fields = headers.filter(([n]) =>
    !/^(host|content-length|transfer-encoding|expect)$/i.test(n)
  );
  let head = `${method} ${path} HTTP/1.1\r\nHost: h\r\n`;
  for (const [n, v] of fields) head += `${n}: ${v}\r\n`;
  const bytes = new TextEncoder().encode(body);
  if (!chunked) {
    return `${head}Content-Length: ${bytes.length}\r\n\r\n${dec(bytes)}`;
  }
  let out = `${head}Transfer-Encoding: chunked\r\n\r\n`;
  for (let i = 0; i < bytes.length; i += chunk) {
    const piece = bytes.subarray(i, i + chunk);
    out += `${piece.length.toString(16)}\r\n${dec(piece)}\r\n`;
  }
  return out + "0\r\n\r\n";
});

const latin = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

Deno.test("parser: any split of pipelined requests gives the same events", () => {
  fc.assert(
    fc.property(
      fc.array(request, { minLength: 1, maxLength: 4 }),
      fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 6 }),
      (requests, sizes) => {
        const stream = latin(requests.join(""));
        const whole = parse(stream);
        equal(whole.filter((e) => e.kind === "end").length, requests.length);
        ok(whole.every((e) => e.kind !== "error"));
        deepEqual(parse(stream, sizes), whole);
      },
    ),
    { numRuns: 300 },
  );
});

Deno.test("parser: every split point of one request", () => {
  fc.assert(
    fc.property(request, (r) => {
      const stream = latin(r);
      const whole = parse(stream);
      for (let i = 1; i < stream.length; i++) {
        const p = new HTTPParser();
        const out: string[] = [];
        for (const part of [stream.slice(0, i), stream.slice(i)]) {
          p.push(part);
          for (let ev; (ev = p.next()) !== null;) out.push(ev.kind);
        }
        deepEqual(
          out.filter((k) => k !== "data"),
          whole.map((e) => e.kind).filter((k) => k !== "body"),
        );
      }
    }),
    { numRuns: 100 },
  );
});

Deno.test("parser: garbage gives events or one error, never a throw", () => {
  const alphabet = fc.array(
    fc.constantFrom(
      ..."GET /HTP1.0\r\n:; chunkedContent-Length0123456789abcdef\t\0".split(
        "",
      ),
      "Host: h\r\n",
      "Transfer-Encoding: chunked\r\n",
      "Content-Length: 3\r\n",
      "\r\n\r\n",
    ),
    { maxLength: 60 },
  ).map((a) => a.join(""));
  fc.assert(
    fc.property(
      alphabet,
      fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 4 }),
      (input, sizes) => {
        const out = parse(input, sizes, { maxHeaderBytes: 256 });
        const errors = out.filter((e) => e.kind === "error");
        ok(errors.length <= 1);
        if (errors.length === 1) equal(out[out.length - 1].kind, "error");
        // The same outcome at any split.
        deepEqual(parse(input, [], { maxHeaderBytes: 256 }), out);
      },
    ),
    { numRuns: 500 },
  );
});
