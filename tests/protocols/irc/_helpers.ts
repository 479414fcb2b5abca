// Copyright 2026 the Torsion authors. MIT license.
// Helpers of the IRC tests: clients that record their callbacks or their
// lines, and feeding text in chunks of every size.
import { IRCClient } from "../../../protocols/irc/mod.ts";
import { Clock, StringTransport } from "../../../reactor/testing/mod.ts";

export const encoder = new TextEncoder();

/** `data` cut into chunks of `size` bytes (the last may be shorter). */
export function chunks(data: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < data.length; i += size) {
    out.push(data.slice(i, i + size));
  }
  return out;
}

/** Feeds `text` (UTF-8) to `client` in chunks of `size` bytes (all at once: 0). */
export function feed(client: IRCClient, text: string | Uint8Array, size = 0) {
  const data = typeof text === "string" ? encoder.encode(text) : text;
  for (const chunk of chunks(data, size || data.length || 1)) {
    client.dataReceived(chunk);
  }
}

/** The byte length of `text` as UTF-8: the largest chunk size worth trying. */
export function byteLength(text: string): number {
  return encoder.encode(text).length;
}

/** One recorded callback: its name and its arguments. */
export type Call = [string, ...unknown[]];

/**
 * An `IRCClient` that does not register, runs on a `Clock`, and records
 * every callback (Twisted's `NoticingClient`).
 */
export class NoticingClient extends IRCClient {
  calls: Call[] = [];
  override performLogin = false;
  readonly testClock: Clock = new Clock();

  constructor() {
    super();
    this.clock = this.testClock;
  }

  #record(name: string, ...args: unknown[]): void {
    this.calls.push([name, ...args]);
  }
  override created(when: string): void {
    this.#record("created", when);
  }
  override yourHost(info: string): void {
    this.#record("yourHost", info);
  }
  override myInfo(
    servername: string | null,
    version: string | null,
    umodes: string | null,
    cmodes: string | null,
  ): void {
    this.#record("myInfo", servername, version, umodes, cmodes);
  }
  override luserClient(info: string): void {
    this.#record("luserClient", info);
  }
  override bounce(info: string): void {
    this.#record("bounce", info);
  }
  override isupport(options: string[]): void {
    this.#record("isupport", options);
  }
  override luserChannels(channels: number): void {
    this.#record("luserChannels", channels);
  }
  override luserOp(ops: number): void {
    this.#record("luserOp", ops);
  }
  override luserMe(info: string): void {
    this.#record("luserMe", info);
  }
  override receivedMOTD(motd: string[]): void {
    this.#record("receivedMOTD", motd);
  }
  override privmsg(user: string, channel: string, message: string): void {
    this.#record("privmsg", user, channel, message);
  }
  override joined(channel: string): void {
    this.#record("joined", channel);
  }
  override left(channel: string): void {
    this.#record("left", channel);
  }
  override noticed(user: string, channel: string, message: string): void {
    this.#record("noticed", user, channel, message);
  }
  override modeChanged(
    user: string,
    channel: string,
    set: boolean,
    modes: string,
    args: (string | null)[],
  ): void {
    this.#record("modeChanged", user, channel, set, modes, args);
  }
  override pong(user: string, secs: number): void {
    this.#record("pong", user, secs);
  }
  override signedOn(): void {
    this.#record("signedOn");
  }
  override kickedFrom(channel: string, kicker: string, message: string): void {
    this.#record("kickedFrom", channel, kicker, message);
  }
  override nickChanged(nick: string): void {
    super.nickChanged(nick);
    this.#record("nickChanged", nick);
  }
  override userJoined(user: string, channel: string): void {
    this.#record("userJoined", user, channel);
  }
  override userLeft(user: string, channel: string): void {
    this.#record("userLeft", user, channel);
  }
  override userQuit(user: string, quitMessage: string): void {
    this.#record("userQuit", user, quitMessage);
  }
  override userKicked(
    kickee: string,
    channel: string,
    kicker: string,
    message: string,
  ): void {
    this.#record("userKicked", kickee, channel, kicker, message);
  }
  override action(user: string, channel: string, data: string): void {
    this.#record("action", user, channel, data);
  }
  override topicUpdated(user: string, channel: string, newTopic: string): void {
    this.#record("topicUpdated", user, channel, newTopic);
  }
  override userRenamed(oldname: string, newname: string): void {
    this.#record("userRenamed", oldname, newname);
  }
}

/** A connected {@linkcode NoticingClient} and its transport. */
export function noticing(): [NoticingClient, StringTransport] {
  const t = new StringTransport();
  const c = new NoticingClient();
  c.makeConnection(t);
  return [c, t];
}

/**
 * An `IRCClient` whose `sendLine` keeps the lines instead of sending them,
 * cut to what a server keeps (Twisted's `DummyClient`); its incoming lines
 * are cut likewise.
 */
export class DummyClient extends IRCClient {
  lines: string[] = [];

  constructor() {
    super();
    this.clock = new Clock();
  }

  #truncate(line: string): string {
    return line.slice(0, 512 - 1);
  }

  override lineReceived(line: string): void {
    super.lineReceived(this.#truncate(line));
  }

  override sendLine(line: string | Uint8Array): void {
    this.lines.push(
      this.#truncate(
        typeof line === "string" ? line : new TextDecoder().decode(line),
      ),
    );
  }
}

/** A client that registers nothing, on a `Clock`, connected to a `StringTransport`. */
export function plainClient(): [IRCClient, StringTransport, Clock] {
  const t = new StringTransport();
  const clock = new Clock();
  const c = new IRCClient();
  c.performLogin = false;
  c.clock = clock;
  c.makeConnection(t);
  return [c, t, clock];
}
