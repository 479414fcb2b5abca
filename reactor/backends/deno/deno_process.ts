// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode spawnDenoProcess}: child processes through `Deno.Command`, for
 * the reactor backends.
 *
 * @module
 */

import type {
  ChildExit,
  ChildInput,
  ChildOutput,
  ChildProcess,
  ChildStdio,
  SpawnRequest,
} from "../../backend.ts";
import type { ProcessSignal } from "../../interfaces.ts";

/** Signal numbers on Linux (x86, ARM), by Deno's names. */
const LINUX_SIGNALS: Record<string, number> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGILL: 4,
  SIGTRAP: 5,
  SIGABRT: 6,
  SIGBUS: 7,
  SIGFPE: 8,
  SIGKILL: 9,
  SIGUSR1: 10,
  SIGSEGV: 11,
  SIGUSR2: 12,
  SIGPIPE: 13,
  SIGALRM: 14,
  SIGTERM: 15,
  SIGSTKFLT: 16,
  SIGCHLD: 17,
  SIGCONT: 18,
  SIGSTOP: 19,
  SIGTSTP: 20,
  SIGTTIN: 21,
  SIGTTOU: 22,
  SIGURG: 23,
  SIGXCPU: 24,
  SIGXFSZ: 25,
  SIGVTALRM: 26,
  SIGPROF: 27,
  SIGWINCH: 28,
  SIGIO: 29,
  SIGPWR: 30,
  SIGSYS: 31,
};

/** Signal numbers on macOS and the BSDs, by Deno's names. */
const BSD_SIGNALS: Record<string, number> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGILL: 4,
  SIGTRAP: 5,
  SIGABRT: 6,
  SIGEMT: 7,
  SIGFPE: 8,
  SIGKILL: 9,
  SIGBUS: 10,
  SIGSEGV: 11,
  SIGSYS: 12,
  SIGPIPE: 13,
  SIGALRM: 14,
  SIGTERM: 15,
  SIGURG: 16,
  SIGSTOP: 17,
  SIGTSTP: 18,
  SIGCONT: 19,
  SIGCHLD: 20,
  SIGTTIN: 21,
  SIGTTOU: 22,
  SIGIO: 23,
  SIGXCPU: 24,
  SIGXFSZ: 25,
  SIGVTALRM: 26,
  SIGPROF: 27,
  SIGWINCH: 28,
  SIGINFO: 29,
  SIGUSR1: 30,
  SIGUSR2: 31,
};

const SIGNALS = Deno.build.os === "linux" || Deno.build.os === "android"
  ? LINUX_SIGNALS
  : BSD_SIGNALS;

const SIGNAL_NAMES = new Map<number, string>(
  Object.entries(SIGNALS).map(([name, n]) => [n, name]),
);

/** Deno's name of a signal given by Twisted's name or by number. */
function signalName(signal: ProcessSignal | number): Deno.Signal {
  const name = typeof signal === "number"
    ? SIGNAL_NAMES.get(signal)
    : `SIG${signal}`;
  if (name === undefined || SIGNALS[name] === undefined) {
    throw new RangeError(
      `Cannot send signal ${signal}: it is not a signal of ${Deno.build.os}`,
    );
  }
  return name as Deno.Signal;
}

function stdio(s: ChildStdio): "piped" | "inherit" | "null" {
  return s === "pipe" ? "piped" : s;
}

/** The pipe we read a child's output from, over its `ReadableStream`. */
class DenoChildOutput implements ChildOutput {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  #cancelled: Promise<void> | null = null;

  constructor(stream: ReadableStream<Uint8Array>) {
    this.#reader = stream.getReader();
  }

  async read(): Promise<Uint8Array | null> {
    const { value, done } = await this.#reader.read();
    return done ? null : value;
  }

  cancel(): Promise<void> {
    return this.#cancelled ??= this.#reader.cancel().catch(() => {});
  }
}

/** The pipe we write a child's input to, over its `WritableStream`. */
class DenoChildInput implements ChildInput {
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  #closed: Promise<void> | null = null;

  constructor(stream: WritableStream<Uint8Array>) {
    this.#writer = stream.getWriter();
  }

  async write(p: Uint8Array): Promise<number> {
    await this.#writer.write(p);
    return p.length;
  }

  close(): Promise<void> {
    // After a failed write (the child closed its end) the stream is errored
    // and its resource already closed: close() then rejects, harmlessly.
    return this.#closed ??= this.#writer.close().catch(() => {});
  }
}

/**
 * Starts a child process with `Deno.Command` (needs `--allow-run`). The
 * program is looked up in the child's `PATH` if its environment has one,
 * else in the parent's. `Deno.Command` gives the child the program's path
 * as `argv[0]`: the request holds the arguments after it.
 *
 * @param request What to start.
 * @returns The running child.
 * @throws {Deno.errors.NotFound} No such program or working directory.
 * @throws {Deno.errors.PermissionDenied} The program may not be executed.
 * @throws {Deno.errors.NotCapable} Without `--allow-run` for it.
 *
 * @example Usage
 * ```ts
 * import { spawnDenoProcess } from "@torsion/torsion/reactor";
 * import { deepEqual } from "node:assert/strict";
 *
 * const child = spawnDenoProcess({
 *   executable: "sh",
 *   args: ["-c", "exit 3"],
 *   env: null,
 *   cwd: null,
 *   stdio: ["null", "null", "null"],
 * });
 * deepEqual(await child.exited, { exitCode: 3, signal: null, status: 3 << 8 });
 * ```
 */
export function spawnDenoProcess(request: SpawnRequest): ChildProcess {
  const options: Deno.CommandOptions = {
    args: [...request.args],
    stdin: stdio(request.stdio[0]),
    stdout: stdio(request.stdio[1]),
    stderr: stdio(request.stdio[2]),
  };
  if (request.cwd !== null) options.cwd = request.cwd;
  if (request.env !== null) {
    options.clearEnv = true;
    options.env = { ...request.env };
  }
  const child = new Deno.Command(request.executable, options).spawn();
  const exited = child.status.then((s): ChildExit => {
    const signo = s.signal === null ? undefined : SIGNALS[s.signal];
    if (signo !== undefined) {
      return { exitCode: null, signal: signo, status: signo };
    }
    return { exitCode: s.code, signal: null, status: s.code << 8 };
  });
  return {
    pid: child.pid,
    stdin: request.stdio[0] === "pipe" ? new DenoChildInput(child.stdin) : null,
    stdout: request.stdio[1] === "pipe"
      ? new DenoChildOutput(child.stdout)
      : null,
    stderr: request.stdio[2] === "pipe"
      ? new DenoChildOutput(child.stderr)
      : null,
    exited,
    kill(signal) {
      const name = signalName(signal);
      try {
        child.kill(name);
        return true;
      } catch (e) {
        // "Child process has already terminated", or gone before Deno knew.
        if (
          (e instanceof TypeError && /terminated/.test(e.message)) ||
          e instanceof Deno.errors.NotFound
        ) {
          return false;
        }
        throw e;
      }
    },
  };
}
