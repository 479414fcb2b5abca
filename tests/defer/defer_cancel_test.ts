// Copyright 2026 the Torsion authors. MIT license.
// Deferred.cancel() and Deferred.addTimeout(), after Twisted's
// DeferredCancellerTests and DeferredAddTimeoutTests
// (twisted/test/test_defer.py).
import { deepEqual, equal, ok, throws } from "node:assert/strict";
import {
  AlreadyCalledError,
  CancelledError,
  Deferred,
  Failure,
  TimeoutError,
} from "../../defer/mod.ts";
import {
  assertNoResult,
  Clock,
  failureResultOf,
  successResultOf,
} from "../../reactor/testing/mod.ts";
import { collectGarbage } from "../_defer_gc.ts";

class GenericError extends Error {
  override name = "GenericError";
}

/** Records what reaches a callback/errback pair added to a Deferred. */
function track<T>(d: Deferred<T>): { results: T[]; failures: Failure[] } {
  const seen = { results: [] as T[], failures: [] as Failure[] };
  d.addCallbacks((r) => {
    seen.results.push(r);
    return r;
  }, (f) => {
    seen.failures.push(f);
  });
  return seen;
}

function overrideFunc(): string {
  return "OVERRIDDEN";
}

Deno.test("Deferred.cancel() without a canceller fails with CancelledError instead of calling back", () => {
  const d = new Deferred<void>();
  const seen = track(d);
  d.cancel();
  deepEqual(seen.results, []);
  equal(seen.failures.length, 1);
  equal(seen.failures[0].type, CancelledError);
});

Deno.test("Deferred.cancel() without a canceller swallows one later callback(), then fires raise", () => {
  const d = new Deferred<void>();
  track(d);
  d.cancel();
  d.callback();
  throws(() => d.callback(), AlreadyCalledError);
  throws(() => d.errback(new GenericError()), AlreadyCalledError);
});

Deno.test("Deferred.cancel() without a canceller swallows one later errback(), then fires raise", () => {
  const d = new Deferred<void>();
  const seen = track(d);
  d.cancel();
  d.errback(new GenericError());
  equal(seen.failures[0].type, CancelledError);
  throws(() => d.callback(), AlreadyCalledError);
  throws(() => d.errback(new GenericError()), AlreadyCalledError);
});

Deno.test("Deferred.cancel() without a canceller ignores cancels after the swallowed callback()", () => {
  const d = new Deferred<void>();
  const seen = track(d);
  d.cancel();
  const current = seen.failures[0];
  d.callback();
  d.cancel();
  deepEqual(seen.failures, [current]);
  deepEqual(seen.results, []);
});

Deno.test("Deferred.cancel() without a canceller ignores cancels after the swallowed errback()", () => {
  const d = new Deferred<void>();
  const seen = track(d);
  d.cancel();
  const current = seen.failures[0];
  d.errback(new GenericError());
  equal(seen.failures[0].type, CancelledError);
  d.cancel();
  deepEqual(seen.failures, [current]);
});

Deno.test("Deferred.cancel() without a canceller can be repeated", () => {
  const d = new Deferred<void>();
  const seen = track(d);
  d.cancel();
  const current = seen.failures[0];
  d.cancel();
  deepEqual(seen.failures, [current]);
  equal(current.type, CancelledError);
});

Deno.test("Deferred.cancel() calls the canceller once however often it is repeated", () => {
  let calls = 0;
  const d = new Deferred<void>(() => {
    calls++;
  });
  const seen = track(d);
  d.cancel();
  const current = seen.failures[0];
  equal(current.type, CancelledError);
  d.cancel();
  deepEqual(seen.failures, [current]);
  equal(calls, 1);
});

Deno.test("Deferred.cancel() with a canceller that does not fire lets later fires raise", () => {
  let calls = 0;
  const d = new Deferred<void>(() => {
    calls++;
  });
  const seen = track(d);
  d.cancel();
  equal(calls, 1);
  equal(seen.failures[0].type, CancelledError);
  throws(() => d.callback(), AlreadyCalledError);
  throws(() => d.errback(new GenericError()), AlreadyCalledError);
});

Deno.test("Deferred.cancel() passes the Deferred to the canceller", () => {
  const args: unknown[] = [];
  const d = new Deferred<void>((arg) => {
    args.push(arg);
  });
  track(d);
  d.cancel();
  equal(args.length, 1);
  equal(args[0], d);
});

Deno.test("Deferred.cancel() after callback() does nothing", () => {
  let calls = 0;
  const d = new Deferred<string>((it) => {
    calls++;
    it.errback(new GenericError());
  });
  const seen = track(d);
  d.callback("biff!");
  d.cancel();
  equal(calls, 0);
  deepEqual(seen.failures, []);
  deepEqual(seen.results, ["biff!"]);
});

Deno.test("Deferred.cancel() after errback() does nothing", () => {
  let calls = 0;
  const d = new Deferred<void>((it) => {
    calls++;
    it.errback(new GenericError());
  });
  const seen = track(d);
  d.errback(new GenericError());
  d.cancel();
  equal(calls, 0);
  equal(seen.failures.length, 1);
  equal(seen.failures[0].type, GenericError);
  deepEqual(seen.results, []);
});

Deno.test("Deferred.cancel() takes the failure of a canceller that errbacks", () => {
  let calls = 0;
  const d = new Deferred<void>((it) => {
    calls++;
    it.errback(new GenericError());
  });
  const seen = track(d);
  d.cancel();
  equal(calls, 1);
  equal(seen.failures.length, 1);
  equal(seen.failures[0].type, GenericError);
});

Deno.test("Deferred.cancel() takes the result of a canceller that calls back", () => {
  let calls = 0;
  const d = new Deferred<string>((it) => {
    calls++;
    it.callback("hello!");
  });
  const seen = track(d);
  d.cancel();
  equal(calls, 1);
  deepEqual(seen.results, ["hello!"]);
  deepEqual(seen.failures, []);
});

Deno.test("Deferred.cancel() propagates an error thrown by the canceller and leaves the Deferred unfired", () => {
  const d = new Deferred<void>(() => {
    throw new GenericError("canceller broke");
  });
  throws(() => d.cancel(), GenericError);
  equal(d.called, false);
  d.callback();
  equal(successResultOf(d), undefined);
});

Deno.test("Deferred.cancel() on a Deferred waiting for a returned Deferred cancels that one", () => {
  let innerCalls = 0;
  const b = new Deferred<void>(() => {
    innerCalls++;
  });
  const a = new Deferred<void>(() => {
    throw new Error("the outer canceller must not run");
  });
  a.callback();
  a.addCallback(() => b);
  a.cancel();
  const seen = track(a);
  equal(innerCalls, 1);
  equal(seen.failures.length, 1);
  equal(seen.failures[0].type, CancelledError);
  // The failure went on to a, leaving b with null.
  equal(successResultOf(b), null);
});

Deno.test("Deferred.cancel() on a waiting Deferred takes the result the inner canceller gives", () => {
  const inner = new Deferred<string>((it) => it.callback("inner cancelled"));
  const outer = new Deferred<void>();
  outer.addCallback(() => inner);
  outer.callback();
  outer.cancel();
  equal(successResultOf(outer), "inner cancelled");
});

Deno.test("Deferred.cancel() goes down a chain of waiting Deferreds to the innermost one", () => {
  const cancelled: string[] = [];
  const c = new Deferred<void>(() => {
    cancelled.push("c");
  });
  const b = new Deferred<void>(() => {
    cancelled.push("b");
  });
  const a = new Deferred<void>(() => {
    cancelled.push("a");
  });
  b.addCallback(() => c);
  a.addCallback(() => b);
  b.callback();
  a.callback();
  a.cancel();
  deepEqual(cancelled, ["c"]);
  equal(failureResultOf(a).type, CancelledError);
});

Deno.test("Deferred.cancel() on a waiting Deferred can be repeated", () => {
  let calls = 0;
  const inner = new Deferred<void>(() => {
    calls++;
  });
  const outer = new Deferred<void>();
  outer.addCallback(() => inner);
  outer.callback();
  outer.cancel();
  outer.cancel();
  equal(calls, 1);
  failureResultOf(outer, CancelledError);
});

/**
 * Makes a Deferred whose canceller holds an object, and a flag that turns
 * true once that object has been garbage-collected.
 */
function deferredWithHeavyCanceller(): {
  d: Deferred<number>;
  collected: () => boolean;
} {
  let collected = false;
  const registry = new FinalizationRegistry(() => {
    collected = true;
  });
  // A scope of its own, so that only the canceller's closure holds `held`.
  function makeCanceller(): () => void {
    const held = {};
    registry.register(held, undefined);
    return () => {
      void held;
    };
  }
  const d = new Deferred<number>(makeCanceller());
  return { d, collected: () => collected };
}

Deno.test("Deferred drops its canceller once it has called back", async () => {
  const { d, collected } = deferredWithHeavyCanceller();
  d.callback(1);
  await collectGarbage(collected);
  ok(collected(), "the canceller is still referenced");
  equal(successResultOf(d), 1);
});

Deno.test("Deferred drops its canceller once it has failed", async () => {
  const { d, collected } = deferredWithHeavyCanceller();
  d.errback(new GenericError("failed"));
  await collectGarbage(collected);
  ok(collected(), "the canceller is still referenced");
  failureResultOf(d, GenericError);
});

Deno.test("Deferred drops its canceller once cancel() has failed it", async () => {
  const { d, collected } = deferredWithHeavyCanceller();
  d.cancel();
  await collectGarbage(collected);
  ok(collected(), "the canceller is still referenced");
  failureResultOf(d, CancelledError);
});

Deno.test("Deferred.addTimeout() returns the Deferred so that the chain goes on", () => {
  const d = new Deferred<void>();
  const clock = new Clock();
  equal(d.addTimeout(5, clock), d);
  d.addCallback(() => "done");
  d.callback();
  equal(successResultOf(d), "done");
  deepEqual(clock.getDelayedCalls(), []);
});

Deno.test("Deferred.addTimeout() does not cancel a Deferred that called back in time", () => {
  const clock = new Clock();
  const d = new Deferred<string>();
  d.addTimeout(10, clock);
  const innerDeferred = new Deferred<void>();
  let dCallbacked: string | undefined;
  d.addCallback((results) => {
    dCallbacked = results;
    return innerDeferred;
  });
  d.callback("results");
  equal(dCallbacked, "results");
  clock.advance(15);
  assertNoResult(innerDeferred);
});

Deno.test("Deferred.addTimeout() with onTimeoutCancel does not cancel a Deferred that called back in time", () => {
  const clock = new Clock();
  const d = new Deferred<string>();
  d.addTimeout(10, clock, overrideFunc);
  const innerDeferred = new Deferred<void>();
  let dCallbacked: string | undefined;
  d.addCallback((results) => {
    dCallbacked = results;
    return innerDeferred;
  });
  d.callback("results");
  equal(dCallbacked, "results");
  clock.advance(15);
  assertNoResult(innerDeferred);
});

Deno.test("Deferred.addTimeout() does not cancel a Deferred that failed in time", () => {
  const clock = new Clock();
  const d = new Deferred<void>();
  d.addTimeout(10, clock);
  const innerDeferred = new Deferred<void>();
  let dErrbacked: Failure | undefined;
  const error = new RangeError("fail");
  d.addErrback((f) => {
    dErrbacked = f;
    return innerDeferred;
  });
  d.errback(error);
  ok(dErrbacked instanceof Failure);
  equal(dErrbacked.value, error);
  clock.advance(15);
  assertNoResult(innerDeferred);
});

Deno.test("Deferred.addTimeout() with onTimeoutCancel does not cancel a Deferred that failed in time", () => {
  const clock = new Clock();
  const d = new Deferred<void>();
  d.addTimeout(10, clock, overrideFunc);
  const innerDeferred = new Deferred<void>();
  let dErrbacked: Failure | undefined;
  const error = new RangeError("fail");
  d.addErrback((f) => {
    dErrbacked = f;
    return innerDeferred;
  });
  d.errback(error);
  ok(dErrbacked instanceof Failure);
  equal(dErrbacked.value, error);
  clock.advance(15);
  assertNoResult(innerDeferred);
});

Deno.test("Deferred.addTimeout() fails with TimeoutError when the time is up", () => {
  const clock = new Clock();
  const d = new Deferred<void>();
  d.addTimeout(10, clock);
  assertNoResult(d);
  clock.advance(15);
  failureResultOf(d, TimeoutError);
});

Deno.test("Deferred.addTimeout() waits the whole timeout", () => {
  const clock = new Clock();
  const d = new Deferred<void>();
  d.addTimeout(10, clock);
  clock.advance(9.999);
  assertNoResult(d);
  clock.advance(0.001);
  failureResultOf(d, TimeoutError);
});

Deno.test("Deferred.addTimeout() fails with a TimeoutError carrying the timeout", () => {
  const clock = new Clock();
  const d = new Deferred<void>().addTimeout(7, clock);
  clock.advance(7);
  const f = failureResultOf(d, TimeoutError);
  const error = f.value as TimeoutError;
  equal(error.timeout, 7);
  equal(error.name, "TimeoutError");
  equal(error.message, "Deferred timed out after 7 seconds");
});

Deno.test("Deferred.addTimeout() gives the result of onTimeoutCancel when the time is up", () => {
  const clock = new Clock();
  const d = new Deferred<void>();
  d.addTimeout(10, clock, overrideFunc);
  assertNoResult(d);
  clock.advance(15);
  equal(successResultOf(d), "OVERRIDDEN");
});

Deno.test("Deferred.addTimeout() calls onTimeoutCancel with the cancelled result and the timeout", () => {
  const clock = new Clock();
  const calls: [unknown, number][] = [];
  const d = new Deferred<void>().addTimeout(3, clock, (result, timeout) => {
    calls.push([result, timeout]);
    return null;
  });
  clock.advance(3);
  equal(calls.length, 1);
  ok(calls[0][0] instanceof Failure);
  ok((calls[0][0] as Failure).check(CancelledError));
  equal(calls[0][1], 3);
  equal(successResultOf(d), null);
});

Deno.test("Deferred.addTimeout() gives the success of a canceller when the time is up", () => {
  const clock = new Clock();
  const d = new Deferred<string>((c) => c.callback("I was cancelled!"));
  d.addTimeout(10, clock);
  assertNoResult(d);
  clock.advance(15);
  equal(successResultOf(d), "I was cancelled!");
});

Deno.test("Deferred.addTimeout() gives the failure of a canceller when the time is up", () => {
  const clock = new Clock();
  const error = new RangeError("what!");
  const d = new Deferred<void>((c) => c.errback(error));
  d.addTimeout(10, clock);
  assertNoResult(d);
  clock.advance(15);
  equal(failureResultOf(d, RangeError).value, error);
});

Deno.test("Deferred.addTimeout() leaves a manual cancel before the timeout alone", () => {
  const clock = new Clock();
  const d = new Deferred<void>();
  d.addTimeout(10, clock);
  const innerDeferred = new Deferred<void>();
  let dCanceled: Failure | undefined;
  d.addErrback((f) => {
    dCanceled = f;
    return innerDeferred;
  });
  d.cancel();
  ok(dCanceled instanceof Failure);
  equal(dCanceled.type, CancelledError);
  clock.advance(15);
  assertNoResult(innerDeferred);
});

Deno.test("Deferred.addTimeout() with onTimeoutCancel leaves a manual cancel before the timeout alone", () => {
  const clock = new Clock();
  const d = new Deferred<void>();
  d.addTimeout(10, clock, overrideFunc);
  const innerDeferred = new Deferred<void>();
  let dCanceled: Failure | undefined;
  d.addErrback((f) => {
    dCanceled = f;
    return innerDeferred;
  });
  d.cancel();
  ok(dCanceled instanceof Failure);
  equal(dCanceled.type, CancelledError);
  clock.advance(15);
  assertNoResult(innerDeferred);
});

Deno.test("Deferred.addTimeout() lets onTimeoutCancel replace the failure a canceller gave", () => {
  const clock = new Clock();
  const d = new Deferred<void>((c) => c.errback(new RangeError("what!")));
  d.addTimeout(10, clock, overrideFunc);
  assertNoResult(d);
  clock.advance(15);
  equal(successResultOf(d), "OVERRIDDEN");
});

Deno.test("Deferred.addTimeout() turns the CancelledError an earlier errback passes on into TimeoutError", () => {
  const clock = new Clock();
  const d = new Deferred<void>();
  let dErrbacked: Failure | undefined;
  d.addErrback((f) => {
    dErrbacked = f;
    return f;
  });
  d.addTimeout(10, clock);
  clock.advance(15);
  ok(dErrbacked instanceof Failure);
  ok(dErrbacked.value instanceof CancelledError);
  failureResultOf(d, TimeoutError);
});

Deno.test("Deferred.addTimeout() lets an earlier errback that handles the CancelledError succeed", () => {
  const clock = new Clock();
  const d = new Deferred<void>();
  let dErrbacked: Failure | undefined;
  d.addErrback((f) => {
    dErrbacked = f;
    f.trap(CancelledError);
  });
  d.addTimeout(10, clock);
  clock.advance(15);
  ok(dErrbacked instanceof Failure);
  ok(dErrbacked.value instanceof CancelledError);
  equal(successResultOf(d), undefined);
});

Deno.test("Deferred.addTimeout() calls onTimeoutCancel after an earlier errback passes the CancelledError on", () => {
  const clock = new Clock();
  const d = new Deferred<void>();
  let dErrbacked: Failure | undefined;
  d.addErrback((f) => {
    dErrbacked = f;
    return f;
  });
  d.addTimeout(10, clock, overrideFunc);
  clock.advance(15);
  ok(dErrbacked instanceof Failure);
  ok(dErrbacked.value instanceof CancelledError);
  equal(successResultOf(d), "OVERRIDDEN");
});

Deno.test("Deferred.addTimeout() calls onTimeoutCancel after an earlier errback handles the CancelledError", () => {
  const clock = new Clock();
  const d = new Deferred<void>();
  let dErrbacked: Failure | undefined;
  d.addErrback((f) => {
    dErrbacked = f;
  });
  d.addTimeout(10, clock, overrideFunc);
  clock.advance(15);
  ok(dErrbacked instanceof Failure);
  ok(dErrbacked.value instanceof CancelledError);
  equal(successResultOf(d), "OVERRIDDEN");
});

Deno.test("Deferred.addTimeout() runs an earlier callback with the success of a canceller", () => {
  const clock = new Clock();
  const success = "success";
  const d = new Deferred<string>((it) => it.callback(success));
  let dCallbacked: string | undefined;
  d.addCallback((value) => {
    dCallbacked = value;
    return value;
  });
  d.addTimeout(10, clock);
  clock.advance(15);
  equal(dCallbacked, success);
  equal(successResultOf(d), success);
});

Deno.test("Deferred.addTimeout() calls onTimeoutCancel after an earlier callback got the success of a canceller", () => {
  const clock = new Clock();
  const success = "success";
  const d = new Deferred<string>((it) => it.callback(success));
  let dCallbacked: string | undefined;
  d.addCallback((value) => {
    dCallbacked = value;
    return value;
  });
  d.addTimeout(10, clock, overrideFunc);
  clock.advance(15);
  equal(dCallbacked, success);
  equal(successResultOf(d), "OVERRIDDEN");
});

Deno.test("Deferred.addTimeout() cancels its timer when the Deferred fires", () => {
  const clock = new Clock();
  const d = new Deferred<number>().addTimeout(10, clock);
  equal(clock.getDelayedCalls().length, 1);
  d.callback(1);
  deepEqual(clock.getDelayedCalls(), []);
  equal(successResultOf(d), 1);
});

Deno.test("Deferred.addTimeout() on a Deferred that has fired leaves no pending call", () => {
  const clock = new Clock();
  const d = new Deferred<number>();
  d.callback(3);
  d.addTimeout(10, clock);
  deepEqual(clock.getDelayedCalls(), []);
  clock.advance(15);
  equal(successResultOf(d), 3);
});

Deno.test("Deferred.addTimeout() cancels the Deferred a timed-out Deferred waits for", () => {
  const clock = new Clock();
  let innerCancelled = 0;
  const inner = new Deferred<void>(() => {
    innerCancelled++;
  });
  const d = new Deferred<void>();
  d.addCallback(() => inner);
  d.addTimeout(10, clock);
  d.callback();
  clock.advance(10);
  equal(innerCancelled, 1);
  failureResultOf(d, TimeoutError);
});

Deno.test("Deferred.addTimeout() does not cover callbacks added after it", () => {
  const clock = new Clock();
  const later = new Deferred<string>();
  const d = new Deferred<void>().addTimeout(10, clock);
  d.addCallback(() => later);
  d.callback();
  clock.advance(15);
  assertNoResult(d);
  later.callback("late but fine");
  equal(successResultOf(d), "late but fine");
});
