// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode Cooperator}: run long jobs written as iterators a slice at a
 * time, taking turns, without blocking the reactor, after the cooperative
 * scheduler of `twisted.internet.task`. Also {@linkcode CooperativeTask},
 * the module-level {@linkcode cooperate} and {@linkcode coiterate} on a
 * global Cooperator, and the scheduler's errors.
 *
 * @module
 */

import { Deferred } from "../../defer/deferred.ts";
import { Failure } from "../../defer/failure.ts";
import { isPromiseLike } from "../../defer/_is_promise_like.ts";
import type { IReactorTime } from "../interfaces.ts";
import { defineClockProperty } from "../_clock_property.ts";

/**
 * The task or the scheduler was in a state that does not allow the
 * operation (Twisted's `task.SchedulerError`, the base of the other
 * scheduler errors).
 *
 * @example Usage
 * ```ts
 * import { SchedulerError, TaskDone } from "@torsion/torsion/reactor";
 * import { ok } from "node:assert/strict";
 *
 * ok(new TaskDone() instanceof SchedulerError);
 * ```
 */
export class SchedulerError extends Error {
  /**
   * Creates a `SchedulerError`.
   *
   * @param message A description.
   * @param options Standard error options.
   */
  constructor(
    message =
      "Cannot complete the operation: the scheduler or one of its tasks is in an invalid state",
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "SchedulerError";
  }
}

/**
 * The task could not complete because its {@linkcode Cooperator} was
 * stopped, before or while it ran (Twisted's `task.SchedulerStopped`).
 *
 * @example Usage
 * ```ts
 * import { Cooperator, SchedulerStopped } from "@torsion/torsion/reactor";
 * import { ok } from "node:assert/strict";
 *
 * const coop = new Cooperator();
 * coop.stop();
 * let stopped = false;
 * coop.coiterate([1, 2, 3]).addErrback((f) => {
 *   stopped = f.check(SchedulerStopped) !== null;
 * });
 * ok(stopped);
 * ```
 */
export class SchedulerStopped extends SchedulerError {
  /**
   * Creates a `SchedulerStopped`.
   *
   * @param message A description.
   * @param options Standard error options.
   */
  constructor(
    message = "Cannot complete the task: the scheduler was stopped",
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "SchedulerStopped";
  }
}

/**
 * The task has already finished: it completed, was stopped or failed
 * (Twisted's `task.TaskFinished`, the base of {@linkcode TaskDone},
 * {@linkcode TaskStopped} and {@linkcode TaskFailed}).
 *
 * @example Usage
 * ```ts
 * import { TaskFinished, TaskStopped } from "@torsion/torsion/reactor";
 * import { ok } from "node:assert/strict";
 *
 * ok(new TaskStopped() instanceof TaskFinished);
 * ```
 */
export class TaskFinished extends SchedulerError {
  /**
   * Creates a `TaskFinished`.
   *
   * @param message A description.
   * @param options Standard error options.
   */
  constructor(
    message = "Cannot change the task: it has finished",
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "TaskFinished";
  }
}

/**
 * The task has already completed: its iterator is exhausted (Twisted's
 * `task.TaskDone`).
 *
 * @example Usage
 * ```ts
 * import { Cooperator, TaskDone } from "@torsion/torsion/reactor";
 * import { Clock } from "@torsion/torsion/testing";
 * import { throws } from "node:assert/strict";
 *
 * const clock = new Clock();
 * const task = new Cooperator({ clock }).cooperate([]);
 * clock.advance(1);
 * throws(() => task.stop(), TaskDone);
 * ```
 */
export class TaskDone extends TaskFinished {
  /**
   * Creates a `TaskDone`.
   *
   * @param message A description.
   * @param options Standard error options.
   */
  constructor(
    message = "Cannot change the task: it has already completed",
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "TaskDone";
  }
}

/**
 * The task was stopped with {@linkcode CooperativeTask.stop} (Twisted's
 * `task.TaskStopped`): thrown by later calls, and the failure of its
 * `whenDone()` Deferreds.
 *
 * @example Usage
 * ```ts
 * import { Cooperator, TaskStopped } from "@torsion/torsion/reactor";
 * import { Clock } from "@torsion/torsion/testing";
 * import { throws } from "node:assert/strict";
 *
 * const task = new Cooperator({ clock: new Clock() }).cooperate([1]);
 * task.stop();
 * throws(() => task.pause(), TaskStopped);
 * ```
 */
export class TaskStopped extends TaskFinished {
  /**
   * Creates a `TaskStopped`.
   *
   * @param message A description.
   * @param options Standard error options.
   */
  constructor(
    message = "Cannot change the task: it was stopped",
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "TaskStopped";
  }
}

/**
 * The task died with an error: its iterator threw, or a Deferred it yielded
 * failed (Twisted's `task.TaskFailed`). Thrown by later calls on the task;
 * its `whenDone()` Deferreds fail with the error itself.
 *
 * @example Usage
 * ```ts
 * import { Cooperator, TaskFailed } from "@torsion/torsion/reactor";
 * import { Clock } from "@torsion/torsion/testing";
 * import { throws } from "node:assert/strict";
 *
 * const clock = new Clock();
 * function* broken(): Generator<number> {
 *   throw new Error("broken");
 * }
 * const task = new Cooperator({ clock }).cooperate(broken());
 * task.whenDone().addErrback(() => {});
 * clock.advance(1);
 * throws(() => task.stop(), TaskFailed);
 * ```
 */
export class TaskFailed extends TaskFinished {
  /**
   * Creates a `TaskFailed`.
   *
   * @param message A description.
   * @param options Standard error options.
   */
  constructor(
    message = "Cannot change the task: it failed with an unhandled error",
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "TaskFailed";
  }
}

/**
 * {@linkcode CooperativeTask.resume} was called on a task that is not
 * paused (Twisted's `task.NotPaused`).
 *
 * @example Usage
 * ```ts
 * import { Cooperator, NotPaused } from "@torsion/torsion/reactor";
 * import { Clock } from "@torsion/torsion/testing";
 * import { throws } from "node:assert/strict";
 *
 * const task = new Cooperator({ clock: new Clock() }).cooperate([1]);
 * throws(() => task.resume(), NotPaused);
 * task.stop();
 * ```
 */
export class NotPaused extends SchedulerError {
  /**
   * Creates a `NotPaused`.
   *
   * @param message A description.
   * @param options Standard error options.
   */
  constructor(
    message = "Cannot resume the task: it is not paused",
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "NotPaused";
  }
}

/** What a Cooperator's scheduler returns: something that can be cancelled. */
interface Cancellable {
  cancel(): void;
}

/** How long one tick of the default Cooperator may run, in seconds (Twisted's `_Timer.MAX_SLICE`). */
const MAX_SLICE = 0.01;

/** The delay of the default scheduler's `callLater` (Twisted's `_EPSILON`). */
const EPSILON = 0.00000001;

/** Twisted's `_Timer`: true once `MAX_SLICE` seconds have passed on `clock`. */
function timeSlice(clock: IReactorTime): () => boolean {
  const end = clock.seconds() + MAX_SLICE;
  return () => clock.seconds() >= end;
}

/** Twisted's `_defaultScheduler`: `callLater` with a tiny delay. */
function callSoon(f: () => void, clock: IReactorTime): Cancellable {
  return clock.callLater(EPSILON, f);
}

/** Options of the {@linkcode Cooperator} constructor. */
export interface CooperatorOptions {
  /**
   * Called at the start of each tick (with the Cooperator's clock); returns
   * a predicate that the Cooperator asks after each unit of work, ending the
   * tick once it returns `true`. The default ends a tick once 0.01 seconds
   * (Twisted's `MAX_SLICE`) have passed on the clock.
   *
   * @default {a 0.01 s time slice measured on the clock}
   */
  terminationPredicateFactory?: (clock: IReactorTime) => () => boolean;
  /**
   * Schedules the next tick: calls its first argument at some later point,
   * and returns something whose `cancel()` prevents that. The second
   * argument is the Cooperator's clock. The default is
   * `clock.callLater(0.00000001, f)`.
   *
   * @default {clock.callLater with a 1e-8 s delay}
   */
  scheduler?: (callable: () => void, clock: IReactorTime) => {
    /** Prevents the call. */
    cancel(): void;
  };
  /**
   * Whether to run tasks as soon as they are added; otherwise they wait for
   * {@linkcode Cooperator.start}.
   *
   * @default {true}
   */
  started?: boolean;
  /**
   * The clock the default scheduler and time slice use; the same as setting
   * {@linkcode Cooperator.clock}.
   *
   * @default {the default reactor}
   */
  clock?: IReactorTime;
}

/** A task of any iterator type. */
type AnyTask = CooperativeTask<Iterator<unknown> | Iterable<unknown>>;

// Module-private access between Cooperator and CooperativeTask (the
// `_addTask`/`_removeTask`/`_oneWorkUnit`/`_completeWith` of Twisted),
// set up by the classes' static blocks.
let addTask: (coop: Cooperator, task: AnyTask) => void;
let removeTask: (coop: Cooperator, task: AnyTask) => void;
let forgetTask: (coop: Cooperator, task: AnyTask) => void;
let oneWorkUnit: (task: AnyTask) => void;
let completeWith: (
  task: AnyTask,
  state: SchedulerError,
  result: Failure,
) => void;

/**
 * A task run by a {@linkcode Cooperator}, made by
 * {@linkcode Cooperator.cooperate}: it can be paused, resumed and stopped,
 * and {@linkcode CooperativeTask.whenDone} tells when it finishes (Twisted's
 * `task.CooperativeTask`).
 *
 * Each unit of work takes one value from the iterator. A yielded Deferred
 * (or promise) pauses the task until it fires; if it fails, the task fails
 * with its error. An error thrown by the iterator fails the task. A stopped
 * task's iterator is not closed (its `return()` is not called).
 *
 * @typeParam I The type of the iterator (or iterable) the task runs.
 *
 * @example Usage
 * ```ts
 * import { Cooperator } from "@torsion/torsion/reactor";
 * import { Clock } from "@torsion/torsion/testing";
 * import { deepEqual } from "node:assert/strict";
 *
 * const clock = new Clock();
 * const coop = new Cooperator({
 *   clock,
 *   terminationPredicateFactory: () => () => true, // one unit per tick
 * });
 * const seen: number[] = [];
 * function* work(): Generator<void> {
 *   for (let i = 1; i <= 4; i++) {
 *     seen.push(i);
 *     yield;
 *   }
 * }
 * const task = coop.cooperate(work());
 * clock.advance(1);
 * task.pause();
 * clock.advance(1);
 * deepEqual(seen, [1]);
 * task.resume();
 * clock.pump([1, 1, 1, 1]);
 * deepEqual(seen, [1, 2, 3, 4]);
 * ```
 */
export class CooperativeTask<
  I extends Iterator<unknown> | Iterable<unknown> = Iterator<unknown>,
> {
  #source: I;
  #iterator: Iterator<unknown>;
  #cooperator: Cooperator;
  #deferreds: Deferred<I>[] = [];
  #pauseCount = 0;
  #completionState: SchedulerError | null = null;
  #completionResult: I | Failure | null = null;

  static {
    oneWorkUnit = (task) => task.#oneWorkUnit();
    completeWith = (task, state, result) => task.#completeWith(state, result);
  }

  /**
   * Adds a task to `cooperator`. Use {@linkcode Cooperator.cooperate}
   * rather than this constructor.
   *
   * @param iterator The work: an iterator (such as a generator), or an
   *   iterable whose iterator is taken.
   * @param cooperator The Cooperator that runs it.
   */
  constructor(iterator: I, cooperator: Cooperator) {
    this.#source = iterator;
    const it = iterator as Partial<Iterable<unknown>>;
    this.#iterator = typeof it[Symbol.iterator] === "function"
      ? it[Symbol.iterator]!()
      : iterator as Iterator<unknown>;
    this.#cooperator = cooperator;
    addTask(cooperator, this);
  }

  /**
   * Returns a new Deferred that fires with the iterator (the object given
   * to `cooperate`) once it is exhausted, or fails with the error it threw,
   * with {@linkcode TaskStopped} if the task was stopped, or with
   * {@linkcode SchedulerStopped} if its Cooperator was. Each call returns a
   * new Deferred; after the task finished, one that has already fired.
   *
   * @returns The Deferred.
   *
   * @example Usage
   * ```ts
   * import { Cooperator } from "@torsion/torsion/reactor";
   * import { Clock } from "@torsion/torsion/testing";
   * import { equal } from "node:assert/strict";
   *
   * const clock = new Clock();
   * const items = ["a", "b"];
   * const task = new Cooperator({ clock }).cooperate(items);
   * let result: string[] | undefined;
   * task.whenDone().addCallback((it) => {
   *   result = it;
   * });
   * clock.advance(1);
   * equal(result, items);
   * ```
   */
  whenDone(): Deferred<I> {
    const d = new Deferred<I>();
    if (this.#completionState === null) {
      this.#deferreds.push(d);
    } else {
      d.callback(this.#completionResult as I);
    }
    return d;
  }

  /**
   * Pauses the task: it does no work until {@linkcode CooperativeTask.resume}
   * has been called as many times as `pause`.
   *
   * @throws {TaskFinished} The task's {@linkcode TaskDone},
   *   {@linkcode TaskStopped}, {@linkcode TaskFailed} or
   *   {@linkcode SchedulerStopped}, if it has finished.
   *
   * @example Usage
   * ```ts
   * import { Cooperator } from "@torsion/torsion/reactor";
   * import { Clock } from "@torsion/torsion/testing";
   * import { equal } from "node:assert/strict";
   *
   * const clock = new Clock();
   * let n = 0;
   * function* count(): Generator<void> {
   *   while (true) {
   *     n++;
   *     yield;
   *   }
   * }
   * const task = new Cooperator({ clock }).cooperate(count());
   * task.pause();
   * clock.advance(1);
   * equal(n, 0);
   * task.stop();
   * ```
   */
  pause(): void {
    this.#checkFinish();
    this.#pauseCount++;
    if (this.#pauseCount === 1) {
      removeTask(this.#cooperator, this);
    }
  }

  /**
   * Undoes one {@linkcode CooperativeTask.pause}; after the last one the
   * task takes its turn again (on a later tick, not during this call).
   * Resuming a finished task that was paused does nothing.
   *
   * @throws {NotPaused} If the task is not paused.
   *
   * @example Usage
   * ```ts
   * import { Cooperator } from "@torsion/torsion/reactor";
   * import { Clock } from "@torsion/torsion/testing";
   * import { equal } from "node:assert/strict";
   *
   * const clock = new Clock();
   * let n = 0;
   * const task = new Cooperator({ clock }).cooperate([1, 2].map((x) => n += x));
   * task.pause();
   * task.resume();
   * let done = false;
   * task.whenDone().addCallback(() => {
   *   done = true;
   * });
   * clock.advance(1);
   * equal(done, true);
   * ```
   */
  resume(): void {
    if (this.#pauseCount === 0) throw new NotPaused();
    this.#pauseCount--;
    if (this.#pauseCount === 0 && this.#completionState === null) {
      addTask(this.#cooperator, this);
    }
  }

  /**
   * Stops the task for good: its `whenDone()` Deferreds fail with
   * {@linkcode TaskStopped}.
   *
   * @throws {TaskFinished} The task's {@linkcode TaskDone},
   *   {@linkcode TaskStopped}, {@linkcode TaskFailed} or
   *   {@linkcode SchedulerStopped}, if it has finished.
   *
   * @example Usage
   * ```ts
   * import { Cooperator, TaskStopped } from "@torsion/torsion/reactor";
   * import { Clock } from "@torsion/torsion/testing";
   * import { ok } from "node:assert/strict";
   *
   * const task = new Cooperator({ clock: new Clock() }).cooperate([1, 2, 3]);
   * let stopped = false;
   * task.whenDone().addErrback((f) => {
   *   stopped = f.check(TaskStopped) !== null;
   * });
   * task.stop();
   * ok(stopped);
   * ```
   */
  stop(): void {
    this.#checkFinish();
    this.#completeWith(new TaskStopped(), new Failure(new TaskStopped()));
  }

  #checkFinish(): void {
    if (this.#completionState !== null) throw this.#completionState;
  }

  #completeWith(state: SchedulerError, result: I | Failure): void {
    this.#completionState = state;
    this.#completionResult = result;
    // Leave the Cooperator before the Deferreds fire: their callbacks may
    // stop it, or start other tasks.
    forgetTask(this.#cooperator, this);
    const deferreds = this.#deferreds;
    this.#deferreds = [];
    for (const d of deferreds) d.callback(result as I);
  }

  #oneWorkUnit(): void {
    if (this.#completionState !== null) return;
    let step: IteratorResult<unknown>;
    try {
      step = this.#iterator.next();
    } catch (e) {
      this.#completeWith(new TaskFailed(), new Failure(e));
      return;
    }
    if (step.done) {
      this.#completeWith(new TaskDone(), this.#source);
      return;
    }
    const value = step.value;
    if (value instanceof Deferred || isPromiseLike(value)) {
      const d = value instanceof Deferred
        ? value as Deferred<unknown>
        : Deferred.fromPromise(value);
      this.pause();
      d.addCallbacks(
        () => {
          this.resume();
        },
        (failure: Failure) => {
          // Stopped meanwhile (by stop(), or the Cooperator's): the failure
          // is not the task's any more; pass it on.
          if (this.#completionState !== null) return failure;
          this.#completeWith(new TaskFailed(), failure);
          return undefined;
        },
      );
    }
  }
}

/**
 * A cooperative task scheduler (Twisted's `task.Cooperator`): runs
 * iterators a unit of work (one `next()`) at a time, round robin, in ticks
 * that each last at most a time slice (0.01 s by default), scheduled with
 * `clock.callLater` so that other events get their turn between ticks.
 *
 * Add work with {@linkcode Cooperator.cooperate}, which returns a
 * {@linkcode CooperativeTask} that can be paused, resumed, stopped and
 * waited for, or {@linkcode Cooperator.coiterate}, which returns a Deferred
 * that fires when the iterator is exhausted. An iterator that yields a
 * Deferred or a promise pauses until it fires: a Cooperator can thus also
 * serialise asynchronous steps, or limit how many run at once.
 *
 * Separate Cooperators do not share time with each other; prefer the
 * global one behind the module-level {@linkcode cooperate} and
 * {@linkcode coiterate}.
 *
 * @example Usage
 * ```ts
 * import { Cooperator } from "@torsion/torsion/reactor";
 * import { Clock } from "@torsion/torsion/testing";
 * import { deepEqual } from "node:assert/strict";
 *
 * const clock = new Clock();
 * const coop = new Cooperator({ clock });
 * const out: string[] = [];
 * function* letters(s: string): Generator<void> {
 *   for (const ch of s) {
 *     out.push(ch);
 *     yield;
 *   }
 * }
 * coop.coiterate(letters("abc"));
 * coop.coiterate(letters("123"));
 * clock.advance(1);
 * deepEqual(out, ["a", "1", "b", "2", "c", "3"]);
 * ```
 */
export class Cooperator {
  #tasks: AnyTask[] = [];
  /** Every unfinished task, paused or not, in the order they were added. */
  #live = new Set<AnyTask>();
  #metarator: Iterator<AnyTask> = [][Symbol.iterator]();
  #terminationPredicateFactory: (clock: IReactorTime) => () => boolean;
  #scheduler: (callable: () => void, clock: IReactorTime) => Cancellable;
  #delayedCall: Cancellable | null = null;
  #stopped = false;
  #started: boolean;
  #mustScheduleOnStart = false;

  static {
    addTask = (coop, task) => coop.#addTask(task);
    removeTask = (coop, task) => coop.#removeTask(task);
    forgetTask = (coop, task) => {
      coop.#live.delete(task);
      coop.#removeTask(task);
    };
  }

  /**
   * Creates a `Cooperator`.
   *
   * @param options The time slice, the scheduler, whether to start at once,
   *   and the clock.
   */
  constructor(options: CooperatorOptions = {}) {
    this.#terminationPredicateFactory = options.terminationPredicateFactory ??
      timeSlice;
    this.#scheduler = options.scheduler ?? callSoon;
    this.#started = options.started ?? true;
    if (options.clock !== undefined) this.clock = options.clock;
  }

  /**
   * The clock of the default scheduler and time slice: the default reactor
   * unless set. Tests set a `Clock`.
   *
   * > [!IMPORTANT]
   * > A `Clock` moves only when told to: with the default time slice, a tick
   * > runs until its tasks are exhausted or paused, unless they move the
   * > clock themselves (`clock.rightNow += 0.004`) or a
   * > `terminationPredicateFactory` ends it.
   */
  declare clock: IReactorTime;

  /** Whether the Cooperator runs tasks: started, and not stopped. */
  get running(): boolean {
    return this.#started && !this.#stopped;
  }

  /**
   * Adds an iterator, like {@linkcode Cooperator.cooperate}, and returns a
   * Deferred that fires with it once it is exhausted (or fails like
   * {@linkcode CooperativeTask.whenDone}).
   *
   * @typeParam I The type of the iterator (or iterable).
   * @param iterator The work: an iterator (such as a generator), or an
   *   iterable whose iterator is taken.
   * @param doneDeferred The Deferred to fire, instead of a new one.
   * @returns The Deferred (`doneDeferred` if given).
   *
   * @example Usage
   * ```ts
   * import { Cooperator } from "@torsion/torsion/reactor";
   * import { Clock } from "@torsion/torsion/testing";
   * import { equal } from "node:assert/strict";
   *
   * const clock = new Clock();
   * let sum = 0;
   * function* add(): Generator<void> {
   *   for (let i = 1; i <= 100; i++) {
   *     sum += i;
   *     yield;
   *   }
   * }
   * let finished = false;
   * new Cooperator({ clock }).coiterate(add()).addCallback(() => {
   *   finished = true;
   * });
   * clock.advance(1);
   * equal(finished, true);
   * equal(sum, 5050);
   * ```
   */
  coiterate<I extends Iterator<unknown> | Iterable<unknown>>(
    iterator: I,
    doneDeferred?: Deferred<I>,
  ): Deferred<I> {
    const done = doneDeferred ?? new Deferred<I>();
    new CooperativeTask(iterator, this).whenDone().chainDeferred(done);
    return done;
  }

  /**
   * Starts running an iterator as a long-running cooperative task: the
   * Cooperator calls its `next()` on each tick, in turn with its other
   * tasks, until it is exhausted.
   *
   * @typeParam I The type of the iterator (or iterable).
   * @param iterator The work: an iterator (such as a generator), or an
   *   iterable whose iterator is taken.
   * @returns The task.
   *
   * @example Usage
   * ```ts
   * import { Cooperator } from "@torsion/torsion/reactor";
   * import { Clock } from "@torsion/torsion/testing";
   * import { deepEqual } from "node:assert/strict";
   *
   * const clock = new Clock();
   * const seen: number[] = [];
   * function* work(): Generator<void> {
   *   seen.push(1);
   *   yield;
   *   seen.push(2);
   * }
   * new Cooperator({ clock }).cooperate(work());
   * deepEqual(seen, []); // nothing runs before the first tick
   * clock.advance(1);
   * deepEqual(seen, [1, 2]);
   * ```
   */
  cooperate<I extends Iterator<unknown> | Iterable<unknown>>(
    iterator: I,
  ): CooperativeTask<I> {
    return new CooperativeTask(iterator, this);
  }

  /**
   * Starts running tasks: those added meanwhile to a Cooperator made with
   * `started: false`, or new ones after {@linkcode Cooperator.stop}.
   *
   * @example Usage
   * ```ts
   * import { Cooperator } from "@torsion/torsion/reactor";
   * import { Clock } from "@torsion/torsion/testing";
   * import { equal } from "node:assert/strict";
   *
   * const clock = new Clock();
   * const coop = new Cooperator({ clock, started: false });
   * let done = false;
   * coop.coiterate([1, 2]).addCallback(() => {
   *   done = true;
   * });
   * clock.advance(1);
   * equal(done, false);
   * coop.start();
   * clock.advance(1);
   * equal(done, true);
   * ```
   */
  start(): void {
    this.#stopped = false;
    this.#started = true;
    if (this.#mustScheduleOnStart) {
      this.#mustScheduleOnStart = false;
      this.#reschedule();
    }
  }

  /**
   * Stops running tasks: every unfinished task (paused ones included) fails
   * with {@linkcode SchedulerStopped}, and so does each task added until
   * {@linkcode Cooperator.start} is called again.
   *
   * @example Usage
   * ```ts
   * import { Cooperator, SchedulerStopped } from "@torsion/torsion/reactor";
   * import { Clock } from "@torsion/torsion/testing";
   * import { equal } from "node:assert/strict";
   *
   * const clock = new Clock();
   * const coop = new Cooperator({ clock });
   * const errors: string[] = [];
   * for (const items of [[1], [2], [3]]) {
   *   coop.coiterate(items).addErrback((f) => {
   *     errors.push(f.check(SchedulerStopped)!.name);
   *   });
   * }
   * coop.stop();
   * equal(errors.length, 3);
   * equal(coop.running, false);
   * equal(clock.getDelayedCalls().length, 0);
   * ```
   */
  stop(): void {
    this.#stopped = true;
    // Each task removes itself from the lists as it completes, so a tick in
    // progress does not run it again: iterate over a snapshot. (Twisted
    // iterates its live list here, and so skips every other task.) A task
    // may have been finished meanwhile by a callback of an earlier one.
    for (const task of [...this.#live]) {
      if (!this.#live.has(task)) continue;
      completeWith(
        task,
        new SchedulerStopped(),
        new Failure(new SchedulerStopped()),
      );
    }
    if (this.#delayedCall !== null) {
      this.#delayedCall.cancel();
      this.#delayedCall = null;
    }
  }

  #addTask(task: AnyTask): void {
    if (this.#stopped) {
      completeWith(
        task,
        new SchedulerStopped(),
        new Failure(new SchedulerStopped()),
      );
      return;
    }
    this.#live.add(task);
    this.#tasks.push(task);
    this.#reschedule();
  }

  #removeTask(task: AnyTask): void {
    const i = this.#tasks.indexOf(task);
    if (i !== -1) this.#tasks.splice(i, 1);
    // Twisted's "no work left": cancel the tick nobody needs.
    if (this.#tasks.length === 0 && this.#delayedCall !== null) {
      this.#delayedCall.cancel();
      this.#delayedCall = null;
    }
  }

  /** Runs one tick: units of work, round robin, until the time slice ends. */
  #tick = (): void => {
    this.#delayedCall = null;
    const terminator = this.#terminationPredicateFactory(this.clock);
    outer: while (this.#tasks.length > 0) {
      // An array iterator sees removals and additions made while it runs,
      // as Twisted's iterator over its task list does.
      for (;;) {
        const next = this.#metarator.next();
        if (next.done) break;
        oneWorkUnit(next.value);
        if (terminator()) break outer;
      }
      this.#metarator = this.#tasks[Symbol.iterator]();
    }
    this.#reschedule();
  };

  #reschedule(): void {
    if (!this.#started) {
      this.#mustScheduleOnStart = true;
      return;
    }
    if (this.#delayedCall === null && this.#tasks.length > 0) {
      this.#delayedCall = this.#scheduler(this.#tick, this.clock);
    }
  }
}
defineClockProperty(Cooperator.prototype);

/**
 * The global {@linkcode Cooperator} behind the module-level
 * {@linkcode cooperate} and {@linkcode coiterate} (Twisted's
 * `task._theCooperator`). Its clock is the default reactor unless set; a
 * test may set it to a `Clock` (and should finish its tasks before setting
 * it back).
 *
 * @example Usage
 * ```ts
 * import { cooperate, theCooperator } from "@torsion/torsion/reactor";
 * import { Clock } from "@torsion/torsion/testing";
 * import { equal } from "node:assert/strict";
 *
 * const saved = theCooperator.clock;
 * const clock = new Clock();
 * theCooperator.clock = clock;
 * try {
 *   let done = false;
 *   cooperate([1, 2, 3]).whenDone().addCallback(() => {
 *     done = true;
 *   });
 *   clock.advance(1);
 *   equal(done, true);
 * } finally {
 *   theCooperator.clock = saved;
 * }
 * ```
 */
export const theCooperator: Cooperator = new Cooperator();

/**
 * Runs an iterator on the global Cooperator ({@linkcode theCooperator}),
 * sharing time with every other task given to this function or to
 * {@linkcode cooperate}, and returns a Deferred that fires with it once it
 * is exhausted (Twisted's `task.coiterate`).
 *
 * @typeParam I The type of the iterator (or iterable).
 * @param iterator The work: an iterator (such as a generator), or an
 *   iterable whose iterator is taken.
 * @returns A Deferred of the iterator, fired once it is exhausted.
 *
 * @example Usage
 * ```ts
 * import { coiterate, theCooperator } from "@torsion/torsion/reactor";
 * import { Clock } from "@torsion/torsion/testing";
 * import { deepEqual } from "node:assert/strict";
 *
 * const saved = theCooperator.clock;
 * const clock = new Clock();
 * theCooperator.clock = clock;
 * try {
 *   const seen: number[] = [];
 *   const steps = function* (): Generator<void> {
 *     for (let i = 0; i < 3; i++) {
 *       seen.push(i);
 *       yield;
 *     }
 *   };
 *   const d = coiterate(steps());
 *   clock.advance(1);
 *   deepEqual(seen, [0, 1, 2]);
 *   d.addCallback(() => seen.push(99));
 *   deepEqual(seen, [0, 1, 2, 99]);
 * } finally {
 *   theCooperator.clock = saved;
 * }
 * ```
 */
export function coiterate<I extends Iterator<unknown> | Iterable<unknown>>(
  iterator: I,
): Deferred<I> {
  return theCooperator.coiterate(iterator);
}

/**
 * Starts running an iterator as a long-running cooperative task on the
 * global Cooperator ({@linkcode theCooperator}), sharing time with every
 * other task given to this function or to {@linkcode coiterate} (Twisted's
 * `task.cooperate`). Break expensive work into steps that `yield`, and it
 * runs without blocking the reactor for longer than one step.
 *
 * @typeParam I The type of the iterator (or iterable).
 * @param iterator The work: an iterator (such as a generator), or an
 *   iterable whose iterator is taken.
 * @returns The task.
 *
 * @example Usage
 * ```ts
 * import { cooperate, theCooperator } from "@torsion/torsion/reactor";
 * import { Clock } from "@torsion/torsion/testing";
 * import { equal } from "node:assert/strict";
 *
 * const saved = theCooperator.clock;
 * const clock = new Clock();
 * theCooperator.clock = clock;
 * try {
 *   let n = 0;
 *   const forever = function* (): Generator<void> {
 *     while (true) {
 *       n++;
 *       clock.rightNow += 0.004; // each step takes 4 ms
 *       yield;
 *     }
 *   };
 *   const task = cooperate(forever());
 *   clock.advance(1);
 *   equal(n, 3); // a tick lasts at most 0.01 s
 *   task.stop();
 *   equal(clock.getDelayedCalls().length, 0);
 * } finally {
 *   theCooperator.clock = saved;
 * }
 * ```
 */
export function cooperate<I extends Iterator<unknown> | Iterable<unknown>>(
  iterator: I,
): CooperativeTask<I> {
  return theCooperator.cooperate(iterator);
}
