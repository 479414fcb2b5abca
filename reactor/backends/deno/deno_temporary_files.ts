// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode denoTemporaryFiles}: the temporary files a request body is
 * spooled to (Python's `tempfile.TemporaryFile`, which Twisted's
 * `http.Request` uses), on `Deno.*`.
 *
 * @module
 */

/**
 * An open temporary file, read and written at one position, gone once
 * closed.
 */
export interface TemporaryFile {
  /**
   * Writes all of `data` at the position, which moves past it.
   *
   * @throws {Error} If the system cannot write it (a full disk).
   */
  write(data: Uint8Array): void;
  /**
   * Reads into `buffer` from the position.
   *
   * @returns The number of bytes read, or `null` at the end.
   */
  read(buffer: Uint8Array): number | null;
  /** Moves to `offset` bytes from the start. */
  seek(offset: number): void;
  /** Closes the file and removes it; later calls do nothing. */
  close(): void;
}

/**
 * Makes {@linkcode TemporaryFile}s; a test may give its own, as a site's
 * `temporaryFiles`.
 *
 * @example Usage
 * ```ts
 * import {
 *   type Request,
 *   Resource,
 *   Site,
 *   type TemporaryFile,
 *   type TemporaryFileSystem,
 * } from "@torsion/torsion/http";
 * import { StringTransport } from "@torsion/torsion/testing";
 * import { Failure } from "@torsion/torsion/defer";
 * import { ConnectionDone } from "@torsion/torsion/reactor";
 * import { equal, match } from "node:assert/strict";
 *
 * // Files in memory, counting those still open.
 * let open = 0;
 * const inMemory: TemporaryFileSystem = {
 *   create(): TemporaryFile {
 *     let data = new Uint8Array(0);
 *     let position = 0;
 *     open++;
 *     return {
 *       write(bytes) {
 *         const grown = new Uint8Array(Math.max(data.length, position + bytes.length));
 *         grown.set(data);
 *         grown.set(bytes, position);
 *         data = grown;
 *         position += bytes.length;
 *       },
 *       read(buffer) {
 *         const n = Math.min(buffer.length, data.length - position);
 *         if (n <= 0) return null;
 *         buffer.set(data.subarray(position, position + n));
 *         position += n;
 *         return n;
 *       },
 *       seek(offset) {
 *         position = offset;
 *       },
 *       close() {
 *         open--;
 *       },
 *     };
 *   },
 * };
 * class Echo extends Resource {
 *   override isLeaf = true;
 *   renderPOST(request: Request): Uint8Array {
 *     equal(request.content.spooled, true);
 *     equal(open, 1);
 *     return request.content.read();
 *   }
 * }
 * const site = new Site(new Echo(), { bodySpoolSize: 4, temporaryFiles: inMemory });
 * const t = new StringTransport();
 * const channel = site.buildProtocol(t.getPeer());
 * channel.makeConnection(t);
 * channel.dataReceived(new TextEncoder().encode(
 *   "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello",
 * ));
 * match(t.valueText(), /\r\n\r\nhello$/);
 * equal(open, 0); // Closed once the response is finished.
 * channel.connectionLost(new Failure(new ConnectionDone()));
 * ```
 */
export interface TemporaryFileSystem {
  /**
   * Creates an empty temporary file, open for reading and writing.
   *
   * @throws {Error} If the file cannot be made (no permission, no space).
   */
  create(): TemporaryFile;
}

/** Options of {@linkcode denoTemporaryFiles}. */
export interface DenoTemporaryFilesOptions {
  /** The directory of the files. @default {the system's (`TMPDIR`)} */
  dir?: string;
  /** The start of their names. @default {"torsion-"} */
  prefix?: string;
}

/**
 * {@linkcode TemporaryFileSystem} on `Deno.*`: `Deno.makeTempFileSync`
 * (mode 0600), opened for reading and writing, and removed at once, so the
 * file has no name while it is open and nothing is left behind even if the
 * process dies (where the system cannot remove an open file, as on Windows,
 * it is removed when closed). Writes and reads are synchronous: a request
 * body arrives in pieces of at most 64 KiB (the transport's read size).
 * Needs `--allow-write` and `--allow-read` for the directory; a file that
 * was made but cannot be opened is removed before the error is thrown.
 *
 * @param options The directory and the names' prefix.
 * @returns The file system.
 *
 * @example Usage
 * ```ts
 * import { denoTemporaryFiles } from "@torsion/torsion/http";
 * import { deepEqual } from "node:assert/strict";
 *
 * const file = denoTemporaryFiles().create();
 * try {
 *   file.write(new Uint8Array([1, 2, 3]));
 *   file.seek(1);
 *   const buffer = new Uint8Array(4);
 *   const n = file.read(buffer);
 *   deepEqual(buffer.subarray(0, n ?? 0), new Uint8Array([2, 3]));
 * } finally {
 *   file.close();
 * }
 * ```
 */
export function denoTemporaryFiles(
  options: DenoTemporaryFilesOptions = {},
): TemporaryFileSystem {
  const prefix = options.prefix ?? "torsion-";
  const dir = options.dir;
  return {
    create(): TemporaryFile {
      const path = Deno.makeTempFileSync(
        dir === undefined ? { prefix } : { dir, prefix },
      );
      let file: Deno.FsFile;
      try {
        file = Deno.openSync(path, { read: true, write: true });
      } catch (e) {
        _remove(path);
        throw e;
      }
      // Removed now where the system allows it, else when closed.
      const leftToRemove = _remove(path) ? null : path;
      let closed = false;
      return {
        write(data: Uint8Array): void {
          let off = 0;
          while (off < data.length) off += file.writeSync(data.subarray(off));
        },
        read: (buffer: Uint8Array): number | null => file.readSync(buffer),
        seek(offset: number): void {
          file.seekSync(offset, Deno.SeekMode.Start);
        },
        close(): void {
          if (closed) return;
          closed = true;
          file.close();
          if (leftToRemove !== null) _remove(leftToRemove);
        },
      };
    },
  };
}

/** Removes `path`; `false` if the system refused. */
function _remove(path: string): boolean {
  try {
    Deno.removeSync(path);
    return true;
  } catch {
    return false;
  }
}
