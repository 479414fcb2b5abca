// Copyright 2026 the Torsion authors. MIT license.
// A LogFileSystem in memory, for the log file tests: files with contents,
// modes, modification times and identities; directories that may be made
// read-only; a clock for the modification times.
import type {
  LogFileHandle,
  LogFileReader,
  LogFileStat,
  LogFileSystem,
} from "../../../reactor/application/log_file_system.ts";

interface MemoryFile {
  data: Uint8Array;
  mode: number;
  mtime: number;
  readonly id: number;
}

function parent(path: string): string {
  const i = path.lastIndexOf("/");
  return i <= 0 ? (i === 0 ? "/" : ".") : path.slice(0, i);
}

/** A file system in memory. Paths are used as given (no normalization). */
export class MemoryFileSystem implements LogFileSystem {
  readonly files: Map<string, MemoryFile> = new Map();
  readonly directories: Map<string, { writable: boolean }> = new Map();
  /** The time given to modified files, in seconds. */
  now = 0;
  /** What `cwd()` returns. */
  currentDirectory = "/work";
  /** How many files are open. */
  open = 0;
  #ids = 0;

  /** Makes the file system with these directories. */
  constructor(...directories: string[]) {
    for (const d of ["/", ".", ...directories]) {
      this.directories.set(d, { writable: true });
    }
  }

  /** The text of a file. */
  text(path: string): string {
    const f = this.files.get(path);
    if (f === undefined) throw new Error(`no file ${path}`);
    return new TextDecoder().decode(f.data);
  }

  /** Makes a file with this text. */
  put(path: string, text: string, mode = 0o644): void {
    this.files.set(path, {
      data: new TextEncoder().encode(text),
      mode,
      mtime: this.now,
      id: ++this.#ids,
    });
  }

  #stat(f: MemoryFile): LogFileStat {
    return {
      size: f.data.length,
      mode: f.mode,
      mtime: f.mtime,
      identity: String(f.id),
    };
  }

  #dir(path: string): { writable: boolean } {
    const d = this.directories.get(parent(path));
    if (d === undefined) {
      throw new Deno.errors.NotFound(`no directory for ${path}`);
    }
    return d;
  }

  cwd(): string {
    return this.currentDirectory;
  }

  stat(path: string): LogFileStat | null {
    const f = this.files.get(path);
    return f === undefined ? null : this.#stat(f);
  }

  isWritable(path: string): boolean {
    const d = this.directories.get(path);
    if (d !== undefined) return d.writable;
    const f = this.files.get(path);
    return f !== undefined && (f.mode & 0o200) !== 0;
  }

  openAppend(path: string): LogFileHandle {
    let f = this.files.get(path);
    if (f === undefined) {
      if (!this.#dir(path).writable) {
        throw new Deno.errors.PermissionDenied(`cannot create ${path}`);
      }
      f = {
        data: new Uint8Array(0),
        mode: 0o644,
        mtime: this.now,
        id: ++this.#ids,
      };
      this.files.set(path, f);
    }
    const file = f;
    this.open++;
    let closed = false;
    return {
      write: (data) => {
        if (closed) throw new Error("closed");
        const grown = new Uint8Array(file.data.length + data.length);
        grown.set(file.data);
        grown.set(data, file.data.length);
        file.data = grown;
        file.mtime = this.now;
      },
      stat: () => this.#stat(file),
      close: () => {
        if (closed) throw new Error("closed twice");
        closed = true;
        this.open--;
      },
    };
  }

  openRead(path: string): LogFileReader {
    const f = this.files.get(path);
    if (f === undefined) throw new Deno.errors.NotFound(path);
    const data = f.data.slice();
    let off = 0;
    this.open++;
    return {
      read: (buffer) => {
        if (off >= data.length) return null;
        const n = Math.min(buffer.length, data.length - off);
        buffer.set(data.subarray(off, off + n));
        off += n;
        return n;
      },
      close: () => {
        this.open--;
      },
    };
  }

  chmod(path: string, mode: number): void {
    const f = this.files.get(path);
    if (f === undefined) throw new Deno.errors.NotFound(path);
    f.mode = mode;
  }

  rename(from: string, to: string): void {
    const f = this.files.get(from);
    if (f === undefined) throw new Deno.errors.NotFound(from);
    if (!this.#dir(from).writable || !this.#dir(to).writable) {
      throw new Deno.errors.PermissionDenied(`cannot rename ${from}`);
    }
    this.files.delete(from);
    this.files.set(to, f);
  }

  remove(path: string): void {
    if (!this.files.delete(path)) throw new Deno.errors.NotFound(path);
  }

  readDir(directory: string): string[] {
    const prefix = directory === "" || directory === "."
      ? ""
      : directory.endsWith("/")
      ? directory
      : `${directory}/`;
    const names: string[] = [];
    for (const path of this.files.keys()) {
      if (!path.startsWith(prefix)) continue;
      const rest = path.slice(prefix.length);
      if (!rest.includes("/")) names.push(rest);
    }
    return names;
  }
}
