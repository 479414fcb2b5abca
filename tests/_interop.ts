// Copyright 2026 the Torsion authors. MIT license.
// deno-lint-ignore-file no-console
// Helpers for interop tests against real peers (Python Twisted, nc, socat).
// A missing peer skips the test with a message; with TORSION_REQUIRE_INTEROP=1
// (as .ci/run sets) a missing peer fails it instead.

const required = Deno.env.get("TORSION_REQUIRE_INTEROP") === "1";

async function runs(cmd: string, args: string[]): Promise<boolean> {
  try {
    const { success } = await new Deno.Command(cmd, {
      args,
      stdout: "null",
      stderr: "null",
    }).output();
    return success;
  } catch {
    return false;
  }
}

/** A Python interpreter that can import Twisted (Debian's python3-twisted), if any. */
export const twistedPython: string | null = await (async () => {
  for (const py of ["/usr/bin/python3", "python3"]) {
    if (await runs(py, ["-c", "import twisted"])) return py;
  }
  return null;
})();

/**
 * Options for `Deno.test` of a test that needs `peer`: ignored (with a
 * message) when the peer is missing, unless interop is required.
 */
export function needs(peer: string, available: boolean): { ignore: boolean } {
  if (!available) {
    if (required) {
      console.error(
        `interop peer missing: ${peer} (TORSION_REQUIRE_INTEROP=1)`,
      );
    } else {
      console.error(`skipping interop tests that need ${peer}: not installed`);
    }
  }
  return { ignore: !available && !required };
}

/**
 * Whether this machine has an IPv6 loopback interface: a socket binds
 * `::1` (as Twisted's `skipWithoutIPv6` checks).
 */
export const hasIPv6Loopback: boolean = (() => {
  try {
    Deno.listen({ hostname: "::1", port: 0 }).close();
    return true;
  } catch {
    return false;
  }
})();

let ipv6Told = false;

/**
 * Options for `Deno.test` of a test that needs an IPv6 loopback interface:
 * ignored, with a message, on a machine without one (also under
 * `TORSION_REQUIRE_INTEROP=1`: it is the machine's, not a peer to install).
 */
export function needsIPv6Loopback(): { ignore: boolean } {
  if (!hasIPv6Loopback && !ipv6Told) {
    ipv6Told = true;
    console.error(
      "skipping IPv6 tests: this machine has no IPv6 loopback (cannot bind ::1)",
    );
  }
  return { ignore: !hasIPv6Loopback };
}

/** Whether `cmd` can be run (e.g. `nc -h`). */
export function hasCommand(
  cmd: string,
  args: string[] = ["-h"],
): Promise<boolean> {
  return runs(cmd, args).then((ok) => ok || runsAtAll(cmd, args));
}

async function runsAtAll(cmd: string, args: string[]): Promise<boolean> {
  try {
    await new Deno.Command(cmd, { args, stdout: "null", stderr: "null" })
      .output();
    return true;
  } catch {
    return false;
  }
}

/** A child process started by a test, with its stdout read line by line. */
export class Peer implements AsyncDisposable {
  readonly #child: Deno.ChildProcess;
  readonly #lines: AsyncIterator<string>;
  #buffer = "";
  readonly #reader: ReadableStreamDefaultReader<string>;

  constructor(cmd: string, args: string[]) {
    this.#child = new Deno.Command(cmd, {
      args,
      stdin: "null",
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    this.#reader = this.#child.stdout.pipeThrough(new TextDecoderStream())
      .getReader();
    this.#lines = this.#readLines();
  }

  async *#readLines(): AsyncGenerator<string> {
    for (;;) {
      const i = this.#buffer.indexOf("\n");
      if (i !== -1) {
        const line = this.#buffer.slice(0, i);
        this.#buffer = this.#buffer.slice(i + 1);
        yield line;
        continue;
      }
      const { value, done } = await this.#reader.read();
      if (done) {
        if (this.#buffer) yield this.#buffer;
        this.#buffer = "";
        return;
      }
      this.#buffer += value;
    }
  }

  /** The next line the peer printed (`null` at end of output). */
  async line(): Promise<string | null> {
    const r = await this.#lines.next();
    return r.done ? null : r.value;
  }

  /** Waits for the peer to exit. */
  status(): Promise<Deno.CommandStatus> {
    return this.#child.status;
  }

  /** Stops the peer (SIGTERM) and waits for it; closes its output. */
  async [Symbol.asyncDispose](): Promise<void> {
    try {
      this.#child.kill("SIGTERM");
    } catch {
      // Already exited.
    }
    await this.#child.status;
    await this.#reader.cancel().catch(() => {});
  }
}
