// Copyright 2026 the Torsion authors. MIT license.
// The runner as a child process for runner_test.ts: `deno run` of
// reactor/application/run.ts with arguments and environment, its stdout read
// line by line (the log, by default), its stderr as a whole; and a wait for
// a log file to hold a line, woken by file system events rather than
// polling. Every wait has a deadline; every process and watcher is closed.
import { deadline, STEP_MS } from "../../_examples.ts";
import { REACTOR_UNDER_TEST } from "../../_reactor.ts";

const RUN = new URL("../../../reactor/application/run.ts", import.meta.url)
  .pathname;

/** The reactor option for the reactor the tests run on. */
export const REACTOR_ARGS: string[] = REACTOR_UNDER_TEST === "epoll"
  ? ["-r", "epoll"]
  : [];

/** The runner, running. */
export class RunnerProcess implements AsyncDisposable {
  readonly #child: Deno.ChildProcess;
  readonly #reader: ReadableStreamDefaultReader<string>;
  readonly #stderr: Promise<string>;
  readonly #status: Promise<Deno.CommandStatus>;
  #buffer = "";
  #eof = false;
  #exited = false;
  /** Every stdout line read so far. */
  readonly lines: string[] = [];

  /**
   * Starts `deno run <flags> run.ts <args>`.
   *
   * @param args The runner's arguments.
   * @param options Deno's flags (default `-A`), the environment, the
   *   directory.
   */
  constructor(
    args: string[],
    options: { flags?: string[]; env?: Record<string, string>; cwd?: string } =
      {},
  ) {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "--no-prompt", ...(options.flags ?? ["-A"]), RUN, ...args],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      cwd: options.cwd,
      env: { NO_COLOR: "1", ...options.env },
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

  /**
   * Reads stdout lines until one matches `wanted`.
   *
   * @returns The match.
   */
  async waitFor(wanted: RegExp): Promise<RegExpMatchArray> {
    for (;;) {
      const i = this.#buffer.indexOf("\n");
      if (i !== -1) {
        const line = this.#buffer.slice(0, i);
        this.#buffer = this.#buffer.slice(i + 1);
        this.lines.push(line);
        const m = line.match(wanted);
        if (m !== null) return m;
        continue;
      }
      if (this.#eof) {
        throw new Error(
          `stdout ended before ${wanted}; got:\n${this.lines.join("\n")}\n` +
            `stderr:\n${await this.stderr()}`,
        );
      }
      const { value, done } = await deadline(
        this.#reader.read(),
        STEP_MS,
        `the runner's stdout, waiting for ${wanted}; got:\n${
          this.lines.join("\n")
        }`,
      );
      if (done) this.#eof = true;
      else this.#buffer += value;
    }
  }

  /** The port of the first `... starting on PORT` line. */
  async port(): Promise<number> {
    return Number((await this.waitFor(/ starting on (\d+)$/))[1]);
  }

  /** Sends a signal (unless the process has exited). */
  kill(signal: Deno.Signal): void {
    if (this.#exited) return;
    try {
      this.#child.kill(signal);
    } catch {
      // It has just exited.
    }
  }

  /**
   * Waits for the process to exit, and reads the rest of stdout.
   *
   * @returns Its exit code, every stdout line, its stderr.
   */
  async exit(): Promise<{ code: number; lines: string[]; stderr: string }> {
    let status: Deno.CommandStatus;
    try {
      status = await deadline(this.#status, STEP_MS, "the runner's exit");
    } catch (e) {
      this.kill("SIGKILL");
      throw e;
    }
    while (!this.#eof) {
      const { value, done } = await deadline(
        this.#reader.read(),
        STEP_MS,
        "the end of the runner's stdout",
      );
      if (done) this.#eof = true;
      else this.#buffer += value;
    }
    if (this.#buffer !== "") {
      this.lines.push(...this.#buffer.replace(/\n$/, "").split("\n"));
      this.#buffer = "";
    }
    return {
      code: status.code,
      lines: this.lines,
      stderr: await this.stderr(),
    };
  }

  /** All of stderr, once the process has closed it. */
  stderr(): Promise<string> {
    return deadline(this.#stderr, STEP_MS, "the runner's stderr");
  }

  /** Kills the process if it still runs, and closes its streams. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.kill("SIGKILL");
    await this.#status;
    await this.#reader.cancel().catch(() => {});
    await this.#stderr.catch(() => "");
  }
}

/** The log lines after their timestamps: `[system] message`. */
export function messages(lines: string[]): string[] {
  return lines.map((l) =>
    l.replace(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d[+-]\d{4} /, "")
  );
}

/** The text of a file, or `null` if it does not exist. */
export function readOrNull(path: string): string | null {
  try {
    return Deno.readTextFileSync(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
}

/**
 * Waits until the file at `path` exists and its text matches `wanted`,
 * checking again on each event of its directory.
 *
 * @returns The file's text.
 */
export async function waitForFile(
  path: string,
  wanted: RegExp,
): Promise<string> {
  const directory = path.slice(0, path.lastIndexOf("/"));
  const watcher = Deno.watchFs(directory, { recursive: false });
  const events = watcher[Symbol.asyncIterator]();
  try {
    for (;;) {
      const text = readOrNull(path);
      if (text !== null && wanted.test(text)) return text;
      const { done } = await deadline(
        events.next(),
        STEP_MS,
        `${path} to match ${wanted}; it holds: ${JSON.stringify(text)}`,
      );
      if (done) throw new Error(`the watcher of ${directory} ended`);
    }
  } finally {
    watcher.close();
  }
}
