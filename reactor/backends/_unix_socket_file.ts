// Copyright 2026 the Torsion authors. MIT license.
/**
 * The socket files of Unix listeners, for every backend: bound in a private
 * directory and linked into place, and their lock files.
 *
 * @module
 */

/** Removes a file that may be gone already. */
export function removeQuietly(path: string): void {
  try {
    Deno.removeSync(path);
  } catch {
    // Already gone.
  }
}

/**
 * Binds a Unix socket at `path` with `bind(tmp)` in a private directory
 * (mode 0700) beside it, gives the file `mode` there, then links it into
 * place: no one can connect before the mode is set, whatever the umask.
 * `link` fails on an existing path, as `bind` would (`AddrInUse`).
 *
 * @param path Where the socket file goes.
 * @param mode Its permission bits.
 * @param bind Binds (and listens on) a socket at the path it is given.
 * @param close Closes what `bind` returned, when linking fails.
 * @returns What `bind` returned.
 */
export function bindUnixSocket<T>(
  path: string,
  mode: number,
  bind: (tmp: string) => T,
  close: (listener: T) => void,
): T {
  const slash = path.lastIndexOf("/");
  const dir = slash === -1 ? "." : slash === 0 ? "/" : path.slice(0, slash);
  const hidden = Deno.makeTempDirSync({ dir, prefix: ".torsion-" });
  const bound = `${hidden}/socket`;
  try {
    const listener = bind(bound);
    try {
      Deno.chmodSync(bound, mode);
      Deno.linkSync(bound, path);
    } catch (e) {
      close(listener);
      throw e instanceof Deno.errors.AlreadyExists
        ? new Deno.errors.AddrInUse(`Address already in use: ${path}`)
        : e;
    }
    return listener;
  } finally {
    removeQuietly(bound);
    removeQuietly(hidden);
  }
}

/**
 * Takes the lock file of a Unix socket (`<path>.lock`, holding the process
 * id), removing a socket file left behind; returns whether it could.
 */
export function lockUnixSocket(path: string): boolean {
  try {
    Deno.writeTextFileSync(`${path}.lock`, String(Deno.pid), {
      createNew: true,
    });
  } catch (e) {
    if (e instanceof Deno.errors.AlreadyExists) return false;
    throw e;
  }
  removeQuietly(path);
  return true;
}

/** Removes the lock file of a Unix socket. */
export function unlockUnixSocket(path: string): void {
  removeQuietly(`${path}.lock`);
}
