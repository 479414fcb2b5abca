// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode LogFileSystem}: what the log files need of the file system, so
 * that their rotation logic can be tested on a file system in memory. The
 * default, on Deno's file APIs, lives in `reactor/backends/deno/`.
 *
 * @module
 */

/** What a log file knows of a file. */
export interface LogFileStat {
  /** Its size in bytes. */
  readonly size: number;
  /** Its permission bits (`0o644`), or `null` where there are none. */
  readonly mode: number | null;
  /** When it was last modified, in seconds since the epoch. */
  readonly mtime: number;
  /**
   * What identifies the file itself, whatever its name (device and inode),
   * or `null` if unknown: a log file compares it with the file at its path
   * to tell whether an outside tool moved it.
   */
  readonly identity: string | null;
}

/** A file open for appending. */
export interface LogFileHandle {
  /** Writes all of `data` at the end of the file. */
  write(data: Uint8Array): void;
  /** Describes the open file (which may have been renamed since). */
  stat(): LogFileStat;
  /** Closes the file. */
  close(): void;
}

/** A file open for reading. */
export interface LogFileReader {
  /** Reads into `buffer`; the count read, or `null` at the end. */
  read(buffer: Uint8Array): number | null;
  /** Closes the file. */
  close(): void;
}

/**
 * The file operations of {@linkcode BaseLogFile} and its subclasses, all
 * synchronous (Twisted's log files write synchronously too). Errors are
 * thrown as the platform throws them (`Deno.errors.NotFound`...).
 *
 * @example Usage
 * ```ts
 * import type { LogFileSystem } from "@torsion/torsion/application";
 *
 * // A file system where nothing exists and nothing can be written.
 * const refuse = (): never => {
 *   throw new Error("read-only");
 * };
 * const empty: LogFileSystem = {
 *   cwd: () => "/",
 *   stat: () => null,
 *   isWritable: () => false,
 *   openAppend: refuse,
 *   openRead: refuse,
 *   chmod: refuse,
 *   rename: refuse,
 *   remove: refuse,
 *   readDir: () => [],
 * };
 * ```
 */
export interface LogFileSystem {
  /** The current directory (for `fromFullPath`). */
  cwd(): string;
  /** Describes the file at `path`, or returns `null` if there is none. */
  stat(path: string): LogFileStat | null;
  /**
   * Whether the process may write `path` (a file, or a directory to create
   * and rename files in), as `os.access(path, os.W_OK)`; `false` if it
   * does not exist.
   */
  isWritable(path: string): boolean;
  /** Opens `path` for appending, creating it (mode `0o666` less the umask) if missing. */
  openAppend(path: string): LogFileHandle;
  /** Opens `path` for reading. */
  openRead(path: string): LogFileReader;
  /** Sets the permission bits of `path`. */
  chmod(path: string, mode: number): void;
  /** Renames `from` to `to`, replacing `to`. */
  rename(from: string, to: string): void;
  /** Removes the file `path`. */
  remove(path: string): void;
  /** Lists the names of the entries of `directory`. */
  readDir(directory: string): string[];
}
