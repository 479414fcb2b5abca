// Copyright 2026 the Torsion authors. MIT license.
// The finger tutorial's application modules, steps 11 to 14
// (examples/finger/finger11.ts to finger14.ts), run by the runner as a
// process on port 0 (the ports read from its log), asked over TCP, then
// stopped with SIGTERM (status 0); Debian's finger client against step 11
// on port 79 (as root only); and step 14's reload, with a Clock.
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { Clock } from "../../../reactor/testing/mod.ts";
import { runTool } from "../../_examples.ts";
import { hasCommand, needs } from "../../_interop.ts";
import {
  messages,
  REACTOR_ARGS,
  RunnerProcess,
} from "../../reactor/application/_runner_process.ts";
import { finger, fingerPath, setUser } from "./_finger.ts";
import {
  FingerService,
  parseUsers,
} from "../../../examples/finger/finger14.ts";

const hasFinger = await hasCommand("finger", ["root"]);
/** Our user id (`id -u`: `Deno.uid()` would need --allow-sys). */
const uid = Number(
  new TextDecoder().decode(
    (await new Deno.Command("id", { args: ["-u"], stdout: "piped" }).output())
      .stdout,
  ).trim(),
);

/** Whether this process may listen on port 79 (root, or the capability). */
const canBind79 = (() => {
  try {
    Deno.listen({ hostname: "127.0.0.1", port: 79 }).close();
    return true;
  } catch {
    return false;
  }
})();

/** Runs an application module of examples/finger/ with `env`. */
function run(file: string, env: Record<string, string>): RunnerProcess {
  return new RunnerProcess([...REACTOR_ARGS, fingerPath(file)], { env });
}

/** Reads the ports of the next `n` "... starting on PORT" lines. */
async function ports(runner: RunnerProcess, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await runner.port());
  return out;
}

async function stop(runner: RunnerProcess): Promise<string[]> {
  runner.kill("SIGTERM");
  const { code, lines, stderr } = await runner.exit();
  equal(code, 0, `${lines.join("\n")}\n${stderr}`);
  const log = messages(lines);
  equal(log.at(-1), "[-] Server Shut Down.");
  return log;
}

Deno.test("finger11.ts under the runner answers Happy and well / No such user", async () => {
  await using runner = run("finger11.ts", { FINGER_PORT: "0" });
  const [port] = await ports(runner, 1);
  equal(await finger(port, "moshez"), "Happy and well\r\n");
  equal(await finger(port, "nobody"), "No such user\r\n");
  await stop(runner);
});

Deno.test("finger11.ts with FINGER_UID: the runner refuses, as Deno cannot switch users", async () => {
  await using runner = run("finger11.ts", {
    FINGER_PORT: "0",
    FINGER_UID: String(uid + 4321),
  });
  const { code, lines } = await runner.exit();
  equal(code, 1);
  match(lines.join("\n"), /Deno cannot change the user or group/);
});

const interopRequired = Deno.env.get("TORSION_REQUIRE_INTEROP") === "1";
if (hasFinger && !canBind79 && !interopRequired) {
  // deno-lint-ignore no-console
  console.error(
    "skipping Debian's finger client against port 79: binding port 79 needs root",
  );
}

Deno.test("Debian's finger client asks finger11.ts on 127.0.0.1:79", {
  ...needs("finger (Debian: apt-get install finger)", hasFinger),
  ...(hasFinger && !canBind79 && !interopRequired ? { ignore: true } : {}),
}, async () => {
  // With TORSION_REQUIRE_INTEROP=1 (.ci/run), not being root fails here.
  equal(canBind79, true, "binding port 79 needs root (or port 79 is taken)");
  await using runner = run("finger11.ts", { FINGER_PORT: "79" });
  equal((await ports(runner, 1))[0], 79);
  // The client prints the server's answer ("[127.0.0.1]" goes to stderr).
  equal(await runTool("finger", ["moshez@127.0.0.1"]), "Happy and well\n");
  equal(await runTool("finger", ["nobody@127.0.0.1"]), "No such user\n");
  await stop(runner);
});

for (const file of ["finger12.ts", "finger13.ts"]) {
  Deno.test(`${file}: the setter on its own port changes what finger answers`, async () => {
    await using runner = run(file, {
      FINGER_PORT: "0",
      FINGER_SETTER_PORT: "0",
    });
    const [fingerPort, setterPort] = await ports(runner, 2);
    equal(await finger(fingerPort, "moshez"), "Happy and well\r\n");
    await setUser(setterPort, "moshez", "Happy and well, and busy");
    equal(await finger(fingerPort, "moshez"), "Happy and well, and busy\r\n");
    await setUser(setterPort, "shawn", "alive");
    equal(await finger(fingerPort, "shawn"), "alive\r\n");
    // One line, or none: nothing is set, and nothing fails.
    await setUser(setterPort, "nobody");
    await setUser(setterPort);
    equal(await finger(fingerPort, "nobody"), "No such user\r\n");
    const log = await stop(runner);
    equal(log.some((l) => /Traceback|Unhandled|Error/.test(l)), false);
  });
}

Deno.test("finger14.ts under the runner answers from the users file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "torsion-finger-" });
  try {
    const users = `${dir}/users`;
    await Deno.writeTextFile(users, "alice: reading\n\nbob :  out  \n");
    await using runner = run("finger14.ts", {
      FINGER_PORT: "0",
      FINGER_USERS: users,
    });
    const [port] = await ports(runner, 1);
    equal(await finger(port, "alice"), "reading\r\n");
    equal(await finger(port, "bob"), "out\r\n");
    equal(await finger(port, "moshez"), "No such user\r\n");
    await stop(runner);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  // The default file is the tutorial's sample.
  await using runner = run("finger14.ts", { FINGER_PORT: "0" });
  const [port] = await ports(runner, 1);
  equal(await finger(port, "moshez"), "happy and well\r\n");
  equal(await finger(port, "shawn"), "alive\r\n");
  await stop(runner);
});

Deno.test("parseUsers() trims, splits at the first colon, skips lines without one", () => {
  deepEqual(
    parseUsers("moshez: happy and well\n\nshawn:alive: and well\r\njunk\n"),
    new Map([["moshez", "happy and well"], ["shawn", "alive: and well"]]),
  );
});

Deno.test("finger14's FingerService reads the file again every 30 seconds of its clock", async () => {
  const dir = await Deno.makeTempDir({ prefix: "torsion-finger-" });
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
    equal(answer("moshez"), "happy and well");
    await Deno.writeTextFile(file, "moshez: busy\nshawn: alive\n");
    clock.advance(29.9);
    equal(answer("moshez"), "happy and well");
    clock.advance(0.1);
    equal(answer("moshez"), "busy");
    equal(answer("shawn"), "alive");
    // A file that is gone: the users read last stay, and reading goes on.
    await Deno.remove(file);
    clock.advance(30);
    equal(answer("shawn"), "alive");
    await Deno.writeTextFile(file, "shawn: back\n");
    clock.advance(30);
    equal(answer("shawn"), "back");
    equal(answer("moshez"), "No such user");
    ok(service.running);
    equal(clock.getDelayedCalls().length, 1);
    await service.stopService();
    equal(clock.getDelayedCalls().length, 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
