// Copyright 2026 the Torsion authors. MIT license.
/**
 * The few path operations the log files and the runner need (Python's
 * `os.path.join`, `abspath`, `basename`, `dirname`), on `/`-separated
 * paths, without touching the file system.
 *
 * @module
 */

/** Whether `path` is absolute (`/x`, or a Windows drive `C:\x`). */
export function isAbsolute(path: string): boolean {
  return path.startsWith("/") || /^[A-Za-z]:[\\/]/.test(path);
}

/** `os.path.join(directory, name)`: `name` alone if `directory` is `""` or `name` is absolute. */
export function join(directory: string, name: string): string {
  if (directory === "" || isAbsolute(name)) return name;
  return directory.endsWith("/") ? directory + name : `${directory}/${name}`;
}

/** Removes `.` and `..` parts and repeated slashes of an absolute path. */
function normalize(path: string): string {
  const drive = /^[A-Za-z]:/.test(path) ? path.slice(0, 2) : "";
  const parts: string[] = [];
  for (const part of path.slice(drive.length).split(/[\\/]+/)) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return `${drive}/${parts.join("/")}`;
}

/** `os.path.abspath(path)`, relative to `cwd`. */
export function absolute(cwd: string, path: string): string {
  return normalize(isAbsolute(path) ? path : join(cwd, path));
}

/** `os.path.basename`: what follows the last `/`. */
export function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** `os.path.dirname`: what precedes the last `/` (`/` for a top-level file). */
export function dirname(path: string): string {
  const i = path.lastIndexOf("/");
  if (i === -1) return "";
  return i === 0 ? "/" : path.slice(0, i);
}

/** The `file:` URL of an absolute path, with `%`, `#` and `?` escaped. */
export function fileUrl(path: string): string {
  const escaped = path.replace(/%/g, "%25").replace(/#/g, "%23")
    .replace(/\?/g, "%3F").replace(/\\/g, "/");
  return new URL(
    escaped.startsWith("/") ? `file://${escaped}` : `file:///${escaped}`,
  ).href;
}
