// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode callFromThread} and {@linkcode blockingCallFromThread}: for code
 * running in a pool worker that needs the reactor's thread.
 *
 * @module
 */

import { receiveMessageOnPort } from "node:worker_threads";
import {
  type CallMessage,
  IN_POOL_WORKER,
  type Outcome,
  receiveError,
} from "./_messages.ts";
import { _unwrapTransfers } from "./transfer.ts";

interface WorkerScope {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  [IN_POOL_WORKER]?: boolean;
}

function workerScope(what: string): WorkerScope {
  const scope = globalThis as unknown as WorkerScope;
  if (scope[IN_POOL_WORKER] !== true) {
    throw new Error(
      `Cannot ${what}: this code is not running in a ThreadPool worker`,
    );
  }
  return scope;
}

function moduleHref(moduleUrl: string | URL, what: string): string {
  try {
    return new URL(moduleUrl).href;
  } catch {
    throw new TypeError(
      `Cannot ${what}: the module must be an absolute URL, received ${
        JSON.stringify(String(moduleUrl))
      }`,
    );
  }
}

/**
 * From code running in a pool worker: calls an exported function of a
 * module in the reactor's thread, soon, without waiting (Twisted's
 * `reactor.callFromThread` as a thread uses it). An error it throws is
 * logged there.
 *
 * @param moduleUrl The module's absolute URL (`import.meta.resolve(...)`).
 * @param exportName The function's export name.
 * @param args Its arguments (structured-cloned; see `transfer`).
 * @throws {Error} Outside a pool worker.
 * @throws {TypeError} If `moduleUrl` is not an absolute URL.
 *
 * @example Usage
 * ```ts
 * import { callFromThread } from "@torsion/torsion/threads";
 * import { throws } from "node:assert/strict";
 *
 * // Only a pool worker may call it.
 * throws(() => callFromThread(import.meta.url, "log", "hi"), Error);
 * ```
 */
export function callFromThread(
  moduleUrl: string | URL,
  exportName: string,
  ...args: unknown[]
): void {
  const what = "call from a thread";
  const scope = workerScope(what);
  const module = moduleHref(moduleUrl, what);
  const [values, transfer] = _unwrapTransfers(args);
  const message: CallMessage = {
    type: "call",
    module,
    name: exportName,
    args: values,
  };
  scope.postMessage(message, transfer);
}

/**
 * From code running in a pool worker: calls an exported function of a
 * module in the reactor's thread and waits, blocking this worker, for its
 * result (Twisted's `blockingCallFromThread`). If the function returns a
 * Deferred or a promise, its result is waited for; if it throws or fails,
 * this throws the error (rebuilt as in `deferToThread`).
 *
 * @typeParam T The result's type.
 * @param moduleUrl The module's absolute URL (`import.meta.resolve(...)`).
 * @param exportName The function's export name.
 * @param args Its arguments (structured-cloned; see `transfer`).
 * @returns Its result (structured-cloned).
 * @throws {Error} Outside a pool worker, or what the function threw.
 * @throws {TypeError} If `moduleUrl` is not an absolute URL.
 *
 * @example Usage
 * ```ts
 * import { blockingCallFromThread } from "@torsion/torsion/threads";
 * import { throws } from "node:assert/strict";
 *
 * // Only a pool worker may call it.
 * throws(() => blockingCallFromThread(import.meta.url, "read"), Error);
 * ```
 */
export function blockingCallFromThread<T = unknown>(
  moduleUrl: string | URL,
  exportName: string,
  ...args: unknown[]
): T {
  const what = "make a blocking call from a thread";
  const scope = workerScope(what);
  const module = moduleHref(moduleUrl, what);
  const [values, transfer] = _unwrapTransfers(args);
  const flag = new SharedArrayBuffer(4);
  const { port1, port2 } = new MessageChannel();
  const message: CallMessage = {
    type: "call",
    module,
    name: exportName,
    args: values,
    reply: { flag, port: port2 },
  };
  try {
    scope.postMessage(message, [...transfer, port2]);
    Atomics.wait(new Int32Array(flag), 0, 0);
    const received = receiveMessageOnPort(
      port1 as unknown as Parameters<typeof receiveMessageOnPort>[0],
    );
    if (received === undefined) {
      throw new Error(
        "Cannot make a blocking call from a thread: no reply arrived",
      );
    }
    const outcome = received.message as Outcome;
    if (!outcome.ok) throw receiveError(outcome.error);
    return outcome.value as T;
  } finally {
    port1.close();
  }
}
