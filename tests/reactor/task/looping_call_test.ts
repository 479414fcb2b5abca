// Copyright 2026 the Torsion authors. MIT license.
// Ported from Twisted's twisted/test/test_task.py (LoopTests,
// ReactorLoopTests), all on a Clock.
import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { Deferred } from "../../../defer/mod.ts";
import { LoopingCall } from "../../../reactor/task/looping_call.ts";
import { reactor } from "../../../reactor/default_reactor.ts";
import {
  assertNoResult,
  Clock,
  failureResultOf,
  successResultOf,
} from "../../../reactor/testing/mod.ts";

class TestException extends Error {
  constructor(message?: string) {
    super(message);
    this.name = "TestException";
  }
}

/** A LoopingCall on `clock` (Twisted's TestableLoopingCall). */
function testable<A extends unknown[]>(
  clock: Clock,
  f: (...args: A) => unknown,
  ...args: A
): LoopingCall<A> {
  const lc = new LoopingCall(f, ...args);
  lc.clock = clock;
  return lc;
}

Deno.test("LoopingCall.clock defaults to the reactor", () => {
  const lc = new LoopingCall(() => {});
  equal(lc.clock, reactor);
});

Deno.test("LoopingCall.clock can be set to a Clock", () => {
  const clock = new Clock();
  const lc = new LoopingCall(() => {});
  lc.clock = clock;
  equal(lc.clock, clock);
  lc.start(1);
  equal(clock.getDelayedCalls().length, 1);
  lc.stop();
});

Deno.test("LoopingCall.start() calls the function at once and every interval, with its arguments", () => {
  const clock = new Clock();
  const calls: [string, string][] = [];
  const lc = testable(
    clock,
    (a: string, b: string) => calls.push([a, b]),
    "a",
    "b",
  );
  lc.start(0.1);
  clock.pump([0.05, 0.1, 0.1]);
  deepEqual(calls, [["a", "b"], ["a", "b"], ["a", "b"]]);
  lc.stop();
});

Deno.test("LoopingCall.stop() fires the start Deferred with the LoopingCall and leaves no call pending", () => {
  const clock = new Clock();
  const lc = testable(clock, () => {});
  const d = lc.start(0.1);
  clock.pump([0.05, 0.1, 0.1]);
  assertNoResult(d);
  lc.stop();
  equal(successResultOf(d), lc);
  deepEqual(clock.getDelayedCalls(), []);
});

Deno.test("LoopingCall.start() with now = false waits one interval before the first call", () => {
  const clock = new Clock();
  const seen: number[] = [];
  const lc = testable(clock, () => seen.push(clock.seconds()));
  const d = lc.start(0.1, false);
  clock.pump([0.05, 0.1, 0.1]);
  equal(seen.length, 2);
  lc.stop();
  equal(successResultOf(d), lc);
  deepEqual(clock.getDelayedCalls(), []);
});

Deno.test("LoopingCall.start() sets running, interval, starttime and call", () => {
  const clock = new Clock();
  clock.advance(5);
  const lc = testable(clock, () => {});
  equal(lc.running, false);
  equal(lc.interval, null);
  equal(lc.starttime, null);
  lc.start(2, false);
  equal(lc.running, true);
  equal(lc.interval, 2);
  equal(lc.starttime, 5);
  equal(lc.call?.getTime(), 7);
  lc.stop();
  equal(lc.running, false);
  equal(lc.call, null);
});

Deno.test("LoopingCall.start() throws RangeError for a negative interval", () => {
  const lc = new LoopingCall(() => {});
  throws(() => lc.start(-1), {
    name: "RangeError",
    message: "interval must be >= 0",
  });
  equal(lc.running, false);
});

Deno.test("LoopingCall.start() throws while running", () => {
  const clock = new Clock();
  const lc = testable(clock, () => {});
  lc.start(1);
  throws(() => lc.start(1), {
    message: "Tried to start an already running LoopingCall.",
  });
  lc.stop();
});

Deno.test("LoopingCall.stop() throws when not running", () => {
  const lc = new LoopingCall(() => {});
  throws(() => lc.stop(), {
    message: "Tried to stop a LoopingCall that was not running.",
  });
});

Deno.test("LoopingCall.reset() throws when not running", () => {
  const lc = new LoopingCall(() => {});
  throws(() => lc.reset(), {
    message: "Tried to reset a LoopingCall that was not running.",
  });
});

Deno.test("LoopingCall.stop() with interval 0 before the first call prevents it", () => {
  const clock = new Clock();
  let ran = 0;
  const lc = testable(clock, () => ran++);
  lc.start(0, false);
  lc.stop();
  clock.advance(0);
  equal(ran, 0);
  deepEqual(clock.getDelayedCalls(), []);
});

Deno.test("LoopingCall.stop() before a delayed start prevents the first call", () => {
  const clock = new Clock();
  let ran = 0;
  const lc = testable(clock, () => ran++);
  lc.start(10, false);
  lc.stop();
  clock.advance(10);
  equal(ran, 0);
  deepEqual(clock.getDelayedCalls(), []);
});

Deno.test("LoopingCall.stop() from another timed call prevents later calls", () => {
  const clock = new Clock();
  let ran = 0;
  const lc = testable(clock, () => ran++);
  lc.start(1, false);
  clock.callLater(0, () => lc.stop());
  clock.advance(0);
  clock.advance(5);
  equal(ran, 0);
});

Deno.test("LoopingCall.reset() skips the next call and restarts the grid from now", () => {
  const clock = new Clock();
  const seen: number[] = [];
  const lc = testable(clock, () => seen.push(clock.seconds()));
  lc.start(2, false);
  clock.advance(1);
  lc.reset();
  equal(lc.starttime, 1);
  clock.advance(1);
  deepEqual(seen, []);
  clock.advance(1);
  deepEqual(seen, [3]);
  clock.advance(2);
  deepEqual(seen, [3, 5]);
  lc.stop();
});

Deno.test("LoopingCall.reset() does nothing while the function's Deferred is pending", () => {
  const clock = new Clock();
  const pending = new Deferred<void>();
  let ran = 0;
  const lc = testable(clock, () => {
    ran++;
    return pending;
  });
  lc.start(1);
  clock.advance(0.5);
  lc.reset();
  equal(lc.starttime, 0);
  equal(lc.call === null, true);
  pending.callback();
  equal(lc.call?.getTime(), 1);
  equal(ran, 1);
  lc.stop();
});

Deno.test("LoopingCall skips grid points that pass while the function runs", () => {
  // Twisted's test_callbackTimeSkips.
  const clock = new Clock();
  const times: number[] = [];
  let callDuration = 2;
  const lc = testable(clock, () => {
    times.push(clock.seconds());
    clock.advance(callDuration);
  });
  lc.start(0.5);
  deepEqual(times, [0]);
  equal(clock.seconds(), 2);
  // 2 is a grid point, but the present, not the future: skipped.
  clock.advance(0);
  deepEqual(times, [0]);
  callDuration = 1;
  clock.advance(0.5);
  deepEqual(times, [0, 2.5]);
  equal(clock.seconds(), 3.5);
  clock.advance(0);
  deepEqual(times, [0, 2.5]);
  callDuration = 0;
  clock.advance(0.5);
  deepEqual(times, [0, 2.5, 4]);
  equal(clock.seconds(), 4);
  lc.stop();
});

Deno.test("LoopingCall skips grid points missed while the clock was late", () => {
  // Twisted's test_reactorTimeSkips.
  const clock = new Clock();
  const times: number[] = [];
  const lc = testable(clock, () => times.push(clock.seconds()));
  lc.start(0.5);
  deepEqual(times, [0]);
  clock.advance(2);
  deepEqual(times, [0, 2]);
  clock.advance(1);
  deepEqual(times, [0, 2, 3]);
  clock.advance(0);
  deepEqual(times, [0, 2, 3]);
  lc.stop();
});

Deno.test("LoopingCall schedules a late call on the next grid point, not an interval after it", () => {
  const clock = new Clock();
  const lc = testable(clock, () => {});
  lc.start(1);
  clock.advance(1.75);
  equal(lc.call?.getTime(), 2);
  lc.stop();
});

Deno.test("LoopingCall waits a full interval when the float remainder is effectively zero", () => {
  // At 0.5 (five steps of 0.1), 0.5 % 0.1 is 0.09999999999999998: the wait
  // to the next grid point (2.8e-17) vanishes when added to 0.5, which
  // would call the function twice at 0.5.
  const clock = new Clock();
  const times: number[] = [];
  const lc = testable(clock, () => times.push(clock.seconds()));
  lc.start(0.1);
  clock.pump([0.1, 0.1, 0.1, 0.1, 0.1]);
  equal(times.length, 6);
  equal(new Set(times).size, 6);
  ok(lc.call!.getTime() > clock.seconds());
  lc.stop();
});

Deno.test("LoopingCall with interval 0 calls again on every turn of the clock until stopped", () => {
  // Twisted's testEveryIteration, on a Clock.
  const clock = new Clock();
  let ran = 0;
  const lc = testable(clock, () => {
    ran++;
    if (ran > 5) lc.stop();
  });
  const d = lc.start(0);
  equal(ran, 1);
  clock.advance(0);
  equal(ran, 6);
  equal(successResultOf(d), lc);
});

Deno.test("LoopingCall.start() Deferred fails when the function throws", () => {
  const clock = new Clock();
  const lc = testable(clock, (x: string) => {
    throw new TestException(x);
  }, "bar");
  const d = lc.start(0.1);
  equal(failureResultOf(d, TestException).getErrorMessage(), "bar");
  equal(lc.running, false);
  deepEqual(clock.getDelayedCalls(), []);
});

Deno.test("LoopingCall.start() Deferred fails when the function stops the loop and throws", () => {
  const clock = new Clock();
  const lc = testable(clock, (x: string) => {
    lc.stop();
    throw new TestException(x);
  }, "bar");
  const d = lc.start(0.1);
  failureResultOf(d, TestException);
  deepEqual(clock.getDelayedCalls(), []);
});

Deno.test("LoopingCall.start() Deferred fails on a later call that throws", () => {
  const clock = new Clock();
  let calls = 0;
  const lc = testable(clock, () => {
    if (++calls === 3) throw new TestException("third");
  });
  const d = lc.start(1);
  clock.advance(1);
  assertNoResult(d);
  clock.advance(1);
  failureResultOf(d, TestException);
  equal(calls, 3);
  equal(lc.running, false);
  deepEqual(clock.getDelayedCalls(), []);
});

Deno.test("LoopingCall is not running when the start Deferred fails", () => {
  const clock = new Clock();
  const lc = testable(clock, () => {
    throw new TestException();
  });
  let runningThen: boolean | undefined;
  lc.start(1).addErrback(() => {
    runningThen = lc.running;
  });
  equal(runningThen, false);
});

Deno.test("LoopingCall is not running when the start Deferred fires", () => {
  const clock = new Clock();
  const lc = testable(clock, () => {});
  let runningThen: boolean | undefined;
  lc.start(1).addCallback(() => {
    runningThen = lc.running;
  });
  lc.stop();
  equal(runningThen, false);
});

Deno.test("LoopingCall waits for the function's Deferred before scheduling the next call", () => {
  // Twisted's testWaitDeferred.
  const clock = new Clock();
  let ran = 0;
  const lc = testable(clock, () => {
    ran++;
    const d = new Deferred<void>();
    d.addCallback(() => lc.stop());
    clock.callLater(1, () => d.callback());
    return d;
  });
  const done = lc.start(0.2);
  clock.pump([0.2, 0.8]);
  equal(ran, 1);
  deepEqual(clock.getDelayedCalls(), []);
  equal(successResultOf(done), lc);
});

Deno.test("LoopingCall resumes on the grid after the function's Deferred fires", () => {
  const clock = new Clock();
  const times: number[] = [];
  let pending: Deferred<void> | null = null;
  const lc = testable(clock, () => {
    times.push(clock.seconds());
    if (times.length === 1) return pending = new Deferred<void>();
    return undefined;
  });
  lc.start(1);
  clock.advance(2.5);
  deepEqual(times, [0]);
  pending!.callback();
  equal(lc.call?.getTime(), 3);
  clock.advance(0.5);
  deepEqual(times, [0, 3]);
  lc.stop();
});

Deno.test("LoopingCall.start() Deferred fails when the function's Deferred fails", () => {
  // Twisted's testFailurePropagation.
  const clock = new Clock();
  const lc = testable(clock, () => {
    const d = new Deferred<void>();
    clock.callLater(0.3, () => d.errback(new TestException()));
    return d;
  });
  const d = lc.start(1);
  clock.pump([0.3]);
  failureResultOf(d, TestException);
  deepEqual(clock.getDelayedCalls(), []);
});

Deno.test("LoopingCall.stop() while the function's Deferred is pending fires once it does", () => {
  const clock = new Clock();
  const pending = new Deferred<void>();
  let ran = 0;
  const lc = testable(clock, () => {
    ran++;
    return pending;
  });
  const d = lc.start(1);
  lc.stop();
  equal(lc.running, false);
  assertNoResult(d);
  pending.callback();
  equal(successResultOf(d), lc);
  clock.advance(10);
  equal(ran, 1);
  deepEqual(clock.getDelayedCalls(), []);
});

Deno.test("LoopingCall.stop() while the function's Deferred is pending fails if it fails", () => {
  const clock = new Clock();
  const pending = new Deferred<void>();
  const lc = testable(clock, () => pending);
  const d = lc.start(1);
  lc.stop();
  pending.errback(new TestException("late"));
  equal(failureResultOf(d, TestException).getErrorMessage(), "late");
});

Deno.test("LoopingCall waits for a returned promise", async () => {
  const clock = new Clock();
  const times: number[] = [];
  let resolve!: () => void;
  const lc = testable(clock, () => {
    times.push(clock.seconds());
    if (times.length === 1) {
      return new Promise<void>((r) => resolve = r);
    }
    return undefined;
  });
  const d = lc.start(1);
  clock.advance(1);
  deepEqual(times, [0]);
  equal(lc.call === null, true);
  resolve();
  await Promise.resolve();
  equal(lc.call?.getTime(), 2);
  clock.advance(1);
  deepEqual(times, [0, 2]);
  lc.stop();
  equal(successResultOf(d), lc);
});

Deno.test("LoopingCall.start() Deferred fails when a returned promise rejects", async () => {
  const clock = new Clock();
  const lc = testable(clock, () => Promise.reject(new TestException("nope")));
  const d = lc.start(1);
  await new Promise<void>((r) => queueMicrotask(r));
  equal(failureResultOf(d, TestException).getErrorMessage(), "nope");
  equal(lc.running, false);
  deepEqual(clock.getDelayedCalls(), []);
});

Deno.test("LoopingCall can be started again after it stopped", () => {
  const clock = new Clock();
  let ran = 0;
  const lc = testable(clock, () => ran++);
  lc.start(1);
  lc.stop();
  clock.advance(5);
  const d = lc.start(1, false);
  equal(lc.starttime, 5);
  clock.advance(1);
  equal(ran, 2);
  lc.stop();
  equal(successResultOf(d), lc);
});

Deno.test("LoopingCall.withCount() passes 1 for calls on time and the ticks elapsed for late ones", () => {
  // Twisted's test_reactorTimeCountSkips.
  const clock = new Clock();
  const times: [number, number][] = [];
  const lc = LoopingCall.withCount((n) => times.push([clock.seconds(), n]));
  lc.clock = clock;
  const interval = 0.5;
  const delay = 0.01;
  lc.start(interval);
  deepEqual(times, [[0, 1]]);
  clock.advance(interval + delay);
  deepEqual(times, [[0, 1], [interval + delay, 1]]);
  clock.advance(3 * interval + delay);
  deepEqual(times, [
    [0, 1],
    [interval + delay, 1],
    [4 * interval + 2 * delay, 3],
  ]);
  clock.advance(0);
  equal(times.length, 3);
  lc.stop();
});

Deno.test("LoopingCall.withCount() counts only grid points passed, not time between calls", () => {
  // Twisted's test_countLengthyIntervalCounts.
  const clock = new Clock();
  const times: [number, number][] = [];
  const lc = LoopingCall.withCount((n) => times.push([clock.seconds(), n]));
  lc.clock = clock;
  const interval = 0.5;
  const delay = 0.01;
  lc.start(interval);
  deepEqual(times.pop(), [0, 1]);
  clock.advance(interval + delay);
  deepEqual(times.pop(), [interval + delay, 1]);
  clock.advance(interval * 1.75);
  deepEqual(times.pop(), [2.75 * interval + delay, 1]);
  clock.advance(interval * 0.25);
  deepEqual(times.pop(), [3.0 * interval + delay, 1]);
  lc.stop();
});

Deno.test("LoopingCall.withCount() never passes 0 and its counts sum to the intervals elapsed", () => {
  // Twisted's test_withCountFloatingPointBoundary.
  const clock = new Clock();
  const counts: number[] = [];
  const lc = LoopingCall.withCount((n) => counts.push(n));
  lc.clock = clock;
  const count = 10;
  const timespan = 1.0;
  const interval = timespan / count;
  lc.start(interval, false);
  for (let i = 0; i < count; i++) clock.advance(interval);
  let sum = 0;
  for (let i = 0; i < count; i++) sum += interval;
  const epsilon = timespan - sum;
  clock.advance(epsilon);
  ok(Math.abs(epsilon) > 0, `${epsilon} should be greater than zero`);
  ok(clock.seconds() >= timespan);
  equal(counts.reduce((a, b) => a + b, 0), count);
  ok(!counts.includes(0));
  lc.stop();
});

Deno.test("LoopingCall.withCount() with interval 0 always passes 1", () => {
  // Twisted's test_withCountIntervalZero.
  const clock = new Clock();
  const counts: number[] = [];
  const lc = LoopingCall.withCount((n) => {
    counts.push(n);
    if (counts.length > 4) lc.stop();
  });
  lc.clock = clock;
  const d = lc.start(0, false);
  clock.advance(0);
  equal(successResultOf(d), lc);
  deepEqual(counts, [1, 1, 1, 1, 1]);
});

Deno.test("LoopingCall.withCount() with interval 0 passes 1 after waiting on a Deferred", () => {
  // Twisted's test_withCountIntervalZeroDelay.
  const clock = new Clock();
  const pending = new Deferred<void>();
  const counts: number[] = [];
  const lc = LoopingCall.withCount((n) => {
    counts.push(n);
    if (counts.length === 2) return pending;
    if (counts.length > 4) lc.stop();
    return undefined;
  });
  lc.clock = clock;
  lc.start(0, false);
  clock.advance(0);
  deepEqual(counts, [1, 1]);
  clock.advance(2);
  deepEqual(counts, [1, 1]);
  pending.callback();
  clock.advance(0);
  deepEqual(counts, [1, 1, 1, 1, 1]);
});

Deno.test("LoopingCall.withCount() counts from the last call after the interval changes from 0", () => {
  // Twisted's test_withCountIntervalZeroDelayThenNonZeroInterval.
  const clock = new Clock();
  const pending = new Deferred<void>();
  const counts: number[] = [];
  const lc = LoopingCall.withCount((n) => {
    counts.push(n);
    if (counts.length === 2) return pending;
    return undefined;
  });
  lc.clock = clock;
  lc.start(0, false);
  clock.advance(10);
  deepEqual(counts, [1, 1]);
  lc.interval = 2;
  pending.callback();
  clock.advance(7);
  deepEqual(counts, [1, 1, 3]);
  clock.advance(2);
  deepEqual(counts, [1, 1, 3, 1]);
  clock.advance(4);
  deepEqual(counts, [1, 1, 3, 1, 2]);
  lc.stop();
});

Deno.test("LoopingCall.withCount() counts ticks skipped while its Deferred was pending", () => {
  // Twisted's test_deferredWithCount.
  const clock = new Clock();
  const pending = new Deferred<void>();
  const counts: number[] = [];
  const lc = LoopingCall.withCount((n) => {
    counts.push(n);
    if (counts.length === 1) return pending;
    return undefined;
  });
  lc.clock = clock;
  lc.start(0.2, false);
  deepEqual(counts, []);
  clock.pump([0.2, 0.4]);
  equal(counts.length, 1);
  pending.callback();
  clock.pump([0.2]);
  deepEqual(counts, [1, 3]);
  lc.stop();
});

Deno.test("LoopingCall.withCount() start Deferred fails when the count callable throws", () => {
  const clock = new Clock();
  const lc = LoopingCall.withCount(() => {
    throw new TestException();
  });
  lc.clock = clock;
  failureResultOf(lc.start(1), TestException);
});

Deno.test("LoopingCall.toString() names the interval, function and arguments", () => {
  function installReactor(_a: number, _b: string): void {}
  const lc = new LoopingCall(installReactor, 1, "key");
  equal(String(lc), 'LoopingCall<null>(installReactor, *[1, "key"])');
  const clock = new Clock();
  lc.clock = clock;
  lc.start(2.5);
  equal(String(lc), 'LoopingCall<2.5>(installReactor, *[1, "key"])');
  lc.stop();
});
