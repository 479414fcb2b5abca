// Copyright 2026 the Torsion authors. MIT license.
// The finger library and its runner plugin (examples/finger/finger/
// finger.ts and tap.ts), and the applications built on it
// (simple_finger.ts, organized_finger.ts): run by the runner on port 0,
// asked on finger and the setter, stopped with SIGTERM (status 0); the
// plugin with a pid file on finger, the setter, the web site, XML-RPC and
// (with --ssl, given or generated key) HTTPS; the library's backend
// keeping a set status until the users file changes, with a Clock.
import { equal, match } from "node:assert/strict";
import { Clock } from "../../../reactor/testing/mod.ts";
import { closedPort, Example } from "../../_examples.ts";
import {
  REACTOR_ARGS,
  readOrNull,
  RunnerProcess,
} from "../../reactor/application/_runner_process.ts";
import { hasCommand, needs } from "../../_interop.ts";
import { curl, finger, fingerPath, setUser } from "./_finger.ts";
import {
  FingerService,
  makeService,
} from "../../../examples/finger/finger/finger.ts";

const USERS = fingerPath("etc.users");
const TAP = fingerPath("finger/tap.ts");
const FIXTURES =
  new URL("../../reactor/transports/tls_fixtures/", import.meta.url).pathname;
const hasOpenssl = await hasCommand("openssl", ["version"]);

const USERS_PAGE = `<html><head><title>Users</title></head><body>
<h1>Users</h1>
<ul>
<li><a href="moshez">moshez</a></li><li><a href="shawn">shawn</a></li>
</ul></body></html>`;

/** getUser(user) at `url` through fingerXRclient.ts. */
async function xmlrpcGetUser(url: string, user: string): Promise<string> {
  await using client = new Example("finger/fingerXRclient.ts", [
    "--url",
    url,
    user,
  ]);
  return (await client.exits(0)).stdout;
}

async function stop(runner: RunnerProcess): Promise<void> {
  runner.kill("SIGTERM");
  const { code, lines, stderr } = await runner.exit();
  equal(code, 0, `${lines.join("\n")}\n${stderr}`);
}

Deno.test("finger/tap.ts under the runner with a pid file: finger, the setter, the web site and XML-RPC, then SIGTERM exits 0", async () => {
  const dir = await Deno.makeTempDir({ prefix: "torsion-finger-tap-" });
  try {
    const pidfile = `${dir}/finger.pid`;
    await using runner = new RunnerProcess([
      ...REACTOR_ARGS,
      "--pidfile",
      pidfile,
      TAP,
      "--file",
      USERS,
      "--ircnick",
      "fingerbot",
      "--port",
      "0",
      "--setter-port",
      "0",
      "--web-port",
      "0",
    ]);
    const fingerPort = await runner.port();
    const setterPort = await runner.port();
    const web = `http://127.0.0.1:${await runner.port()}`;
    equal(readOrNull(pidfile)?.trim(), String(runner.pid));
    equal(await curl(`${web}/`), USERS_PAGE);
    equal(await xmlrpcGetUser(`${web}/RPC2`, "moshez"), "happy and well\n");
    equal(await finger(fingerPort, "moshez"), "happy and well\r\n");
    equal(await finger(fingerPort, "shawn"), "alive\r\n");
    equal(await finger(fingerPort, "nobody"), "No such user\r\n");
    await setUser(setterPort, "shawn", "alive and well");
    equal(await finger(fingerPort, "shawn"), "alive and well\r\n");
    equal(await xmlrpcGetUser(`${web}/RPC2`, "shawn"), "alive and well\n");
    match(await curl(`${web}/shawn`), /<p>alive and well<\/p>/);
    await stop(runner);
    equal(readOrNull(pidfile), null);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("finger/tap.ts --ssl with the test key: HTTPS (curl --cacert), finger, a pid file; SIGTERM exits 0", async () => {
  const dir = await Deno.makeTempDir({ prefix: "torsion-finger-ssl-" });
  try {
    const pidfile = `${dir}/finger.pid`;
    await using runner = new RunnerProcess([
      ...REACTOR_ARGS,
      "--pidfile",
      pidfile,
      TAP,
      "--file",
      USERS,
      "--port",
      "0",
      "--setter-port",
      "0",
      "--web-port",
      "0",
      "--ssl",
      "--ssl-port",
      "0",
      "--private-key",
      `${FIXTURES}server.key`,
      "--certificate",
      `${FIXTURES}server.pem`,
    ]);
    const [fingerPort, , webPort, sslPort] = [
      await runner.port(),
      await runner.port(),
      await runner.port(),
      await runner.port(),
    ];
    equal(readOrNull(pidfile)?.trim(), String(runner.pid));
    equal(await finger(fingerPort, "moshez"), "happy and well\r\n");
    equal(await curl(`http://127.0.0.1:${webPort}/`), USERS_PAGE);
    const cacert = ["--cacert", `${FIXTURES}ca.pem`];
    equal(await curl(`https://localhost:${sslPort}/`, ...cacert), USERS_PAGE);
    match(
      await curl(`https://127.0.0.1:${sslPort}/moshez`, ...cacert),
      /<p>happy and well<\/p>/,
    );
    await stop(runner);
    equal(readOrNull(pidfile), null);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test(
  "finger/tap.ts --ssl without a key makes a self-signed one for the run, and removes it",
  needs("openssl", hasOpenssl),
  async () => {
    await using runner = new RunnerProcess([
      ...REACTOR_ARGS,
      TAP,
      "--file",
      USERS,
      "--port",
      "0",
      "--setter-port",
      "0",
      "--web-port",
      "0",
      "--ssl",
      "--ssl-port",
      "0",
    ]);
    await runner.port();
    await runner.port();
    await runner.port();
    const sslPort = await runner.port();
    // Logged when the services start, after the ports were bound.
    const cert = (await runner.waitFor(/self-signed certificate: (\S+)$/))[1];
    equal(
      await curl(`https://localhost:${sslPort}/`, "--cacert", cert),
      USERS_PAGE,
    );
    await stop(runner);
    equal(readOrNull(cert), null);
  },
);

Deno.test("simple_finger.ts and organized_finger.ts answer from the sample users", async () => {
  for (const file of ["simple_finger.ts", "organized_finger.ts"]) {
    await using runner = new RunnerProcess(
      [...REACTOR_ARGS, fingerPath(file)],
      {
        env: {
          FINGER_PORT: "0",
          FINGER_SETTER_PORT: "0",
          FINGER_WEB_PORT: "0",
          // organized_finger.ts always runs the bot: let it retry meanwhile.
          FINGER_IRC_SERVER: `tcp:127.0.0.1:${closedPort()}`,
        },
      },
    );
    const port = await runner.port();
    equal(await finger(port, "moshez"), "happy and well\r\n", file);
    equal(await finger(port, "nobody"), "No such user\r\n", file);
    // simple_finger.ts has the setter next; organized_finger.ts has none.
    if (file === "simple_finger.ts") await runner.port();
    const web = `http://127.0.0.1:${await runner.port()}`;
    equal(await curl(`${web}/`), USERS_PAGE, file);
    await stop(runner);
  }
});

Deno.test("the library's FingerService keeps a set status until the users file changes", async () => {
  const dir = await Deno.makeTempDir({ prefix: "torsion-finger-lib-" });
  try {
    const file = `${dir}/users`;
    await Deno.writeTextFile(file, "moshez: happy and well\n");
    const service = new FingerService(file);
    const clock = new Clock();
    service.clock = clock;
    const answer = (user: string): string => {
      let got = "";
      service.getUser(user).addCallback((s) => {
        got = s;
      });
      return got;
    };
    service.startService();
    service.setUser("moshez", "busy");
    clock.advance(30);
    equal(answer("moshez"), "busy");
    await Deno.writeTextFile(file, "moshez: back, and happy\nshawn: alive\n");
    clock.advance(30);
    equal(answer("moshez"), "back, and happy");
    let users: string[] = [];
    service.getUsers().addCallback((u) => {
      users = u;
    });
    equal(users.join(","), "moshez,shawn");
    await service.stopService();
    equal(clock.getDelayedCalls().length, 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("makeService() attaches the backend (the original did not), the site, and HTTPS with ssl", () => {
  const s = makeService({ file: USERS, port: 0, setterPort: 0, webPort: 0 });
  const children = [...s];
  equal(children.length, 4);
  equal(children[0] instanceof FingerService, true);
  const withSsl = makeService({
    file: USERS,
    ssl: true,
    privateKey: `${FIXTURES}server.key`,
    certKey: `${FIXTURES}server.pem`,
  });
  equal([...withSsl].length, 5);
});
