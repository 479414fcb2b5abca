// Copyright 2026 the Torsion authors. MIT license.
/**
 * The runner's pid file, after twistd's `checkPID` and `removePID`
 * (`twisted/scripts/_twistd_unix.py`).
 *
 * @module
 */

import type { RunnerSystem } from "./_runner_system.ts";

/** The pid file names a live process, or cannot be read: the runner must not start. */
export class PidFileError extends Error {
  /**
   * Creates a `PidFileError`.
   *
   * @param message Why the runner may not start.
   * @param options The cause.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "PidFileError";
  }
}

/**
 * Checks the pid file before starting: a missing file is fine; a file that
 * names a live process (other than this one) refuses the start; one that
 * names no process is stale and removed.
 *
 * @returns A message to log about a stale file removed, or `null`.
 * @throws {PidFileError} If another process runs, or the file holds no
 *   number, or the process cannot be checked.
 */
export function checkPidFile(
  system: RunnerSystem,
  path: string,
): string | null {
  const text = system.readFile(path);
  if (text === null) return null;
  if (!/^\s*\d+\s*$/.test(text)) {
    throw new PidFileError(`Pidfile ${path} contains non-numeric value`);
  }
  const pid = Number(text.trim());
  let alive: boolean;
  try {
    // Our own id left by an earlier run (a container's pid 1) is stale.
    alive = pid !== system.pid && pid !== 0 && system.processExists(pid);
  } catch (e) {
    throw new PidFileError(
      `Can't check status of PID ${pid} from pidfile ${path}: ${
        e instanceof Error ? e.message : String(e)
      }`,
      { cause: e },
    );
  }
  if (alive) {
    throw new PidFileError(
      `Another Torsion runner is running, PID ${pid} (pidfile ${path})\n\n` +
        "This could either be a previously started instance of your application or a\n" +
        "different application entirely. To start a new one, either run it in some other\n" +
        "directory, or use the --pidfile and --logfile parameters to avoid clashes.",
    );
  }
  system.removeFile(path);
  return `Removing stale pidfile ${path}`;
}
