// Copyright 2026 the Torsion authors. MIT license.
/**
 * The program of a thread pool's worker: it runs one task at a time, an
 * exported function of a module, and posts back its result or error.
 *
 * @module
 */

import {
  IN_POOL_WORKER,
  loadFunction,
  type ResultMessage,
  type RunMessage,
  sendError,
} from "./_messages.ts";
import { _unwrapTransfers } from "./transfer.ts";

interface WorkerScope {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent<RunMessage>) => unknown) | null;
}

const scope = globalThis as unknown as WorkerScope & {
  [IN_POOL_WORKER]?: boolean;
};
scope[IN_POOL_WORKER] = true;

function post(message: ResultMessage, transfer: Transferable[] = []): void {
  try {
    scope.postMessage(message, transfer);
  } catch (e) {
    // The result cannot be cloned: send that error instead.
    scope.postMessage(
      { type: "result", id: message.id, ok: false, error: sendError(e) },
    );
  }
}

scope.onmessage = async (e) => {
  const { id, module, name, args } = e.data;
  let value: unknown;
  try {
    const f = await loadFunction(module, name);
    value = await f(...args);
  } catch (error) {
    post({ type: "result", id, ok: false, error: sendError(error) });
    return;
  }
  const [[result], transfer] = _unwrapTransfers([value]);
  post({ type: "result", id, ok: true, value: result }, transfer);
};
