// Copyright 2026 the Torsion authors. MIT license.
/**
 * Threads on Workers, after `twisted.internet.threads` and
 * `twisted.python.threadpool`: {@linkcode deferToThread} runs an exported
 * function of a module in a pool worker and gives a Deferred of its result;
 * {@linkcode ThreadPool} is the pool; {@linkcode callFromThread} and
 * {@linkcode blockingCallFromThread} let code in a worker reach the
 * reactor's thread; {@linkcode transfer} moves buffers instead of copying
 * them. This module builds no reactor: worker code may import it.
 *
 * ```ts
 * import { Reactor } from "@torsion/torsion/reactor";
 * import { deferToThreadPool, ThreadPool } from "@torsion/torsion/threads";
 * import { equal } from "node:assert/strict";
 *
 * const reactor = new Reactor();
 * const pool = new ThreadPool();
 * pool.start();
 * const run = reactor.run();
 * const url = "data:text/javascript,export const twice = (s) => s + s;";
 * equal(await deferToThreadPool(reactor, pool, url, "twice", "ab"), "abab");
 * await pool.stop();
 * reactor.stop();
 * await run;
 * ```
 *
 * @module
 */

export {
  type ThreadCallReactor,
  ThreadPool,
  type ThreadPoolOptions,
  type ThreadResultCallback,
  type ThreadTask,
} from "./thread_pool.ts";
export { deferToThread, deferToThreadPool } from "./defer_to_thread.ts";
export { blockingCallFromThread, callFromThread } from "./from_thread.ts";
export { Transfer, transfer } from "./transfer.ts";
