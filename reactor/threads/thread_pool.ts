// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode ThreadPool}: a pool of Workers that run exported functions of
 * modules off the reactor's thread.
 *
 * @module
 */

import { Failure } from "../../defer/failure.ts";
import * as log from "../../defer/log.ts";
import { maybeDeferred } from "../../defer/maybe_deferred.ts";
import {
  type CallMessage,
  loadFunction,
  type Outcome,
  receiveError,
  type RunMessage,
  sendError,
  type WorkerMessage,
} from "./_messages.ts";
import { _unwrapTransfers } from "./transfer.ts";

/** Where the calls a worker makes with `callFromThread` run. */
export interface ThreadCallReactor {
  /**
   * Calls `f(...args)` in the reactor's thread, soon (Twisted's
   * `callFromThread`).
   *
   * @param f The function.
   * @param args Its arguments.
   */
  callFromThread<A extends unknown[]>(
    f: (...args: A) => unknown,
    ...args: A
  ): void;
}

/** Options of {@linkcode ThreadPool}. */
export interface ThreadPoolOptions {
  /**
   * Workers started by `start()` and kept while the pool runs.
   *
   * @default {0}
   */
  minThreads?: number;
  /**
   * The most workers at once; more tasks wait in a queue.
   *
   * @default {10}
   */
  maxThreads?: number;
  /** A name for the workers (`<name>-<n>`), for debugging. */
  name?: string;
  /**
   * Where the calls the workers make with `callFromThread` and
   * `blockingCallFromThread` run; `null` runs them on the main thread's
   * next turn.
   *
   * @default {null}
   */
  reactor?: ThreadCallReactor | null;
}

/**
 * Called with a task's outcome: `(true, value)`, or `(false, failure)` if
 * the function threw.
 */
export type ThreadResultCallback = (success: boolean, result: unknown) => void;

/** A task given to {@linkcode ThreadPool.callInThreadWithCallback}. */
export interface ThreadTask {
  /**
   * Drops the task if it is still waiting for a worker (its callback is
   * then never called). A running task runs to completion.
   *
   * @returns Whether it was dropped.
   */
  cancel(): boolean;
}

interface Task extends ThreadTask {
  readonly id: number;
  readonly module: string;
  readonly name: string;
  readonly args: unknown[];
  readonly transfer: Transferable[];
  readonly onResult: ThreadResultCallback | null;
}

interface PoolWorker {
  readonly worker: Worker;
  task: Task | null;
}

const WORKER_URL = new URL("./_thread_worker.ts", import.meta.url).href;

/** Checks a module URL: absolute, so a worker can import it. */
function moduleHref(moduleUrl: string | URL): string {
  try {
    return new URL(moduleUrl).href;
  } catch {
    throw new TypeError(
      `Cannot run a function in a thread: the module must be an absolute URL (import.meta.resolve("./mod.ts")), received ${
        JSON.stringify(String(moduleUrl))
      }`,
    );
  }
}

function checkSizes(min: number, max: number): void {
  if (
    !(Number.isInteger(min) && Number.isInteger(max) && 0 <= min && min <= max)
  ) {
    throw new RangeError(
      `Cannot size a thread pool: 0 <= minThreads <= maxThreads must hold, received ${min} and ${max}`,
    );
  }
}

/**
 * A pool of Workers (Twisted's `ThreadPool`), started lazily: a task goes to
 * an idle worker, or to a new one while there are fewer than `maxThreads`,
 * or waits in a queue. Workers are reused, and kept until `stop()`.
 *
 * JavaScript functions cannot move between isolates, so a task names an
 * exported function of a module, by the module's absolute URL
 * (`import.meta.resolve("./work.ts")`) and the export's name. Its arguments
 * and result are copied with the structured clone algorithm (wrap them in
 * {@linkcode transfer} to move `ArrayBuffer`s instead); an `async` function
 * is awaited in the worker, which runs one task at a time. An error thrown
 * there arrives as an error of the same built-in class (or a plain `Error`)
 * with the worker's name, message and stack.
 *
 * Tasks wait until `start()`. A live Worker keeps the process alive:
 * `stop()` ends them. The reactor's own pool (`reactor.getThreadPool()`,
 * 0 to 10 workers) is started when the reactor runs and stopped at its
 * shutdown.
 *
 * @example Usage
 * ```ts
 * import { ThreadPool } from "@torsion/torsion/threads";
 * import { deepEqual } from "node:assert/strict";
 *
 * const pool = new ThreadPool({ maxThreads: 2 });
 * pool.start();
 * const result = Promise.withResolvers<unknown[]>();
 * const url = "data:text/javascript,export const add = (a, b) => a + b;";
 * pool.callInThreadWithCallback(
 *   (ok, value) => result.resolve([ok, value]),
 *   url,
 *   "add",
 *   2,
 *   3,
 * );
 * deepEqual(await result.promise, [true, 5]);
 * await pool.stop();
 * ```
 */
export class ThreadPool {
  /** The fewest workers kept while started. */
  min: number;
  /** The most workers at once. */
  max: number;
  /** The pool's name, if any. */
  readonly name: string | undefined;
  /** Whether `start()` was called (and not `stop()`). */
  started = false;
  /** Whether `stop()` was called; tasks given afterwards are dropped. */
  joined = false;
  /** Where the workers' `callFromThread` calls run. */
  reactor: ThreadCallReactor | null;
  readonly #idle: PoolWorker[] = [];
  readonly #busy = new Set<PoolWorker>();
  readonly #queue: Task[] = [];
  #nextId = 1;
  #created = 0;
  /** Workers to end as they become idle. */
  #toShrink = 0;
  #stopped: PromiseWithResolvers<void> | null = null;

  /**
   * Creates a pool; no worker starts before `start()`.
   *
   * @param options Sizes, name, reactor.
   * @throws {RangeError} Unless `0 <= minThreads <= maxThreads`.
   */
  constructor(options: ThreadPoolOptions = {}) {
    const min = options.minThreads ?? 0;
    const max = options.maxThreads ?? 10;
    checkSizes(min, max);
    this.min = min;
    this.max = max;
    this.name = options.name;
    this.reactor = options.reactor ?? null;
  }

  /** The number of workers, busy and idle. */
  get workers(): number {
    return this.#idle.length + this.#busy.size;
  }

  /** The number of workers running a task. */
  get working(): number {
    return this.#busy.size;
  }

  /** The number of tasks waiting for a worker. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Starts the pool: `minThreads` workers, and the tasks waiting. */
  start(): void {
    this.joined = false;
    this.started = true;
    this.#stopped = null;
    this.adjustPoolsize();
    this.#dispatch();
  }

  /**
   * Changes the pool's sizes; when started, starts workers up to the new
   * minimum and ends idle ones beyond the new maximum (busy ones once their
   * task is done).
   *
   * @param minThreads The new minimum (unchanged if omitted).
   * @param maxThreads The new maximum (unchanged if omitted).
   * @throws {RangeError} Unless `0 <= minThreads <= maxThreads`.
   */
  adjustPoolsize(minThreads?: number, maxThreads?: number): void {
    const min = minThreads ?? this.min;
    const max = maxThreads ?? this.max;
    checkSizes(min, max);
    this.min = min;
    this.max = max;
    if (!this.started) return;
    let excess = this.workers - this.max;
    while (excess > 0 && this.#idle.length > 0) {
      this.#idle.pop()!.worker.terminate();
      excess--;
    }
    this.#toShrink = Math.max(0, excess);
    while (this.workers < this.min) this.#idle.push(this.#createWorker());
    this.#dispatch();
  }

  /**
   * Runs an exported function of a module in a worker; an error it throws
   * is logged.
   *
   * @param moduleUrl The module's absolute URL.
   * @param exportName The function's export name.
   * @param args Its arguments (structured-cloned; see `transfer`).
   * @throws {TypeError} If `moduleUrl` is not an absolute URL.
   */
  callInThread(
    moduleUrl: string | URL,
    exportName: string,
    ...args: unknown[]
  ): void {
    this.callInThreadWithCallback(null, moduleUrl, exportName, ...args);
  }

  /**
   * Runs an exported function of a module in a worker, and calls
   * `onResult(true, value)` or `onResult(false, failure)` on the main
   * thread once it is done. Dropped (never called back) once the pool is
   * stopped.
   *
   * @param onResult The callback, or `null` (errors are then logged).
   * @param moduleUrl The module's absolute URL.
   * @param exportName The function's export name.
   * @param args Its arguments (structured-cloned; see `transfer`).
   * @returns The task, to cancel it while it waits.
   * @throws {TypeError} If `moduleUrl` is not an absolute URL.
   */
  callInThreadWithCallback(
    onResult: ThreadResultCallback | null,
    moduleUrl: string | URL,
    exportName: string,
    ...args: unknown[]
  ): ThreadTask {
    const module = moduleHref(moduleUrl);
    const [values, transfer] = _unwrapTransfers(args);
    const queue = this.#queue;
    const task: Task = {
      id: this.#nextId++,
      module,
      name: exportName,
      args: values,
      transfer,
      onResult,
      cancel() {
        const i = queue.indexOf(task);
        if (i === -1) return false;
        queue.splice(i, 1);
        return true;
      },
    };
    if (this.joined) return task;
    queue.push(task);
    this.#dispatch();
    return task;
  }

  /**
   * Stops the pool (Twisted's `stop`, which joins its threads): tasks
   * running and waiting are still done, then every worker ends. New tasks
   * are dropped. A pool never started drops its waiting tasks.
   *
   * @returns A promise that settles once no worker is left.
   */
  stop(): Promise<void> {
    this.joined = true;
    const wasStarted = this.started;
    this.started = false;
    if (!wasStarted) this.#queue.length = 0;
    this.#stopped ??= Promise.withResolvers<void>();
    const done = this.#stopped.promise;
    this.#dispatch();
    this.#maybeStopped();
    return done;
  }

  /** Whether workers may take tasks: started, or stopping with tasks left. */
  #running(): boolean {
    return this.started || (this.joined && this.#stopped !== null);
  }

  #dispatch(): void {
    while (this.#queue.length > 0 && this.#running()) {
      let w = this.#idle.pop();
      if (w === undefined) {
        if (this.workers >= this.max) return;
        w = this.#createWorker();
      }
      this.#run(w, this.#queue.shift()!);
    }
  }

  #run(w: PoolWorker, task: Task): void {
    w.task = task;
    this.#busy.add(w);
    const message: RunMessage = {
      type: "run",
      id: task.id,
      module: task.module,
      name: task.name,
      args: task.args,
    };
    try {
      w.worker.postMessage(message, task.transfer);
    } catch (e) {
      // An argument cannot be cloned.
      w.task = null;
      this.#busy.delete(w);
      this.#idle.push(w);
      this.#finish(task, { ok: false, error: sendError(e) });
    }
  }

  #createWorker(): PoolWorker {
    const n = ++this.#created;
    const worker = new Worker(WORKER_URL, {
      type: "module",
      name: `${this.name ?? "ThreadPool"}-${n}`,
    });
    const w: PoolWorker = { worker, task: null };
    worker.onmessage = (e: MessageEvent<WorkerMessage>) => {
      const m = e.data;
      if (m.type === "result") this.#done(w, m);
      else this.#call(m);
    };
    worker.onerror = (e: ErrorEvent) => {
      // An error outside a task (or one a worker could not post): the
      // worker is replaced, its task fails.
      e.preventDefault();
      this.#crashed(w, e.error ?? new Error(e.message));
    };
    worker.onmessageerror = () => {
      this.#crashed(
        w,
        new TypeError("Cannot receive a message from a pool worker"),
      );
    };
    return w;
  }

  #done(w: PoolWorker, outcome: Outcome): void {
    const task = w.task;
    w.task = null;
    this.#busy.delete(w);
    if (this.#toShrink > 0 || (!this.#running() && this.#queue.length === 0)) {
      if (this.#toShrink > 0) this.#toShrink--;
      w.worker.terminate();
    } else {
      this.#idle.push(w);
    }
    if (task !== null) this.#finish(task, outcome);
    this.#dispatch();
    this.#maybeStopped();
  }

  #crashed(w: PoolWorker, error: unknown): void {
    const task = w.task;
    w.task = null;
    w.worker.terminate();
    this.#busy.delete(w);
    const i = this.#idle.indexOf(w);
    if (i !== -1) this.#idle.splice(i, 1);
    if (task !== null) {
      this.#finish(task, { ok: false, error: sendError(error) });
    } else {
      log.err(error, "Unexpected error in a pool worker");
    }
    this.#dispatch();
    this.#maybeStopped();
  }

  #finish(task: Task, outcome: Outcome): void {
    const result = outcome.ok
      ? outcome.value
      : new Failure(receiveError(outcome.error));
    if (task.onResult === null) {
      if (!outcome.ok) log.err(result, "Unhandled error in a pool worker");
      return;
    }
    try {
      task.onResult(outcome.ok, result);
    } catch (e) {
      log.err(e, "Unexpected error in a thread pool's result callback");
    }
  }

  #maybeStopped(): void {
    const stopped = this.#stopped;
    if (stopped === null || !this.joined) return;
    if (this.#busy.size > 0 || this.#queue.length > 0) return;
    for (const w of this.#idle.splice(0)) w.worker.terminate();
    this.#stopped = null;
    stopped.resolve();
  }

  /** A worker's `callFromThread` or `blockingCallFromThread`. */
  #call(m: CallMessage): void {
    const reply = m.reply;
    loadFunction(m.module, m.name).then((f) => {
      this.#inReactor(() => {
        maybeDeferred(() => f(...m.args)).addBoth((r) => {
          const failed = r instanceof Failure;
          if (reply !== undefined) {
            respond(
              reply,
              failed
                ? { ok: false, error: sendError(r.value) }
                : { ok: true, value: r },
            );
          } else if (failed) {
            log.err(r, "Unhandled error in a call from a pool worker");
          }
          return null;
        });
      });
    }, (e) => {
      if (reply !== undefined) {
        respond(reply, { ok: false, error: sendError(e) });
      } else {
        log.err(e, "Cannot call from a pool worker");
      }
    });
  }

  #inReactor(f: () => void): void {
    if (this.reactor !== null) this.reactor.callFromThread(f);
    else setTimeout(f, 0);
  }
}

/** Answers a blocking call: posts the outcome, then wakes the worker. */
function respond(
  reply: NonNullable<CallMessage["reply"]>,
  outcome: Outcome,
): void {
  try {
    if (outcome.ok) {
      const [[value], transfer] = _unwrapTransfers([outcome.value]);
      reply.port.postMessage({ ok: true, value }, transfer);
    } else {
      reply.port.postMessage(outcome);
    }
  } catch (e) {
    reply.port.postMessage({ ok: false, error: sendError(e) });
  }
  reply.port.close();
  const flag = new Int32Array(reply.flag);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}
