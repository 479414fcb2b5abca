// Copyright 2026 the Torsion authors. MIT license.
// The HTTP client (Agent, HTTPConnectionPool, RedirectAgent, readBody,
// getPage) against our server and against Python's http.server, after
// twisted/web/test/test_agent.py and test_webclient.py.
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { Deferred } from "../../../defer/deferred.ts";
import { Failure } from "../../../defer/failure.ts";
import { TimeoutError } from "../../../defer/errors.ts";
import {
  ConnectionDone,
  ConnectionRefusedError,
  DefaultOpenSSLContextFactory,
  type IConsumer,
  type IPv4Address,
} from "../../../reactor/mod.ts";
import { Protocol } from "../../../reactor/protocol.ts";
import type { Reactor } from "../../../reactor/reactor.ts";
import { StringTransport } from "../../../reactor/testing/mod.ts";
import {
  Agent,
  BrowserLikePolicyForHTTPS,
  BytesBodyProducer,
  ContentDecoderAgent,
  Data,
  getPage,
  Headers,
  HTTP11ClientProtocol,
  type HTTPChannel,
  HTTPConnectionPool,
  type IBodyProducer,
  NOT_DONE_YET,
  readBody,
  Redirect,
  RedirectAgent,
  type Request,
  Resource,
  type Response,
  ResponseDone,
  ResponseFailed,
  Site,
  WebError,
} from "../../../protocols/http/mod.ts";
import { needs, Peer } from "../../_interop.ts";
import { withReactor } from "../../_reactor.ts";

const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** The failure `d` ends with (null if it succeeds). */
function failureOf<T>(d: Deferred<T>): Promise<Failure | null> {
  return new Promise((resolve) => {
    d.addCallbacks(() => resolve(null), (f) => {
      resolve(f);
    });
  });
}

class Echo extends Resource {
  override isLeaf = true;
  renderGET(request: Request): string {
    return `${request.method} ${request.uri} ua=${
      request.getHeader("user-agent")
    }`;
  }
  renderPOST(request: Request): string {
    return `POST ${text(request.content.read())}`;
  }
}

class Never extends Resource {
  override isLeaf = true;
  renderGET(): typeof NOT_DONE_YET {
    return NOT_DONE_YET;
  }
}

function serve(reactor: Reactor) {
  const root = new Resource();
  root.putChild("echo", new Echo());
  root.putChild("data", new Data("data!", "text/plain"));
  root.putChild("moved", new Redirect("/echo?from=moved"));
  root.putChild("loop", new Redirect("/loop"));
  root.putChild("never", new Never());
  const site = new Site(root);
  let connections = 0;
  const build = site.buildProtocol.bind(site);
  site.buildProtocol = (addr): HTTPChannel => {
    connections++;
    return build(addr);
  };
  const port = reactor.listenTCP(0, site, { interface: "127.0.0.1" });
  const base = `http://127.0.0.1:${(port.getHost() as IPv4Address).port}`;
  return { port, base, connections: () => connections };
}

Deno.test("client: Agent GET, HEAD and POST against our server", async () => {
  await withReactor(async (reactor) => {
    const { port, base } = serve(reactor);
    try {
      const agent = new Agent(reactor);
      const response = await agent.request("GET", `${base}/echo?x=1`);
      equal(response.code, 200);
      equal(response.phrase, "OK");
      deepEqual(response.version, ["HTTP", 1, 1]);
      equal(response.headers.getFirst("content-type"), "text/html");
      equal(text(await readBody(response)), "GET /echo?x=1 ua=Torsion");

      const head = await agent.request("HEAD", `${base}/data`);
      equal(head.length, 0);
      equal(head.headers.getFirst("content-length"), "5");
      equal((await readBody(head)).length, 0);

      const posted = await agent.request(
        "POST",
        `${base}/echo`,
        new Headers({ "Expect": ["100-continue"] }),
        new BytesBodyProducer("payload"),
      );
      equal(text(await readBody(posted)), "POST payload");
    } finally {
      await port.stopListening();
    }
  });
});

Deno.test("client: a body of unknown length goes chunked", async () => {
  class Pieces implements IBodyProducer {
    length = "unknown" as const;
    startProducing(consumer: IConsumer): Deferred<void> {
      consumer.write("one,");
      consumer.write("two");
      const d = new Deferred<void>();
      d.callback(undefined);
      return d;
    }
    pauseProducing(): void {}
    resumeProducing(): void {}
    stopProducing(): void {}
  }
  await withReactor(async (reactor) => {
    const { port, base } = serve(reactor);
    try {
      const r = await new Agent(reactor).request(
        "POST",
        `${base}/echo`,
        null,
        new Pieces(),
      );
      equal(text(await readBody(r)), "POST one,two");
    } finally {
      await port.stopListening();
    }
  });
});

Deno.test("client: a persistent pool reuses one connection", async () => {
  await withReactor(async (reactor) => {
    const { port, base, connections } = serve(reactor);
    const pool = new HTTPConnectionPool(reactor);
    try {
      const agent = new Agent(reactor, { pool });
      for (let i = 0; i < 3; i++) {
        const r = await agent.request("GET", `${base}/data`);
        equal(text(await readBody(r)), "data!");
      }
      equal(connections(), 1);
      // The default pool is not persistent: one connection a request.
      const plain = new Agent(reactor);
      for (let i = 0; i < 2; i++) {
        await plain.request("GET", `${base}/data`).addCallback(readBody);
      }
      equal(connections(), 3);
    } finally {
      await pool.closeCachedConnections();
      await port.stopListening();
    }
  });
});

Deno.test("client: RedirectAgent follows, up to its limit", async () => {
  await withReactor(async (reactor) => {
    const { port, base } = serve(reactor);
    try {
      const agent = new RedirectAgent(new Agent(reactor), 3);
      const r = await agent.request("GET", `${base}/moved`);
      equal(r.code, 200);
      equal(r.previousResponse?.code, 302);
      equal(text(await readBody(r)), "GET /echo?from=moved ua=Torsion");
      let failure: Failure | null = null;
      await agent.request("GET", `${base}/loop`).addErrback((f) => {
        failure = f;
        return null;
      });
      ok(failure !== null && (failure as Failure).check(ResponseFailed));
      // A POST is not redirected by a 302.
      const post = await agent.request(
        "POST",
        `${base}/moved`,
        null,
        new BytesBodyProducer("x"),
      );
      equal(post.code, 302);
      await readBody(post);
    } finally {
      await port.stopListening();
    }
  });
});

Deno.test("client: getPage: the body, a WebError with the status, refused, timeout", async () => {
  await withReactor(async (reactor) => {
    const { port, base } = serve(reactor);
    try {
      equal(text(await getPage(`${base}/data`, { reactor })), "data!");
      equal(
        text(
          await getPage(`${base}/echo`, {
            reactor,
            method: "POST",
            postdata: "form",
          }),
        ),
        "POST form",
      );
      equal(
        text(await getPage(`${base}/moved`, { reactor })),
        "GET /echo?from=moved ua=Torsion",
      );
      const missing = await failureOf(getPage(`${base}/nowhere`, { reactor }));
      ok(missing instanceof Failure);
      const err = missing.check(WebError) ? missing.value as WebError : null;
      equal(err?.status, 404);
      match(text(err!.response!), /No Such Resource/);

      const slow = await failureOf(
        getPage(`${base}/never`, { reactor, timeout: 0.05 }),
      );
      ok(slow instanceof Failure && slow.check(TimeoutError) !== null);
    } finally {
      await port.stopListening();
    }
    const free = reactor.listenTCP(0, new Site(null), {
      interface: "127.0.0.1",
    });
    const freePort = (free.getHost() as IPv4Address).port;
    await free.stopListening();
    const refused = await failureOf(
      getPage(`http://127.0.0.1:${freePort}/`, { reactor }),
    );
    ok(refused instanceof Failure);
    ok(refused.check(ConnectionRefusedError) !== null);
  });
});

/** The test CA and the server's key and certificate (localhost, 127.0.0.1). */
const FIXTURES = new URL(
  "../../reactor/transports/tls_fixtures/",
  import.meta.url,
).pathname;

class Secure extends Resource {
  override isLeaf = true;
  renderGET(request: Request): string {
    return `secure=${request.isSecure()} ${request.prePathURL()}`;
  }
}

Deno.test("client: https: Agent and getPage over TLS, the server verified against the trust root", async () => {
  await withReactor(async (reactor) => {
    const root = new Resource();
    root.putChild("where", new Secure());
    const site = new Site(root);
    const tlsPort = reactor.listenSSL(
      0,
      site,
      new DefaultOpenSSLContextFactory(
        `${FIXTURES}server.key`,
        `${FIXTURES}server.pem`,
      ),
      { interface: "127.0.0.1" },
    );
    const plainPort = reactor.listenTCP(0, site, { interface: "127.0.0.1" });
    const portOf = (p: { getHost(): unknown }) =>
      (p.getHost() as IPv4Address).port;
    try {
      const policy = new BrowserLikePolicyForHTTPS({
        path: `${FIXTURES}ca.pem`,
      });
      const agent = new Agent(reactor, { contextFactory: policy });
      const url = `https://localhost:${portOf(tlsPort)}/where`;
      const response = await agent.request("GET", url);
      equal(response.code, 200);
      equal(
        text(await readBody(response)),
        `secure=true https://localhost:${portOf(tlsPort)}/where`,
      );
      // getPage takes the same policy.
      equal(
        text(await getPage(url, { reactor, contextFactory: policy })),
        `secure=true https://localhost:${portOf(tlsPort)}/where`,
      );
      // The same site over plain TCP: not secure.
      equal(
        text(
          await getPage(`http://127.0.0.1:${portOf(plainPort)}/where`, {
            reactor,
          }),
        ),
        `secure=false http://127.0.0.1:${portOf(plainPort)}/where`,
      );
      // Without the test CA among its roots, the client refuses the server.
      const refused = await failureOf(
        new Agent(reactor).request("GET", url),
      );
      ok(refused instanceof Failure);
      match(refused.getErrorMessage(), /UnknownIssuer|certificate/i);
    } finally {
      await tlsPort.stopListening();
      await plainPort.stopListening();
    }
  });
});

Deno.test("client: a scheme other than http: and https: is refused with a clear error", async () => {
  const reactorLike = {} as Reactor;
  const f = await failureOf(
    new Agent(reactorLike).request("GET", "ftp://x/"),
  );
  ok(f instanceof Failure);
  match(f.getErrorMessage(), /unsupported scheme ftp:/);
});

Deno.test("client protocol: malformed responses and lost connections fail", () => {
  const headers = new Headers({ Host: ["h"] });
  const malformed = new HTTP11ClientProtocol();
  const t = new StringTransport();
  malformed.makeConnection(t);
  let failure: Failure | null = null;
  malformed.request("GET", "/", headers, null).addErrback((f) => {
    failure = f;
  });
  equal(t.valueText(), "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
  malformed.dataReceived(new TextEncoder().encode("HTTP/1.1 abc\r\n\r\n"));
  ok(failure !== null && (failure as Failure).check(ResponseFailed));
  ok(t.disconnected);

  // Lost in the middle of a body: the body protocol hears ResponseFailed.
  const cut = new HTTP11ClientProtocol();
  cut.makeConnection(new StringTransport());
  let response: Response | null = null;
  cut.request("GET", "/", headers, null).addCallback((r) => {
    response = r;
  });
  cut.dataReceived(
    new TextEncoder().encode(
      "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc",
    ),
  );
  const reasons: Failure[] = [];
  const seen: string[] = [];
  class Body extends Protocol {
    override dataReceived(data: Uint8Array): void {
      seen.push(text(data));
    }
    override connectionLost(reason: Failure): void {
      reasons.push(reason);
    }
  }
  (response as unknown as Response).deliverBody(new Body());
  deepEqual(seen, ["abc"]);
  cut.connectionLost(new Failure(new ConnectionDone()));
  equal(reasons.length, 1);
  ok(reasons[0].check(ResponseFailed));

  // Read until the close: the close ends the body.
  const close = new HTTP11ClientProtocol();
  close.makeConnection(new StringTransport());
  let body: Response | null = null;
  close.request("GET", "/", headers, null).addCallback((r) => {
    body = r;
  });
  close.dataReceived(new TextEncoder().encode("HTTP/1.0 200 OK\r\n\r\nall"));
  const ends: Failure[] = [];
  class End extends Protocol {
    override connectionLost(reason: Failure): void {
      ends.push(reason);
    }
  }
  (body as unknown as Response).deliverBody(new End());
  close.connectionLost(new Failure(new ConnectionDone()));
  ok(ends[0].check(ResponseDone));
});

const PY_HTTP_SERVER = `
import http.server, sys, os
os.chdir(sys.argv[1])
class H(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a): pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
print(s.server_address[1], flush=True)
s.serve_forever()
`;

Deno.test({
  name: "client: against Python's http.server (HTTP/1.0, read until close)",
  ...needs("python3", true),
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      await Deno.writeTextFile(`${dir}/file.txt`, "from python\n");
      await using server = new Peer("/usr/bin/python3", [
        "-c",
        PY_HTTP_SERVER,
        dir,
      ]);
      const port = Number(await server.line());
      await withReactor(async (reactor) => {
        const base = `http://127.0.0.1:${port}`;
        equal(
          text(await getPage(`${base}/file.txt`, { reactor })),
          "from python\n",
        );
        const missing = await failureOf(getPage(`${base}/none`, { reactor }));
        ok(missing instanceof Failure);
        equal((missing.value as WebError).status, 404);
        const pool = new HTTPConnectionPool(reactor);
        const r = await new Agent(reactor, { pool }).request(
          "GET",
          `${base}/file.txt`,
        );
        deepEqual(r.version, ["HTTP", 1, 0]);
        equal(text(await readBody(r)), "from python\n");
        await pool.closeCachedConnections();
      });
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("client: ContentDecoderAgent decodes gzip and deflate bodies", async () => {
  const plain = new TextEncoder().encode("squeeze me ".repeat(1000));
  async function compress(coding: "gzip" | "deflate"): Promise<Uint8Array> {
    const stream = new Blob([plain]).stream().pipeThrough(
      new CompressionStream(coding),
    );
    return new Uint8Array(await new globalThis.Response(stream).arrayBuffer());
  }
  const gzipped = await compress("gzip");
  const deflated = await compress("deflate");
  class Compressed extends Resource {
    override isLeaf = true;
    seen: string[] = [];
    renderGET(request: Request): Uint8Array {
      this.seen.push(request.getHeader("accept-encoding") ?? "");
      const coding = request.args.get("c")?.[0] ?? "gzip";
      request.setHeader("content-encoding", coding);
      return coding === "gzip" ? gzipped : deflated;
    }
  }
  const resource = new Compressed();
  await withReactor(async (reactor) => {
    const port = reactor.listenTCP(0, new Site(resource), {
      interface: "127.0.0.1",
    });
    const base = `http://127.0.0.1:${(port.getHost() as IPv4Address).port}`;
    try {
      const agent = new ContentDecoderAgent(new Agent(reactor));
      for (const c of ["gzip", "deflate"]) {
        const r = await agent.request("GET", `${base}/?c=${c}`);
        equal(r.headers.hasHeader("content-encoding"), false);
        deepEqual(await readBody(r), plain);
      }
      deepEqual(resource.seen, ["gzip,deflate", "gzip,deflate"]);
      // A coding it was not asked for passes through.
      const raw = await new ContentDecoderAgent(new Agent(reactor), ["gzip"])
        .request("GET", `${base}/?c=deflate`);
      equal(raw.headers.getFirst("content-encoding"), "deflate");
      deepEqual(await readBody(raw), deflated);
    } finally {
      await port.stopListening();
    }
  });
});
