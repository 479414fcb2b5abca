// Copyright 2026 the Torsion authors. MIT license.
// The HTTP server on real sockets: curl (GET, HEAD, chunked POST, HTTP/1.0,
// several URLs over one connection), pipelining through a raw socket, and
// Python's http.client.
import { deepEqual, equal, match, ok } from "node:assert/strict";
import type { IListeningPort, IPv4Address } from "../../../reactor/mod.ts";
import type { Reactor } from "../../../reactor/reactor.ts";
import {
  Data,
  File,
  type HTTPChannel,
  NOT_DONE_YET,
  type Request,
  Resource,
  Site,
} from "../../../protocols/http/mod.ts";
import { hasCommand, needs } from "../../_interop.ts";
import { withReactor } from "../../_reactor.ts";

const CURL = "curl";
const haveCurl = await hasCommand("curl", ["--version"]);
const PYTHON = "/usr/bin/python3";
const havePython = await hasCommand(PYTHON, ["--version"]);

class Echo extends Resource {
  override isLeaf = true;
  renderPOST(request: Request): Uint8Array {
    request.setHeader("content-type", "application/octet-stream");
    return request.content.read();
  }
}

/**
 * Answers an uploaded file's bytes, its name and type in headers, and the
 * text field `title` in another.
 */
class Upload extends Resource {
  override isLeaf = true;
  renderPOST(request: Request): Uint8Array {
    const [file] = request.files.get("file") ?? [];
    request.setHeader("content-type", "application/octet-stream");
    request.setHeader("x-filename", file.filename);
    request.setHeader("x-type", file.type);
    request.setHeader(
      "x-title",
      encodeURIComponent(request.args.get("title")![0]),
    );
    request.setHeader("x-spooled", String(request.content.spooled));
    return request.argsBytes.get("file")![0];
  }
}

/** Answers after `delay` seconds on the reactor: "slow <path>". */
class Slow extends Resource {
  override isLeaf = true;
  constructor(readonly reactor: Reactor) {
    super();
  }
  renderGET(request: Request): typeof NOT_DONE_YET {
    const delay = Number(request.args.get("delay")?.[0] ?? "0");
    this.reactor.callLater(delay, () => {
      request.write(`slow ${request.uri}`);
      request.finish();
    });
    return NOT_DONE_YET;
  }
}

/** A site on a free port; counts connections. */
function serve(reactor: Reactor): {
  port: IListeningPort;
  url: string;
  connections: () => number;
} {
  const root = new Resource();
  root.putChild("hello", new Data("Hello, world!", "text/plain"));
  root.putChild("echo", new Echo());
  root.putChild("upload", new Upload());
  root.putChild("slow", new Slow(reactor));
  const site = new Site(root);
  let count = 0;
  const build = site.buildProtocol.bind(site);
  site.buildProtocol = (addr): HTTPChannel => {
    count++;
    return build(addr);
  };
  const port = reactor.listenTCP(0, site, { interface: "127.0.0.1" });
  const n = (port.getHost() as IPv4Address).port;
  return { port, url: `http://127.0.0.1:${n}`, connections: () => count };
}

async function run(
  cmd: string,
  args: string[],
  stdin?: Uint8Array,
): Promise<string> {
  const child = new Deno.Command(cmd, {
    args,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin !== undefined) {
    const w = child.stdin.getWriter();
    await w.write(stdin);
    await w.close();
  }
  const out = await child.output();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) {
    throw new Error(
      `${cmd} failed: ${new TextDecoder().decode(out.stderr)}\n${text}`,
    );
  }
  return text;
}

Deno.test({
  name: "http interop: curl GET, HEAD, chunked POST, HTTP/1.0",
  ...needs("curl", haveCurl),
  async fn() {
    await withReactor(async (reactor) => {
      const { port, url } = serve(reactor);
      try {
        const got = await run(CURL, ["-sS", "-i", `${url}/hello`]);
        match(got, /^HTTP\/1.1 200 OK\r\n/);
        match(got, /\r\nContent-Length: 13\r\n/);
        ok(got.endsWith("\r\n\r\nHello, world!"));

        const head = await run(CURL, ["-sS", "-I", `${url}/hello`]);
        match(head, /^HTTP\/1.1 200 OK\r\n/);
        match(head, /\r\nContent-Length: 13\r\n/);

        const body = new TextEncoder().encode("x".repeat(100_000) + "end");
        const posted = await run(CURL, [
          "-sS",
          "-H",
          "Transfer-Encoding: chunked",
          "--data-binary",
          "@-",
          `${url}/echo`,
        ], body);
        equal(posted.length, body.length);
        ok(posted.endsWith("xend"));

        const old = await run(CURL, ["-sS", "-i", "--http1.0", `${url}/hello`]);
        match(old, /^HTTP\/1.0 200 OK\r\n/);
        ok(old.endsWith("Hello, world!"));

        const missing = await run(CURL, [
          "-sS",
          "-o",
          "/dev/null",
          "-w",
          "%{http_code}",
          `${url}/nowhere`,
        ]);
        equal(missing, "404");
      } finally {
        await port.stopListening();
      }
    });
  },
});

Deno.test({
  name: "http interop: curl fetches several URLs over one connection",
  ...needs("curl", haveCurl),
  async fn() {
    await withReactor(async (reactor) => {
      const { port, url, connections } = serve(reactor);
      try {
        const out = await run(CURL, [
          "-sS",
          "-w",
          "|%{num_connects}\\n",
          `${url}/hello`,
          `${url}/slow?delay=0.01`,
          `${url}/hello`,
        ]);
        deepEqual(out.trim().split("\n"), [
          "Hello, world!|1",
          "slow /slow?delay=0.01|0",
          "Hello, world!|0",
        ]);
        equal(connections(), 1);
      } finally {
        await port.stopListening();
      }
    });
  },
});

Deno.test({
  name:
    "http interop: curl -F uploads a binary file that comes back byte for byte",
  ...needs("curl", haveCurl),
  async fn() {
    await withReactor(async (reactor) => {
      const { port, url } = serve(reactor);
      const dir = await Deno.makeTempDir();
      try {
        // Every byte value, line breaks and dashes, past the spool size.
        const unit = new Uint8Array([
          ...Array.from({ length: 256 }, (_, i) => i),
          ...new TextEncoder().encode(
            "\r\n--------------------------\r\n--\r\n",
          ),
        ]);
        const data = new Uint8Array(unit.length * 500);
        for (let i = 0; i < 500; i++) data.set(unit, i * unit.length);
        await Deno.writeFile(`${dir}/all bytes.bin`, data);
        const head = await run(CURL, [
          "-sS",
          "-D",
          "-",
          "-o",
          `${dir}/back.bin`,
          "-F",
          `file=@${dir}/all bytes.bin;type=application/x-test`,
          "-F",
          "title=caf\u00e9",
          `${url}/upload`,
        ]);
        match(head, /^HTTP\/1.1 200 OK\r\n/);
        match(head, /\r\nx-filename: all bytes.bin\r\n/i);
        match(head, /\r\nx-type: application\/x-test\r\n/i);
        match(head, /\r\nx-title: caf%C3%A9\r\n/i);
        match(head, /\r\nx-spooled: true\r\n/i);
        const back = await Deno.readFile(`${dir}/back.bin`);
        equal(back.length, data.length);
        deepEqual(back, data);
      } finally {
        await Deno.remove(dir, { recursive: true });
        await port.stopListening();
      }
    });
  },
});

Deno.test({
  name: "http interop: curl -r asks static.File for one range and for several",
  ...needs("curl", haveCurl),
  async fn() {
    await withReactor(async (reactor) => {
      const dir = await Deno.makeTempDir();
      await Deno.writeTextFile(`${dir}/digits.txt`, "0123456789");
      const site = new Site(new File(dir));
      const port = reactor.listenTCP(0, site, { interface: "127.0.0.1" });
      const url = `http://127.0.0.1:${
        (port.getHost() as IPv4Address).port
      }/digits.txt`;
      try {
        const one = await run(CURL, ["-sS", "-i", "-r", "2-4", url]);
        match(one, /^HTTP\/1.1 206 Partial Content\r\n/);
        match(one, /\r\nContent-Range: bytes 2-4\/10\r\n/i);
        ok(one.endsWith("\r\n\r\n234"));

        const several = await run(CURL, ["-sS", "-i", "-r", "0-1,5-6", url]);
        match(several, /^HTTP\/1.1 206 Partial Content\r\n/);
        const boundary =
          /\r\nContent-Type: multipart\/byteranges; boundary="([0-9a-f]+)"\r\n/i
            .exec(several)?.[1];
        ok(boundary !== undefined, several);
        const length = Number(
          /\r\nContent-Length: (\d+)\r\n/i.exec(several)?.[1],
        );
        const body = several.slice(several.indexOf("\r\n\r\n") + 4);
        equal(body.length, length);
        equal(
          body,
          `\r\n--${boundary}\r\nContent-type: text/plain\r\nContent-range: bytes 0-1/10\r\n\r\n01` +
            `\r\n--${boundary}\r\nContent-type: text/plain\r\nContent-range: bytes 5-6/10\r\n\r\n56` +
            `\r\n--${boundary}--\r\n`,
        );
      } finally {
        await port.stopListening();
        await Deno.remove(dir, { recursive: true });
      }
    });
  },
});

Deno.test("http interop: pipelined requests on a raw socket, answered in order", async () => {
  await withReactor(async (reactor) => {
    const { port, url } = serve(reactor);
    const portNumber = Number(url.split(":")[2]);
    const conn = await Deno.connect({
      hostname: "127.0.0.1",
      port: portNumber,
    });
    try {
      const requests = [
        "GET /slow?delay=0.05 HTTP/1.1\r\nHost: h\r\n\r\n",
        "GET /hello HTTP/1.1\r\nHost: h\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\nping",
        "GET /slow?delay=0 HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
      ];
      await conn.write(new TextEncoder().encode(requests.join("")));
      let text = "";
      const buf = new Uint8Array(65536);
      for (;;) {
        const n = await conn.read(buf);
        if (n === null) break;
        text += new TextDecoder().decode(buf.subarray(0, n));
      }
      const bodies = text.split(/HTTP\/1.1 200 OK\r\n/).slice(1).map((r) =>
        r.slice(r.indexOf("\r\n\r\n") + 4)
      );
      deepEqual(bodies, [
        "15\r\nslow /slow?delay=0.05\r\n0\r\n\r\n",
        "Hello, world!",
        "ping",
        "12\r\nslow /slow?delay=0\r\n0\r\n\r\n",
      ]);
    } finally {
      conn.close();
      await port.stopListening();
    }
  });
});

const PY_CLIENT = `
import http.client, sys
c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]))
c.request("GET", "/hello")
r = c.getresponse()
print(r.status, r.read().decode())
c.request("POST", "/echo", body=b"from python")
r = c.getresponse()
print(r.status, r.read().decode())
c.request("GET", "/nowhere")
r = c.getresponse()
r.read()
print(r.status)
`;

Deno.test({
  name: "http interop: Python's http.client over one connection",
  ...needs("python3", havePython),
  async fn() {
    await withReactor(async (reactor) => {
      const { port, url, connections } = serve(reactor);
      try {
        const out = await run(PYTHON, ["-c", PY_CLIENT, url.split(":")[2]]);
        deepEqual(out.trim().split("\n"), [
          "200 Hello, world!",
          "200 from python",
          "404",
        ]);
        equal(connections(), 1);
      } finally {
        await port.stopListening();
      }
    });
  },
});
