// Copyright 2026 the Torsion authors. MIT license.
// The finger library and its runner plugin (examples/finger/finger/
// finger.ts and tap.ts), and the applications built on it
// (simple_finger.ts, organized_finger.ts): run by the runner on port 0,
// asked on finger and the setter, stopped with SIGTERM (status 0); the
// plugin with a pid file, and its refused --ssl; the library's backend
// keeping a set status until the users file changes, with a Clock.
import { equal, match } from "node:assert/strict";
import { Clock } from "../../../reactor/testing/mod.ts";
import { closedPort } from "../../_examples.ts";
import {
  REACTOR_ARGS,
  readOrNull,
  RunnerProcess,
} from "../../reactor/application/_runner_process.ts";
import { finger, fingerPath, setUser } from "./_finger.ts";
import {
  FingerService,
  makeService,
} from "../../../examples/finger/finger/finger.ts";

const USERS = fingerPath("etc.users");
const TAP = fingerPath("finger/tap.ts");

async function stop(runner: RunnerProcess): Promise<void> {
  runner.kill("SIGTERM");
  const { code, lines, stderr } = await runner.exit();
  equal(code, 0, `${lines.join("\n")}\n${stderr}`);
}

Deno.test("finger/tap.ts under the runner with a pid file: finger and the setter, then SIGTERM exits 0", async () => {
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
    ]);
    const fingerPort = await runner.port();
    const setterPort = await runner.port();
    equal(readOrNull(pidfile)?.trim(), String(runner.pid));
    equal(await finger(fingerPort, "moshez"), "happy and well\r\n");
    equal(await finger(fingerPort, "shawn"), "alive\r\n");
    equal(await finger(fingerPort, "nobody"), "No such user\r\n");
    await setUser(setterPort, "shawn", "alive and well");
    equal(await finger(fingerPort, "shawn"), "alive and well\r\n");
    await stop(runner);
    equal(readOrNull(pidfile), null);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("finger/tap.ts refuses --ssl (no TLS yet) with a usage error", async () => {
  await using runner = new RunnerProcess([
    ...REACTOR_ARGS,
    TAP,
    "--file",
    USERS,
    "--port",
    "0",
    "--ssl",
  ]);
  const { code, stderr } = await runner.exit();
  equal(code, 2);
  match(stderr, /--ssl: HTTPS needs TLS/);
});

Deno.test("simple_finger.ts and organized_finger.ts answer from the sample users", async () => {
  for (const file of ["simple_finger.ts", "organized_finger.ts"]) {
    await using runner = new RunnerProcess(
      [...REACTOR_ARGS, fingerPath(file)],
      {
        env: {
          FINGER_PORT: "0",
          FINGER_SETTER_PORT: "0",
          // organized_finger.ts always runs the bot: let it retry meanwhile.
          FINGER_IRC_SERVER: `tcp:127.0.0.1:${closedPort()}`,
        },
      },
    );
    const port = await runner.port();
    equal(await finger(port, "moshez"), "happy and well\r\n", file);
    equal(await finger(port, "nobody"), "No such user\r\n", file);
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

Deno.test("makeService() attaches the backend (the original did not) and refuses ssl", () => {
  const s = makeService({ file: USERS, port: 0, setterPort: 0 });
  const children = [...s];
  equal(children.length, 3);
  equal(children[0] instanceof FingerService, true);
  let error: unknown = null;
  try {
    makeService({ file: USERS, ssl: true });
  } catch (e) {
    error = e;
  }
  match(String(error), /Cannot serve HTTPS/);
});
