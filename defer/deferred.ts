// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode Deferred}: Twisted's callback chain, also awaitable.
 *
 * @module
 */

import { AlreadyCalledError, CancelledError, TimeoutError } from "./errors.ts";
import { Failure } from "./failure.ts";
import * as log from "./log.ts";
import { isPromiseLike } from "./_is_promise_like.ts";

/** What a callback or errback may return: a value, a Failure, or something that will produce a value later. */
export type CallbackReturn<U> = U | PromiseLike<U> | Failure;

/**
 * What {@linkcode Deferred.addTimeout} needs of a clock: a `callLater` whose
 * result can be cancelled. The reactor and the test `Clock` both fit.
 */
export interface TimeoutClock {
  /**
   * Calls `f` after `delay` seconds.
   *
   * @param delay Seconds to wait.
   * @param f The function to call.
   * @returns A handle for the pending call.
   */
  callLater(delay: number, f: () => void): {
    /** Returns whether the call is still pending. */
    active(): boolean;
    /** Cancels the pending call. */
    cancel(): void;
  };
}

type _Fn = (result: unknown, ...args: unknown[]) => unknown;

const NO_ARGS: unknown[] = [];
/**
 * Marks a continuation step: `[chainee, CHAIN, null, NO_ARGS]` hands the
 * result on to the Deferred `chainee`, which waits for it.
 */
const CHAIN: unknown[] = [];

function pushStep(
  steps: unknown[],
  a: unknown,
  b: unknown[],
  c: unknown,
  d: unknown[],
): void {
  const n = steps.length;
  steps[n] = a;
  steps[n + 1] = b;
  steps[n + 2] = c;
  steps[n + 3] = d;
}

/** Failures whose Deferred has been awaited or turned into a promise. */
const observed = new WeakSet<Failure>();

interface _FailRecord {
  failure: Failure;
}

/** Failures at the end of a live Deferred's chain that nothing has handled. */
const pendingFailures = new Set<_FailRecord>();

function reportUnhandled(rec: _FailRecord): void {
  if (!pendingFailures.delete(rec)) return;
  log.err(rec.failure, "Unhandled error in Deferred:");
}

const collected = new FinalizationRegistry<_FailRecord>(reportUnhandled);

/** Records to clean once the current job is done, if still unhandled then. */
let toClean: _FailRecord[] | null = null;

/**
 * Cleans the failures still unhandled at the end of a job ({@linkcode
 * Failure.cleanFailure}), so that they do not keep their Deferreds alive
 * (the stack of an error thrown by a callback refers to the Deferred). Done
 * later rather than at once because it is slow, and most failures are handled
 * by then.
 */
function cleanUnhandled(): void {
  const recs = toClean!;
  toClean = null;
  for (const rec of recs) {
    if (pendingFailures.has(rec)) rec.failure.cleanFailure();
  }
}

let exitHookInstalled = false;

function installExitHook(): void {
  exitHookInstalled = true;
  globalThis.addEventListener("unload", () => {
    for (const rec of [...pendingFailures]) reportUnhandled(rec);
  });
}

let nextId = 0;

function isFailureResult(r: unknown): r is Failure {
  return typeof r === "object" && r !== null && r instanceof Failure;
}

function settle<U>(d: Deferred<U>, outcome: unknown, failed: boolean): void {
  try {
    if (failed) d.errback(outcome);
    else d.callback(outcome as U);
  } catch (e) {
    // Fired by hand meanwhile: the promise's outcome has nowhere to go.
    log.err(e, "Promise settled a Deferred that had already fired");
  }
}

/**
 * A result that is not there yet, after `twisted.internet.defer.Deferred`.
 *
 * Callbacks and errbacks are added in pairs; when the Deferred fires with
 * {@linkcode Deferred.callback} or {@linkcode Deferred.errback}, the pairs run
 * in order, **synchronously**: each callback's return value is the next
 * callback's argument; a thrown error or a returned {@linkcode Failure}
 * switches to the errback side; an errback that returns a value switches back.
 * A callback that returns a Deferred (or any promise) pauses this chain until
 * that one fires, and continues with its result. Callbacks added after the
 * Deferred fired run at once, before `addCallback` returns.
 *
 * A Deferred is also a `PromiseLike`: `await d` gives the result or throws
 * the failure's error ({@linkcode Failure.value}). Awaiting does not change the
 * result seen by callbacks added later. Unlike Twisted, where awaiting a fired
 * Deferred continues at once, JavaScript's `await` always resumes on a later
 * microtask.
 *
 * A failure left at the end of a chain when the Deferred is garbage-collected
 * (or when the process exits) is logged as "Unhandled error in Deferred:".
 *
 * @typeParam T The type of the result.
 *
 * @example Usage
 * ```ts
 * import { Deferred } from "@torsion/torsion/defer";
 * import { deepEqual } from "node:assert/strict";
 *
 * const seen: string[] = [];
 * const d = new Deferred<number>();
 * d.addCallback((n) => n * 2)
 *   .addCallback((n) => {
 *     if (n > 10) throw new RangeError(`too big: ${n}`);
 *     return n;
 *   })
 *   .addErrback((f) => {
 *     seen.push(f.getErrorMessage());
 *     return 0;
 *   })
 *   .addCallback((n) => {
 *     seen.push(`got ${n}`);
 *   });
 * d.callback(21);
 * deepEqual(seen, ["too big: 42", "got 0"]);
 * ```
 */
export class Deferred<T = unknown> implements PromiseLike<T> {
  #called = false;
  #paused = 0;
  #result: unknown = undefined;
  /**
   * The queued steps, four slots each: callback, its arguments, errback, its
   * arguments (a flat array: no object per step).
   */
  #steps: unknown[] | null = null;
  #head = 0;
  #running = false;
  #chainedTo: Deferred<unknown> | null = null;
  // Typed loosely so that Deferred<T> stays covariant in T.
  #canceller: ((d: never) => void) | null;
  #suppressAlreadyCalled = false;
  #failRecord: _FailRecord | null = null;
  #id = 0;

  /**
   * Creates a `Deferred`.
   *
   * @param canceller Called by {@linkcode Deferred.cancel} before this
   *   Deferred fired. It may fire the Deferred itself; if it does not, the
   *   Deferred fails with {@linkcode CancelledError}.
   */
  constructor(canceller?: (d: Deferred<T>) => void) {
    this.#canceller = canceller ?? null;
  }

  /**
   * Wraps a promise: the Deferred fires with its value or fails with its
   * rejection. Cancelling the Deferred cannot stop the promise; it fails the
   * Deferred with {@linkcode CancelledError} and the promise's later outcome is
   * ignored.
   *
   * @typeParam U The type of the promise's value.
   * @param promise The promise.
   * @returns A Deferred of its outcome.
   *
   * @example Usage
   * ```ts
   * import { Deferred } from "@torsion/torsion/defer";
   * import { equal } from "node:assert/strict";
   *
   * const d = Deferred.fromPromise(Promise.resolve(7));
   * equal(await d, 7);
   * ```
   */
  static fromPromise<U>(promise: PromiseLike<U>): Deferred<U> {
    const d = new Deferred<U>();
    promise.then(
      (v) => settle(d, v, false),
      (e) => settle(d, e, true),
    );
    return d;
  }

  /** Whether {@linkcode Deferred.callback} or {@linkcode Deferred.errback} has been called. */
  get called(): boolean {
    return this.#called;
  }

  /**
   * How many times the Deferred is paused: by {@linkcode Deferred.pause}, and
   * once while it waits for a Deferred returned by a callback. Nothing runs
   * while it is above 0.
   */
  get paused(): number {
    return this.#paused;
  }

  /**
   * Adds a callback and an errback as one step of the chain.
   *
   * @typeParam U What the callback produces.
   * @typeParam V What the errback produces.
   * @param callback Receives the result on the success path.
   * @param errback Receives the {@linkcode Failure} on the error path; `null`
   *   or omitted passes the failure on.
   * @param callbackArgs Extra arguments for the callback, after the result.
   * @param errbackArgs Extra arguments for the errback, after the failure.
   * @returns This Deferred, retyped.
   *
   * @example Usage
   * ```ts
   * import { fail } from "@torsion/torsion/defer";
   * import { equal } from "node:assert/strict";
   *
   * let out = "";
   * fail(new Error("nope")).addCallbacks(
   *   () => { out = "callback"; },
   *   (f) => { out = `errback: ${f.getErrorMessage()}`; },
   * );
   * equal(out, "errback: nope");
   * ```
   */
  addCallbacks<U, V = never>(
    callback: ((result: T, ...args: unknown[]) => CallbackReturn<U>) | null,
    errback?:
      | ((failure: Failure, ...args: unknown[]) => CallbackReturn<V>)
      | null,
    callbackArgs?: unknown[],
    errbackArgs?: unknown[],
  ): Deferred<U | V> {
    this.#add(
      callback as _Fn | null,
      callbackArgs ?? NO_ARGS,
      (errback ?? null) as _Fn | null,
      errbackArgs ?? NO_ARGS,
    );
    return this as unknown as Deferred<U | V>;
  }

  /**
   * Adds a callback for the success path (failures pass by).
   *
   * @typeParam U What the callback produces.
   * @typeParam A The extra arguments.
   * @param fn Receives the result, then `args`.
   * @param args Extra arguments.
   * @returns This Deferred, retyped.
   *
   * @example Usage
   * ```ts
   * import { succeed } from "@torsion/torsion/defer";
   * import { equal } from "node:assert/strict";
   *
   * let out = 0;
   * succeed(2).addCallback((n, k: number) => n * k, 21).addCallback((n) => { out = n; });
   * equal(out, 42);
   * ```
   */
  addCallback<U, A extends unknown[] = []>(
    fn: (result: T, ...args: A) => CallbackReturn<U>,
    ...args: A
  ): Deferred<U> {
    this.#add(fn as _Fn, args.length === 0 ? NO_ARGS : args, null, NO_ARGS);
    return this as unknown as Deferred<U>;
  }

  /**
   * Adds an errback for the error path (results pass by). An errback that
   * returns a value recovers: the chain goes on with that value.
   *
   * @typeParam U What the errback produces.
   * @typeParam A The extra arguments.
   * @param fn Receives the {@linkcode Failure}, then `args`.
   * @param args Extra arguments.
   * @returns This Deferred, retyped.
   *
   * @example Usage
   * ```ts
   * import { fail } from "@torsion/torsion/defer";
   * import { equal } from "node:assert/strict";
   *
   * let out = "";
   * fail(new Error("down")).addErrback(() => "recovered").addCallback((s) => { out = s; });
   * equal(out, "recovered");
   * ```
   */
  addErrback<U = never, A extends unknown[] = []>(
    fn: (failure: Failure, ...args: A) => CallbackReturn<U>,
    ...args: A
  ): Deferred<T | U> {
    this.#add(null, NO_ARGS, fn as _Fn, args.length === 0 ? NO_ARGS : args);
    return this as unknown as Deferred<T | U>;
  }

  /**
   * Adds the same function as callback and errback.
   *
   * @typeParam U What the function produces.
   * @typeParam A The extra arguments.
   * @param fn Receives the result or the {@linkcode Failure}, then `args`.
   * @param args Extra arguments.
   * @returns This Deferred, retyped.
   *
   * @example Usage
   * ```ts
   * import { fail } from "@torsion/torsion/defer";
   * import { equal } from "node:assert/strict";
   *
   * let cleaned = false;
   * fail(new Error("x")).addBoth(() => { cleaned = true; });
   * equal(cleaned, true);
   * ```
   */
  addBoth<U, A extends unknown[] = []>(
    fn: (result: T | Failure, ...args: A) => CallbackReturn<U>,
    ...args: A
  ): Deferred<U> {
    const a = args.length === 0 ? NO_ARGS : args;
    this.#add(fn as _Fn, a, fn as _Fn, a);
    return this as unknown as Deferred<U>;
  }

  /**
   * Fires `d` with this Deferred's result (success or failure) when it gets
   * to this point of the chain. This chain then continues with `undefined`
   * (the return value of `d.callback`).
   *
   * @param d The Deferred to fire.
   * @returns This Deferred.
   *
   * @example Usage
   * ```ts
   * import { Deferred } from "@torsion/torsion/defer";
   * import { equal } from "node:assert/strict";
   *
   * const a = new Deferred<number>();
   * const b = new Deferred<number>();
   * let out = 0;
   * b.addCallback((n) => { out = n; });
   * a.chainDeferred(b);
   * a.callback(5);
   * equal(out, 5);
   * ```
   */
  chainDeferred(d: Deferred<T>): Deferred<void> {
    d.#chainedTo = this as Deferred<unknown>;
    return this.addCallbacks<void, void>(
      (r) => d.callback(r),
      (f) => d.errback(f),
    );
  }

  /**
   * Fires the Deferred with a result. A {@linkcode Failure} acts like
   * {@linkcode Deferred.errback}. A Deferred passed here is not chained: the
   * first callback receives it as a value.
   *
   * @param result The result.
   * @throws {AlreadyCalledError} If the Deferred has already fired (except
   *   once after a {@linkcode Deferred.cancel} without canceller).
   *
   * @example Usage
   * ```ts
   * import { Deferred } from "@torsion/torsion/defer";
   * import { equal } from "node:assert/strict";
   *
   * const d = new Deferred<string>();
   * d.callback("done");
   * equal(await d, "done");
   * ```
   */
  callback(result: T): void {
    this.#start(result);
  }

  /**
   * Fails the Deferred. The error is wrapped in a {@linkcode Failure} unless
   * it is one. Without an argument (JavaScript has no "current exception")
   * the failure wraps an `Error` saying so.
   *
   * @param fail The error.
   * @throws {AlreadyCalledError} If the Deferred has already fired (except
   *   once after a {@linkcode Deferred.cancel} without canceller).
   *
   * @example Usage
   * ```ts
   * import { Deferred } from "@torsion/torsion/defer";
   * import { rejects } from "node:assert/strict";
   *
   * const d = new Deferred<number>();
   * d.errback(new RangeError("bad"));
   * await rejects(Promise.resolve(d), RangeError);
   * ```
   */
  errback(fail?: unknown): void {
    if (arguments.length === 0) {
      fail = new Error("Deferred.errback() was called without a reason");
    }
    this.#start(fail instanceof Failure ? fail : new Failure(fail));
  }

  #start(result: unknown): void {
    if (this.#called) {
      if (this.#suppressAlreadyCalled) {
        this.#suppressAlreadyCalled = false;
        return;
      }
      throw new AlreadyCalledError();
    }
    this.#called = true;
    this.#canceller = null;
    this.#result = result;
    this.#runCallbacks();
  }

  /**
   * Stops running callbacks until {@linkcode Deferred.unpause} is called as
   * many times. Callbacks added meanwhile wait.
   *
   * @example Usage
   * ```ts
   * import { succeed } from "@torsion/torsion/defer";
   * import { equal } from "node:assert/strict";
   *
   * const d = succeed(1);
   * d.pause();
   * let out = 0;
   * d.addCallback((n) => { out = n; });
   * equal(out, 0);
   * d.unpause();
   * equal(out, 1);
   * ```
   */
  pause(): void {
    this.#paused++;
  }

  /**
   * Undoes one {@linkcode Deferred.pause}; at 0, waiting callbacks run.
   *
   * @example Usage
   * ```ts
   * import { Deferred } from "@torsion/torsion/defer";
   * import { equal } from "node:assert/strict";
   *
   * const d = new Deferred<number>();
   * d.pause();
   * d.callback(3);
   * d.unpause();
   * equal(d.paused, 0);
   * ```
   */
  unpause(): void {
    this.#paused--;
    if (this.#paused > 0) return;
    if (this.#called) this.#runCallbacks();
  }

  /**
   * Cancels the operation behind this Deferred.
   *
   * Before it fired: the canceller given to the constructor is called; if it
   * did not fire the Deferred, the Deferred fails with
   * {@linkcode CancelledError}. Without a canceller, the first later
   * `callback`/`errback` (by the operation that did not know) is ignored.
   * While it waits for a Deferred returned by one of its callbacks, that
   * Deferred is cancelled instead. Otherwise nothing happens.
   *
   * @example Usage
   * ```ts
   * import { CancelledError, Deferred } from "@torsion/torsion/defer";
   * import { rejects } from "node:assert/strict";
   *
   * const d = new Deferred<number>();
   * d.cancel();
   * d.callback(1); // ignored: the operation finished after the cancel
   * await rejects(Promise.resolve(d), CancelledError);
   * ```
   */
  cancel(): void {
    if (!this.#called) {
      const canceller = this.#canceller;
      if (canceller !== null) {
        (canceller as (d: Deferred<T>) => void)(this);
      } else {
        this.#suppressAlreadyCalled = true;
      }
      if (!this.#called) this.errback(new Failure(new CancelledError()));
    } else if (this.#result instanceof Deferred) {
      this.#result.cancel();
    }
  }

  /**
   * Times the Deferred out: after `timeout` seconds on `clock` it is
   * cancelled, and a {@linkcode CancelledError} it then fails with becomes a
   * {@linkcode TimeoutError} (or whatever `onTimeoutCancel` returns). Covers
   * the callbacks added before this call only.
   *
   * @param timeout Seconds to wait.
   * @param clock The clock, e.g. the reactor or a test `Clock`.
   * @param onTimeoutCancel Called with the result and `timeout` when the
   *   timeout (not a manual cancel) ended the wait; its return value replaces
   *   the result.
   * @returns This Deferred.
   *
   * @example Usage
   * ```ts
   * import { Deferred, TimeoutError } from "@torsion/torsion/defer";
   * import { Clock } from "@torsion/torsion/testing";
   * import { ok } from "node:assert/strict";
   *
   * const clock = new Clock();
   * const d = new Deferred<string>().addTimeout(5, clock);
   * let timedOut = false;
   * d.addErrback((f) => { timedOut = f.check(TimeoutError) !== null; });
   * clock.advance(5);
   * ok(timedOut);
   * ```
   */
  addTimeout(
    timeout: number,
    clock: TimeoutClock,
    onTimeoutCancel?: (result: T | Failure, timeout: number) => unknown,
  ): Deferred<T> {
    let timedOut = false;
    const call = clock.callLater(timeout, () => {
      timedOut = true;
      this.cancel();
    });
    this.addBoth((result: T | Failure) => {
      if (!timedOut) return result;
      if (onTimeoutCancel !== undefined) {
        return onTimeoutCancel(result, timeout) as T | Failure;
      }
      if (result instanceof Failure) {
        result.trap(CancelledError);
        throw new TimeoutError(timeout, "Deferred");
      }
      return result;
    });
    this.addBoth((result: T | Failure) => {
      if (call.active()) call.cancel();
      return result;
    });
    return this;
  }

  /**
   * Registers promise handlers (so `await d` works). The handlers run on a
   * later microtask, as a promise's do; this Deferred's own result is left as
   * it is for callbacks added later.
   *
   * @typeParam R1 What `onfulfilled` produces.
   * @typeParam R2 What `onrejected` produces.
   * @param onfulfilled Receives the result.
   * @param onrejected Receives the failure's error ({@linkcode Failure.value}).
   * @returns A promise of the handler's result.
   *
   * @example Usage
   * ```ts
   * import { succeed } from "@torsion/torsion/defer";
   * import { equal } from "node:assert/strict";
   *
   * equal(await succeed(2).then((n) => n + 1), 3);
   * ```
   */
  then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.asPromise().then(onfulfilled, onrejected);
  }

  /**
   * Registers a rejection handler, like `Promise.prototype.catch`.
   *
   * @typeParam R What `onrejected` produces.
   * @param onrejected Receives the failure's error.
   * @returns A promise.
   *
   * @example Usage
   * ```ts
   * import { fail } from "@torsion/torsion/defer";
   * import { equal } from "node:assert/strict";
   *
   * equal(await fail(new Error("e")).catch((e) => (e as Error).message), "e");
   * ```
   */
  catch<R = never>(
    onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null,
  ): Promise<T | R> {
    return this.asPromise().catch(onrejected);
  }

  /**
   * Registers a settlement handler, like `Promise.prototype.finally`.
   *
   * @param onfinally Called once the Deferred has a result.
   * @returns A promise with the same outcome.
   *
   * @example Usage
   * ```ts
   * import { succeed } from "@torsion/torsion/defer";
   * import { equal } from "node:assert/strict";
   *
   * let done = false;
   * equal(await succeed(1).finally(() => { done = true; }), 1);
   * equal(done, true);
   * ```
   */
  finally(onfinally?: (() => void) | null): Promise<T> {
    return this.asPromise().finally(onfinally);
  }

  /**
   * A promise of this Deferred's outcome: resolved with the result, or
   * rejected with the failure's error. The Deferred keeps its result for later
   * callbacks; a failure handed to a promise is no longer reported as
   * unhandled by the Deferred (the promise reports it instead).
   *
   * @returns The promise.
   *
   * @example Usage
   * ```ts
   * import { Deferred } from "@torsion/torsion/defer";
   * import { equal } from "node:assert/strict";
   *
   * const d = new Deferred<string>();
   * const p = d.asPromise();
   * d.callback("ok");
   * equal(await p, "ok");
   * ```
   */
  asPromise(): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.addCallbacks<T, Failure>(
        (value) => {
          resolve(value);
          return value;
        },
        (failure) => {
          observed.add(failure);
          reject(failure.value);
          return failure;
        },
      );
    });
  }

  #serial(): number {
    if (this.#id === 0) this.#id = ++nextId;
    return this.#id;
  }

  /** Returns a description like Twisted's repr: `<Deferred #3 current result: 5>`. */
  toString(): string {
    const head = `<Deferred #${this.#serial()}`;
    if (this.#chainedTo !== null) {
      return `${head} waiting on Deferred #${this.#chainedTo.#serial()}>`;
    }
    if (this.#called) {
      const r = this.#result;
      return `${head} current result: ${
        r instanceof Failure ? r.toString() : String(r)
      }>`;
    }
    return `${head}>`;
  }

  #add(
    cb: _Fn | null,
    cbArgs: unknown[],
    eb: _Fn | null,
    ebArgs: unknown[],
  ): void {
    if (
      this.#called && this.#paused === 0 && !this.#running &&
      this.#steps === null
    ) {
      // Fired, and nothing queued: run the step now without queuing it.
      const isFailure = isFailureResult(this.#result);
      const fn = isFailure ? eb : cb;
      if (fn === null) return;
      if (this.#failRecord !== null) this.#clearFailRecord();
      if (this.#call(fn, isFailure ? ebArgs : cbArgs)) return;
      if (this.#steps !== null) {
        // The callback added steps of its own.
        this.#runCallbacks();
      } else {
        this.#finished();
      }
      return;
    }
    pushStep(this.#steps ??= [], cb, cbArgs, eb, ebArgs);
    if (this.#called) this.#runCallbacks();
  }

  /**
   * Runs one callback or errback on the current result and takes what it
   * returns as the new result. Returns `true` when that is a Deferred (or
   * promise) without a result yet: this Deferred then waits for it.
   */
  #call(fn: _Fn, args: unknown[]): boolean {
    let result: unknown;
    this.#running = true;
    try {
      result = args.length === 0 ? fn(this.#result) : fn(this.#result, ...args);
    } catch (e) {
      result = e instanceof Failure ? e : new Failure(e);
    }
    this.#running = false;
    if (typeof result !== "object" || result === null) {
      this.#result = result;
      return false;
    }
    return this.#takeObject(result);
  }

  /** {@linkcode Deferred.#call} for an object result: a Failure, a Deferred, a promise, or a plain object. */
  #takeObject(value: object): boolean {
    let result: unknown = value;
    if (result === this) {
      result = new Failure(
        new TypeError(
          "Callback returned the Deferred it was attached to; this breaks the callback chain",
        ),
      );
    } else if (!(result instanceof Failure) && isPromiseLike(result)) {
      const inner = result instanceof Deferred
        ? result as Deferred<unknown>
        : Deferred.fromPromise(result);
      if (
        !inner.#called || inner.#result instanceof Deferred ||
        inner.#paused > 0
      ) {
        // Wait for it: pause, and let its chain hand us the result.
        this.#result = inner;
        this.#paused++;
        this.#chainedTo = inner;
        pushStep(inner.#steps ??= [], this, CHAIN, null, NO_ARGS);
        return true;
      }
      // It already has a result: take it.
      result = inner.#result;
      inner.#result = null;
      if (inner.#failRecord !== null) inner.#clearFailRecord();
    }
    this.#result = result;
    return false;
  }

  /** Notes a failure left at the end of the chain, for the unhandled-error report. */
  #finished(): void {
    const r = this.#result;
    if (isFailureResult(r)) {
      if (!observed.has(r)) this.#setFailRecord(r);
    } else if (this.#failRecord !== null) {
      this.#clearFailRecord();
    }
  }

  /**
   * Runs queued steps until none is left or the chain has to wait. Iterative,
   * so long chains of chained Deferreds do not grow the stack.
   */
  #runCallbacks(): void {
    if (this.#running) return;
    // Deferreds whose continuation step handed their result on to a waiting
    // Deferred; each resumes its own steps once the waiting one is done.
    let stack: Deferred<unknown>[] | null = null;
    let current = this as Deferred<unknown>;
    for (;;) {
      if (current.#paused > 0) return;
      let finished = true;
      current.#chainedTo = null;
      if (current.#steps !== null && current.#failRecord !== null) {
        current.#clearFailRecord();
      }
      for (;;) {
        const steps = current.#steps;
        if (steps === null) break;
        const i = current.#head;
        const cb = steps[i];
        const cbArgs = steps[i + 1] as unknown[];
        const eb = steps[i + 2];
        const ebArgs = steps[i + 3] as unknown[];
        if (i + 4 === steps.length) {
          // All taken: drop the array (steps added from here get a new one).
          current.#steps = null;
          current.#head = 0;
        } else {
          current.#head = i + 4;
        }
        if (cbArgs === CHAIN) {
          const chainee = cb as Deferred<unknown>;
          // Give the waiting Deferred our result and forget it ourselves.
          chainee.#result = current.#result;
          current.#result = null;
          chainee.#paused--;
          (stack ??= []).push(current);
          current = chainee;
          finished = false;
          break;
        }
        const isFailure = isFailureResult(current.#result);
        const fn = (isFailure ? eb : cb) as _Fn | null;
        if (fn === null) continue;
        if (current.#call(fn, isFailure ? ebArgs : cbArgs)) break;
      }
      if (finished) {
        current.#finished();
        if (stack === null || stack.length === 0) return;
        current = stack.pop()!;
      }
    }
  }

  #setFailRecord(failure: Failure): void {
    if (this.#failRecord !== null) {
      if (this.#failRecord.failure === failure) return;
      this.#clearFailRecord();
    }
    const rec: _FailRecord = { failure };
    this.#failRecord = rec;
    pendingFailures.add(rec);
    if (toClean === null) {
      toClean = [];
      queueMicrotask(cleanUnhandled);
    }
    toClean.push(rec);
    collected.register(this, rec, this);
    if (!exitHookInstalled) installExitHook();
  }

  #clearFailRecord(): void {
    pendingFailures.delete(this.#failRecord!);
    collected.unregister(this);
    this.#failRecord = null;
  }
}
