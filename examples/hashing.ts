// Copyright 2026 the Torsion authors. MIT license.
/**
 * The work [hash_file.ts](hash_file.ts) gives to a pool worker: functions a
 * worker imports and runs, so they may block (read a whole file, spin the
 * CPU) without stopping the reactor.
 *
 * @module
 */

/**
 * Reads the file at `path` (blocking this worker) and returns its SHA-256 in
 * hex, as `sha256sum` prints it.
 *
 * @param path The file.
 * @returns The digest in hex.
 */
export function sha256File(path: string): Promise<string> {
  // Blocking is what a pool worker is for.
  const data = Deno.readFileSync(path);
  return crypto.subtle.digest("SHA-256", data).then((digest) =>
    Array.from(
      new Uint8Array(digest),
      (b) => b.toString(16).padStart(2, "0"),
    ).join("")
  );
}
