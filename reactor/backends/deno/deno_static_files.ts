// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode denoStaticFiles}: the file access of `static.File` (the HTTP
 * server's file resource), on `Deno.*`.
 *
 * @module
 */

/** What {@linkcode denoStaticFiles} says of a path. */
export interface StaticFileStat {
  /** Whether it is a regular file. */
  readonly isFile: boolean;
  /** Whether it is a directory. */
  readonly isDirectory: boolean;
  /** Its size in bytes. */
  readonly size: number;
  /** Its modification time, seconds since the epoch. */
  readonly mtime: number;
}

/** An open file, read from a position. */
export interface StaticFileReader {
  /**
   * Reads into `buffer`.
   *
   * @returns The number of bytes read, or `null` at the end.
   */
  read(buffer: Uint8Array): Promise<number | null>;
  /** Moves to `offset` bytes from the start. */
  seek(offset: number): void;
  /** Closes the file. */
  close(): void;
}

/** The file access `static.File` needs; a test may give its own. */
export interface StaticFileSystem {
  /** The path with every symbolic link resolved, or `null` if it does not exist. */
  realPath(path: string): string | null;
  /** The path's type, size and time (links followed), or `null`. */
  stat(path: string): StaticFileStat | null;
  /** Opens a file for reading. */
  open(path: string): StaticFileReader;
  /** The names in a directory. */
  readDir(path: string): string[];
}

/**
 * {@linkcode StaticFileSystem} on `Deno.*` (needs `--allow-read`).
 *
 * @example Usage
 * ```ts
 * import { denoStaticFiles } from "@torsion/torsion/http";
 * import { equal } from "node:assert/strict";
 *
 * equal(denoStaticFiles.stat("/no/such/path"), null);
 * ```
 */
export const denoStaticFiles: StaticFileSystem = {
  realPath(path: string): string | null {
    try {
      return Deno.realPathSync(path);
    } catch {
      return null;
    }
  },
  stat(path: string): StaticFileStat | null {
    try {
      const info = Deno.statSync(path);
      return {
        isFile: info.isFile,
        isDirectory: info.isDirectory,
        size: info.size,
        mtime: (info.mtime?.getTime() ?? 0) / 1000,
      };
    } catch {
      return null;
    }
  },
  open(path: string): StaticFileReader {
    const file = Deno.openSync(path, { read: true });
    return {
      read: (buffer) => file.read(buffer),
      seek: (offset) => {
        file.seekSync(offset, Deno.SeekMode.Start);
      },
      close: () => file.close(),
    };
  },
  readDir(path: string): string[] {
    return [...Deno.readDirSync(path)].map((e) => e.name).sort();
  },
};
