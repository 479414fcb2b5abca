// Copyright 2026 the Torsion authors. MIT license.
// Helpers for the tests of examples/: start an example as a child process,
// read its stdout line by line and its stderr as a whole, stop it and check
// how it exited; and a few TCP client helpers. Every wait has a deadline
// that fails the test, and every process, stream and socket is closed or
// awaited, for the sanitizers.
import { equal, match } from "node:assert/strict";

const EXAMPLES = new URL("../examples/", import.meta.url);
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** How long a step may take before the test fails, in milliseconds. */
export const STEP_MS = 10_000;

/**
 * Waits for `promise`, failing with "Timed out ..." after `ms`.
 *
 * @param promise What to wait for.
 * @param ms The deadline.
 * @param what What is awaited, for the message.
 * @returns What `promise` gave.
 */
export async function deadline<T>(
  promise: Promise<T>,
  ms: number,
  what: string,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`Timed out after ${ms} ms: ${what}`)),
          ms,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** An example run as `deno run <flags> examples/<script> <args>`. */
export class Example implements AsyncDisposable {
  /** The script, relative to examples/. */
  readonly script: string;
  readonly #child: Deno.ChildProcess;
  readonly #reader: ReadableStreamDefaultReader<string>;
  readonly #stderr: Promise<string>;
  readonly #status: Promise<Deno.CommandStatus>;
  #buffer = "";
  #eof = false;
  #exited = false;

  /**
   * Starts the example.
   *
   * @param script The script, relative to examples/.
   * @param args Its arguments.
   * @param flags Deno's flags.
   */
  constructor(
    script: string,
    args: string[] = [],
    flags: string[] = ["--allow-net"],
  ) {
    this.script = script;
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--no-prompt",
        ...flags,
        new URL(script, EXAMPLES).pathname,
        ...args,
      ],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).spawn();
    this.#child = child;
    this.#status = child.status.then((s) => {
      this.#exited = true;
      return s;
    });
    this.#reader = child.stdout.pipeThrough(new TextDecoderStream())
      .getReader();
    this.#stderr = (async () => {
      let text = "";
      for await (
        const chunk of child.stderr.pipeThrough(new TextDecoderStream())
      ) {
        text += chunk;
      }
      return text;
    })();
  }

  /** The process id. */
  get pid(): number {
    return this.#child.pid;
  }

  async #fill(ms: number, what: string): Promise<boolean> {
    if (this.#eof) return false;
    const { value, done } = await deadline(
      this.#reader.read(),
      ms,
      `${this.script}: ${what}`,
    );
    if (done) {
      this.#eof = true;
      return false;
    }
    this.#buffer += value;
    return true;
  }

  /**
   * Reads the next line of stdout, without its `\n` (`null` at the end).
   *
   * @param ms The deadline.
   * @returns The line.
   */
  async line(ms: number = STEP_MS): Promise<string | null> {
    for (;;) {
      const i = this.#buffer.indexOf("\n");
      if (i !== -1) {
        const line = this.#buffer.slice(0, i);
        this.#buffer = this.#buffer.slice(i + 1);
        return line;
      }
      if (!await this.#fill(ms, "waiting for a line of stdout")) {
        const rest = this.#buffer;
        this.#buffer = "";
        return rest === "" ? null : rest;
      }
    }
  }

  /**
   * Reads lines until one equals `wanted` or matches it.
   *
   * @param wanted The line, or a pattern.
   * @param ms The deadline for each line.
   * @returns The lines read before it, and the line itself (last).
   */
  async lineUntil(
    wanted: string | RegExp,
    ms: number = STEP_MS,
  ): Promise<string[]> {
    const seen: string[] = [];
    for (;;) {
      const line = await this.line(ms);
      if (line === null) {
        throw new Error(
          `${this.script}: stdout ended before ${wanted}; got ${
            JSON.stringify(seen)
          }`,
        );
      }
      seen.push(line);
      if (typeof wanted === "string" ? line === wanted : wanted.test(line)) {
        return seen;
      }
    }
  }

  /**
   * Reads stdout to its end (the process has exited or closed it).
   *
   * @param ms The deadline.
   * @returns The rest of stdout.
   */
  async rest(ms: number = STEP_MS): Promise<string> {
    while (await this.#fill(ms, "waiting for the end of stdout"));
    const rest = this.#buffer;
    this.#buffer = "";
    return rest;
  }

  /**
   * Reads the first line of a server, `listening on HOST:PORT`.
   *
   * @returns The port.
   */
  async port(): Promise<number> {
    const line = await this.line();
    match(line ?? "<end of stdout>", /^listening on 127\.0\.0\.1:\d+$/);
    return Number(line!.slice(line!.lastIndexOf(":") + 1));
  }

  /**
   * Waits for the process to exit.
   *
   * @param ms The deadline (then the process is killed and the test fails).
   * @returns How it exited.
   */
  async status(ms: number = STEP_MS): Promise<Deno.CommandStatus> {
    try {
      return await deadline(this.#status, ms, `${this.script}: exit`);
    } catch (e) {
      this.#kill("SIGKILL");
      throw e;
    }
  }

  /**
   * Sends `signal` and waits for the process to exit.
   *
   * @param signal The signal.
   * @param ms The deadline.
   * @returns How it exited.
   */
  stop(
    signal: Deno.Signal = "SIGTERM",
    ms: number = STEP_MS,
  ): Promise<Deno.CommandStatus> {
    this.#kill(signal);
    return this.status(ms);
  }

  /**
   * Sends SIGTERM, checks the process exits with status 0, and returns the
   * rest of its stdout and its stderr.
   *
   * @param signal The signal.
   * @returns The rest of stdout and all of stderr.
   */
  async stopCleanly(
    signal: Deno.Signal = "SIGTERM",
  ): Promise<{ stdout: string; stderr: string }> {
    const status = await this.stop(signal);
    const stdout = await this.rest();
    const stderr = await this.stderr();
    equal(status.signal, null, `${this.script} was killed: ${stderr}`);
    equal(status.code, 0, `${this.script} exit status; stderr: ${stderr}`);
    return { stdout, stderr };
  }

  /**
   * Waits for the process to exit by itself, checks its status, and returns
   * the rest of its stdout and its stderr.
   *
   * @param code The expected exit status.
   * @returns The rest of stdout and all of stderr.
   */
  async exits(code = 0): Promise<{ stdout: string; stderr: string }> {
    const status = await this.status();
    const stdout = await this.rest();
    const stderr = await this.stderr();
    equal(status.code, code, `${this.script} exit status; stderr: ${stderr}`);
    return { stdout, stderr };
  }

  /**
   * All of stderr, once the process has exited.
   *
   * @returns The text.
   */
  stderr(): Promise<string> {
    return deadline(this.#stderr, STEP_MS, `${this.script}: stderr`);
  }

  #kill(signal: Deno.Signal): void {
    if (this.#exited) return;
    try {
      this.#child.kill(signal);
    } catch {
      // It has just exited.
    }
  }

  /** Kills the process if it still runs, and closes its streams. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.#kill("SIGKILL");
    await this.#status;
    await this.#reader.cancel().catch(() => {});
    await this.#stderr.catch(() => "");
  }
}

/**
 * Returns a TCP port that nothing listens on: 1 (tcpmux), privileged and
 * outside the ephemeral range. A port that was free a moment ago is not
 * safe: a connection from 127.0.0.1 may get it as its own source port and
 * connect to itself (TCP's simultaneous open), and then hangs instead of
 * being refused.
 */
export function closedPort(): number {
  return 1;
}

/**
 * Connects to 127.0.0.1:`port`.
 *
 * @param port The port.
 * @returns The connection.
 */
export function connect(port: number): Promise<Deno.TcpConn> {
  return deadline(
    Deno.connect({ hostname: "127.0.0.1", port }),
    STEP_MS,
    `connecting to ${port}`,
  );
}

/**
 * Writes all of `data`.
 *
 * @param conn The connection.
 * @param data The data (a string as UTF-8).
 */
export async function send(
  conn: Deno.Conn,
  data: Uint8Array | string,
): Promise<void> {
  const bytes = typeof data === "string" ? encoder.encode(data) : data;
  let off = 0;
  while (off < bytes.length) off += await conn.write(bytes.subarray(off));
}

async function readSome(
  conn: Deno.Conn,
  buf: Uint8Array,
  what: string,
): Promise<number | null> {
  try {
    return await deadline(conn.read(buf), STEP_MS, what);
  } catch (e) {
    // Closing ends the pending read, for the op sanitizer.
    try {
      conn.close();
    } catch {
      // Already closed.
    }
    throw e;
  }
}

/**
 * Reads until the peer closes.
 *
 * @param conn The connection.
 * @returns The bytes.
 */
export async function readAll(conn: Deno.Conn): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const buf = new Uint8Array(65536);
  for (;;) {
    const n = await readSome(conn, buf, "reading until the peer closes");
    if (n === null) break;
    chunks.push(buf.slice(0, n));
  }
  const out = new Uint8Array(chunks.reduce((t, c) => t + c.length, 0));
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}

/**
 * Reads exactly `n` bytes (fewer if the peer closes first).
 *
 * @param conn The connection.
 * @param n How many.
 * @returns The bytes.
 */
export async function readExactly(
  conn: Deno.Conn,
  n: number,
): Promise<Uint8Array> {
  const out = new Uint8Array(n);
  let off = 0;
  while (off < n) {
    const got = await readSome(
      conn,
      out.subarray(off),
      `reading ${n} bytes (${off} so far)`,
    );
    if (got === null) return out.slice(0, off);
    off += got;
  }
  return out;
}

/**
 * Reads the reply to a request: as many bytes as `expected` has (as UTF-8).
 *
 * @param conn The connection.
 * @param expected The reply expected (only its length is used).
 * @returns The reply read, as text.
 */
export async function readText(
  conn: Deno.Conn,
  expected: string,
): Promise<string> {
  return decoder.decode(
    await readExactly(conn, encoder.encode(expected).length),
  );
}

/**
 * Connects, sends `data` (if any), shuts down the writing side, and reads
 * until the server closes.
 *
 * @param port The port.
 * @param data What to send.
 * @returns What the server sent, as text.
 */
export async function exchange(
  port: number,
  data: Uint8Array | string = "",
): Promise<string> {
  const conn = await connect(port);
  try {
    await send(conn, data);
    await conn.closeWrite();
    return decoder.decode(await readAll(conn));
  } finally {
    try {
      conn.close();
    } catch {
      // Closed after a timeout.
    }
  }
}

/**
 * Runs a command (`nc`, `socat`) with `input` on stdin, and returns its
 * stdout once it exits with status 0.
 *
 * @param cmd The command.
 * @param args Its arguments.
 * @param input Its stdin.
 * @returns Its stdout.
 */
export async function runTool(
  cmd: string,
  args: string[],
  input: string | Uint8Array = "",
): Promise<string> {
  const child = new Deno.Command(cmd, {
    args,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(typeof input === "string" ? encoder.encode(input) : input);
  await writer.close();
  const result = child.output();
  let output: Deno.CommandOutput;
  try {
    output = await deadline(result, STEP_MS, `${cmd} ${args.join(" ")}`);
  } catch (e) {
    child.kill("SIGKILL");
    await result.catch(() => {});
    throw e;
  }
  equal(output.code, 0, `${cmd} failed: ${decoder.decode(output.stderr)}`);
  return decoder.decode(output.stdout);
}
