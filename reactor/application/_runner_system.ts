// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode RunnerSystem}: what the runner needs of the process and the
 * operating system (its arguments, directory, umask, pid file, signals,
 * standard streams, exit), so that the runner holds no `Deno.*` call. Deno's
 * is `reactor/backends/deno/deno_runner_system.ts`.
 *
 * @module
 */

/** The signals the runner handles. */
export type RunnerSignal = "SIGINT" | "SIGTERM" | "SIGUSR1";

/** The process, as the runner sees it. */
export interface RunnerSystem {
  /** The command-line arguments. */
  args(): string[];
  /** The process id. */
  readonly pid: number;
  /** The runtime, for the start-up line: `Deno 2.9.6`. */
  readonly runtime: string;
  /** The current directory. */
  cwd(): string;
  /** An environment variable (`undefined` if unset or not readable). */
  env?(name: string): string | undefined;
  /** Changes the current directory. */
  chdir(directory: string): void;
  /** Sets the file creation mask; returns the previous one. */
  umask(mask: number): number;
  /** The user id of the process, or `null` where there is none or it cannot be read. */
  uid(): number | null;
  /** The group id of the process, or `null` where there is none or it cannot be read. */
  gid(): number | null;
  /**
   * Whether a process with this id exists (`kill(pid, 0)`: it does if the
   * signal may not be sent to it).
   *
   * @throws {Error} If it cannot be told.
   */
  processExists(pid: number): boolean;
  /** The text of a file, or `null` if there is no such file. */
  readFile(path: string): string | null;
  /** Writes a file, replacing it. */
  writeFile(path: string, text: string): void;
  /** Removes a file. */
  removeFile(path: string): void;
  /**
   * Calls `handler` on each `signal`, instead of its default action, until
   * the returned function is called. A signal the platform does not have
   * is ignored.
   */
  onSignal(signal: RunnerSignal, handler: () => void): () => void;
  /**
   * Calls `handler` with each error nothing caught (an exception thrown
   * from a timer or an event, a rejected promise nobody handles), instead
   * of ending the process, until the returned function is called.
   */
  onUncaughtError(handler: (error: unknown) => void): () => void;
  /** Writes all of `text` to standard output, synchronously; never throws. */
  stdout(text: string): void;
  /** Writes all of `text` to standard error, synchronously; never throws. */
  stderr(text: string): void;
  /** Ends the process at once. */
  exit(code: number): never;
}
