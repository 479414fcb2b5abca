// Copyright 2026 the Torsion authors. MIT license.
// The web examples, each run as a process: the static file server, the small
// site (link, form, NOT_DONE_YET page), getPage, and XML-RPC both ways
// (also with Python's xmlrpc.client). Headless Chromium loads the site's
// pages and dumps their DOM.
import { equal, match } from "node:assert/strict";
import { connect, Example, readAll, runTool, send } from "../_examples.ts";
import { hasCommand, needs } from "../_interop.ts";

/** One HTTP/1.1 request with Connection: close; the whole answer. */
async function http(
  port: number,
  request: string,
): Promise<{ head: string; body: string }> {
  const conn = await connect(port);
  try {
    await send(conn, request);
    const text = new TextDecoder().decode(await readAll(conn));
    const i = text.indexOf("\r\n\r\n");
    return { head: text.slice(0, i), body: text.slice(i + 4) };
  } finally {
    conn.close();
  }
}

const get = (path: string) =>
  `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`;

Deno.test("examples/web/static_server.ts serves a directory, not outside it", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${dir}/www`);
    await Deno.writeTextFile(`${dir}/www/a.txt`, "file a\n");
    await Deno.writeTextFile(`${dir}/secret`, "no");
    await using server = new Example("web/static_server.ts", [
      "--port",
      "0",
      "--path",
      `${dir}/www`,
    ], ["--allow-net", "--allow-read"]);
    const port = await server.port();
    const a = await http(port, get("/a.txt"));
    match(a.head, /^HTTP\/1.1 200 OK\r\n/);
    match(a.head, /Content-Type: text\/plain/);
    equal(a.body, "file a\n");
    match((await http(port, get("/"))).head, /^HTTP\/1.1 403 /);
    match((await http(port, get("/..%2fsecret"))).head, /^HTTP\/1.1 404 /);
    const { stderr } = await server.stopCleanly();
    match(stderr, /"GET \/a.txt HTTP\/1.1" 200 7 "-" "-"/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("examples/web/site.ts and get_page.ts: pages, the form, the later page, a 404", async () => {
  await using server = new Example("web/site.ts", ["--port", "0"]);
  const port = await server.port();
  const base = `http://127.0.0.1:${port}`;
  const home = await http(port, get("/"));
  match(home.body, /<a id="later" href="\/later">/);
  match(home.body, /<form id="greet" method="post" action="\/greet">/);
  const form = "name=%3CAda%3E";
  const greet = await http(
    port,
    `POST /greet HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${form.length}\r\n\r\n${form}`,
  );
  match(greet.body, /Hello, &lt;Ada&gt;!/);

  await using page = new Example("web/get_page.ts", [`${base}/later`]);
  equal((await page.exits()).stdout, "<p id=later>Rendered later.</p>\n");
  await using lower = new Example("web/get_page.ts", ["--lower", `${base}/`]);
  match((await lower.exits()).stdout, /<h1>welcome<\/h1>/);
  await using missing = new Example("web/get_page.ts", [
    `${base}/does-not-exist`,
  ]);
  equal(
    (await missing.exits()).stdout,
    "An error has occurred: <404 Not Found>\n",
  );
  await server.stopCleanly();
});

Deno.test("examples/web/xmlrpc_server.ts and xmlrpc_client.ts", async () => {
  await using server = new Example("web/xmlrpc_server.ts", ["--port", "0"]);
  const url = `http://127.0.0.1:${await server.port()}/RPC2`;
  await using user = new Example("web/xmlrpc_client.ts", [
    url,
    "getUser",
    "moshez",
  ]);
  equal((await user.exits()).stdout, '"Happy and well"\n');
  await using users = new Example("web/xmlrpc_client.ts", [url, "getUsers"]);
  equal((await users.exits()).stdout, '["moshez","glyph"]\n');
  await using none = new Example("web/xmlrpc_client.ts", [url, "nope"]);
  equal((await none.exits()).stdout, "Fault 8001: procedure nope not found\n");
  const py = await runTool("/usr/bin/python3", [
    "-c",
    `import xmlrpc.client as x; print(x.ServerProxy("${url}").getUser("glyph"))`,
  ]);
  equal(py, "Busy\n");
  await server.stopCleanly();
});

const chromium = (await hasCommand("chromium", ["--version"]))
  ? "chromium"
  : null;

Deno.test({
  name:
    "examples/web/site.ts in headless Chromium: the DOM has the link and the form",
  ...needs("chromium", chromium !== null),
  async fn() {
    await using server = new Example("web/site.ts", ["--port", "0"]);
    const base = `http://127.0.0.1:${await server.port()}`;
    const dom = await runTool(chromium!, [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--dump-dom",
      `${base}/`,
    ]);
    match(dom, /<a id="later" href="\/later">/);
    match(dom, /<form id="greet"/);
    const greeted = await runTool(chromium!, [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--dump-dom",
      `${base}/greet?name=Chromium`,
    ]);
    match(greeted, /Hello, Chromium!/);
    await server.stopCleanly();
  },
});
