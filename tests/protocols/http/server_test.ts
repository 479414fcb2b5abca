// Copyright 2026 the Torsion authors. MIT license.
// Site, HTTPChannel, Request and Resource on a StringTransport and a Clock,
// after twisted/web/test/test_web.py, test_http.py and test_resource.py.
import { deepEqual, equal, match, ok, throws } from "node:assert/strict";
import { Deferred } from "../../../defer/deferred.ts";
import { captureLog } from "../../../reactor/testing/mod.ts";
import {
  CACHED,
  combinedLogFormatter,
  Data,
  ErrorPage,
  getChildForRequest,
  Headers,
  NoResource,
  NOT_DONE_YET,
  Redirect,
  Request,
  Resource,
} from "../../../protocols/http/mod.ts";
import { enc, get, responses, Served } from "./_http_helpers.ts";

class Echo extends Resource {
  override isLeaf = true;
  renderGET(request: Request): string {
    return `GET ${request.path} ${JSON.stringify([...request.args])} ${
      JSON.stringify({ pre: request.prepath, post: request.postpath })
    }`;
  }
  renderPOST(request: Request): string {
    return `POST ${new TextDecoder().decode(request.content.read())} ${
      JSON.stringify([...request.args])
    }`;
  }
}

/** Answers when told to: `pending` holds the unanswered requests. */
class Later extends Resource {
  override isLeaf = true;
  pending: Request[] = [];
  renderGET(request: Request): typeof NOT_DONE_YET {
    this.pending.push(request);
    return NOT_DONE_YET;
  }
}

function tree(): { root: Resource; later: Later } {
  const root = new Resource();
  const later = new Later();
  root.putChild("echo", new Echo());
  root.putChild("later", later);
  root.putChild("data", new Data("some data", "text/plain"));
  root.putChild("", new Data("index", "text/plain"));
  return { root, later };
}

Deno.test("server: a GET gets status, Server, Date, type and length", () => {
  const s = new Served(tree().root);
  s.send(get("/echo/a%20b/c?x=1&x=2&y="));
  const [r] = responses(s.take());
  equal(r.status, "HTTP/1.1 200 OK");
  match(r.headers.get("server")!, /^TorsionWeb\//);
  match(r.headers.get("date")!, /^\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT$/);
  equal(r.headers.get("content-type"), "text/html");
  equal(Number(r.headers.get("content-length")), enc(r.body).length);
  equal(
    r.body,
    'GET /echo/a%20b/c [["x",["1","2"]],["y",[""]]] {"pre":["echo"],"post":["a b","c"]}',
  );
  equal(s.transport.disconnecting, false);
});

Deno.test("server: an absolute-form target is served by its path", () => {
  const s = new Served(tree().root);
  s.send(
    "GET http://example.com/echo/x?q=1 HTTP/1.1\r\nHost: example.com\r\n\r\n" +
      "GET http://example.com HTTP/1.1\r\nHost: example.com\r\n\r\n",
  );
  const [echo, index] = responses(s.take());
  match(echo.body, /^GET \/echo\/x \[\["q",\["1"\]\]\]/);
  equal(index.body, "index");
});

Deno.test("server: the trailing-slash child and static children", () => {
  const s = new Served(tree().root);
  s.send(get("/") + get("/data"));
  deepEqual(responses(s.take()).map((r) => r.body), ["index", "some data"]);
});

Deno.test("server: HEAD is GET without the body, with its length", () => {
  const s = new Served(tree().root);
  s.send(get("/echo/x"));
  const length = responses(s.take())[0].headers.get("content-length");
  s.send(`HEAD /echo/x HTTP/1.1\r\nHost: h\r\n\r\n` + get("/data"));
  const text = s.take();
  const end = text.indexOf("\r\n\r\n");
  const head = text.slice(0, end);
  match(head, new RegExp(`Content-Length: ${length}$`));
  // The next response follows the head directly.
  ok(text.slice(end + 4).startsWith("HTTP/1.1 200 OK"));
});

Deno.test("server: 404, and 405 with Allow", () => {
  const s = new Served(tree().root);
  s.send(get("/nowhere") + "DELETE /echo HTTP/1.1\r\nHost: h\r\n\r\n");
  const [missing, notAllowed] = responses(s.take());
  equal(missing.status, "HTTP/1.1 404 Not Found");
  match(missing.body, /No Such Resource/);
  equal(notAllowed.status, "HTTP/1.1 405 Method Not Allowed");
  equal(notAllowed.headers.get("allow"), "GET, HEAD, POST");
  match(notAllowed.body, /the method &quot;DELETE&quot;/);
});

Deno.test("server: urlencoded and multipart forms fill args", () => {
  const s = new Served(tree().root);
  const form = "a=1&b=two+words&a=%C3%A9";
  s.send(
    `POST /echo?q=z HTTP/1.1\r\nHost: h\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${form.length}\r\n\r\n${form}`,
  );
  const multipart = [
    "--XyZ",
    'Content-Disposition: form-data; name="f"',
    "",
    "field value",
    "--XyZ",
    'Content-Disposition: form-data; name="up"; filename="a.txt"',
    "Content-Type: text/plain",
    "",
    "line1\r\nline2",
    "--XyZ--",
    "",
  ].join("\r\n");
  s.send(
    `POST /echo HTTP/1.1\r\nHost: h\r\nContent-Type: multipart/form-data; boundary=XyZ\r\nContent-Length: ${multipart.length}\r\n\r\n${multipart}`,
  );
  const [a, b] = responses(s.take());
  equal(
    a.body,
    `POST ${form} [["q",["z"]],["a",["1","é"]],["b",["two words"]]]`,
  );
  ok(b.body.endsWith('[["f",["field value"]],["up",["line1\\r\\nline2"]]]'));
});

Deno.test("server: a chunked request body", () => {
  const s = new Served(tree().root);
  s.send(
    "POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n",
    1,
  );
  equal(responses(s.take())[0].body, "POST abcde []");
});

Deno.test("server: pipelined requests are answered in order", () => {
  const { root, later } = tree();
  const s = new Served(root);
  s.send(get("/later") + get("/data") + get("/later") + get("/echo"));
  equal(s.take(), "");
  equal(later.pending.length, 1);
  later.pending[0].write("first");
  later.pending[0].finish();
  // The data answer follows at once; the second /later waits.
  equal(later.pending.length, 2);
  const [first, data] = responses(s.take());
  equal(first.body, "first");
  equal(first.headers.get("transfer-encoding"), "chunked");
  equal(data.body, "some data");
  later.pending[1].write("third");
  later.pending[1].finish();
  deepEqual(responses(s.take()).map((r) => r.body.slice(0, 5)), [
    "third",
    "GET /",
  ]);
});

Deno.test("server: NOT_DONE_YET from a Deferred", () => {
  class Async extends Resource {
    override isLeaf = true;
    d = new Deferred<string>();
    renderGET(request: Request): typeof NOT_DONE_YET {
      this.d.addCallback((text) => {
        request.setHeader("content-type", "text/plain");
        request.write(text);
        request.finish();
      });
      return NOT_DONE_YET;
    }
  }
  const resource = new Async();
  const s = new Served(resource);
  s.send(get("/"));
  equal(s.take(), "");
  resource.d.callback("later");
  const [r] = responses(s.take());
  equal(r.body, "later");
  equal(r.headers.get("content-type"), "text/plain");
});

Deno.test("server: a render that returns a Deferred", () => {
  const d = new Deferred<string>();
  class Promised extends Resource {
    override isLeaf = true;
    renderGET(): Deferred<string> {
      return d;
    }
  }
  const s = new Served(new Promised());
  s.send(get("/"));
  d.callback("promised");
  equal(responses(s.take())[0].body, "promised");
});

Deno.test("server: a throw is a 500 without the stack; the connection goes on", () => {
  class Broken extends Resource {
    override isLeaf = true;
    renderGET(): string {
      throw new Error("secret detail");
    }
  }
  const root = tree().root;
  root.putChild("broken", new Broken());
  using logs = captureLog();
  const s = new Served(root);
  s.send(get("/broken") + get("/data"));
  const [failed, next] = responses(s.take());
  equal(failed.status, "HTTP/1.1 500 Internal Server Error");
  ok(!failed.body.includes("secret"));
  match(failed.body, /Processing Failed/);
  equal(next.body, "some data");
  const errors = logs.flushLoggedErrors();
  equal(errors.length, 1);
  match(String((errors[0].value as Error).stack), /secret detail/);
});

Deno.test("server: a failed Deferred is a 500, also after NOT_DONE_YET", () => {
  const d = new Deferred<string>();
  const e = new Deferred<string>();
  class Failing extends Resource {
    override isLeaf = true;
    renderGET(): Deferred<string> {
      return d;
    }
    renderPOST(request: Request): typeof NOT_DONE_YET {
      e.addErrback((f) => request.processingFailed(f));
      return NOT_DONE_YET;
    }
  }
  using logs = captureLog();
  const s = new Served(new Failing());
  s.send(get("/") + "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n");
  d.errback(new Error("boom"));
  e.errback(new Error("bang"));
  deepEqual(
    responses(s.take()).map((r) => r.status),
    [
      "HTTP/1.1 500 Internal Server Error",
      "HTTP/1.1 500 Internal Server Error",
    ],
  );
  equal(logs.flushLoggedErrors().length, 2);
});

Deno.test("server: a render returning neither bytes nor a string is a 500", () => {
  class Wrong extends Resource {
    override isLeaf = true;
    renderGET(): string {
      return 42 as unknown as string;
    }
  }
  using logs = captureLog();
  const s = new Served(new Wrong());
  s.send(get("/"));
  equal(responses(s.take())[0].status, "HTTP/1.1 500 Internal Server Error");
  equal(logs.flushLoggedErrors(TypeError).length, 1);
});

Deno.test("server: notifyFinish fires on finish, errbacks when the client goes", () => {
  const { root, later } = tree();
  const s = new Served(root);
  s.send(get("/later"));
  let lost: unknown = null;
  later.pending[0].notifyFinish().addErrback((f) => {
    lost = f;
  });
  s.lose();
  ok(lost !== null);
  throws(() => later.pending[0].finish(), /connection was lost/);

  const t = new Served(root);
  t.send(get("/later"));
  let done = false;
  later.pending[1].notifyFinish().addCallback(() => {
    done = true;
  });
  later.pending[1].finish();
  ok(done);
  throws(() => later.pending[1].write("x"), /after Request.finish/);
  throws(() => later.pending[1].finish(), /twice/);
});

Deno.test("server: HTTP/1.0 closes unless keep-alive with a length", () => {
  const s = new Served(tree().root);
  s.send("GET /data HTTP/1.0\r\n\r\n");
  equal(responses(s.take())[0].status, "HTTP/1.0 200 OK");
  ok(s.transport.disconnecting);

  const k = new Served(tree().root);
  k.send("GET /data HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  const [r] = responses(k.take());
  equal(r.headers.get("connection"), "Keep-Alive");
  ok(!k.transport.disconnecting);
  k.send("GET /echo HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  ok(!k.transport.disconnecting);

  // Streamed without a length: HTTP/1.0 ends the body by closing.
  const { root, later } = tree();
  const l = new Served(root);
  l.send("GET /later HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  later.pending[0].write("streamed");
  later.pending[0].finish();
  const text = l.take();
  ok(text.endsWith("\r\n\r\nstreamed"));
  ok(!text.includes("Transfer-Encoding"));
  ok(l.transport.disconnecting);
});

Deno.test("server: Connection: close from either side closes after the answer", () => {
  const s = new Served(tree().root);
  s.send(get("/data", "Connection: close\r\n") + get("/data"));
  const rs = responses(s.take());
  equal(rs.length, 1);
  equal(rs[0].headers.get("connection"), "close");
  ok(s.transport.disconnecting);
});

Deno.test("server: Expect: 100-continue", () => {
  const s = new Served(tree().root);
  s.send(
    "POST /echo HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n",
  );
  equal(s.take(), "HTTP/1.1 100 Continue\r\n\r\n");
  s.send("ok");
  equal(responses(s.take())[0].body, "POST ok []");
  // Too large: 413 instead of 100 Continue.
  const t = new Served(tree().root, { maxBodySize: 10 });
  t.send(
    "POST /echo HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 11\r\n\r\n",
  );
  const text = t.take();
  match(text, /^HTTP\/1.1 413 /);
  ok(!text.includes("100 Continue"));
});

const BAD: [string, string, number][] = [
  ["malformed request line", "GARBAGE\r\n\r\n", 400],
  ["obs-fold", "GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n  b\r\n\r\n", 400],
  [
    "CL with TE",
    "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
    400,
  ],
  [
    "bad chunk",
    "POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nq\r\n",
    400,
  ],
  [
    "big header block",
    `GET / HTTP/1.1\r\nHost: h\r\nX: ${"a".repeat(16400)}\r\n\r\n`,
    431,
  ],
  [
    "body over the limit",
    "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 1000\r\n\r\n",
    413,
  ],
];

for (const [name, input, status] of BAD) {
  Deno.test(`server: ${name} → ${status} and a close`, () => {
    const s = new Served(tree().root, { maxBodySize: 100 });
    s.send(get("/data") + input + get("/data"));
    const rs = responses(s.take());
    deepEqual(rs.map((r) => Number(r.status.split(" ")[1])), [200, status]);
    equal(rs[1].headers.get("connection"), "close");
    ok(s.transport.disconnecting);
  });
}

Deno.test("server: a chunked body over the limit → 413", () => {
  const s = new Served(tree().root, { maxBodySize: 4 });
  s.send(
    "POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n3\r\n",
  );
  match(s.take(), /^HTTP\/1.1 413 /);
  ok(s.transport.disconnecting);
});

Deno.test("server: the idle timeout (60 s) closes a quiet connection", () => {
  using _logs = captureLog();
  const s = new Served(tree().root);
  s.clock.advance(59);
  ok(!s.transport.disconnecting);
  s.send(get("/data"));
  s.clock.advance(59);
  ok(!s.transport.disconnecting);
  s.clock.advance(1);
  ok(s.transport.disconnecting);
  // Aborted if the peer does not close.
  s.clock.advance(15);
  ok(s.transport.disconnected);
});

Deno.test("server: the header timeout (30 s) is not reset by a trickle", () => {
  using _logs = captureLog();
  const s = new Served(tree().root);
  s.send("GET / HTTP/1.1\r\n");
  for (let i = 0; i < 2; i++) {
    s.clock.advance(10);
    s.send("X: y\r\n");
  }
  ok(!s.transport.disconnecting);
  s.clock.advance(10);
  ok(s.transport.disconnecting);
  match(s.take(), /^HTTP\/1.1 408 Request Timeout/);
});

Deno.test("server: no timeout while a response is being made", () => {
  const { root, later } = tree();
  const s = new Served(root, { timeout: 5 });
  s.send(get("/later"));
  s.clock.advance(100);
  ok(!s.transport.disconnecting);
  later.pending[0].finish();
  s.clock.advance(5);
  ok(s.transport.disconnecting);
  s.lose();
  deepEqual(s.clock.getDelayedCalls(), []);
});

Deno.test("server: pipelined requests past 64 KiB pause reading", () => {
  const { root, later } = tree();
  const s = new Served(root);
  s.send(get("/later"));
  const filler = get("/data", `X: ${"a".repeat(8000)}\r\n`);
  for (let i = 0; i < 9; i++) s.send(filler);
  equal(s.transport.producerState, "paused");
  later.pending[0].finish();
  equal(s.transport.producerState, "producing");
  equal(responses(s.take()).length, 10);
});

Deno.test("server: the access log, combined format", () => {
  using logs = captureLog();
  const s = new Served(tree().root);
  s.send(
    get("/data?x", 'Referer: http://r/\r\nUser-Agent: te"st\r\n'),
  );
  const line = logs.messages.find((m) => m.includes("GET /data"));
  match(
    line!,
    /^192\.168\.1\.1 - - \[\d\d\/\w{3}\/\d{4}:\d\d:\d\d:\d\d \+0000\] "GET \/data\?x HTTP\/1.1" 200 9 "http:\/\/r\/" "te\\"st"$/,
  );
});

Deno.test("server: the access log file (logPath)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const s = new Served(tree().root, { logPath: `${dir}/access.log` });
    s.site.doStart();
    s.send(get("/nowhere"));
    s.site.doStop();
    const text = await Deno.readTextFile(`${dir}/access.log`);
    match(text, /"GET \/nowhere HTTP\/1.1" 404 \d+ "-" "-"\n$/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("request: ETag and Last-Modified answer 304", () => {
  const r = new Request();
  r.requestHeaders.setRawHeaders("if-modified-since", [
    new Date(2_000_000_000).toUTCString(),
  ]);
  equal(r.setLastModified(1_999_999), CACHED);
  equal(r.code, 304);
  const q = new Request();
  q.requestHeaders.setRawHeaders("if-modified-since", [
    new Date(1_000_000).toUTCString(),
  ]);
  equal(q.setLastModified(2_000), null);
  const e = new Request();
  e.requestHeaders.setRawHeaders("if-none-match", ['"a", W/"b"']);
  equal(e.setETag('"b"'), CACHED);
  const f = new Request();
  f.requestHeaders.setRawHeaders("if-none-match", ['"a"']);
  equal(f.setETag('"c"'), null);
});

Deno.test("server: a 304 has no body and no length", () => {
  class Cached extends Resource {
    override isLeaf = true;
    renderGET(request: Request): string {
      if (request.setETag('"v"') === CACHED) return "";
      return "fresh";
    }
  }
  const s = new Served(new Cached());
  s.send(get("/", 'If-None-Match: "v"\r\n') + get("/"));
  const text = s.take();
  const [notModified, fresh] = responses(text);
  equal(notModified.status, "HTTP/1.1 304 Not Modified");
  ok(!notModified.headers.has("content-length"));
  equal(fresh.body, "fresh");
});

Deno.test("resource: Redirect, ErrorPage, getChild, getChildForRequest", () => {
  const root = new Resource();
  root.putChild("old", new Redirect("/new?a=<b>"));
  root.putChild("gone", new ErrorPage(410, "Gone", "It's <gone>."));
  const s = new Served(root);
  s.send(get("/old") + get("/gone/deeper/still"));
  const [redirect, gone] = responses(s.take());
  equal(redirect.status, "HTTP/1.1 302 Found");
  equal(redirect.headers.get("location"), "/new?a=<b>");
  match(redirect.body, /URL=\/new\?a=&lt;b&gt;/);
  equal(gone.status, "HTTP/1.1 410 Gone");
  match(gone.body, /It&#x27;s &lt;gone&gt;\./);

  class Dynamic extends Resource {
    override getChild(path: string): Resource {
      return new Data(`child ${path}`, "text/plain");
    }
  }
  const request = new Request();
  request.postpath = ["x", "y"];
  const found = getChildForRequest(new Dynamic(), request);
  ok(found instanceof Data);
  deepEqual(request.prepath, ["x"]);
  deepEqual(request.postpath, ["y"]);
  ok(new Resource().getChild("a", request) instanceof NoResource);
});

Deno.test("headers: case-insensitive, multi-valued, no CR/LF", () => {
  const h = new Headers();
  h.addRawHeader("X-A", "1");
  h.addRawHeader("x-a", "2");
  deepEqual(h.getRawHeaders("X-a"), ["1", "2"]);
  deepEqual([...h.getAllRawHeaders()], [["X-A", ["1", "2"]]]);
  h.removeHeader("X-A");
  equal(h.hasHeader("x-a"), false);
  throws(() => h.addRawHeader("x", "a\r\nSet-Cookie: evil"), TypeError);
  const r = new Request();
  throws(() => r.setHeader("location", "/\r\nx: y"), TypeError);
  equal([...new Headers({ etag: ['"x"'] }).getAllRawHeaders()][0][0], "ETag");
});

Deno.test("log formatter: quotes and dashes", () => {
  const r = new Request();
  r.method = 'G"T';
  r.code = 404;
  equal(
    combinedLogFormatter("[t]", r),
    '- - - [t] "G\\"T / HTTP/1.1" 404 - "-" "-"',
  );
});

Deno.test("server: a failure once the head is out closes the connection", () => {
  const { root, later } = tree();
  const s = new Served(root);
  s.send(get("/later"));
  later.pending[0].write("part");
  using logs = captureLog();
  later.pending[0].processingFailed(new Error("late"));
  // The head is out: the connection is closed instead of a 500.
  ok(s.transport.disconnecting);
  equal(logs.flushLoggedErrors().length, 1);
});
