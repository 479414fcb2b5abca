// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode Process}: the transport of a child process, made by
 * `reactor.spawnProcess`.
 *
 * @module
 */

import { Failure } from "../../defer/failure.ts";
import * as log from "../../defer/log.ts";
import type {
  ChildExit,
  ChildProcess,
  ChildStdio,
  ReactorResource,
  SpawnRequest,
  TransportReactor,
} from "../backend.ts";
import {
  ProcessDone,
  ProcessExitedAlready,
  ProcessTerminated,
} from "../errors.ts";
import type {
  IProcessProtocol,
  IProcessTransport,
  IPullProducer,
  IPushProducer,
  ProcessSignal,
  SpawnProcessOptions,
} from "../interfaces.ts";
import {
  type PipeOwner,
  ProcessReader,
  ProcessWriter,
} from "./_process_pipes.ts";

const encoder = new TextEncoder();

/** The signal names `signalProcess` takes. */
const SIGNAL_NAMES: ReadonlySet<string> = new Set([
  "HUP",
  "INT",
  "KILL",
  "TERM",
  "STOP",
]);

/** The descriptors a child gets when `childFDs` is not given. */
const DEFAULT_STDIO: readonly [ChildStdio, ChildStdio, ChildStdio] = [
  "pipe",
  "pipe",
  "pipe",
];

/** Checks `childFDs` and translates it into what `Deno.Command` can do. */
function stdioOf(
  childFDs: SpawnProcessOptions["childFDs"],
): readonly [ChildStdio, ChildStdio, ChildStdio] {
  if (childFDs === undefined || childFDs === null) return DEFAULT_STDIO;
  const stdio: [ChildStdio, ChildStdio, ChildStdio] = ["null", "null", "null"];
  for (const [key, target] of Object.entries(childFDs)) {
    const fd = Number(key);
    const wanted = fd === 0 ? "w" : "r";
    if (fd !== 0 && fd !== 1 && fd !== 2) {
      throw new RangeError(
        `Cannot spawn a process: childFDs maps descriptor ${key}, and only 0, 1 and 2 can be set up`,
      );
    }
    if (target === wanted) {
      stdio[fd] = "pipe";
    } else if (target === fd) {
      stdio[fd] = "inherit";
    } else {
      throw new RangeError(
        `Cannot spawn a process: childFDs maps descriptor ${fd} to ${
          JSON.stringify(target)
        }, expected "${wanted}" or ${fd}`,
      );
    }
  }
  return stdio;
}

/** Checks that `value` is an array of strings. */
function checkStrings(value: unknown, what: string): readonly string[] {
  if (
    !Array.isArray(value) || !value.every((a) => typeof a === "string")
  ) {
    throw new TypeError(
      `Cannot spawn a process: ${what} must be an array of strings`,
    );
  }
  return value;
}

/** Checks `env` and applies Twisted's default (omitted: empty). */
function envOf(
  env: SpawnProcessOptions["env"],
): Readonly<Record<string, string>> | null {
  if (env === null) return null;
  if (env === undefined) return {};
  if (typeof env !== "object") {
    throw new TypeError(
      "Cannot spawn a process: env must be an object of strings or null",
    );
  }
  for (const [k, v] of Object.entries(env)) {
    if (typeof v !== "string") {
      throw new TypeError(
        `Cannot spawn a process: env.${k} must be a string, received ${typeof v}`,
      );
    }
  }
  return { ...env };
}

/** A pipe that has ended: reads end of stream at once. */
function endedOutput(data: Uint8Array | null): ChildProcess["stdout"] {
  let pending = data;
  return {
    read() {
      const d = pending;
      pending = null;
      return Promise.resolve(d);
    },
    cancel() {
      pending = null;
      return Promise.resolve();
    },
  };
}

/**
 * The child that could not be started, as a POSIX child whose `exec`
 * failed: it wrote why to its standard error and exited with code 1.
 */
function failedChild(
  request: SpawnRequest,
  args: readonly string[],
  error: unknown,
): [ChildProcess, string] {
  const what = error instanceof Error
    ? `${error.name}: ${error.message}`
    : String(error);
  // Twisted's child writes "Upon execvpe <executable> <args>" and the
  // Python traceback; the arguments as Python prints a list.
  const list = args.map((a) => `'${a.replace(/[\\']/g, "\\$&")}'`);
  const text = `Upon execvpe ${request.executable} [${
    list.join(", ")
  }]\n:${what}\n`;
  const child: ChildProcess = {
    pid: -1,
    stdin: request.stdio[0] === "pipe"
      ? {
        write: () =>
          Promise.reject(new Error("Broken pipe: the child never started")),
        close: () => Promise.resolve(),
      }
      : null,
    stdout: request.stdio[1] === "pipe" ? endedOutput(null) : null,
    stderr: request.stdio[2] === "pipe"
      ? endedOutput(encoder.encode(text))
      : null,
    exited: Promise.resolve({ exitCode: 1, signal: null, status: 1 << 8 }),
    kill: () => false,
  };
  return [child, text];
}

/**
 * The transport of a child process (Twisted's `process.Process`), made by
 * {@linkcode Reactor.spawnProcess} and given to the process protocol's
 * `makeConnection`. Writes go to the child's standard input through the
 * stream core (queued, coalesced, a registered producer paused while more
 * than 64 KiB wait); the child's standard output and error are read until
 * their end of stream and handed to `childDataReceived(1 | 2, data)`.
 *
 * The protocol's events: `makeConnection` inside `spawnProcess`; once the
 * reactor runs, output as it comes, `childConnectionLost(fd)` as each pipe
 * closes, `processExited(reason)` as the child exits (its standard input is
 * then closed and reported lost: nothing can read it any more), and, after
 * the exit **and** every pipe's end, `processEnded(reason)`. The reason is
 * `ProcessDone` for exit code 0, else `ProcessTerminated` with `exitCode`,
 * `signal` and `status`. An error thrown by the protocol is logged; one
 * thrown by `childDataReceived` also closes that pipe (as Twisted).
 *
 * A program that cannot be started (missing, not executable, a working
 * directory that does not exist, no `--allow-run`) is reported as a POSIX
 * child whose `exec` failed: `Upon execvpe ...` and the error on its
 * standard error, exit code 1 (`ProcessTerminated`); `pid` is `null`.
 *
 * When the reactor shuts down, a running child gets `SIGTERM` and the
 * reactor's `run()` settles once it has ended; a child still there
 * {@linkcode Process.shutdownGracePeriod} seconds later (5) gets `SIGKILL`
 * and our ends of its pipes are closed. (Twisted leaves children running.)
 *
 * @example Usage
 * ```ts
 * import { ProcessProtocol, Reactor } from "@torsion/torsion/reactor";
 * import type { Failure } from "@torsion/torsion/defer";
 * import { equal } from "node:assert/strict";
 *
 * const reactor = new Reactor();
 * let out = "";
 * class Upper extends ProcessProtocol {
 *   override connectionMade(): void {
 *     this.transport.write("hello");
 *     this.transport.closeStdin();
 *   }
 *   override outReceived(data: Uint8Array): void {
 *     out += new TextDecoder().decode(data);
 *   }
 *   override processEnded(_reason: Failure): void {
 *     reactor.stop();
 *   }
 * }
 * reactor.spawnProcess(new Upper(), "tr", ["tr", "a-z", "A-Z"], { env: null });
 * await reactor.run();
 * equal(out, "HELLO");
 * ```
 */
export class Process implements IProcessTransport, ReactorResource {
  /**
   * How long a child has, after the `SIGTERM` of a reactor shutting down,
   * to exit and close its pipes before it gets `SIGKILL` and our ends of
   * its pipes are closed, in seconds.
   *
   * @default {5}
   */
  static shutdownGracePeriod = 5;
  /**
   * The child's process id until it has exited, then `null` (also for a
   * child that could not be started).
   */
  pid: number | null = null;
  /** The wait status once the child has exited (Twisted's `status`), else `null`. */
  status: number | null = null;
  readonly #reactor: TransportReactor;
  #protocol: IProcessProtocol | null;
  readonly #child: ChildProcess;
  readonly #pipes = new Map<number, ProcessWriter | ProcessReader>();
  readonly #readers: ProcessReader[] = [];
  #reason: ProcessDone | ProcessTerminated | null = null;
  #started = false;
  #ended = false;
  #grace: ReturnType<typeof setTimeout> | null = null;
  readonly #done = Promise.withResolvers<void>();

  /**
   * Starts the child; use {@linkcode Reactor.spawnProcess}.
   *
   * @param reactor The reactor.
   * @param protocol The process protocol.
   * @param executable The program.
   * @param args The argument vector, the process name first.
   * @param options Environment, working directory, descriptors.
   * @throws {TypeError} For arguments of the wrong type.
   * @throws {RangeError} For `childFDs` Deno cannot set up.
   * @throws {Error} If the reactor's backend cannot start processes.
   */
  constructor(
    reactor: TransportReactor,
    protocol: IProcessProtocol,
    executable: string,
    args: readonly string[] = [],
    options: SpawnProcessOptions = {},
  ) {
    if (typeof executable !== "string" || executable === "") {
      throw new TypeError(
        "Cannot spawn a process: executable must be a non-empty string",
      );
    }
    checkStrings(args, "args");
    const path = options.path ?? null;
    if (path !== null && typeof path !== "string") {
      throw new TypeError("Cannot spawn a process: path must be a string");
    }
    const backend = reactor._backend;
    if (backend.spawnProcess === undefined) {
      throw new Error(
        "Cannot spawn a process: the reactor's backend has no spawnProcess",
      );
    }
    const request: SpawnRequest = {
      executable,
      // Deno.Command gives the child the program's path as argv[0].
      args: args.slice(1),
      env: envOf(options.env),
      cwd: path,
      stdio: stdioOf(options.childFDs),
    };
    this.#reactor = reactor;
    this.#protocol = protocol;
    let child: ChildProcess;
    try {
      child = backend.spawnProcess(request);
      this.pid = child.pid;
    } catch (e) {
      const [failed, text] = failedChild(request, args, e);
      child = failed;
      if (failed.stderr === null) log.msg(text.trimEnd());
    }
    this.#child = child;
    reactor._addResource(this);
    reactor._track(this.#done.promise);
    if (child.stdin !== null) {
      const writer = new ProcessWriter(reactor, child.stdin, this.#owner);
      this.#pipes.set(0, writer);
      writer._start();
    }
    for (
      const [fd, source] of [[1, child.stdout], [2, child.stderr]] as const
    ) {
      if (source === null) continue;
      const reader = new ProcessReader(fd, source, this.#owner);
      this.#pipes.set(fd, reader);
      this.#readers.push(reader);
    }
    try {
      protocol.makeConnection(this);
    } catch (e) {
      this.#logError(e);
    }
    reactor.callWhenRunning(() => this.#start());
  }

  /** What the pipes see of this process. */
  readonly #owner: PipeOwner = {
    _childDataReceived: (fd, data) => {
      this.#protocol?.childDataReceived(fd, data);
    },
    _childConnectionLost: (fd) => this.#childConnectionLost(fd),
    _logError: (e, why) => this.#logError(e, why),
    _logPrefix: () => this.#logPrefix(),
  };

  /** Starts reading the child's output and waiting for its exit (once the reactor runs). */
  #start(): void {
    if (this.#started) return;
    this.#started = true;
    for (const reader of this.#readers) reader.start();
    this.#child.exited.then((exit) => this.#processExited(exit));
  }

  /** The prefix of log lines about this process: the protocol's class, the pid. */
  #logPrefix(): string {
    const name = this.#protocolName();
    return this.pid === null ? name : `${name},${this.pid}`;
  }

  #protocolName(): string {
    try {
      return this.#protocol?.constructor?.name ?? "ProcessProtocol";
    } catch {
      return "ProcessProtocol";
    }
  }

  /** Logs an error with this process's prefix; never throws. */
  #logError(e: unknown, why?: string): void {
    try {
      log.err(e, why, { system: this.#logPrefix() });
    } catch {
      // The log could not take it: nothing more to do here.
    }
  }

  /**
   * Queues data for the child's standard input; dropped silently once it
   * is closed, or if it is not a pipe.
   *
   * @param data Bytes, or a string sent as UTF-8.
   */
  write(data: Uint8Array | string): void {
    const stdin = this.#pipes.get(0);
    if (stdin instanceof ProcessWriter) stdin.write(data);
  }

  /**
   * Queues several pieces of data for the child's standard input.
   *
   * @param data The pieces.
   */
  writeSequence(data: Iterable<Uint8Array | string>): void {
    const stdin = this.#pipes.get(0);
    if (stdin instanceof ProcessWriter) stdin.writeSequence(data);
  }

  /**
   * Queues data for a descriptor of the child that reads from us (0).
   *
   * @param childFD The descriptor in the child.
   * @param data Bytes, or a string sent as UTF-8.
   * @throws {RangeError} If `childFD` is not an open pipe the child reads
   *   from (Twisted's `KeyError`).
   */
  writeToChild(childFD: number, data: Uint8Array | string): void {
    const pipe = this.#pipes.get(childFD);
    if (!(pipe instanceof ProcessWriter)) {
      throw new RangeError(
        `Cannot write to child descriptor ${childFD}: it is not an open pipe the child reads`,
      );
    }
    pipe.write(data);
  }

  /**
   * Closes one of the child's pipes: stdin once what is queued is written,
   * an output pipe at once (the child's later writes to it fail). A
   * descriptor that is not an open pipe is ignored.
   *
   * @param childFD The descriptor in the child.
   */
  closeChildFD(childFD: number): void {
    this.#pipes.get(childFD)?.loseConnection();
  }

  /** Closes the child's standard input once what is queued is written. */
  closeStdin(): void {
    this.closeChildFD(0);
  }

  /** Closes the pipe of the child's standard output. */
  closeStdout(): void {
    this.closeChildFD(1);
  }

  /** Closes the pipe of the child's standard error. */
  closeStderr(): void {
    this.closeChildFD(2);
  }

  /** Closes standard input, then standard error and output (Twisted's order). */
  loseConnection(): void {
    this.closeStdin();
    this.closeStderr();
    this.closeStdout();
  }

  /**
   * Sends the child a signal.
   *
   * @param signal `"TERM"`, `"KILL"`, `"INT"`, `"HUP"`, `"STOP"`, or a
   *   signal number of the platform.
   * @throws {ProcessExitedAlready} If the child has exited (or never
   *   started).
   * @throws {RangeError} For a signal the platform does not know.
   * @throws {TypeError} For another name.
   */
  signalProcess(signal: ProcessSignal | number): void {
    if (typeof signal === "string") {
      if (!SIGNAL_NAMES.has(signal)) {
        throw new TypeError(
          `Cannot send signal ${
            JSON.stringify(signal)
          }: use "TERM", "KILL", "INT", "HUP", "STOP" or a number`,
        );
      }
    } else if (!Number.isInteger(signal)) {
      throw new TypeError(
        `Cannot send signal ${signal}: a signal number is an integer`,
      );
    }
    if (this.pid === null) throw new ProcessExitedAlready();
    if (!this.#child.kill(signal)) throw new ProcessExitedAlready();
  }

  /**
   * Attaches a producer to the child's standard input (see
   * `StreamTransport.registerProducer`); without one, the producer is
   * stopped at once.
   *
   * @param producer The producer.
   * @param streaming Whether it is a push producer.
   */
  registerProducer(
    producer: IPushProducer | IPullProducer,
    streaming: boolean,
  ): void {
    const stdin = this.#pipes.get(0);
    if (stdin instanceof ProcessWriter) {
      stdin.registerProducer(producer, streaming);
    } else {
      producer.stopProducing();
    }
  }

  /** Detaches the producer of the child's standard input. */
  unregisterProducer(): void {
    const stdin = this.#pipes.get(0);
    if (stdin instanceof ProcessWriter) stdin.unregisterProducer();
  }

  /** Stops handing over the child's output (the child blocks once its pipes fill). */
  pauseProducing(): void {
    for (const reader of this.#readers) reader.pause();
  }

  /** Hands over the child's output again. */
  resumeProducing(): void {
    for (const reader of this.#readers) reader.resume();
  }

  /** Closes the pipes (the transport as a producer told to stop). */
  stopProducing(): void {
    this.loseConnection();
  }

  /** The child exited: `processExited`, its stdin is lost, perhaps `processEnded`. */
  #processExited(exit: ChildExit): void {
    this.status = exit.status;
    this.pid = null;
    this.#reason = exit.exitCode === 0 && exit.signal === null
      ? new ProcessDone(exit.status)
      : new ProcessTerminated(exit.exitCode, exit.signal, exit.status);
    try {
      this.#protocol?.processExited(new Failure(this.#reason));
    } catch (e) {
      this.#logError(e, "unexpected error in processExited");
    }
    const stdin = this.#pipes.get(0);
    if (stdin instanceof ProcessWriter) stdin._childExited();
    this.#maybeCallProcessEnded();
  }

  #childConnectionLost(fd: number): void {
    if (!this.#pipes.delete(fd)) return;
    try {
      this.#protocol?.childConnectionLost(fd);
    } catch (e) {
      this.#logError(e);
    }
    this.#maybeCallProcessEnded();
  }

  /** `processEnded` once the child has exited and every pipe has closed. */
  #maybeCallProcessEnded(): void {
    if (this.#ended || this.#reason === null || this.#pipes.size > 0) return;
    this.#ended = true;
    this.#reactor._removeResource(this);
    if (this.#grace !== null) {
      clearTimeout(this.#grace);
      this.#grace = null;
    }
    const protocol = this.#protocol;
    this.#protocol = null;
    try {
      protocol?.processEnded(new Failure(this.#reason));
    } catch (e) {
      this.#logError(e, "unexpected error in processEnded");
    }
    this.#done.resolve();
  }

  /**
   * @ignore The reactor is shutting down: `SIGTERM` to a running child;
   * after a grace period, `SIGKILL` and our ends of the pipes closed.
   */
  _reactorShutdown(): void {
    if (this.#ended || this.#grace !== null) return;
    this.#start();
    if (this.pid !== null) this.#child.kill("TERM");
    this.#grace = setTimeout(() => {
      this.#grace = null;
      if (this.pid !== null) this.#child.kill("KILL");
      for (const reader of this.#readers) reader.loseConnection();
    }, Process.shutdownGracePeriod * 1000);
  }
}
