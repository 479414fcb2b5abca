// Copyright 2026 the Torsion authors. MIT license.
// Request bodies: in memory under the site's bodySpoolSize, in a temporary
// file from there (Twisted's Request.gotLength and _getContentFile), closed
// on every path, byte-exact at every chunk size.
import { deepEqual, equal, match, ok, throws } from "node:assert/strict";
import { captureLog } from "../../../reactor/testing/mod.ts";
import {
  denoTemporaryFiles,
  NOT_DONE_YET,
  Request,
  RequestContent,
  Resource,
  type SiteOptions,
  type TemporaryFile,
} from "../../../protocols/http/mod.ts";
import {
  enc,
  MemoryTemporaryFile,
  MemoryTemporaryFiles,
  responses,
  Served,
} from "./_http_helpers.ts";

/** Keeps what each POST saw of its body; answers with the body's length. */
class Keep extends Resource {
  override isLeaf = true;
  bodies: Uint8Array[] = [];
  spooled: boolean[] = [];
  contents: RequestContent[] = [];
  renderPOST(request: Request): string {
    this.contents.push(request.content);
    this.spooled.push(request.content.spooled);
    const body = request.content.read();
    this.bodies.push(body);
    return String(body.length);
  }
}

/** `n` bytes that are not all alike (every byte value, CR and LF among them). */
function bytes(n: number, seed = 0): Uint8Array {
  return Uint8Array.from(
    { length: n },
    (_, i) => (i * 31 + seed + (i >> 8)) & 255,
  );
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** A POST of `body`, with a Content-Length or chunked (pieces of `piece`). */
function post(body: Uint8Array, chunked: boolean, piece = 7): Uint8Array {
  if (!chunked) {
    return concat(
      enc(
        `POST /up HTTP/1.1\r\nHost: h\r\nContent-Length: ${body.length}\r\n\r\n`,
      ),
      body,
    );
  }
  const parts = [
    enc("POST /up HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"),
  ];
  for (let i = 0; i < body.length; i += piece) {
    const c = body.subarray(i, i + piece);
    parts.push(enc(`${c.length.toString(16)}\r\n`), c, enc("\r\n"));
  }
  parts.push(enc("0\r\n\r\n"));
  return concat(...parts);
}

function serve(options: SiteOptions = {}) {
  const keep = new Keep();
  const files = new MemoryTemporaryFiles();
  const s = new Served(keep, { temporaryFiles: files, ...options });
  return { keep, files, s };
}

Deno.test("request body: under bodySpoolSize in memory, from it in a file, at every chunk size", () => {
  for (const chunked of [false, true]) {
    for (const length of [15, 16, 17, 40]) {
      const body = bytes(length, length);
      const input = post(body, chunked, 5);
      for (let size = 1; size <= input.length; size++) {
        const { keep, files, s } = serve({ bodySpoolSize: 16 });
        s.send(input, size);
        const what = `chunked ${chunked}, length ${length}, chunk size ${size}`;
        const [r] = responses(s.take());
        equal(r.body, String(length), what);
        deepEqual(keep.bodies, [body], what);
        deepEqual(keep.spooled, [length >= 16], what);
        equal(files.files.length, length >= 16 ? 1 : 0, what);
        if (length >= 16) deepEqual(files.files[0].data, body, what);
        equal(files.open.length, 0, what);
        ok(keep.contents[0].closed, what);
      }
    }
  }
});

Deno.test("request body: Twisted's 100000 bytes is the default threshold", () => {
  for (const chunked of [false, true]) {
    for (const length of [99_999, 100_000, 100_001]) {
      const body = bytes(length, 3);
      const input = post(body, chunked, 4093);
      for (const size of [1009, 4096, 65536, Infinity]) {
        const { keep, files, s } = serve();
        s.send(input, size);
        const what = `chunked ${chunked}, length ${length}, chunk size ${size}`;
        equal(responses(s.take())[0].body, String(length), what);
        equal(keep.bodies[0].length, length, what);
        deepEqual(keep.bodies[0], body, what);
        deepEqual(keep.spooled, [length >= 100_000], what);
        equal(files.open.length, 0, what);
      }
    }
  }
});

Deno.test("request body: a Content-Length past the threshold spools from the first byte, a chunked one on reaching it", () => {
  const sized = serve({ bodySpoolSize: 100 });
  const head = "POST /up HTTP/1.1\r\nHost: h\r\nContent-Length: 150\r\n\r\n";
  sized.s.send(head);
  equal(sized.files.files.length, 0); // Not before a byte of the body.
  sized.s.send(bytes(10));
  equal(sized.files.files.length, 1);
  deepEqual(sized.files.files[0].data, bytes(10));
  sized.s.lose();
  equal(sized.files.open.length, 0);

  const chunked = serve({ bodySpoolSize: 100 });
  const body = bytes(120);
  chunked.s.send(
    "POST /up HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n",
  );
  chunked.s.send(concat(enc("28\r\n"), body.subarray(0, 40), enc("\r\n")));
  chunked.s.send(concat(enc("28\r\n"), body.subarray(40, 80), enc("\r\n")));
  equal(chunked.files.files.length, 0); // 80 bytes: in memory.
  chunked.s.send(concat(enc("28\r\n"), body.subarray(80), enc("\r\n")));
  equal(chunked.files.files.length, 1); // 120: in the file, all of it.
  deepEqual(chunked.files.files[0].data, body);
  chunked.s.send("0\r\n\r\n");
  deepEqual(chunked.keep.bodies, [body]);
  deepEqual(chunked.keep.spooled, [true]);
  equal(chunked.files.open.length, 0);
});

Deno.test("request body: a client that goes mid-body closes the file; nothing is rendered", () => {
  for (const chunked of [false, true]) {
    const { keep, files, s } = serve({ bodySpoolSize: 16 });
    const input = post(bytes(100), chunked);
    s.send(input.subarray(0, input.length - 20));
    equal(files.files.length, 1);
    equal(files.open.length, 1);
    s.lose();
    equal(files.open.length, 0, `chunked ${chunked}`);
    deepEqual(keep.bodies, []);
  }
});

/** Reads the body, then throws. */
class Throws extends Resource {
  override isLeaf = true;
  content: RequestContent | null = null;
  renderPOST(request: Request): string {
    this.content = request.content;
    request.content.read();
    throw new Error("render failed");
  }
}

Deno.test("request body: a render that throws gets its 500 and the file is closed", () => {
  using logs = captureLog();
  const files = new MemoryTemporaryFiles();
  const throwing = new Throws();
  const s = new Served(throwing, { bodySpoolSize: 16, temporaryFiles: files });
  s.send(post(bytes(50), false));
  equal(responses(s.take())[0].status, "HTTP/1.1 500 Internal Server Error");
  equal(logs.flushLoggedErrors().length, 1);
  equal(files.files.length, 1);
  equal(files.open.length, 0);
  ok(throwing.content!.closed);
  equal(s.transport.disconnecting, false); // The connection goes on.
});

/** Answers when told to. */
class Later extends Resource {
  override isLeaf = true;
  pending: Request[] = [];
  renderPOST(request: Request): typeof NOT_DONE_YET {
    this.pending.push(request);
    return NOT_DONE_YET;
  }
}

Deno.test("request body: the file stays open until the response is finished, then reads throw", () => {
  const files = new MemoryTemporaryFiles();
  const later = new Later();
  const s = new Served(later, { bodySpoolSize: 16, temporaryFiles: files });
  const body = bytes(64);
  s.send(post(body, true));
  const [request] = later.pending;
  equal(files.open.length, 1);
  deepEqual(request.content.read(10), body.subarray(0, 10));
  deepEqual(request.content.read(), body.subarray(10));
  request.write("ok");
  equal(files.open.length, 1);
  request.finish();
  equal(files.open.length, 0);
  throws(
    () => request.content.read(),
    /Cannot read a request body: it is closed/,
  );
});

Deno.test("request body: a failure after the head closes the file with the connection", () => {
  using logs = captureLog();
  const files = new MemoryTemporaryFiles();
  const later = new Later();
  const s = new Served(later, { bodySpoolSize: 16, temporaryFiles: files });
  s.send(post(bytes(64), false));
  later.pending[0].write("part");
  later.pending[0].processingFailed(new Error("late"));
  equal(logs.flushLoggedErrors().length, 1);
  ok(s.transport.disconnecting);
  equal(files.open.length, 0);
  s.lose();
  equal(files.open.length, 0);
});

Deno.test("request body: maxBodySize still answers 413, with no file left open", () => {
  const sized = serve({ bodySpoolSize: 16, maxBodySize: 64 });
  sized.s.send(post(bytes(65), false));
  match(sized.s.take(), /^HTTP\/1.1 413 /);
  ok(sized.s.transport.disconnecting);
  equal(sized.files.files.length, 0); // Refused before a byte was stored.

  const chunked = serve({ bodySpoolSize: 16, maxBodySize: 64 });
  chunked.s.send(post(bytes(100), true, 30));
  match(chunked.s.take(), /^HTTP\/1.1 413 /);
  ok(chunked.s.transport.disconnecting);
  equal(chunked.files.files.length, 1); // 60 bytes were spooled, then 90 > 64.
  equal(chunked.files.open.length, 0);
  deepEqual(chunked.keep.bodies, []);
});

Deno.test("request body: without a temporary file it stays in memory, and the log says why", () => {
  using logs = captureLog();
  const { keep, files, s } = serve({ bodySpoolSize: 16 });
  files.failCreate = true;
  const body = bytes(200);
  s.send(post(body, true, 16), 3);
  equal(responses(s.take())[0].body, "200");
  deepEqual(keep.bodies, [body]);
  deepEqual(keep.spooled, [false]);
  ok(
    logs.messages.includes(
      "Cannot spool a request body to a temporary file: keeping it in memory",
    ),
  );
  equal(logs.flushLoggedErrors(Deno.errors.NotCapable).length, 1);
  equal(files.files.length, 0);
});

Deno.test("request body: a file that cannot be written is a 500 and a close; the site goes on", () => {
  using logs = captureLog();
  const { keep, files, s } = serve({ bodySpoolSize: 16 });
  files.failWrites = true;
  s.send(post(bytes(40), false));
  match(s.take(), /^HTTP\/1.1 500 Internal Server Error\r\n/);
  ok(s.transport.disconnecting);
  equal(files.files.length, 1);
  equal(files.open.length, 0);
  deepEqual(keep.bodies, []);
  ok(logs.messages.includes("Cannot store a request body"));
  equal(logs.flushLoggedErrors().length, 1);
  // Another connection to the same site, once the disk has room.
  files.failWrites = false;
  const next = new Served(keep, { bodySpoolSize: 16, temporaryFiles: files });
  next.send(post(bytes(40), false));
  equal(responses(next.take())[0].body, "40");
});

Deno.test("request body: pipelined requests each get their own file", () => {
  const { keep, files, s } = serve({ bodySpoolSize: 16 });
  const a = bytes(30, 1);
  const b = bytes(50, 2);
  const c = bytes(5, 3);
  s.send(concat(post(a, false), post(b, true), post(c, false)), 11);
  deepEqual(responses(s.take()).map((r) => r.body), ["30", "50", "5"]);
  deepEqual(keep.bodies, [a, b, c]);
  deepEqual(keep.spooled, [true, true, false]);
  equal(files.files.length, 2);
  equal(files.open.length, 0);
});

/**
 * Deno's temporary files in `dir`, counting those made and those closed
 * (the resource sanitizer checks that a close does release the file).
 */
function countedTemporaryFiles(dir: string) {
  const files = denoTemporaryFiles({ dir });
  const counts = { made: 0, closed: 0 };
  return {
    counts,
    create(): TemporaryFile {
      const file = files.create();
      counts.made++;
      return {
        write: (data) => file.write(data),
        read: (buffer) => file.read(buffer),
        seek: (offset) => file.seek(offset),
        close() {
          counts.closed++;
          file.close();
        },
      };
    },
  };
}

Deno.test("request body: Deno's temporary files have no name while open, and are closed on finish and on a drop", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const temporaryFiles = countedTemporaryFiles(dir);
    const { counts } = temporaryFiles;
    const later = new Later();
    const s = new Served(later, { bodySpoolSize: 16, temporaryFiles });
    const body = bytes(70_000);
    s.send(post(body, false), 65536);
    const [request] = later.pending;
    ok(request.content.spooled);
    deepEqual(counts, { made: 1, closed: 0 });
    // Removed at once: nothing is left in the directory, even open.
    deepEqual(await Array.fromAsync(Deno.readDir(dir)), []);
    deepEqual(request.content.read(), body);
    request.finish();
    deepEqual(counts, { made: 1, closed: 1 });

    // A client that goes mid-body.
    const gone = new Served(later, { bodySpoolSize: 16, temporaryFiles });
    gone.send(post(body, true, 4096).subarray(0, 50_000));
    deepEqual(counts, { made: 2, closed: 1 });
    gone.lose();
    deepEqual(counts, { made: 2, closed: 2 });
    deepEqual(await Array.fromAsync(Deno.readDir(dir)), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("denoTemporaryFiles: a file made but not opened is removed", async () => {
  // With write access and no read access, the file is made, then cannot be
  // opened for reading and writing.
  const dir = await Deno.makeTempDir();
  try {
    const module = new URL(
      "../../../reactor/backends/deno/deno_temporary_files.ts",
      import.meta.url,
    ).href;
    const script = `
      import { denoTemporaryFiles } from ${JSON.stringify(module)};
      try {
        denoTemporaryFiles({ dir: ${JSON.stringify(dir)} }).create();
        console.log("opened");
      } catch (e) {
        console.log(e.name);
      }`;
    const main = await Deno.makeTempFile({ suffix: ".ts" });
    await Deno.writeTextFile(main, script);
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--no-prompt", `--allow-write=${dir}`, main],
      stdout: "piped",
      stderr: "piped",
    }).output();
    await Deno.remove(main);
    equal(new TextDecoder().decode(out.stdout).trim(), "NotCapable");
    deepEqual(await Array.fromAsync(Deno.readDir(dir)), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("Request: one made in a test has an empty body", () => {
  const request = new Request();
  equal(request.content.length, 0);
  deepEqual(request.content.read(), new Uint8Array(0));
  deepEqual([...request.argsBytes], []);
});

/** A file whose reads return at most 3 bytes. */
function trickle(): MemoryTemporaryFile {
  const file = new MemoryTemporaryFile();
  file.maxRead = 3;
  return file;
}

Deno.test("RequestContent: read, seek and tell as a file, in memory and spooled", () => {
  for (const spoolSize of [Infinity, 1]) {
    const file = trickle();
    const content = new RequestContent({
      spoolSize,
      temporaryFiles: { create: () => file },
    });
    content.write(enc("hello, "));
    content.write(enc("world"));
    equal(content.spooled, spoolSize === 1);
    equal(content.length, 12);
    equal(content.tell(), 0);
    deepEqual(content.read(5), enc("hello"));
    equal(content.tell(), 5);
    deepEqual(content.read(0), enc(""));
    deepEqual(content.read(), enc(", world"));
    deepEqual(content.read(), enc(""));
    equal(content.seek(-5, 2), 7);
    deepEqual(content.read(100), enc("world"));
    equal(content.seek(-3, 1), 9);
    deepEqual(content.read(-1), enc("rld"));
    equal(content.seek(50), 50);
    deepEqual(content.read(), enc(""));
    throws(() => content.seek(-1), RangeError);
    // A read gives a copy: changing it changes nothing.
    content.seek(0);
    content.read(5).fill(0);
    content.seek(0);
    deepEqual(content.read(5), enc("hello"));
    // Writes append, whatever the position.
    content.seek(2);
    content.write(enc("!"));
    deepEqual(content.read(), enc("llo, world!"));
    content.close();
    content.close();
    ok(content.closed);
    equal(file.closed, spoolSize === 1);
    throws(() => content.read(), /Cannot read a request body: it is closed/);
    throws(() => content.write(enc("x")), /Cannot write to a request body/);
  }
});

Deno.test("RequestContent: a temporary file that ends early is an error, not short data", () => {
  const file = trickle();
  const content = new RequestContent({
    length: 10,
    spoolSize: 10,
    temporaryFiles: { create: () => file },
  });
  content.write(enc("0123456789"));
  ok(content.spooled);
  file.truncate = true;
  throws(
    () => content.read(),
    /Cannot read a request body: its temporary file ended at 9 of 10 bytes/,
  );
});
