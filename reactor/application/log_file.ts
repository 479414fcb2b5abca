// Copyright 2026 the Torsion authors. MIT license.
/**
 * Log files that rotate, after `twisted.python.logfile`:
 * {@linkcode LogFile} rotates by size (`app.log` → `app.log.1` →
 * `app.log.2`...), {@linkcode DailyLogFile} by date (`app.log.2026_11_24`),
 * and {@linkcode LogReader} reads old logs back. The runner's `--logfile`
 * writes to a `LogFile`.
 *
 * @module
 */

import { denoFileSystem } from "../backends/deno/deno_file_system.ts";
import { absolute, basename, dirname, join } from "./_path.ts";
import type {
  LogFileHandle,
  LogFileReader,
  LogFileStat,
  LogFileSystem,
} from "./log_file_system.ts";

const encoder = new TextEncoder();

/** Options of {@linkcode BaseLogFile} (and of its subclasses). */
export interface BaseLogFileOptions {
  /**
   * The permission bits given to the file (on creation and on every open),
   * e.g. `0o640`. `null` keeps those of the existing file, or makes a new
   * file with the umask's.
   *
   * @default {null}
   */
  defaultMode?: number | null;
  /**
   * The file operations; tests pass a file system in memory.
   *
   * @default {Deno's file APIs}
   */
  fileSystem?: LogFileSystem;
}

/** Options of {@linkcode LogFile}. */
export interface LogFileOptions extends BaseLogFileOptions {
  /**
   * The size in bytes from which the file is rotated before the next write;
   * `null` or `0` never rotates by itself.
   *
   * @default {1_000_000}
   */
  rotateLength?: number | null;
  /**
   * How many rotated files to keep (`.1` to `.N`); older ones are removed
   * at rotation. `null` keeps them all.
   *
   * @default {null}
   */
  maxRotatedFiles?: number | null;
}

/** A calendar date, `[year, month (1-12), day]`, as Python's `localtime()[:3]`. */
export type DateTuple = readonly [year: number, month: number, day: number];

/**
 * Reads a log file, a few lines at a time (Twisted's `LogReader`).
 *
 * @example Usage
 * ```ts
 * import { LogFile, LogReader } from "@torsion/torsion/application";
 * import { deepEqual } from "node:assert/strict";
 *
 * const dir = Deno.makeTempDirSync();
 * const log = new LogFile("app.log", dir);
 * log.write("one\ntwo\nthree\n");
 * log.close();
 * const reader = new LogReader(`${dir}/app.log`);
 * deepEqual(reader.readLines(2), ["one\n", "two\n"]);
 * deepEqual(reader.readLines(), ["three\n"]);
 * reader.close();
 * Deno.removeSync(dir, { recursive: true });
 * ```
 */
export class LogReader {
  readonly #file: LogFileReader;
  readonly #decoder = new TextDecoder();
  readonly #chunk = new Uint8Array(16 * 1024);
  #text = "";
  #eof = false;

  /**
   * Opens a file for reading.
   *
   * @param name Its path.
   * @param options The file system.
   */
  constructor(name: string, options: { fileSystem?: LogFileSystem } = {}) {
    this.#file = (options.fileSystem ?? denoFileSystem).openRead(name);
  }

  /**
   * Reads up to `lines` lines; call it again for more.
   *
   * @param lines How many lines at most.
   * @returns The lines, each with its `\n` (the last one may have none);
   *   `[]` at the end of the file.
   */
  readLines(lines = 10): string[] {
    const result: string[] = [];
    while (result.length < lines) {
      const i = this.#text.indexOf("\n");
      if (i !== -1) {
        result.push(this.#text.slice(0, i + 1));
        this.#text = this.#text.slice(i + 1);
        continue;
      }
      if (this.#eof) {
        if (this.#text !== "") result.push(this.#text);
        this.#text = "";
        break;
      }
      const n = this.#file.read(this.#chunk);
      if (n === null) {
        this.#eof = true;
        this.#text += this.#decoder.decode();
      } else {
        this.#text += this.#decoder.decode(this.#chunk.subarray(0, n), {
          stream: true,
        });
      }
    }
    return result;
  }

  /** Closes the file. */
  close(): void {
    this.#file.close();
  }
}

/**
 * The base of the log files that rotate (Twisted's `BaseLogFile`): it opens
 * `directory/name` for appending (creating it), writes to it, and asks its
 * subclass before each write whether to rotate it first.
 *
 * Writes are synchronous and unbuffered: what `write` returns from is in
 * the file. Twisted opens an existing file at its end without `O_APPEND`;
 * here it is opened for appending, so that an outside tool may truncate it
 * (logrotate's `copytruncate`) without leaving a hole.
 *
 * @example Usage
 * ```ts
 * import { BaseLogFile } from "@torsion/torsion/application";
 * import { equal } from "node:assert/strict";
 *
 * // A log file that never rotates.
 * class PlainLogFile extends BaseLogFile {
 *   shouldRotate(): boolean {
 *     return false;
 *   }
 *   rotate(): void {}
 * }
 * const dir = Deno.makeTempDirSync();
 * const log = new PlainLogFile("plain.log", dir);
 * log.write("one\n");
 * log.write(new TextEncoder().encode("two\n"));
 * log.close();
 * equal(Deno.readTextFileSync(log.path), "one\ntwo\n");
 * Deno.removeSync(dir, { recursive: true });
 * ```
 */
export abstract class BaseLogFile {
  /** The directory holding the file. */
  readonly directory: string;
  /** The file's name. */
  readonly name: string;
  /** `directory/name`. */
  readonly path: string;
  /** The permission bits given to the file, or `null` (see the options). */
  defaultMode: number | null;
  /** The file operations. */
  readonly fileSystem: LogFileSystem;
  /** Whether the file is closed (it cannot be written until reopened). */
  declare closed: boolean;
  #file: LogFileHandle | null = null;

  /**
   * Opens `directory/name` for appending, creating it if missing.
   *
   * @param name The file's name.
   * @param directory The directory holding it (`""`: the current one).
   * @param options The file's mode and the file system.
   * @throws {Deno.errors.NotFound} If `directory` does not exist (and the
   *   platform's errors for other reasons the file cannot be opened).
   */
  constructor(
    name: string,
    directory: string,
    options: BaseLogFileOptions = {},
  ) {
    this.directory = directory;
    this.name = name;
    this.path = join(directory, name);
    this.fileSystem = options.fileSystem ?? denoFileSystem;
    const mode = options.defaultMode ?? null;
    this.defaultMode = mode ?? this.fileSystem.stat(this.path)?.mode ?? null;
    this._openFile();
  }

  /**
   * Makes a log file from a full path (Twisted's `fromFullPath`): a relative
   * path is taken from the current directory, so the file stays the same
   * if the process changes directory later.
   *
   * @param filename The path of the file.
   * @param options The subclass's options.
   * @returns The log file.
   *
   * @example Usage
   * ```ts
   * import { LogFile } from "@torsion/torsion/application";
   * import { equal } from "node:assert/strict";
   *
   * const dir = Deno.makeTempDirSync();
   * const log = LogFile.fromFullPath(`${dir}/./server.log`, { rotateLength: 10 });
   * equal(log.name, "server.log");
   * equal(log.path, `${dir}/server.log`);
   * equal(log.rotateLength, 10);
   * log.close();
   * Deno.removeSync(dir, { recursive: true });
   * ```
   */
  static fromFullPath<T extends BaseLogFile, O extends BaseLogFileOptions>(
    this: new (name: string, directory: string, options?: O) => T,
    filename: string,
    options?: O,
  ): T {
    const fs = options?.fileSystem ?? denoFileSystem;
    const path = absolute(fs.cwd(), filename);
    return new this(basename(path), dirname(path), options);
  }

  /**
   * Whether the file should be rotated before the next write.
   *
   * @returns `true` to rotate.
   */
  abstract shouldRotate(): boolean;

  /**
   * Renames the file aside and opens a new one. Does nothing if the
   * directory or the file may not be written: the log goes on in the old
   * file.
   */
  abstract rotate(): void;

  /**
   * Opens the file (creating it if missing) and gives it
   * {@linkcode BaseLogFile.defaultMode}; subclasses extend it to read what
   * they need of the new file. Called by the constructor, `reopen` and
   * `rotate`.
   */
  protected _openFile(): void {
    const fs = this.fileSystem;
    this.#file = fs.openAppend(this.path);
    this.closed = false;
    if (this.defaultMode !== null) {
      try {
        fs.chmod(this.path, this.defaultMode);
      } catch {
        // Probably /dev/null or another file whose mode cannot change.
      }
    }
  }

  /**
   * Describes the open file.
   *
   * @returns Its size, mode, modification time and identity.
   */
  protected _stat(): LogFileStat {
    return this.#handle().stat();
  }

  /** Closes the current file, for `rotate`. */
  protected _closeFile(): void {
    this.#handle().close();
    this.#file = null;
  }

  #handle(): LogFileHandle {
    if (this.#file === null) {
      throw new Error(`Cannot use the log file ${this.path}: it is closed`);
    }
    return this.#file;
  }

  /**
   * Writes `data` (text as UTF-8), after rotating the file if
   * {@linkcode BaseLogFile.shouldRotate} says so.
   *
   * @param data What to write.
   * @throws {Error} If the file is closed.
   */
  write(data: string | Uint8Array): void {
    this.#handle();
    if (this.shouldRotate()) {
      this.flush();
      this.rotate();
    }
    const bytes = typeof data === "string" ? encoder.encode(data) : data;
    this.#handle().write(bytes);
  }

  /** Flushes the file: nothing to do, writes are not buffered. */
  flush(): void {}

  /** Closes the file; {@linkcode BaseLogFile.reopen} opens it again. */
  close(): void {
    this.closed = true;
    const file = this.#file;
    this.#file = null;
    file?.close();
  }

  /**
   * Closes and opens the file again: after an outside tool renamed it (log
   * rotation by logrotate), writes go to a new file at
   * {@linkcode BaseLogFile.path}.
   */
  reopen(): void {
    this.close();
    this._openFile();
  }

  /**
   * Whether the file at {@linkcode BaseLogFile.path} is no longer the one
   * being written: an outside tool renamed or removed it. Not in Twisted.
   *
   * @returns `true` if the path is gone or names another file.
   */
  isMoved(): boolean {
    const here = this.fileSystem.stat(this.path);
    if (here === null) return true;
    const open = this._stat().identity;
    return open !== null && here.identity !== open;
  }

  /**
   * Opens the current file for reading.
   *
   * @returns A reader at its start.
   */
  getCurrentLog(): LogReader {
    return new LogReader(this.path, { fileSystem: this.fileSystem });
  }

  /** Whether the directory and the file may be written (rotation can work). */
  protected _canRotate(): boolean {
    const fs = this.fileSystem;
    return fs.isWritable(this.directory === "" ? "." : this.directory) &&
      fs.isWritable(this.path);
  }
}

/**
 * A log file rotated by size (Twisted's `LogFile`): before a write, once the
 * file holds `rotateLength` bytes or more, it becomes `NAME.1` (an older
 * `NAME.1` becomes `NAME.2`, and so on; past `maxRotatedFiles` they are
 * removed) and a new file is started. A write is never split: a file may
 * exceed `rotateLength` by its last write.
 *
 * @example Usage
 * ```ts
 * import { LogFile } from "@torsion/torsion/application";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * const dir = Deno.makeTempDirSync();
 * const log = new LogFile("app.log", dir, { rotateLength: 10 });
 * log.write("123");
 * log.write("4567890"); // 10 bytes: the next write rotates first
 * log.write("next");
 * log.close();
 * deepEqual(log.listLogs(), [1]);
 * equal(Deno.readTextFileSync(`${dir}/app.log.1`), "1234567890");
 * equal(Deno.readTextFileSync(`${dir}/app.log`), "next");
 * Deno.removeSync(dir, { recursive: true });
 * ```
 */
export class LogFile extends BaseLogFile {
  /** The size from which the file is rotated; `null` or `0`: never. */
  declare rotateLength: number | null;
  /** How many rotated files are kept; `null`: all. */
  declare maxRotatedFiles: number | null;
  /** The size of the current file, in bytes. */
  declare size: number;

  /**
   * Opens `directory/name` for appending, creating it if missing.
   *
   * @param name The file's name.
   * @param directory The directory holding it.
   * @param options When to rotate, how many files to keep, the mode, the
   *   file system.
   * @throws {RangeError} If `rotateLength` or `maxRotatedFiles` is negative
   *   or not an integer.
   */
  constructor(name: string, directory: string, options: LogFileOptions = {}) {
    const rotateLength = options.rotateLength === undefined
      ? 1_000_000
      : options.rotateLength;
    const maxRotatedFiles = options.maxRotatedFiles ?? null;
    for (
      const [what, value] of [
        ["rotateLength", rotateLength],
        ["maxRotatedFiles", maxRotatedFiles],
      ] as const
    ) {
      if (value !== null && !(Number.isInteger(value) && value >= 0)) {
        throw new RangeError(
          `Cannot make a LogFile: ${what} must be an integer >= 0, received ${value}`,
        );
      }
    }
    super(name, directory, options);
    this.rotateLength = rotateLength;
    this.maxRotatedFiles = maxRotatedFiles;
  }

  /** Opens the file and reads its size. */
  protected override _openFile(): void {
    super._openFile();
    this.size = this._stat().size;
  }

  /**
   * Whether the file holds `rotateLength` bytes or more.
   *
   * @returns `true` to rotate before the next write.
   */
  shouldRotate(): boolean {
    return !!this.rotateLength && this.size >= this.rotateLength;
  }

  /**
   * Writes `data`, rotating first if the file is full, and counts its
   * bytes.
   *
   * @param data What to write (text as UTF-8).
   */
  override write(data: string | Uint8Array): void {
    const bytes = typeof data === "string" ? encoder.encode(data) : data;
    super.write(bytes);
    this.size += bytes.length;
  }

  /**
   * Rotates now: `NAME.N` → `NAME.N+1` (removed past `maxRotatedFiles`),
   * ..., `NAME` → `NAME.1`, and a new `NAME`. Does nothing if the directory
   * or the file may not be written.
   */
  rotate(): void {
    if (!this._canRotate()) return;
    const fs = this.fileSystem;
    for (const i of this.listLogs().reverse()) {
      if (this.maxRotatedFiles !== null && i >= this.maxRotatedFiles) {
        fs.remove(`${this.path}.${i}`);
      } else {
        fs.rename(`${this.path}.${i}`, `${this.path}.${i + 1}`);
      }
    }
    this._closeFile();
    fs.rename(this.path, `${this.path}.1`);
    this._openFile();
  }

  /**
   * Lists the rotated files' numbers: `NAME.1`, `NAME.2`... (a suffix that
   * is not a positive decimal number, `NAME.0` or `NAME.bak`, is ignored).
   *
   * @returns The numbers, in increasing order.
   */
  listLogs(): number[] {
    const prefix = `${this.name}.`;
    const result: number[] = [];
    for (const entry of this.fileSystem.readDir(this.directory)) {
      if (!entry.startsWith(prefix)) continue;
      const suffix = entry.slice(prefix.length);
      if (!/^\d+$/.test(suffix)) continue;
      const n = Number(suffix);
      if (n > 0) result.push(n);
    }
    return result.sort((a, b) => a - b);
  }

  /**
   * Opens a rotated file for reading.
   *
   * @param identifier Its number (`1` is the most recent).
   * @returns A reader at its start.
   * @throws {RangeError} If there is no such file (Twisted's `ValueError`).
   */
  getLog(identifier: number): LogReader {
    const filename = `${this.path}.${identifier}`;
    if (
      !Number.isInteger(identifier) || this.fileSystem.stat(filename) === null
    ) {
      throw new RangeError(
        `Cannot read log ${identifier} of ${this.path}: no such logfile exists`,
      );
    }
    return new LogReader(filename, { fileSystem: this.fileSystem });
  }
}

function compareDates(a: DateTuple, b: DateTuple): number {
  for (let i = 0; i < 3; i++) {
    if (a[i] !== b[i]) return a[i] - b[i];
  }
  return 0;
}

/**
 * A log file rotated daily (Twisted's `DailyLogFile`): the first write on a
 * later day (local time) than the last write renames the file
 * `NAME.YEAR_MONTH_DAY` after the day it covers (`app.log.2026_11_24`,
 * without zeros) and starts a new one. If that name is taken, the file is
 * not rotated.
 *
 * @example Usage
 * ```ts
 * import { DailyLogFile } from "@torsion/torsion/application";
 * import { equal } from "node:assert/strict";
 *
 * const dir = Deno.makeTempDirSync();
 * const log = new DailyLogFile("app.log", dir);
 * log.write("today\n");
 * equal(log.shouldRotate(), false);
 * equal(log.suffix([2026, 11, 24]), "2026_11_24");
 * log.close();
 * Deno.removeSync(dir, { recursive: true });
 * ```
 */
export class DailyLogFile extends BaseLogFile {
  /** The date of the last write (at first, of the file's last change). */
  declare lastDate: DateTuple;

  /** Opens the file and takes its date from its modification time. */
  protected override _openFile(): void {
    super._openFile();
    this.lastDate = this.toDate(this._stat().mtime);
  }

  /**
   * Whether today is later than the date of the last write.
   *
   * @returns `true` to rotate before the next write.
   */
  shouldRotate(): boolean {
    return compareDates(this.toDate(), this.lastDate) > 0;
  }

  /**
   * The local date of a time, or of now (override it to test, as Twisted's
   * tests do).
   *
   * @param seconds Seconds since the epoch; now if omitted.
   * @returns `[year, month, day]`.
   */
  toDate(seconds?: number): DateTuple {
    const d = seconds === undefined ? new Date() : new Date(seconds * 1000);
    return [d.getFullYear(), d.getMonth() + 1, d.getDate()];
  }

  /**
   * The suffix of the file of a date: its numbers joined by `_`.
   *
   * @param date A date, or a time in seconds since the epoch.
   * @returns The suffix, e.g. `2026_1_5`.
   */
  suffix(date: DateTuple | number): string {
    return (typeof date === "number" ? this.toDate(date) : date).join("_");
  }

  /**
   * Opens the file of the day of `identifier` for reading: the current file
   * for the day of the last write.
   *
   * @param identifier A time in seconds since the epoch.
   * @returns A reader at its start.
   * @throws {RangeError} If there is no such file (Twisted's `ValueError`).
   */
  getLog(identifier: number): LogReader {
    if (compareDates(this.toDate(identifier), this.lastDate) === 0) {
      return this.getCurrentLog();
    }
    const filename = `${this.path}.${this.suffix(identifier)}`;
    if (this.fileSystem.stat(filename) === null) {
      throw new RangeError(
        `Cannot read the log of ${filename}: no such logfile exists`,
      );
    }
    return new LogReader(filename, { fileSystem: this.fileSystem });
  }

  /**
   * Writes `data`, rotating first on a new day, and notes today's date
   * (never going back, should the clock do).
   *
   * @param data What to write (text as UTF-8).
   */
  override write(data: string | Uint8Array): void {
    super.write(data);
    const today = this.toDate();
    if (compareDates(today, this.lastDate) > 0) this.lastDate = today;
  }

  /**
   * Rotates now: `NAME` → `NAME.SUFFIX` of the last write's date, and a new
   * `NAME`. Does nothing if that file exists, or if the directory or the
   * file may not be written.
   */
  rotate(): void {
    if (!this._canRotate()) return;
    const fs = this.fileSystem;
    const newPath = `${this.path}.${this.suffix(this.lastDate)}`;
    if (fs.stat(newPath) !== null) return;
    this._closeFile();
    fs.rename(this.path, newPath);
    this._openFile();
  }
}
