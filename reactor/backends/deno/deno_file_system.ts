// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode denoFileSystem}: the log files' file operations on Deno's
 * synchronous file APIs.
 *
 * @module
 */

import type {
  LogFileHandle,
  LogFileReader,
  LogFileStat,
  LogFileSystem,
} from "../../application/log_file_system.ts";

function describe(info: Deno.FileInfo): LogFileStat {
  return {
    size: info.size,
    mode: info.mode === null ? null : info.mode & 0o7777,
    mtime: (info.mtime?.getTime() ?? Date.now()) / 1000,
    identity: info.ino === null || info.dev === null
      ? null
      : `${info.dev}:${info.ino}`,
  };
}

/** The user and groups of the process, or `null` where Deno cannot tell. */
function credentials(): { uid: number; gid: number } | null {
  try {
    const uid = Deno.uid();
    const gid = Deno.gid();
    return uid === null || gid === null ? null : { uid, gid };
  } catch {
    // No --allow-sys: assume the owner's permissions apply.
    return null;
  }
}

/**
 * `os.access(path, os.W_OK)` from the permission bits: root may write
 * anything, others by the owner's, the group's or everyone's bits. Without
 * the process's ids, the owner's bits decide.
 */
function writable(info: Deno.FileInfo): boolean {
  const mode = info.mode;
  if (mode === null) return true;
  const who = credentials();
  if (who === null) return (mode & 0o200) !== 0;
  if (who.uid === 0) return true;
  if (info.uid === who.uid) return (mode & 0o200) !== 0;
  if (info.gid === who.gid) return (mode & 0o020) !== 0;
  return (mode & 0o002) !== 0;
}

class Appender implements LogFileHandle {
  readonly #file: Deno.FsFile;

  constructor(file: Deno.FsFile) {
    this.#file = file;
  }

  write(data: Uint8Array): void {
    let off = 0;
    while (off < data.length) off += this.#file.writeSync(data.subarray(off));
  }

  stat(): LogFileStat {
    return describe(this.#file.statSync());
  }

  close(): void {
    this.#file.close();
  }
}

class Reader implements LogFileReader {
  readonly #file: Deno.FsFile;

  constructor(file: Deno.FsFile) {
    this.#file = file;
  }

  read(buffer: Uint8Array): number | null {
    return this.#file.readSync(buffer);
  }

  close(): void {
    this.#file.close();
  }
}

/**
 * The log files' file operations on Deno: `Deno.openSync`,
 * `Deno.renameSync`, `Deno.statSync`... Writing needs `--allow-write` for
 * the log's directory, reading `--allow-read`; the process's user and group
 * (`--allow-sys`) refine the check that a file may be written.
 */
export const denoFileSystem: LogFileSystem = {
  cwd: () => Deno.cwd(),
  stat(path) {
    try {
      return describe(Deno.statSync(path));
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return null;
      throw e;
    }
  },
  isWritable(path) {
    try {
      return writable(Deno.statSync(path));
    } catch {
      return false;
    }
  },
  openAppend(path) {
    return new Appender(
      Deno.openSync(path, { read: true, append: true, create: true }),
    );
  },
  openRead(path) {
    return new Reader(Deno.openSync(path, { read: true }));
  },
  chmod(path, mode) {
    Deno.chmodSync(path, mode);
  },
  rename(from, to) {
    Deno.renameSync(from, to);
  },
  remove(path) {
    Deno.removeSync(path);
  },
  readDir(directory) {
    return [...Deno.readDirSync(directory === "" ? "." : directory)].map((e) =>
      e.name
    );
  },
};
