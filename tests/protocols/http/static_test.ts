// Copyright 2026 the Torsion authors. MIT license.
// static.File and static.Data, after twisted/web/test/test_static.py: types,
// one range (several: static_ranges_test.ts), conditional requests,
// directories, and never a byte from outside the root.
import { equal, match, ok } from "node:assert/strict";
import {
  denoStaticFiles,
  File,
  type FileOptions,
  type StaticFileSystem,
} from "../../../protocols/http/mod.ts";
import { get, type Parsed, responses, Served } from "./_http_helpers.ts";

interface Tree extends AsyncDisposable {
  base: string;
  root: string;
}

/** base/secret.txt outside, base/root/ served, with links in and out. */
async function makeTree(): Promise<Tree> {
  const base = await Deno.makeTempDir();
  const root = `${base}/root`;
  await Deno.mkdir(`${root}/sub`, { recursive: true });
  await Deno.mkdir(`${root}/empty`);
  await Deno.writeTextFile(`${base}/secret.txt`, "SECRET");
  await Deno.writeTextFile(`${root}/hello.txt`, "hello, world");
  await Deno.writeTextFile(`${root}/page.html`, "<p>page</p>");
  await Deno.writeTextFile(`${root}/noext`, "raw");
  await Deno.writeTextFile(`${root}/sub/index.html`, "<h1>index</h1>");
  await Deno.symlink(`${base}/secret.txt`, `${root}/out.txt`);
  await Deno.symlink(`${base}`, `${root}/outdir`);
  await Deno.symlink(`${root}/hello.txt`, `${root}/in.txt`);
  return {
    base,
    root,
    [Symbol.asyncDispose]: () => Deno.remove(base, { recursive: true }),
  };
}

/** Sends one request and waits for its response to be finished. */
async function fetchOne(
  root: string,
  request: string,
  options: FileOptions = {},
): Promise<{ r: Parsed; s: Served }> {
  const s = new Served(new File(root, options));
  const { promise, resolve } = Promise.withResolvers<void>();
  s.site.log = () => resolve();
  s.send(request);
  await promise;
  const head = request.startsWith("HEAD");
  return { r: responses(s.take(), head)[0], s };
}

Deno.test("static.File: a file with its type, length, ETag, Last-Modified", async () => {
  await using t = await makeTree();
  const { r } = await fetchOne(t.root, get("/hello.txt"));
  equal(r.status, "HTTP/1.1 200 OK");
  equal(r.body, "hello, world");
  equal(r.headers.get("content-type"), "text/plain");
  equal(r.headers.get("content-length"), "12");
  equal(r.headers.get("accept-ranges"), "bytes");
  match(r.headers.get("etag")!, /^"c-[0-9a-f]+"$/);
  match(r.headers.get("last-modified")!, / GMT$/);
  equal(
    (await fetchOne(t.root, get("/page.html"))).r.headers.get(
      "content-type",
    ),
    "text/html",
  );
  equal(
    (await fetchOne(t.root, get("/noext"), { defaultType: "x/y" })).r
      .headers.get("content-type"),
    "x/y",
  );
});

Deno.test("static.File: HEAD has the length and no body", async () => {
  await using t = await makeTree();
  const s = new Served(new File(t.root));
  const { promise, resolve } = Promise.withResolvers<void>();
  let finished = 0;
  s.site.log = () => {
    if (++finished === 2) resolve();
  };
  s.send("HEAD /hello.txt HTTP/1.1\r\nHost: h\r\n\r\n" + get("/noext"));
  await promise;
  const text = s.take();
  const [head, next] = text.split("\r\n\r\n");
  match(head, /Content-Length: 12/);
  ok(next.startsWith("HTTP/1.1 200 OK"));
});

Deno.test("static.File: If-None-Match and If-Modified-Since give 304", async () => {
  await using t = await makeTree();
  const first = (await fetchOne(t.root, get("/hello.txt"))).r;
  const etag = first.headers.get("etag")!;
  const s = new Served(new File(t.root));
  s.send(get("/hello.txt", `If-None-Match: ${etag}\r\n`));
  equal(responses(s.take())[0].status, "HTTP/1.1 304 Not Modified");
  s.send(
    get(
      "/hello.txt",
      `If-Modified-Since: ${first.headers.get("last-modified")}\r\n`,
    ),
  );
  equal(responses(s.take())[0].status, "HTTP/1.1 304 Not Modified");
  const stale = await fetchOne(
    t.root,
    get("/hello.txt", "If-Modified-Since: Thu, 01 Jan 1970 00:00:00 GMT\r\n"),
  );
  equal(stale.r.body, "hello, world");
});

Deno.test("static.File: Range", async () => {
  await using t = await makeTree();
  const part =
    (await fetchOne(t.root, get("/hello.txt", "Range: bytes=2-4\r\n")))
      .r;
  equal(part.status, "HTTP/1.1 206 Partial Content");
  equal(part.body, "llo");
  equal(part.headers.get("content-range"), "bytes 2-4/12");
  const suffix =
    (await fetchOne(t.root, get("/hello.txt", "Range: bytes=-5\r\n")))
      .r;
  equal(suffix.body, "world");
  const open =
    (await fetchOne(t.root, get("/hello.txt", "Range: bytes=7-\r\n")))
      .r;
  equal(open.body, "world");
  const s = new Served(new File(t.root));
  s.send(get("/hello.txt", "Range: bytes=50-\r\n"));
  const bad = responses(s.take())[0];
  equal(bad.status, "HTTP/1.1 416 Range Not Satisfiable");
  equal(bad.headers.get("content-range"), "bytes */12");
});

Deno.test("static.File: directories: slash redirect, index, 403, listing", async () => {
  await using t = await makeTree();
  const s = new Served(new File(t.root));
  s.send(get("/sub") + get("/empty/"));
  const [redirect, forbidden] = responses(s.take());
  equal(redirect.status, "HTTP/1.1 302 Found");
  equal(redirect.headers.get("location"), "/sub/");
  equal(forbidden.status, "HTTP/1.1 403 Forbidden");
  equal((await fetchOne(t.root, get("/sub/"))).r.body, "<h1>index</h1>");
  const root = new Served(new File(t.root));
  root.send(get("/"));
  equal(responses(root.take())[0].status, "HTTP/1.1 403 Forbidden");
  const listed = new Served(new File(t.root, { allowListing: true }));
  listed.send(get("/"));
  const listing = responses(listed.take())[0].body;
  match(listing, /<a href="hello.txt">hello.txt<\/a>/);
  match(listing, /<a href="sub\/">sub\/<\/a>/);
});

Deno.test("static.File: nothing outside the root, however it is asked", async () => {
  await using t = await makeTree();
  const attempts = [
    "/../secret.txt",
    "/%2e%2e/secret.txt",
    "/%2E%2E/secret.txt",
    "/sub/..%2f..%2fsecret.txt",
    "/sub/%2e%2e%2f%2e%2e%2fsecret.txt",
    "/..%5csecret.txt",
    `/${encodeURIComponent(`${t.base}/secret.txt`)}`,
    `/${t.base.slice(1)}/secret.txt`,
    "/out.txt",
    "/outdir/secret.txt",
    "/hello.txt%00.html",
    "/./hello.txt",
  ];
  for (const path of attempts) {
    const s = new Served(new File(t.root));
    s.send(get(path));
    const text = s.take();
    ok(!text.includes("SECRET"), path);
    match(text, /^HTTP\/1.1 404 Not Found/, path);
  }
  // A link that stays inside is served.
  equal((await fetchOne(t.root, get("/in.txt"))).r.body, "hello, world");
});

Deno.test("static.File: a large file streams; a client that goes stops it", async () => {
  await using t = await makeTree();
  const big = "0123456789".repeat(30_000);
  await Deno.writeTextFile(`${t.root}/big.txt`, big);
  const { r } = await fetchOne(t.root, get("/big.txt"));
  equal(r.headers.get("content-length"), "300000");
  equal(r.body, big);

  // Gone while streaming: the file is closed, nothing more is written.
  const { promise: closed, resolve } = Promise.withResolvers<void>();
  const fileSystem: StaticFileSystem = {
    ...denoStaticFiles,
    open(path) {
      const reader = denoStaticFiles.open(path);
      return {
        read: (buffer) => reader.read(buffer),
        seek: (offset) => reader.seek(offset),
        close() {
          reader.close();
          resolve();
        },
      };
    },
  };
  const s = new Served(new File(t.root, { fileSystem }));
  s.send(get("/big.txt"));
  s.lose();
  await closed;
  equal(s.take(), "");
});
