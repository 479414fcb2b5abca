// Copyright 2026 the Torsion authors. MIT license.
/**
 * Where the runner's log goes (twistd's `UnixAppLogger`): standard output
 * or a {@linkcode LogFile}, as Twisted's text lines or as one JSON object
 * per event; `SIGUSR1` reopens or rotates the file.
 *
 * @module
 */

import * as log from "../../defer/log.ts";
import type { RunnerSystem } from "./_runner_system.ts";
import { LogFile } from "./log_file.ts";
import type { LogFileSystem } from "./log_file_system.ts";

/**
 * One event as a line of JSON: `time` (seconds since the epoch), `system`,
 * `message`, `isError`, and for an error `failure` (`type`, `message`,
 * `traceback`).
 */
export function eventAsJSON(event: log.LogEvent): string {
  const record: Record<string, unknown> = {
    time: event.time,
    system: event.system,
    message: event.message,
    isError: event.isError,
  };
  const f = event.failure;
  if (f !== undefined) {
    let type = "Error";
    let traceback = "";
    try {
      type = f.type?.name ?? typeof f.value;
      traceback = f.getTraceback();
    } catch {
      // Keep what could be read.
    }
    record.failure = { type, message: f.getErrorMessage(), traceback };
  }
  return JSON.stringify(record);
}

/** The runner's log. */
export class RunnerLog {
  readonly #system: RunnerSystem;
  readonly #format: "text" | "json";
  /** The log file, or `null` for standard output. */
  readonly file: LogFile | null;
  #observer: log.LogObserver | null = null;

  /**
   * Opens the log file, if any (a relative path is taken from the current
   * directory, so a later `--rundir` does not move it).
   *
   * @throws {Error} If the file cannot be opened.
   */
  constructor(
    system: RunnerSystem,
    options: {
      logfile: string | null;
      format: "text" | "json";
      fileSystem?: LogFileSystem;
    },
  ) {
    this.#system = system;
    this.#format = options.format;
    this.file = options.logfile === null
      ? null
      : LogFile.fromFullPath(options.logfile, {
        fileSystem: options.fileSystem,
      });
  }

  /** Starts sending every log event here. */
  start(): void {
    const observer: log.LogObserver = (event) => {
      const line =
        (this.#format === "json"
          ? eventAsJSON(event)
          : log.formatEvent(event)) + "\n";
      if (this.file === null) this.#system.stdout(line);
      else if (!this.file.closed) this.file.write(line);
      // The file could not be reopened: standard error rather than nothing.
      else this.#system.stderr(line);
    };
    this.#observer = observer;
    log.addObserver(observer);
  }

  /**
   * `SIGUSR1`: if an outside tool moved the log file, reopen it at its
   * path; otherwise rotate it, as twistd does. Nothing to do on standard
   * output.
   */
  reopen(): void {
    const file = this.file;
    if (file === null) {
      log.msg(
        "Received SIGUSR1: logging to standard output, nothing to reopen.",
      );
      return;
    }
    try {
      if (file.closed || file.isMoved()) {
        file.reopen();
        log.msg(`Received SIGUSR1: reopened the log file ${file.path}.`);
      } else {
        file.rotate();
        log.msg(`Received SIGUSR1: rotated the log file ${file.path}.`);
      }
    } catch (e) {
      log.err(e, `Cannot reopen the log file ${file.path}`);
    }
  }

  /** Stops logging here and closes the file. */
  stop(): void {
    if (this.#observer !== null) log.removeObserver(this.#observer);
    this.#observer = null;
    this.file?.close();
  }
}
