// Copyright 2026 the Torsion authors. MIT license.
// Ported from Twisted's twisted/test/test_task.py (DeferLaterTests), on a
// Clock.
import { deepEqual, equal } from "node:assert/strict";
import { CancelledError, Deferred } from "../../../defer/mod.ts";
import { deferLater } from "../../../reactor/task/defer_later.ts";
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

Deno.test("deferLater() fires after the delay with the callable's result", () => {
  const clock = new Clock();
  const flag = {};
  const calls: [string, string][] = [];
  const d = deferLater(
    clock,
    3,
    (foo: string, bar: string) => {
      calls.push([foo, bar]);
      return flag;
    },
    "foo",
    "bar",
  );
  clock.advance(2);
  deepEqual(calls, []);
  assertNoResult(d);
  clock.advance(1);
  deepEqual(calls, [["foo", "bar"]]);
  equal(successResultOf(d), flag);
});

Deno.test("deferLater() fails with the error the callable throws", () => {
  const clock = new Clock();
  const d = deferLater(clock, 1, () => {
    throw new TestException("boom");
  });
  clock.advance(1);
  equal(failureResultOf(d, TestException).getErrorMessage(), "boom");
});

Deno.test("deferLater() cancel() prevents the call and fails with CancelledError", () => {
  const clock = new Clock();
  let called = false;
  const d = deferLater(clock, 1, () => {
    called = true;
  });
  d.cancel();
  failureResultOf(d, CancelledError);
  deepEqual(clock.getDelayedCalls(), []);
  clock.advance(1);
  equal(called, false);
});

Deno.test("deferLater() without a callable fires with undefined after the delay", () => {
  const clock = new Clock();
  const d = deferLater(clock, 2.0);
  assertNoResult(d);
  clock.advance(2.0);
  equal(successResultOf(d), undefined);
});

Deno.test("deferLater() with a null callable fires with undefined", () => {
  const clock = new Clock();
  const d = deferLater(clock, 1, null);
  clock.advance(1);
  equal(successResultOf(d), undefined);
});

Deno.test("deferLater() schedules one call on the clock at now + delay", () => {
  const clock = new Clock();
  clock.advance(10);
  const d = deferLater(clock, 2.5);
  const calls = clock.getDelayedCalls();
  equal(calls.length, 1);
  equal(calls[0].getTime(), 12.5);
  clock.advance(2.5);
  successResultOf(d);
});

Deno.test("deferLater() with delay 0 fires on the next advance, not at once", () => {
  const clock = new Clock();
  const d = deferLater(clock, 0, () => "now");
  assertNoResult(d);
  clock.advance(0);
  equal(successResultOf(d), "now");
});

Deno.test("deferLater() waits for a Deferred the callable returns", () => {
  const clock = new Clock();
  const inner = new Deferred<string>();
  const d = deferLater(clock, 1, () => inner);
  clock.advance(1);
  assertNoResult(d);
  inner.callback("inner");
  equal(successResultOf(d), "inner");
});

Deno.test("deferLater() waits for a promise the callable returns", async () => {
  const clock = new Clock();
  const d = deferLater(clock, 1, () => Promise.resolve(42));
  clock.advance(1);
  equal(await d, 42);
});

Deno.test("deferLater() cancel() after it fired changes nothing", () => {
  const clock = new Clock();
  const d = deferLater(clock, 1, () => "done");
  clock.advance(1);
  d.cancel();
  equal(successResultOf(d), "done");
});

Deno.test("deferLater() cancel() while waiting for the callable's Deferred cancels that one", () => {
  const clock = new Clock();
  let innerCancelled = false;
  const inner = new Deferred<string>(() => {
    innerCancelled = true;
  });
  const d = deferLater(clock, 1, () => inner);
  clock.advance(1);
  d.cancel();
  equal(innerCancelled, true);
  failureResultOf(d, CancelledError);
});
