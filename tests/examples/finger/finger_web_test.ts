// Copyright 2026 the Torsion authors. MIT license.
// The finger tutorial's web front ends (examples/finger/finger15.ts,
// finger17.ts, finger18.ts, finger20.ts, finger22.ts and the XML-RPC
// client fingerXRclient.ts), run by the runner on port 0: the pages
// through curl (exact HTML), the user list through a headless Chromium,
// XML-RPC through Python's xmlrpc.client and through the Torsion client,
// HTTPS through curl --cacert with the test CA; then SIGTERM, status 0.
// And step 10's finger server, which answers from a web page.
import { equal, match } from "node:assert/strict";
import { ConnectionDone, Deferred, fail, Failure, log } from "../../../mod.ts";
import { Site } from "../../../protocols/http/mod.ts";
import { StringTransport } from "../../../reactor/testing/mod.ts";
import { IResource } from "../../../examples/finger/finger20.ts";
import { closedPort, Example, runTool } from "../../_examples.ts";
import { hasCommand, needs } from "../../_interop.ts";
import {
  messages,
  REACTOR_ARGS,
  RunnerProcess,
} from "../../reactor/application/_runner_process.ts";
import { curl, finger, fingerPath } from "./_finger.ts";

const FIXTURES =
  new URL("../../reactor/transports/tls_fixtures/", import.meta.url).pathname;

/** Runs an application module of examples/finger/ with `env`. */
function run(file: string, env: Record<string, string>): RunnerProcess {
  return new RunnerProcess([...REACTOR_ARGS, fingerPath(file)], { env });
}

async function stop(runner: RunnerProcess): Promise<void> {
  runner.kill("SIGTERM");
  const { code, lines, stderr } = await runner.exit();
  equal(code, 0, `${lines.join("\n")}\n${stderr}`);
  equal(messages(lines).at(-1), "[-] Server Shut Down.");
}

Deno.test("finger15.ts: a page per user on the web (HTML-escaped), finger beside it", async () => {
  await using runner = run("finger15.ts", {
    FINGER_PORT: "0",
    FINGER_WEB_PORT: "0",
  });
  const fingerPort = await runner.port();
  const web = `http://127.0.0.1:${await runner.port()}`;
  equal(await finger(fingerPort, "moshez"), "happy and well\r\n");
  equal(
    await curl(`${web}/moshez`),
    "<h1>moshez</h1><p>happy and well</p>",
  );
  equal(
    await curl(`${web}/%3Cb%3Enobody`),
    "<h1>&lt;b&gt;nobody</h1><p>No such user</p>",
  );
  equal(
    await curl(`${web}/shawn`, "-o", "/dev/null", "-w", "%{content_type}"),
    "text/html",
  );
  await stop(runner);
});

const hasChromium = await hasCommand("chromium", ["--version"]);

/** The DOM of `url` as a headless Chromium builds it. */
function chromiumDom(url: string): Promise<string> {
  return runTool("chromium", [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--dump-dom",
    url,
  ]);
}

const hasPython = await hasCommand("python3", ["-c", "import xmlrpc.client"]);

/** Calls `method(...args)` at `url` with Python's xmlrpc.client; its repr. */
function pythonXmlrpc(
  url: string,
  method: string,
  ...args: string[]
): Promise<string> {
  return runTool("python3", [
    "-c",
    "import sys, xmlrpc.client\n" +
    "proxy = xmlrpc.client.ServerProxy(sys.argv[1])\n" +
    "print(repr(getattr(proxy, sys.argv[2])(*sys.argv[3:])))",
    url,
    method,
    ...args,
  ]);
}

Deno.test("finger17.ts: /RPC2 answers getUser to fingerXRclient.ts, and the pages stay", async () => {
  await using runner = run("finger17.ts", {
    FINGER_PORT: "0",
    FINGER_WEB_PORT: "0",
    // The bot retries meanwhile: not what this test is about.
    FINGER_IRC_SERVER: `tcp:127.0.0.1:${closedPort()}`,
  });
  const fingerPort = await runner.port();
  const web = `http://127.0.0.1:${await runner.port()}`;
  equal(await finger(fingerPort, "shawn"), "alive\r\n");
  equal(await curl(`${web}/moshez`), "<h1>moshez</h1><p>happy and well</p>");
  equal(
    await curl(`${web}/nobody`),
    "<h1>nobody</h1><p>No such users <p/> usage: site/user</p>",
  );
  for (
    const [user, answer] of [["moshez", "happy and well"], [
      "x",
      "No such user",
    ]]
  ) {
    await using client = new Example("finger/fingerXRclient.ts", [
      "--url",
      `${web}/RPC2`,
      user,
    ]);
    equal((await client.exits(0)).stdout, `${answer}\n`);
  }
  await stop(runner);
});

Deno.test("fingerXRclient.ts says so, with status 1, when no server answers", async () => {
  await using client = new Example("finger/fingerXRclient.ts", [
    "--url",
    `http://127.0.0.1:${closedPort()}/RPC2`,
  ]);
  const { stdout } = await client.exits(1);
  equal(stdout.startsWith("An error has occurred: <"), true, stdout);
});

Deno.test(
  'finger17.ts: Python\'s xmlrpc.client calls getUser("moshez")',
  needs("python3", hasPython),
  async () => {
    await using runner = run("finger17.ts", {
      FINGER_PORT: "0",
      FINGER_WEB_PORT: "0",
      FINGER_IRC_SERVER: `tcp:127.0.0.1:${closedPort()}`,
    });
    await runner.port();
    const rpc = `http://127.0.0.1:${await runner.port()}/RPC2`;
    equal(await pythonXmlrpc(rpc, "getUser", "moshez"), "'happy and well'\n");
    equal(await pythonXmlrpc(rpc, "getUser", "nobody"), "'No such user'\n");
    await stop(runner);
  },
);

Deno.test("finger18.ts: the user list, the users' pages (rendered later) and /RPC2", async () => {
  await using runner = run("finger18.ts", {
    FINGER_PORT: "0",
    FINGER_WEB_PORT: "0",
    FINGER_IRC_SERVER: `tcp:127.0.0.1:${closedPort()}`,
  });
  const fingerPort = await runner.port();
  const web = `http://127.0.0.1:${await runner.port()}`;
  equal(await finger(fingerPort, "moshez"), "happy and well\r\n");
  const list =
    '<ul><li><a href="moshez">moshez</a></li><li><a href="shawn">shawn</a></li></ul>';
  equal(await curl(`${web}/`), list);
  equal(await curl(`${web}//`), list);
  equal(await curl(`${web}/moshez`), "<h1>moshez</h1><p>happy and well</p>");
  equal(
    await curl(`${web}/a%26b`),
    "<h1>a&amp;b</h1><p>No such user</p>",
  );
  await using client = new Example("finger/fingerXRclient.ts", [
    "--url",
    `${web}/RPC2`,
    "shawn",
  ]);
  equal((await client.exits(0)).stdout, "alive\n");
  await stop(runner);
});

const USERS_PAGE = `<html><head><title>Users</title></head><body>
<h1>Users</h1>
<ul>
<li><a href="moshez">moshez</a></li><li><a href="shawn">shawn</a></li>
</ul></body></html>`;

const MOSHEZ_PAGE = `<html><head><title>moshez</title></head>
<body><h1>moshez</h1>
<p>happy and well</p>
</body></html>`;

/** Starts finger20.ts on port 0; its finger port and site. */
async function finger20(
  runner: RunnerProcess,
): Promise<{ fingerPort: number; web: string }> {
  const fingerPort = await runner.port();
  return { fingerPort, web: `http://127.0.0.1:${await runner.port()}` };
}

function runFinger20(): RunnerProcess {
  return run("finger20.ts", {
    FINGER_PORT: "0",
    FINGER_WEB_PORT: "0",
    FINGER_IRC_SERVER: `tcp:127.0.0.1:${closedPort()}`,
  });
}

Deno.test("finger20.ts: the user list, the users' pages and XML-RPC getUser/getUsers", async () => {
  await using runner = runFinger20();
  const { fingerPort, web } = await finger20(runner);
  equal(await finger(fingerPort, "moshez"), "happy and well\r\n");
  equal(await curl(`${web}/`), USERS_PAGE);
  equal(await curl(`${web}/moshez`), MOSHEZ_PAGE);
  equal(
    await curl(`${web}/%3Cscript%3E`),
    `<html><head><title>&lt;script&gt;</title></head>
<body><h1>&lt;script&gt;</h1>
<p>No such user</p>
</body></html>`,
  );
  const rpc = `${web}/RPC2`;
  await using client = new Example("finger/fingerXRclient.ts", [
    "--url",
    rpc,
  ]);
  equal((await client.exits(0)).stdout, "happy and well\n");
  await stop(runner);
});

Deno.test(
  'finger20.ts: Python\'s xmlrpc.client calls getUser("moshez") and getUsers()',
  needs("python3", hasPython),
  async () => {
    await using runner = runFinger20();
    const { web } = await finger20(runner);
    const rpc = `${web}/RPC2`;
    equal(await pythonXmlrpc(rpc, "getUser", "moshez"), "'happy and well'\n");
    equal(await pythonXmlrpc(rpc, "getUsers"), "['moshez', 'shawn']\n");
    await stop(runner);
  },
);

Deno.test(
  "finger20.ts: a headless Chromium shows the user list, with its links",
  needs("chromium", hasChromium),
  async () => {
    await using runner = runFinger20();
    const { web } = await finger20(runner);
    // Chromium parses the page and serializes its DOM: the same markup.
    equal(await chromiumDom(`${web}/`), USERS_PAGE + "\n");
    await stop(runner);
  },
);

function runFinger22(): RunnerProcess {
  return run("finger22.ts", {
    FINGER_PORT: "0",
    FINGER_WEB_PORT: "0",
    FINGER_SSL_PORT: "0",
    FINGER_SSL_KEY: `${FIXTURES}server.key`,
    FINGER_SSL_CERT: `${FIXTURES}server.pem`,
    FINGER_IRC_SERVER: `tcp:127.0.0.1:${closedPort()}`,
  });
}

Deno.test("finger22.ts: the same site over HTTP and HTTPS (curl --cacert with the test CA)", async () => {
  await using runner = runFinger22();
  const fingerPort = await runner.port();
  const web = `http://127.0.0.1:${await runner.port()}`;
  const sslPort = await runner.port();
  const cacert = ["--cacert", `${FIXTURES}ca.pem`];
  equal(await finger(fingerPort, "moshez"), "happy and well\r\n");
  equal(await curl(`${web}/`), USERS_PAGE);
  equal(await curl(`https://localhost:${sslPort}/`, ...cacert), USERS_PAGE);
  equal(
    await curl(`https://127.0.0.1:${sslPort}/moshez`, ...cacert),
    MOSHEZ_PAGE,
  );
  await stop(runner);
});

Deno.test(
  'finger22.ts: Python\'s xmlrpc.client calls getUser("moshez") over HTTPS',
  needs("python3", hasPython),
  async () => {
    await using runner = runFinger22();
    await runner.port();
    await runner.port();
    const url = `https://localhost:${await runner.port()}/RPC2`;
    const answer = await runTool("python3", [
      "-c",
      "import ssl, sys, xmlrpc.client\n" +
      "context = ssl.create_default_context(cafile=sys.argv[2])\n" +
      "proxy = xmlrpc.client.ServerProxy(sys.argv[1], context=context)\n" +
      "print(repr(proxy.getUser('moshez')))",
      url,
      `${FIXTURES}ca.pem`,
    ]);
    equal(answer, "'happy and well'\n");
    await stop(runner);
  },
);

Deno.test("finger10.ts answers with the page of prefix + user (step 15's site), or an internal error", async () => {
  await using site = run("finger15.ts", {
    FINGER_PORT: "0",
    FINGER_WEB_PORT: "0",
  });
  await site.port();
  const web = `http://127.0.0.1:${await site.port()}`;
  await using example = new Example("finger/finger10.ts", [
    "--port",
    "0",
    "--prefix",
    `${web}/`,
  ]);
  const port = await example.port();
  equal(
    await finger(port, "moshez"),
    "<h1>moshez</h1><p>happy and well</p>\r\n",
  );
  // The name is percent-encoded into the URL: still one path segment.
  equal(
    await finger(port, "../a b?c"),
    "<h1>../a b?c</h1><p>No such user</p>\r\n",
  );
  await example.stopCleanly();

  await using down = new Example("finger/finger10.ts", [
    "--port",
    "0",
    "--prefix",
    `http://127.0.0.1:${closedPort()}/~`,
  ]);
  const downPort = await down.port();
  equal(await finger(downPort, "moshez"), "Internal error in server\r\n");
  const { stderr } = await down.stopCleanly();
  equal(stderr.includes('Cannot fetch the page of "moshez"'), true, stderr);
  await stop(site);
});

Deno.test("finger16.ts keeps step 15's web front end beside its bot", async () => {
  await using runner = run("finger16.ts", {
    FINGER_PORT: "0",
    FINGER_WEB_PORT: "0",
    FINGER_IRC_SERVER: `tcp:127.0.0.1:${closedPort()}`,
  });
  await runner.port();
  const web = `http://127.0.0.1:${await runner.port()}`;
  equal(await curl(`${web}/shawn`), "<h1>shawn</h1><p>alive</p>");
  await stop(runner);
});

Deno.test("finger20's pages answer 500 when the backend fails, and write nothing to a client gone", () => {
  let users = new Deferred<string[]>();
  const backend = {
    getUser: (): Deferred<string> => fail(new Error("backend down")),
    getUsers: (): Deferred<string[]> => users,
  };
  const request = (path: string) => {
    const site = new Site(IResource(backend));
    const t = new StringTransport();
    const channel = site.buildProtocol(t.getPeer());
    channel.makeConnection(t);
    channel.dataReceived(
      new TextEncoder().encode(`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`),
    );
    return { t, channel };
  };
  const errors: log.LogEvent[] = [];
  const observer = (event: log.LogEvent) => {
    if (event.isError) errors.push(event);
  };
  log.addObserver(observer);
  try {
    const failed = request("/moshez");
    match(failed.t.valueText(), /^HTTP\/1.1 500 Internal Server Error\r\n/);
    equal(errors.length, 1);
    failed.channel.connectionLost(new Failure(new ConnectionDone()));

    // The list comes after the client has gone: nothing is written, and
    // nothing fails (Twisted's finish() would raise there).
    const gone = request("/");
    equal(gone.t.valueText(), "");
    gone.channel.connectionLost(new Failure(new ConnectionDone()));
    users.callback(["moshez"]);
    equal(gone.t.valueText(), "");
    equal(errors.length, 1);

    users = new Deferred<string[]>();
    const ok = request("/");
    users.callback(["moshez"]);
    match(
      ok.t.valueText(),
      /^HTTP\/1.1 200 OK\r\n[^]*\r\n\r\n[0-9a-f]+\r\n<html><head><title>Users<\/title>/,
    );
    ok.channel.connectionLost(new Failure(new ConnectionDone()));
  } finally {
    log.removeObserver(observer);
  }
});
