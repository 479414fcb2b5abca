// Copyright 2026 the Torsion authors. MIT license.
// The finger tutorial's components and backends (examples/finger/
// finger19.ts, finger19a.ts to finger19c.ts) under the runner on port 0:
// the file backend through the adapters, the in-memory backend and its
// setter, the system finger command, and users' .plan files found through
// a passwd file of the test's own; each with step 19's web front end
// (IResource) asked through curl.
import { deepEqual, equal, match } from "node:assert/strict";
import { hasCommand, needs } from "../../_interop.ts";
import {
  REACTOR_ARGS,
  RunnerProcess,
} from "../../reactor/application/_runner_process.ts";
import { curl, finger, fingerPath, setUser } from "./_finger.ts";
import { getpwnam } from "../../../examples/finger/finger19c.ts";

const hasFinger = await hasCommand("finger", ["root"]);

function run(file: string, env: Record<string, string>): RunnerProcess {
  return new RunnerProcess([...REACTOR_ARGS, fingerPath(file)], { env });
}

async function stop(runner: RunnerProcess): Promise<string> {
  runner.kill("SIGTERM");
  const { code, lines, stderr } = await runner.exit();
  equal(code, 0, `${lines.join("\n")}\n${stderr}`);
  return lines.join("\n");
}

Deno.test("finger19.ts: the file backend behind the IFingerFactory adapter", async () => {
  // The IRC bot connects to a closed port: the ClientService retries, and
  // the finger port answers meanwhile.
  const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const ircPort = closed.addr.port;
  closed.close();
  await using runner = run("finger19.ts", {
    FINGER_PORT: "0",
    FINGER_WEB_PORT: "0",
    FINGER_IRC_SERVER: `tcp:127.0.0.1:${ircPort}`,
  });
  const port = await runner.port();
  const web = `http://127.0.0.1:${await runner.port()}`;
  equal(await finger(port, "moshez"), "happy and well\r\n");
  equal(await finger(port, "nobody"), "No such user\r\n");
  equal(
    await curl(`${web}/`),
    '<ul><li><a href="moshez">moshez</a></li><li><a href="shawn">shawn</a></li></ul>',
  );
  equal(await curl(`${web}/moshez`), "<h1>moshez</h1><p>happy and well</p>");
  await stop(runner);
});

Deno.test("finger19a.ts: the in-memory backend, set through the setter adapter", async () => {
  await using runner = run("finger19a.ts", {
    FINGER_PORT: "0",
    FINGER_SETTER_PORT: "0",
    FINGER_WEB_PORT: "0",
  });
  const fingerPort = await runner.port();
  const setterPort = await runner.port();
  const web = `http://127.0.0.1:${await runner.port()}`;
  equal(await curl(`${web}/`), '<ul><li><a href="moshez">moshez</a></li></ul>');
  equal(await finger(fingerPort, "moshez"), "Happy and well\r\n");
  await setUser(setterPort, "moshez", "Happy and well, and busy");
  equal(await finger(fingerPort, "moshez"), "Happy and well, and busy\r\n");
  equal(
    await curl(`${web}/moshez`),
    "<h1>moshez</h1><p>Happy and well, and busy</p>",
  );
  await setUser(setterPort, "only one line");
  equal(await finger(fingerPort, "only one line"), "No such user\r\n");
  await stop(runner);
});

Deno.test("finger19b.ts: the system finger command as a backend", {
  ...needs("finger (Debian: apt-get install finger)", hasFinger),
}, async () => {
  await using runner = run("finger19b.ts", {
    FINGER_PORT: "0",
    FINGER_WEB_PORT: "0",
  });
  const port = await runner.port();
  const web = `http://127.0.0.1:${await runner.port()}`;
  // The system knows no list of users: the site's list is empty.
  equal(await curl(`${web}/`), "<ul></ul>");
  match(await finger(port, "root"), /^Login: root\s+Name: [^]*\r\n$/);
  equal(await finger(port, "nosuchuser1"), "Internal error in server\r\n");
  equal(await finger(port, "-l"), "No such user\r\n");
  equal(await finger(port, "root@example.com"), "No such user\r\n");
  const log = await stop(runner);
  equal(log.includes("Unhandled error"), false, log);
});

Deno.test("finger19c.ts: users' .plan files, found through the passwd file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "torsion-finger-plan-" });
  try {
    await Deno.mkdir(`${dir}/moshez`);
    await Deno.mkdir(`${dir}/shawn`);
    await Deno.writeTextFile(`${dir}/moshez/.plan`, "\n  happy and well \n\n");
    const passwd = `${dir}/passwd`;
    await Deno.writeTextFile(
      passwd,
      [
        "# a comment",
        `moshez:x:1000:1000:Moshe Zadka,,,:${dir}/moshez:/bin/sh`,
        `shawn:x:1001:1001::${dir}/shawn:/bin/sh`,
        "",
      ].join("\n"),
    );
    await using runner = run("finger19c.ts", {
      FINGER_PORT: "0",
      FINGER_PASSWD: passwd,
      FINGER_WEB_PORT: "0",
    });
    const port = await runner.port();
    const web = `http://127.0.0.1:${await runner.port()}`;
    equal(
      await curl(`${web}/moshez`),
      "<h1>moshez</h1><p>happy and well</p>",
    );
    equal(await finger(port, "moshez"), "happy and well\r\n");
    equal(await finger(port, " moshez "), "happy and well\r\n");
    // A user without a .plan, and no user at all.
    equal(await finger(port, "shawn"), "No such user\r\n");
    equal(await finger(port, "nobody"), "No such user\r\n");
    equal(await finger(port, "x"), "No such user\r\n");
    await stop(runner);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("getpwnam() reads the fields of a passwd line, and only whole names", () => {
  const passwd = "root:x:0:0:root:/root:/bin/bash\n" +
    "#moshez:x:1:1::/nope:/bin/sh\nmoshez:x:1000:100:Moshe:/home/moshez:/bin/sh\n";
  deepEqual(getpwnam(passwd, "moshez"), {
    name: "moshez",
    uid: 1000,
    gid: 100,
    gecos: "Moshe",
    dir: "/home/moshez",
    shell: "/bin/sh",
  });
  equal(getpwnam(passwd, "mos"), null);
  equal(getpwnam(passwd, "x"), null);
});
