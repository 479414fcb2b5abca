// Copyright 2026 the Torsion authors. MIT license.
// A real IRC server for the end-to-end tests: Debian's ngircd, started on a
// free port of 127.0.0.1 with a generated configuration, ready once it says
// so on its stdout, and stopped with SIGTERM.
import { deadline, STEP_MS } from "../../_examples.ts";

async function runs(cmd: string): Promise<boolean> {
  try {
    const { success } = await new Deno.Command(cmd, {
      args: ["--version"],
      stdout: "null",
      stderr: "null",
    }).output();
    return success;
  } catch {
    return false;
  }
}

/** The ngircd program, if installed (Debian puts it in /usr/sbin). */
export const ngircdPath: string | null = await (async () => {
  for (const cmd of ["ngircd", "/usr/sbin/ngircd"]) {
    if (await runs(cmd)) return cmd;
  }
  return null;
})();

/** A TCP port of 127.0.0.1 that was free a moment ago. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  return port;
}

/** The configuration of a test server on `port`. */
export function ngircdConfig(port: number): string {
  return `[Global]
Name = irc.torsion.test
Info = Torsion test server
AdminInfo1 = Torsion tests
AdminInfo2 = 127.0.0.1
AdminEMail = nobody@torsion.test
Listen = 127.0.0.1
Ports = ${port}
MotdPhrase = Torsion test server

[Limits]
MaxNickLength = 30
MaxConnectionsIP = 0

[Options]
DNS = no
Ident = no
PAM = no
`;
}

/** An ngircd process: its stdout is read until it is ready. */
export class Ngircd implements AsyncDisposable {
  readonly port: number;
  readonly #child: Deno.ChildProcess;
  readonly #reader: ReadableStreamDefaultReader<string>;
  readonly #status: Promise<Deno.CommandStatus>;
  #output = "";
  #stopped = false;

  private constructor(config: string, port: number) {
    this.port = port;
    this.#child = new Deno.Command(ngircdPath!, {
      args: ["--nodaemon", "--passive", "--config", config],
      stdin: "null",
      stdout: "piped",
      stderr: "null",
    }).spawn();
    this.#status = this.#child.status;
    this.#reader = this.#child.stdout.pipeThrough(new TextDecoderStream())
      .getReader();
  }

  /**
   * Starts ngircd with the configuration file `config` (for `port`) and
   * waits for its "ready" line.
   */
  static async start(config: string, port: number): Promise<Ngircd> {
    const server = new Ngircd(config, port);
    try {
      await deadline(server.#ready(), STEP_MS, "ngircd to be ready");
    } catch (e) {
      await server[Symbol.asyncDispose]();
      throw new Error(`ngircd did not start:\n${server.#output}`, {
        cause: e,
      });
    }
    // Go on draining its log, so that it never blocks on a full pipe.
    (async () => {
      for (;;) {
        const { done } = await Ngircd.#read(server);
        if (done) return;
      }
    })();
    return server;
  }

  static #read(server: Ngircd): Promise<ReadableStreamReadResult<string>> {
    return server.#reader.read().then((r) => {
      if (!r.done) server.#output += r.value;
      return r;
    }, () => ({ done: true, value: undefined }));
  }

  async #ready(): Promise<void> {
    while (!/Server "[^"]*" \(on "[^"]*"\) ready/.test(this.#output)) {
      const { done } = await Ngircd.#read(this);
      if (done) throw new Error("ngircd exited");
    }
  }

  /** Stops the server (SIGTERM) and waits for it to exit. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    try {
      this.#child.kill("SIGTERM");
    } catch {
      // Already exited.
    }
    await deadline(this.#status, STEP_MS, "ngircd to exit");
    await this.#reader.cancel().catch(() => {});
  }

  async [Symbol.asyncDispose](): Promise<void> {
    try {
      await this.stop();
    } catch {
      try {
        this.#child.kill("SIGKILL");
      } catch {
        // Gone.
      }
      await this.#status;
    }
  }
}
