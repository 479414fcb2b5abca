// Copyright 2026 the Torsion authors. MIT license.
/**
 * Deferreds, after `twisted.internet.defer`: a result that is not there yet,
 * with a synchronous chain of callbacks and errbacks, awaitable like a
 * promise; the {@linkcode Failure} that errors travel in; helpers to combine
 * Deferreds; and the project's {@linkcode log}.
 *
 * ```ts
 * import { Deferred } from "@torsion/torsion/defer";
 * import { equal } from "node:assert/strict";
 *
 * const d = new Deferred<string>();
 * d.addCallback((s) => s.toUpperCase());
 * d.callback("hello");
 * equal(await d, "HELLO");
 * ```
 *
 * @module
 */

export {
  type CallbackReturn,
  Deferred,
  type TimeoutClock,
} from "./deferred.ts";
export { type ErrorClass, Failure } from "./failure.ts";
export {
  AlreadyCalledError,
  CancelledError,
  FirstError,
  QueueOverflow,
  QueueUnderflow,
  TimeoutError,
} from "./errors.ts";
export { fail, succeed } from "./succeed.ts";
export { ensureDeferred, execute, maybeDeferred } from "./maybe_deferred.ts";
export {
  DeferredList,
  type DeferredListEntry,
  type DeferredListOptions,
  gatherResults,
} from "./deferred_list.ts";
export { DeferredLock } from "./deferred_lock.ts";
export { DeferredSemaphore } from "./deferred_semaphore.ts";
export { DeferredQueue } from "./deferred_queue.ts";
export * as log from "./log.ts";
export type { LogEvent, LogFields, LogObserver } from "./log.ts";
