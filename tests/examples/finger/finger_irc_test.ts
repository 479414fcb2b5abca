// Copyright 2026 the Torsion authors. MIT license.
// The finger tutorial's IRC bots (examples/finger/finger16.ts, and
// finger19.ts's through its IIRCClientFactory adapter, and the finger
// plugin's) against a real
// IRC server, Debian's ngircd, started on a free port: the application runs
// under the runner; a test client (Torsion's IRCClient on the reactor under
// test) whispers usernames to the bot and gets their status back. Every
// wait is on an IRC event or the runner's log, with a deadline.
import { doesNotMatch, equal } from "node:assert/strict";
import {
  ClientFactory,
  type IAddress,
  type IProtocol,
  type Reactor,
} from "../../../reactor/mod.ts";
import { IRCClient } from "../../../protocols/irc/mod.ts";
import { deadline, STEP_MS } from "../../_examples.ts";
import { needs } from "../../_interop.ts";
import { newReactor, stopIfRunning } from "../../_reactor.ts";
import {
  freePort,
  Ngircd,
  ngircdConfig,
  ngircdPath,
} from "../../protocols/irc/_ngircd.ts";
import {
  messages,
  REACTOR_ARGS,
  RunnerProcess,
} from "../../reactor/application/_runner_process.ts";
import { fingerPath } from "./_finger.ts";

/** The private messages the tester got, and a wait for the next one. */
class Asker extends IRCClient {
  declare factory: AskerFactory;
  override heartbeatInterval = null;
  override nickname = "asker";

  override signedOn(): void {
    this.factory.signedOn();
  }
  override privmsg(user: string, channel: string, message: string): void {
    this.factory.received.push(`${user.split("!")[0]} ${channel} ${message}`);
    this.factory.wake?.();
  }
}

class AskerFactory extends ClientFactory {
  override noisy = false;
  readonly reactor: Reactor;
  readonly received: string[] = [];
  wake: (() => void) | null = null;
  current: Asker | null = null;
  signedOn!: () => void;
  readonly ready: Promise<void> = new Promise((resolve) => {
    this.signedOn = resolve;
  });

  constructor(reactor: Reactor) {
    super();
    this.reactor = reactor;
  }

  override buildProtocol(_addr: IAddress): IProtocol {
    const p = new Asker();
    p.factory = this;
    p.clock = this.reactor;
    this.current = p;
    return p;
  }

  /** Waits for the next private message. */
  next(): Promise<string> {
    return deadline(
      (async () => {
        while (this.received.length === 0) {
          await new Promise<void>((resolve) => this.wake = resolve);
        }
        return this.received.shift()!;
      })(),
      STEP_MS,
      "a private message from the bot",
    );
  }
}

const TAP = fingerPath("finger/tap.ts");

/** What runs the bot (runner arguments and environment), and its answers. */
const CASES: [
  string,
  (ircPort: number) => { args: string[]; env: Record<string, string> },
  (user: string, status: string) => string,
][] = [
  ["finger16.ts", (ircPort) => ({
    args: [fingerPath("finger16.ts")],
    env: {
      FINGER_PORT: "0",
      FINGER_WEB_PORT: "0",
      FINGER_IRC_SERVER: `tcp:127.0.0.1:${ircPort}`,
    },
  }), (user, status) => `${user}: ${status}`],
  ["finger19.ts", (ircPort) => ({
    args: [fingerPath("finger19.ts")],
    env: {
      FINGER_PORT: "0",
      FINGER_WEB_PORT: "0",
      FINGER_IRC_SERVER: `tcp:127.0.0.1:${ircPort}`,
    },
  }), (user, status) => `Status of ${user}: ${status}`],
  ["finger/tap.ts", (ircPort) => ({
    args: [
      TAP,
      "--file",
      fingerPath("etc.users"),
      "--ircnick",
      "fingerbot",
      "--ircserver",
      "127.0.0.1",
      "--ircport",
      String(ircPort),
      "--port",
      "0",
      "--setter-port",
      "0",
      "--web-port",
      "0",
    ],
    env: {},
  }), (user, status) => `Status of ${user}: ${status}`],
];

for (const [file, how, answer] of CASES) {
  Deno.test(
    `${file}: the IRC bot answers a whispered username on ngircd`,
    needs("ngircd", ngircdPath !== null),
    async () => {
      const dir = await Deno.makeTempDir({ prefix: "torsion-finger-irc-" });
      // ngircd started as root runs as nobody: let it reach its files.
      await Deno.chmod(dir, 0o755);
      const config = `${dir}/ngircd.conf`;
      const port = freePort();
      await Deno.writeTextFile(config, ngircdConfig(port));
      const reactor = newReactor();
      const done = reactor.run({ installSignalHandlers: false });
      const factory = new AskerFactory(reactor);
      let server: Ngircd | null = null;
      let runner: RunnerProcess | null = null;
      try {
        server = await Ngircd.start(config, port);
        reactor.connectTCP("127.0.0.1", port, factory);
        await deadline(factory.ready, STEP_MS, "the asker to sign on");

        const { args, env } = how(port);
        runner = new RunnerProcess([...REACTOR_ARGS, ...args], { env });
        await runner.waitFor(/\] fingerbot has signed on$/);

        const asker = factory.current!;
        asker.msg("fingerbot", "moshez");
        equal(
          await factory.next(),
          `fingerbot asker ${answer("moshez", "happy and well")}`,
        );
        asker.msg("fingerbot", "nobody");
        equal(
          await factory.next(),
          `fingerbot asker ${answer("nobody", "No such user")}`,
        );
        asker.msg("FingerBot", "shawn");
        equal(
          await factory.next(),
          `fingerbot asker ${answer("shawn", "alive")}`,
        );

        runner.kill("SIGTERM");
        const { code, lines, stderr } = await runner.exit();
        equal(code, 0, stderr);
        const log = messages(lines).join("\n");
        doesNotMatch(log, /Unhandled|Bad IRC message|Cannot handle|Traceback/);
      } finally {
        if (runner !== null) await runner[Symbol.asyncDispose]();
        const last = factory.current;
        if (last !== null && last.connected) last.transport.loseConnection();
        stopIfRunning(reactor);
        await done;
        if (server !== null) await server[Symbol.asyncDispose]();
        await Deno.remove(dir, { recursive: true });
      }
    },
  );
}
