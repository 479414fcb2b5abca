// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode deferToThread} and {@linkcode deferToThreadPool}: the result
 * of a function run in a pool worker, as a Deferred.
 *
 * @module
 */

import { Deferred } from "../../defer/deferred.ts";
import type { Failure } from "../../defer/failure.ts";
import { getReactor } from "../default.ts";
import type { ThreadCallReactor, ThreadPool } from "./thread_pool.ts";

/**
 * Runs an exported function of a module in a worker of `threadpool` and
 * returns a Deferred of its result, fired in `reactor`'s thread (Twisted's
 * `deferToThreadPool`). Arguments and result are structured-cloned (see
 * `transfer`); an `async` function is awaited in the worker. If it throws,
 * the Deferred fails with the error rebuilt: its built-in class (or
 * `Error`), with the worker's name, message and stack.
 *
 * Cancelling the Deferred drops the task if it still waits for a worker; a
 * task already running runs to completion, and its result is ignored.
 *
 * @typeParam T The result's type.
 * @param reactor The reactor whose thread fires the Deferred.
 * @param threadpool The pool.
 * @param moduleUrl The module's absolute URL (`import.meta.resolve(...)`).
 * @param exportName The function's export name.
 * @param args Its arguments.
 * @returns A Deferred of the result.
 * @throws {TypeError} If `moduleUrl` is not an absolute URL.
 *
 * @example Usage
 * ```ts
 * import { Reactor } from "@torsion/torsion/reactor";
 * import { deferToThreadPool, ThreadPool } from "@torsion/torsion/threads";
 * import { equal } from "node:assert/strict";
 *
 * const reactor = new Reactor();
 * const pool = new ThreadPool({ maxThreads: 1 });
 * pool.start();
 * const run = reactor.run();
 * const url = "data:text/javascript,export const square = (n) => n * n;";
 * equal(await deferToThreadPool(reactor, pool, url, "square", 12), 144);
 * await pool.stop();
 * reactor.stop();
 * await run;
 * ```
 */
export function deferToThreadPool<T = unknown>(
  reactor: ThreadCallReactor,
  threadpool: ThreadPool,
  moduleUrl: string | URL,
  exportName: string,
  ...args: unknown[]
): Deferred<T> {
  let task: { cancel(): boolean } | null = null;
  const d = new Deferred<T>(() => {
    task?.cancel();
  });
  task = threadpool.callInThreadWithCallback(
    (success, result) => {
      reactor.callFromThread(() => {
        if (d.called) return; // cancelled meanwhile
        if (success) d.callback(result as T);
        else d.errback(result as Failure);
      });
    },
    moduleUrl,
    exportName,
    ...args,
  );
  return d;
}

/**
 * Runs an exported function of a module in a worker of the default
 * reactor's pool and returns a Deferred of its result (Twisted's
 * `deferToThread`); see {@linkcode deferToThreadPool}. The pool starts when
 * the reactor runs, with up to 10 workers
 * (`reactor.suggestThreadPoolSize(n)`), and stops at its shutdown.
 *
 * @typeParam T The result's type.
 * @param moduleUrl The module's absolute URL (`import.meta.resolve(...)`).
 * @param exportName The function's export name.
 * @param args Its arguments (structured-cloned; see `transfer`).
 * @returns A Deferred of the result.
 * @throws {TypeError} If `moduleUrl` is not an absolute URL.
 *
 * @example Usage
 * ```ts ignore
 * // hash.ts
 * export async function sha256(path: string): Promise<string> {
 *   const digest = await crypto.subtle.digest("SHA-256", await Deno.readFile(path));
 *   return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
 * }
 *
 * // main.ts
 * import { deferToThread } from "@torsion/torsion/threads";
 * import { reactor } from "@torsion/torsion/reactor";
 *
 * deferToThread<string>(import.meta.resolve("./hash.ts"), "sha256", "big.iso")
 *   .addCallback((hex) => console.log(hex))
 *   .addBoth(() => reactor.stop());
 * await reactor.run();
 * ```
 */
export function deferToThread<T = unknown>(
  moduleUrl: string | URL,
  exportName: string,
  ...args: unknown[]
): Deferred<T> {
  const reactor = getReactor();
  return deferToThreadPool<T>(
    reactor,
    reactor.getThreadPool(),
    moduleUrl,
    exportName,
    ...args,
  );
}
