// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode denoRunnerSystem}: the runner's process operations on Deno.
 *
 * @module
 */

import type {
  RunnerSignal,
  RunnerSystem,
} from "../../application/_runner_system.ts";

const encoder = new TextEncoder();

function writeAll(
  stream: { writeSync(p: Uint8Array): number },
  text: string,
): void {
  const bytes = encoder.encode(text);
  try {
    let off = 0;
    while (off < bytes.length) off += stream.writeSync(bytes.subarray(off));
  } catch {
    // A closed or broken stream loses the text, and nothing else.
  }
}

function orNull(f: () => number | null): number | null {
  try {
    return f();
  } catch {
    return null;
  }
}

/**
 * The runner's process operations on Deno: `Deno.args`, `Deno.chdir`,
 * `Deno.umask`, `Deno.kill(pid, 0)` (needs `--allow-run`; `/proc` is read
 * without it), `Deno.addSignalListener`, the global `error` and
 * `unhandledrejection` events, `Deno.exit`.
 */
export const denoRunnerSystem: RunnerSystem = {
  args: () => [...Deno.args],
  pid: Deno.pid,
  runtime: `Deno ${Deno.version.deno}`,
  cwd: () => Deno.cwd(),
  env(name: string): string | undefined {
    try {
      return Deno.env.get(name);
    } catch {
      return undefined; // No --allow-env for it.
    }
  },
  chdir(directory) {
    Deno.chdir(directory);
  },
  umask: (mask) => Deno.umask(mask),
  uid: () => orNull(() => Deno.uid()),
  gid: () => orNull(() => Deno.gid()),
  processExists(pid) {
    try {
      Deno.kill(pid, 0);
      return true;
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return false; // ESRCH
      if (e instanceof Deno.errors.PermissionDenied) return true; // EPERM
      if (!(e instanceof Deno.errors.NotCapable)) throw e;
    }
    // No --allow-run: ask /proc (Linux) instead.
    try {
      Deno.statSync(`/proc/${pid}`);
      return true;
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return false;
      throw new Error(
        `Cannot tell whether process ${pid} runs: run Deno with --allow-run`,
        { cause: e },
      );
    }
  },
  readFile(path) {
    try {
      return Deno.readTextFileSync(path);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return null;
      throw e;
    }
  },
  writeFile(path, text) {
    Deno.writeTextFileSync(path, text);
  },
  removeFile(path) {
    Deno.removeSync(path);
  },
  onSignal(signal: RunnerSignal, handler) {
    try {
      Deno.addSignalListener(signal, handler);
    } catch {
      // Not on this platform (SIGTERM and SIGUSR1 on Windows).
      return () => {};
    }
    return () => Deno.removeSignalListener(signal, handler);
  },
  onUncaughtError(handler) {
    const onError = (event: ErrorEvent): void => {
      event.preventDefault();
      handler(event.error ?? event.message);
    };
    const onRejection = (event: PromiseRejectionEvent): void => {
      event.preventDefault();
      handler(event.reason);
    };
    globalThis.addEventListener("error", onError);
    globalThis.addEventListener("unhandledrejection", onRejection);
    return () => {
      globalThis.removeEventListener("error", onError);
      globalThis.removeEventListener("unhandledrejection", onRejection);
    };
  },
  stdout(text) {
    writeAll(Deno.stdout, text);
  },
  stderr(text) {
    writeAll(Deno.stderr, text);
  },
  exit(code) {
    Deno.exit(code);
  },
};
