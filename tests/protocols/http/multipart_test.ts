// Copyright 2026 the Torsion authors. MIT license.
// Form arguments byte for byte: multipart/form-data as Twisted's
// cgi.parse_multipart finds it (test_http.py's multipart tests), query and
// urlencoded values as bytes (Request.argsBytes), file fields with their
// name and type (Request.files), and malformed bodies answered.
import { deepEqual, equal, match, ok, throws } from "node:assert/strict";
import fc from "fast-check";
import { captureLog } from "../../../reactor/testing/mod.ts";
import {
  type FormFile,
  type Request,
  Resource,
} from "../../../protocols/http/mod.ts";
import {
  MultipartError,
  parseMultipart,
} from "../../../protocols/http/_multipart.ts";
import {
  enc,
  get,
  MemoryTemporaryFiles,
  responses,
  Served,
} from "./_http_helpers.ts";

/** Keeps the arguments each request had; answers "done". */
class Keep extends Resource {
  override isLeaf = true;
  args: Map<string, string[]>[] = [];
  argsBytes: Map<string, Uint8Array[]>[] = [];
  files: Map<string, FormFile[]>[] = [];
  #keep(request: Request): string {
    this.args.push(request.args);
    this.argsBytes.push(request.argsBytes);
    this.files.push(request.files);
    return "done";
  }
  renderGET(request: Request): string {
    return this.#keep(request);
  }
  renderPOST(request: Request): string {
    return this.#keep(request);
  }
}

function concat(...parts: (Uint8Array | string)[]): Uint8Array {
  const arrays = parts.map((p) => typeof p === "string" ? enc(p) : p);
  const out = new Uint8Array(arrays.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of arrays) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

function postOf(body: Uint8Array, contentType: string): Uint8Array {
  return concat(
    `POST /form HTTP/1.1\r\nHost: h\r\nContent-Type: ${contentType}\r\nContent-Length: ${body.length}\r\n\r\n`,
    body,
  );
}

const BOUNDARY = "----TorsionBoundary7MA4YWxk";

/**
 * Every byte value, then line breaks, dashes and the boundary in every way
 * that is not a delimiter line, and a final line break of its own.
 */
function binaryPayload(): Uint8Array {
  const b = BOUNDARY;
  return concat(
    Uint8Array.from({ length: 256 }, (_, i) => i),
    "\r\n",
    `--${b}x\r\n`, // At a line start, then more on the line.
    `--${b} \tx\n`, // Padding, then more.
    `--${b}-\r\n`, // One dash is not the closing two.
    `x--${b}--\r\n`, // Not at a line start.
    `\r--${b}\r\n`, // After a bare CR.
    `--${b.slice(0, -1)}\r\n`, // A prefix of it.
    `\r\n--${b.toLowerCase()}\r\n`, // Boundaries are case-sensitive.
    "\r\n\r\n\r\n",
    Uint8Array.from({ length: 256 }, (_, i) => 255 - i),
    "\r\n",
  );
}

Deno.test("multipart: a binary file comes through byte for byte, with its name and type, at every chunk size", () => {
  const file = binaryPayload();
  const body = concat(
    "preamble, skipped\r\n",
    `--${BOUNDARY}\r\n`,
    'Content-Disposition: form-data; name="title"\r\n',
    "\r\n",
    "caf\u00e9",
    `\r\n--${BOUNDARY}\r\n`,
    'Content-Disposition: form-data; name="upload"; filename="all bytes.bin"\r\n',
    "Content-Type: Application/Octet-Stream; x=1\r\n",
    "\r\n",
    file,
    `\r\n--${BOUNDARY}--\r\n`,
    "epilogue, skipped",
  );
  const input = postOf(body, `multipart/form-data; boundary=${BOUNDARY}`);
  for (let size = 1; size <= input.length; size += size < 64 ? 1 : 97) {
    const what = `chunk size ${size}`;
    const keep = new Keep();
    const s = new Served(keep);
    s.send(input, size);
    equal(responses(s.take())[0].body, "done", what);
    equal(keep.argsBytes[0].get("upload")?.[0].length, file.length, what);
    deepEqual(keep.argsBytes[0].get("upload"), [file], what);
    deepEqual(keep.args[0].get("title"), ["caf\u00e9"], what);
    deepEqual(keep.argsBytes[0].get("title"), [enc("caf\u00e9")], what);
    deepEqual(keep.files[0].get("upload"), [{
      filename: "all bytes.bin",
      type: "application/octet-stream",
      value: file,
    }], what);
    equal(keep.files[0].has("title"), false, what);
  }
});

/** Twisted's test_http.py bodies use LF; its runRequest sends them as CRLF. */
function crlf(s: string): string {
  return s.replaceAll("\n", "\r\n");
}

Deno.test("multipart: Twisted's test_multipartFormData and test_multipartFileData", () => {
  const keep = new Keep();
  const s = new Served(keep);
  const form = crlf(`--AaB03x
Content-Type: text/plain
Content-Disposition: form-data; name="text"
Content-Transfer-Encoding: quoted-printable

abasdfg
--AaB03x--
`);
  const fileBody = crlf(
    `-----------------------------738837029596785559389649595
Content-Disposition: form-data; name="uploadedfile"; filename="test"
Content-Type: application/octet-stream

abasdfg
-----------------------------738837029596785559389649595--
`,
  );
  s.send(concat(
    postOf(enc(form), "multipart/form-data; boundary=AaB03x"),
    postOf(
      enc(fileBody),
      "multipart/form-data; boundary=---------------------------738837029596785559389649595",
    ),
  ));
  deepEqual(responses(s.take()).map((r) => r.body), ["done", "done"]);
  deepEqual([...keep.argsBytes[0]], [["text", [enc("abasdfg")]]]);
  deepEqual([...keep.argsBytes[1]], [["uploadedfile", [enc("abasdfg")]]]);
  deepEqual(keep.files[1].get("uploadedfile")?.[0].filename, "test");
});

Deno.test("multipart: Twisted's test_multipartEmptyHeaderProcessingFailure: a part without headers is skipped", () => {
  const keep = new Keep();
  const s = new Served(keep);
  s.send(postOf(
    enc("--AaBb1313\r\n\r\n--AaBb1313--\r\n"),
    "multipart/form-data; boundary=AaBb1313",
  ));
  equal(responses(s.take())[0].body, "done");
  deepEqual([...keep.args[0]], []);
});

const BAD_BOUNDARIES: [string, string][] = [
  ["no boundary parameter", "multipart/form-data"],
  ["an empty boundary", 'multipart/form-data; boundary=""'],
  // Twisted's test_multipartProcessingFailure: UTF-8, not ASCII.
  [
    "a boundary that is not ASCII",
    "multipart/form-data; boundary=\u00e2\u0098\u0083",
  ],
  [
    "a boundary of 202 characters",
    `multipart/form-data; boundary=${"b".repeat(202)}`,
  ],
  ["a boundary ending with a space", 'multipart/form-data; boundary="ab "'],
];

for (const [name, contentType] of BAD_BOUNDARIES) {
  Deno.test(`multipart: ${name} is a 400 and a close, logged; the site goes on`, () => {
    using logs = captureLog();
    const keep = new Keep();
    const files = new MemoryTemporaryFiles();
    const s = new Served(keep, { bodySpoolSize: 16, temporaryFiles: files });
    const body = enc(
      '--b\r\nContent-Disposition: form-data; name="a"\r\n\r\nx\r\n--b--\r\n',
    );
    // Latin-1 text on the wire, as the head is read.
    const head = Uint8Array.from(
      `POST /form HTTP/1.1\r\nHost: h\r\nContent-Type: ${contentType}\r\nContent-Length: ${body.length}\r\n\r\n`,
      (c) => c.charCodeAt(0),
    );
    s.send(concat(head, body, get("/form")));
    const [r, ...rest] = responses(s.take());
    equal(r.status, "HTTP/1.1 400 Bad Request");
    equal(r.headers.get("connection"), "close");
    deepEqual(rest, []); // The pipelined GET is not served.
    ok(s.transport.disconnecting);
    deepEqual(keep.args, []); // Nothing was rendered.
    equal(files.open.length, 0);
    const [failure] = logs.flushLoggedErrors(MultipartError);
    match(String(failure?.value), /Cannot parse a multipart\/form-data body/);
    // Another connection is served.
    const next = new Served(keep);
    next.send(get("/form?x=1"));
    equal(responses(next.take())[0].body, "done");
  });
}

Deno.test("multipart: a body without its closing delimiter keeps its parts, and the log says so", () => {
  for (const ending of ["x\r\n", "x\n", "x", "x\r\n--b"]) {
    using logs = captureLog();
    const keep = new Keep();
    const s = new Served(keep);
    s.send(postOf(
      enc(
        '--b\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n' +
          '--b\r\nContent-Disposition: form-data; name="z"\r\n\r\n' + ending,
      ),
      "multipart/form-data; boundary=b",
    ));
    equal(responses(s.take())[0].body, "done");
    // Up to the end, less one line break (cgi's reading); a delimiter line
    // cut short is a delimiter with nothing after it.
    deepEqual(keep.args[0].get("a"), ["1"]);
    deepEqual(keep.args[0].get("z"), ["x"], JSON.stringify(ending));
    ok(
      logs.messages.includes(
        "A multipart/form-data body in POST /form ends without its closing boundary: its last part runs to the end",
      ),
    );
    equal(s.transport.disconnecting, false);
  }
});

Deno.test("multipart: what cgi accepts: LF lines, padding, quoted parameters, parts without a name", () => {
  const keep = new Keep();
  const s = new Served(keep);
  const body = [
    "--a;b", // Quoted in the header, so the ";" is the boundary's.
    'Content-Disposition: form-data; name="semi;colon"; filename="q\\"uote.txt"',
    "",
    "one",
    "--a;b \t", // Padding after the delimiter.
    "Content-Disposition: form-data; name=bare",
    "",
    "two",
    "--a;b",
    "Content-Disposition: form-data", // No name: dropped.
    "",
    "three",
    "--a;b",
    "Content-Type: text/plain", // No disposition: dropped.
    "",
    "four",
    "--a;b--",
    "",
  ].join("\n");
  s.send(
    postOf(enc(body), 'multipart/form-data; charset=utf-8; BOUNDARY="a;b"'),
  );
  equal(responses(s.take())[0].body, "done");
  deepEqual([...keep.args[0]], [["semi;colon", ["one"]], ["bare", ["two"]]]);
  deepEqual(keep.files[0].get("semi;colon"), [{
    filename: 'q"uote.txt',
    type: "text/plain",
    value: enc("one"),
  }]);
});

Deno.test("multipart: a body spooled to a temporary file is parsed the same", () => {
  const file = binaryPayload();
  const big = concat(...Array.from({ length: 200 }, () => file));
  const body = concat(
    `--${BOUNDARY}\r\n`,
    'Content-Disposition: form-data; name="f"; filename="big"\r\n\r\n',
    big,
    `\r\n--${BOUNDARY}--\r\n`,
  );
  const keep = new Keep();
  const files = new MemoryTemporaryFiles();
  const s = new Served(keep, { temporaryFiles: files });
  s.send(postOf(body, `multipart/form-data; boundary="${BOUNDARY}"`), 65536);
  equal(responses(s.take())[0].body, "done");
  equal(files.files.length, 1);
  equal(files.open.length, 0);
  equal(keep.argsBytes[0].get("f")?.[0].length, big.length);
  deepEqual(keep.argsBytes[0].get("f"), [big]);
});

Deno.test("args: query and urlencoded values as bytes in argsBytes, as UTF-8 text in args", () => {
  const keep = new Keep();
  const s = new Served(keep);
  const form = enc(
    "b=%00%FF%0D%0A&b=caf%C3%A9&plus=a+b%2B&empty=&bare&&%zz=%4",
  );
  s.send(concat(
    get("/form?q=%FF&q=%E2%82%AC"),
    postOf(form, "application/x-www-form-urlencoded"),
  ));
  deepEqual(responses(s.take()).map((r) => r.body), ["done", "done"]);
  deepEqual([...keep.argsBytes[0]], [["q", [
    Uint8Array.of(0xff),
    Uint8Array.of(0xe2, 0x82, 0xac),
  ]]]);
  deepEqual([...keep.args[0]], [["q", ["\ufffd", "\u20ac"]]]);
  deepEqual([...keep.argsBytes[1]], [
    ["b", [Uint8Array.of(0, 255, 13, 10), enc("caf\u00e9")]],
    ["plus", [enc("a b+")]],
    ["empty", [enc("")]],
    ["bare", [enc("")]],
    ["%zz", [enc("%4")]], // Malformed escapes stay as they are.
  ]);
  deepEqual([...keep.args[1]], [
    ["b", ["\u0000\ufffd\r\n", "caf\u00e9"]],
    ["plus", ["a b+"]],
    ["empty", [""]],
    ["bare", [""]],
    ["%zz", ["%4"]],
  ]);
});

Deno.test("parseMultipart: any value comes back exactly when no line of it is a delimiter", () => {
  const boundary = "XyZ";
  const pieces = fc.constantFrom(
    "\r\n",
    "\n",
    "\r",
    "-",
    "--",
    boundary,
    `--${boundary}`,
    `\n--${boundary}`,
    `\r\n--${boundary}`,
    " ",
    "\t",
    "x",
  ).map(enc);
  const value = fc.array(
    fc.oneof(pieces, fc.uint8Array({ maxLength: 8 })),
    { maxLength: 30 },
  ).map((parts) => concat(...parts));
  // A line of the value that is a delimiter line would end it: a client
  // picks a boundary that does not occur.
  const delimiterLine = new RegExp(
    `(^|\\n)--${boundary}(--)?[ \\t]*(\\r?\\n|$)`,
  );
  fc.assert(
    fc.property(value, value, (a, b) => {
      const latin1 = (x: Uint8Array) => String.fromCharCode(...x);
      fc.pre(!delimiterLine.test(latin1(a)) && !delimiterLine.test(latin1(b)));
      const body = concat(
        `--${boundary}\r\nContent-Disposition: form-data; name="a"\r\n\r\n`,
        a,
        `\r\n--${boundary}\r\nContent-Disposition: form-data; name="b"\r\n\r\n`,
        b,
        `\r\n--${boundary}--\r\n`,
      );
      const { parts, closed } = parseMultipart(
        body,
        `multipart/form-data; boundary=${boundary}`,
      );
      ok(closed);
      deepEqual(parts.map((p) => [p.name, p.value]), [["a", a], ["b", b]]);
    }),
    { numRuns: 2000 },
  );
});

Deno.test("parseMultipart: the errors Twisted answers with 400", () => {
  throws(
    () => parseMultipart(new Uint8Array(0), "multipart/form-data"),
    (e) => e instanceof MultipartError && e instanceof SyntaxError,
  );
  // A body that is not multipart at all has no fields (cgi: {}).
  deepEqual(
    parseMultipart(enc("hello"), "multipart/form-data; boundary=b"),
    { parts: [], closed: false },
  );
});
