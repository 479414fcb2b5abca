// Copyright 2026 the Torsion authors. MIT license.
/**
 * Running a program for its output or exit code (Twisted's
 * `twisted.internet.utils`): {@linkcode getProcessOutput},
 * {@linkcode getProcessValue}, {@linkcode getProcessOutputAndValue}.
 *
 * @module
 */

import { Deferred } from "../defer/deferred.ts";
import type { Failure } from "../defer/failure.ts";
import { getReactor } from "./default.ts";
import type { ProcessTerminated } from "./errors.ts";
import type { IReactorProcess } from "./interfaces.ts";
import { ProcessProtocol } from "./process_protocol.ts";

/** Options of {@linkcode getProcessOutput} and its siblings. */
export interface ProcessUtilsOptions {
  /**
   * The child's complete environment: omitted is an **empty** one (as
   * Twisted), `null` the parent's.
   *
   * @default {{}}
   */
  env?: Record<string, string> | null;
  /**
   * The child's working directory; `null` for the parent's.
   *
   * @default {null}
   */
  path?: string | null;
  /**
   * The reactor to run the child on.
   *
   * @default {getReactor()}
   */
  reactor?: IReactorProcess;
}

/** Options of {@linkcode getProcessOutput}. */
export interface GetProcessOutputOptions extends ProcessUtilsOptions {
  /**
   * Whether what the child writes to stderr is part of the result (mixed
   * with stdout as it comes). If `false`, output on stderr fails the
   * result with {@linkcode UnexpectedErrorOutput}.
   *
   * @default {false}
   */
  errortoo?: boolean;
}

/** Options of {@linkcode getProcessOutputAndValue}. */
export interface GetProcessOutputAndValueOptions extends ProcessUtilsOptions {
  /**
   * Bytes written to the child's standard input, which is then closed.
   * Without them, stdin stays open until the child exits.
   */
  stdinBytes?: Uint8Array | string;
}

/** Python's `repr()` of bytes, for Twisted's message. */
function bytesRepr(data: Uint8Array): string {
  const quote = data.includes(0x27) && !data.includes(0x22) ? '"' : "'";
  let s = "b" + quote;
  for (const b of data) {
    if (b === 0x5c) s += "\\\\";
    else if (b === quote.charCodeAt(0)) s += "\\" + quote;
    else if (b === 0x09) s += "\\t";
    else if (b === 0x0a) s += "\\n";
    else if (b === 0x0d) s += "\\r";
    else if (b < 0x20 || b >= 0x7f) {
      s += "\\x" + b.toString(16).padStart(2, "0");
    } else s += String.fromCharCode(b);
  }
  return s + quote;
}

/**
 * What {@linkcode getProcessOutput} fails with when the child writes to
 * stderr and `errortoo` is off (Twisted's `_UnexpectedErrorOutput`, an
 * `IOError` there). The child's pipes are closed then; `processEnded`
 * tells when it is gone.
 *
 * @example Usage
 * ```ts
 * import { Deferred } from "@torsion/torsion/defer";
 * import { UnexpectedErrorOutput } from "@torsion/torsion/reactor";
 * import { equal } from "node:assert/strict";
 *
 * const e = new UnexpectedErrorOutput(
 *   new TextEncoder().encode("oops\n"),
 *   new Deferred(),
 * );
 * equal(e.message, "got stderr: b'oops\\n'");
 * ```
 */
export class UnexpectedErrorOutput extends Error {
  /** The first bytes the child wrote to stderr. */
  readonly text: Uint8Array;
  /**
   * Fails with the child's `ProcessDone` or `ProcessTerminated` once it
   * has ended (exited, all pipes closed).
   */
  readonly processEnded: Deferred<never>;

  /**
   * Creates an `UnexpectedErrorOutput`.
   *
   * @param text What the child wrote to stderr.
   * @param processEnded Fails once the child has ended.
   */
  constructor(text: Uint8Array, processEnded: Deferred<never>) {
    super(`got stderr: ${bytesRepr(text)}`);
    this.name = "UnexpectedErrorOutput";
    this.text = text;
    this.processEnded = processEnded;
  }
}

function concat(chunks: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const c of chunks) n += c.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Spawns `protocol` with `[executable, ...args]`, as Twisted's helper does. */
function spawn(
  protocol: ProcessProtocol,
  executable: string,
  args: readonly string[],
  options: ProcessUtilsOptions,
): void {
  const reactor = options.reactor ?? getReactor();
  const spawnOptions: { env?: Record<string, string> | null; path?: string } =
    {};
  if (options.env !== undefined) spawnOptions.env = options.env;
  if (options.path !== undefined && options.path !== null) {
    spawnOptions.path = options.path;
  }
  reactor.spawnProcess(
    protocol,
    executable,
    [executable, ...args],
    spawnOptions,
  );
}

/** Collects stdout (and stderr, or fails on it): Twisted's `_BackRelay`. */
class BackRelay extends ProcessProtocol {
  #deferred: Deferred<Uint8Array> | null;
  #onProcessEnded: Deferred<never> | null = null;
  readonly #chunks: Uint8Array[] = [];
  readonly #errortoo: boolean;

  constructor(deferred: Deferred<Uint8Array>, errortoo: boolean) {
    super();
    this.#deferred = deferred;
    this.#errortoo = errortoo;
  }

  override outReceived(data: Uint8Array): void {
    this.#chunks.push(data);
  }

  override errReceived(data: Uint8Array): void {
    if (this.#errortoo) {
      this.#chunks.push(data);
      return;
    }
    const d = this.#deferred;
    if (d === null) return;
    this.#deferred = null;
    this.#onProcessEnded = new Deferred<never>();
    d.errback(new UnexpectedErrorOutput(data, this.#onProcessEnded));
    this.transport.loseConnection();
  }

  override processEnded(reason: Failure): void {
    if (this.#deferred !== null) {
      this.#deferred.callback(concat(this.#chunks));
    } else if (this.#onProcessEnded !== null) {
      this.#onProcessEnded.errback(reason);
    }
  }
}

/**
 * Runs a program and returns a Deferred of everything it wrote to stdout,
 * once it has ended (Twisted's `getProcessOutput`). The exit code does not
 * matter. If the child writes to stderr, the Deferred fails at once with
 * {@linkcode UnexpectedErrorOutput} and the child's pipes are closed,
 * unless `errortoo` is set: then stderr is part of the output.
 *
 * @param executable The program: a path, or a name looked up in `PATH`.
 * @param args The arguments, **not** starting with the program's name.
 * @param options `env` (omitted: empty), `path`, `reactor`, `errortoo`.
 * @returns A Deferred of the output.
 *
 * @example Usage
 * ```ts
 * import { getProcessOutput, Reactor } from "@torsion/torsion/reactor";
 * import { equal } from "node:assert/strict";
 *
 * const reactor = new Reactor();
 * const run = reactor.run();
 * const out = await getProcessOutput("echo", ["hello", "world"], { reactor });
 * reactor.stop();
 * await run;
 * equal(new TextDecoder().decode(out), "hello world\n");
 * ```
 */
export function getProcessOutput(
  executable: string,
  args: readonly string[] = [],
  options: GetProcessOutputOptions = {},
): Deferred<Uint8Array> {
  const d = new Deferred<Uint8Array>();
  spawn(new BackRelay(d, options.errortoo ?? false), executable, args, options);
  return d;
}

/** Fires with the exit code: Twisted's `_ValueGetter`. */
class ValueGetter extends ProcessProtocol {
  readonly #deferred: Deferred<number | null>;

  constructor(deferred: Deferred<number | null>) {
    super();
    this.#deferred = deferred;
  }

  override processEnded(reason: Failure): void {
    this.#deferred.callback((reason.value as ProcessTerminated).exitCode);
  }
}

/**
 * Runs a program and returns a Deferred of its exit code, once it has
 * ended (Twisted's `getProcessValue`): `null` if a signal ended it.
 *
 * @param executable The program: a path, or a name looked up in `PATH`.
 * @param args The arguments, **not** starting with the program's name.
 * @param options `env` (omitted: empty), `path`, `reactor`.
 * @returns A Deferred of the exit code.
 *
 * @example Usage
 * ```ts
 * import { getProcessValue, Reactor } from "@torsion/torsion/reactor";
 * import { equal } from "node:assert/strict";
 *
 * const reactor = new Reactor();
 * const run = reactor.run();
 * equal(await getProcessValue("sh", ["-c", "exit 7"], { reactor }), 7);
 * reactor.stop();
 * await run;
 * ```
 */
export function getProcessValue(
  executable: string,
  args: readonly string[] = [],
  options: ProcessUtilsOptions = {},
): Deferred<number | null> {
  const d = new Deferred<number | null>();
  spawn(new ValueGetter(d), executable, args, options);
  return d;
}

/** Collects both outputs and the code: Twisted's `_EverythingGetter`. */
class EverythingGetter extends ProcessProtocol {
  readonly #deferred: Deferred<[Uint8Array, Uint8Array, number]>;
  readonly #out: Uint8Array[] = [];
  readonly #err: Uint8Array[] = [];
  readonly #stdinBytes: Uint8Array | string | undefined;

  constructor(
    deferred: Deferred<[Uint8Array, Uint8Array, number]>,
    stdinBytes: Uint8Array | string | undefined,
  ) {
    super();
    this.#deferred = deferred;
    this.#stdinBytes = stdinBytes;
  }

  override connectionMade(): void {
    if (this.#stdinBytes !== undefined) {
      this.transport.writeToChild(0, this.#stdinBytes);
      this.transport.closeStdin();
    }
  }

  override outReceived(data: Uint8Array): void {
    this.#out.push(data);
  }

  override errReceived(data: Uint8Array): void {
    this.#err.push(data);
  }

  override processEnded(reason: Failure): void {
    const out = concat(this.#out);
    const err = concat(this.#err);
    const e = reason.value as ProcessTerminated;
    if (e.signal) {
      this.#deferred.errback([out, err, e.signal]);
    } else {
      this.#deferred.callback([out, err, e.exitCode ?? 0]);
    }
  }
}

/**
 * Runs a program and returns a Deferred of `[stdout, stderr, exitCode]`
 * once it has ended (Twisted's `getProcessOutputAndValue`). If a signal
 * ended it, the Deferred fails with a Failure whose `value` is the array
 * `[stdout, stderr, signalNumber]`, as Twisted fails with the tuple.
 *
 * @param executable The program: a path, or a name looked up in `PATH`.
 * @param args The arguments, **not** starting with the program's name.
 * @param options `env` (omitted: empty), `path`, `reactor`, `stdinBytes`.
 * @returns A Deferred of the outputs and the exit code.
 *
 * @example Usage
 * ```ts
 * import { getProcessOutputAndValue, Reactor } from "@torsion/torsion/reactor";
 * import { deepEqual } from "node:assert/strict";
 *
 * const reactor = new Reactor();
 * const run = reactor.run();
 * const [out, err, code] = await getProcessOutputAndValue(
 *   "sh",
 *   ["-c", "echo out; echo err >&2; exit 1"],
 *   { reactor },
 * );
 * reactor.stop();
 * await run;
 * const text = new TextDecoder();
 * deepEqual([text.decode(out), text.decode(err), code], ["out\n", "err\n", 1]);
 * ```
 */
export function getProcessOutputAndValue(
  executable: string,
  args: readonly string[] = [],
  options: GetProcessOutputAndValueOptions = {},
): Deferred<[Uint8Array, Uint8Array, number]> {
  const d = new Deferred<[Uint8Array, Uint8Array, number]>();
  spawn(
    new EverythingGetter(d, options.stdinBytes),
    executable,
    args,
    options,
  );
  return d;
}
