// Copyright 2026 the Torsion authors. MIT license.
// End to end against a real IRC server (Debian's ngircd, started by the test
// on a free port): examples/irc_log_bot.ts joins a channel; a second client,
// Torsion's own IRCClient on the reactor under test, joins, speaks,
// whispers, mentions the bot, does an action and changes nick; the log file
// and the bot's replies are checked exactly. Then the server is restarted,
// and the bot comes back and rejoins. Every wait is on an IRC event or a
// process's output, with a deadline.
import { deepEqual, doesNotMatch, equal } from "node:assert/strict";
import type { Failure } from "../../../defer/mod.ts";
import {
  ClientFactory,
  type IAddress,
  type IConnector,
  type IProtocol,
  type Reactor,
} from "../../../reactor/mod.ts";
import { IRCClient } from "../../../protocols/irc/mod.ts";
import { deadline, Example, STEP_MS } from "../../_examples.ts";
import { needs } from "../../_interop.ts";
import { newReactor, stopIfRunning } from "../../_reactor.ts";
import { freePort, Ngircd, ngircdConfig, ngircdPath } from "./_ngircd.ts";

type Event = [string, ...string[]];

/** What the test client saw, in order; waited on by predicate. */
class Events {
  #items: Event[] = [];
  #wake: (() => void) | null = null;

  push(...event: Event): void {
    this.#items.push(event);
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  /** Waits until `done()` holds, checking after each event. */
  until(what: string, done: () => boolean): Promise<void> {
    return deadline(
      (async () => {
        while (!done()) {
          await new Promise<void>((resolve) => this.#wake = resolve);
        }
      })(),
      STEP_MS,
      what,
    );
  }

  /** Waits for an event equal to `wanted`; drops the events before it. */
  async next(...wanted: Event): Promise<void> {
    const key = JSON.stringify(wanted);
    let at = -1;
    await this.until(JSON.stringify(wanted), () => {
      at = this.#items.findIndex((e) => JSON.stringify(e) === key);
      return at !== -1;
    });
    this.#items.splice(0, at + 1);
  }
}

/** The second client: reports what it sees, keeps the channel's members. */
class Tester extends IRCClient {
  declare factory: TesterFactory;
  override heartbeatInterval = null;
  readonly members: Set<string> = new Set();

  override signedOn(): void {
    this.factory.events.push("signedOn");
  }
  override joined(channel: string): void {
    this.factory.events.push("joined", channel);
  }
  override userJoined(user: string, channel: string): void {
    this.members.add(user);
    this.factory.events.push("userJoined", user, channel);
  }
  override userLeft(user: string): void {
    this.members.delete(user);
  }
  override userQuit(user: string): void {
    this.members.delete(user);
  }
  override privmsg(user: string, channel: string, message: string): void {
    this.factory.events.push("privmsg", user.split("!")[0], channel, message);
  }
  override nickChanged(nick: string): void {
    super.nickChanged(nick);
    this.factory.events.push("nickChanged", nick);
  }
  irc_RPL_NAMREPLY(_prefix: string, params: string[]): void {
    for (const name of params[params.length - 1].split(" ")) {
      if (name !== "") this.members.add(name.replace(/^[~&@%+]+/, ""));
    }
    this.factory.events.push("names");
  }
}

class TesterFactory extends ClientFactory {
  override noisy = false;
  readonly events: Events = new Events();
  readonly reactor: Reactor;
  nickname = "tester";
  current: Tester | null = null;

  constructor(reactor: Reactor) {
    super();
    this.reactor = reactor;
  }

  override buildProtocol(_addr: IAddress): IProtocol {
    const p = new Tester();
    p.factory = this;
    p.clock = this.reactor;
    p.nickname = this.nickname;
    this.current = p;
    return p;
  }

  override clientConnectionLost(_c: IConnector, _reason: Failure): void {
    this.events.push("lost");
  }

  override clientConnectionFailed(_c: IConnector, reason: Failure): void {
    this.events.push("failed", reason.getErrorMessage());
  }
}

/** The log with its times replaced by `[T]` and its dates by `DATE`. */
function masked(log: string): string[] {
  return log
    .replace(/^\[\d\d:\d\d:\d\d\] /gm, "[T] ")
    .replace(
      /[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4}/g,
      "DATE",
    )
    .split("\n");
}

const BEFORE_RESTART = [
  "[T] [connected at DATE]",
  "[T] [I have joined #torsion]",
  "[T] <tester> hello world",
  "[T] <tester> psst, a secret",
  "[T] <tester> twistedbot: who are you?",
  "[T] <twistedbot> tester: I am a log bot",
  "[T] * tester waves",
  "[T] tester is now known as tester2",
  "[T] <tester2> twistedbot: still there?",
  "[T] <twistedbot> tester2: I am a log bot",
];

Deno.test(
  "examples/irc_log_bot.ts against ngircd: logs, answers, and rejoins after a server restart",
  needs("ngircd", ngircdPath !== null),
  async () => {
    const dir = await Deno.makeTempDir({ prefix: "torsion-irc-" });
    // ngircd started as root runs as nobody: let it reach its files.
    await Deno.chmod(dir, 0o755);
    const config = `${dir}/ngircd.conf`;
    const logPath = `${dir}/bot.log`;
    const port = freePort();
    await Deno.writeTextFile(config, ngircdConfig(port));
    const reactor = newReactor();
    const done = reactor.run({ installSignalHandlers: false });
    const factory = new TesterFactory(reactor);
    const events = factory.events;
    const tester = () => factory.current!;
    let server: Ngircd | null = null;
    let bot: Example | null = null;
    try {
      server = await Ngircd.start(config, port);
      reactor.connectTCP("127.0.0.1", port, factory);
      await events.next("signedOn");
      tester().join("torsion");
      await events.next("joined", "#torsion");

      bot = new Example("irc_log_bot.ts", [
        "torsion",
        logPath,
        "--port",
        String(port),
      ], ["--allow-net", `--allow-write=${logPath}`]);
      await events.next("userJoined", "twistedbot", "#torsion");

      tester().say("torsion", "hello world");
      tester().msg("twistedbot", "psst, a secret");
      await events.next(
        "privmsg",
        "twistedbot",
        "tester",
        "It isn't nice to whisper! Play nice with the group.",
      );
      tester().say("torsion", "twistedbot: who are you?");
      await events.next(
        "privmsg",
        "twistedbot",
        "#torsion",
        "tester: I am a log bot",
      );
      tester().describe("#torsion", "waves");
      tester().setNick("tester2");
      await events.next("nickChanged", "tester2");
      // The bot answers in order: once it has answered this, it has logged
      // everything before.
      tester().say("torsion", "twistedbot: still there?");
      await events.next(
        "privmsg",
        "twistedbot",
        "#torsion",
        "tester2: I am a log bot",
      );
      deepEqual(masked(await Deno.readTextFile(logPath)), [
        ...BEFORE_RESTART,
        "",
      ]);

      // The server goes away and comes back on the same port.
      await server.stop();
      await events.next("lost");
      server = await Ngircd.start(config, port);
      factory.nickname = "tester2";
      reactor.connectTCP("127.0.0.1", port, factory);
      await events.next("signedOn");
      tester().join("torsion");
      await events.next("joined", "#torsion");
      await events.until(
        "the bot to rejoin #torsion",
        () => tester().members.has("twistedbot"),
      );
      tester().say("torsion", "twistedbot: welcome back");
      await events.next(
        "privmsg",
        "twistedbot",
        "#torsion",
        "tester2: I am a log bot",
      );

      const { stdout } = await bot.stopCleanly();
      doesNotMatch(stdout, /Unhandled|Bad IRC message|Cannot handle/);
      deepEqual(masked(await Deno.readTextFile(logPath)), [
        ...BEFORE_RESTART,
        "[T] [disconnected at DATE]",
        "[T] [connected at DATE]",
        "[T] [I have joined #torsion]",
        "[T] <tester2> twistedbot: welcome back",
        "[T] <twistedbot> tester2: I am a log bot",
        "[T] [disconnected at DATE]",
        "",
      ]);
    } finally {
      if (bot !== null) await bot[Symbol.asyncDispose]();
      const last = factory.current;
      if (last !== null && last.connected) last.transport.loseConnection();
      stopIfRunning(reactor);
      await done;
      if (server !== null) await server[Symbol.asyncDispose]();
      await Deno.remove(dir, { recursive: true });
    }
  },
);

Deno.test(
  "examples/irc_log_bot.ts stops with status 1 when its first connection fails",
  async () => {
    const dir = await Deno.makeTempDir({ prefix: "torsion-irc-" });
    const logPath = `${dir}/bot.log`;
    try {
      await using bot = new Example("irc_log_bot.ts", [
        "torsion",
        logPath,
        "--port",
        String(freePort()),
      ], ["--allow-net", `--allow-write=${logPath}`]);
      const { stdout } = await bot.exits(1);
      equal(
        stdout.trim().split("\n").at(-1),
        "connection failed: [Failure instance: Traceback: ConnectionRefusedError: Connection was refused by other side: 111: Connection refused.]",
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);
