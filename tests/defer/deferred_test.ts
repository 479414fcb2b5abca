// Copyright 2026 the Torsion authors. MIT license.
import { deepEqual, equal, ok, throws } from "node:assert/strict";
import {
  AlreadyCalledError,
  CancelledError,
  Deferred,
  Failure,
  succeed,
} from "../../defer/mod.ts";
import {
  assertNoResult,
  captureLog,
  failureResultOf,
  successResultOf,
} from "../../reactor/testing/mod.ts";

Deno.test("Deferred runs callbacks added after firing synchronously", () => {
  const seen: number[] = [];
  const d = succeed(1);
  d.addCallback((n) => {
    seen.push(n);
  });
  deepEqual(seen, [1]);
});

Deno.test("Deferred.callback() twice throws AlreadyCalledError", () => {
  const d = new Deferred<number>();
  d.callback(1);
  throws(() => d.callback(2), AlreadyCalledError);
  throws(() => d.errback(new Error("x")), AlreadyCalledError);
});

Deno.test("Deferred chains a returned Deferred and steals its result", () => {
  const inner = succeed("inner");
  const outer = succeed("outer").addCallback(() => inner);
  equal(successResultOf(outer), "inner");
  equal(successResultOf(inner), null);
});

Deno.test("Deferred waits for an unfired returned Deferred", () => {
  const inner = new Deferred<string>();
  const outer = succeed(1).addCallback(() => inner);
  equal(outer.paused, 1);
  assertNoResult(outer);
  inner.callback("later");
  equal(successResultOf(outer), "later");
});

Deno.test("Deferred chains 10,000 nested Deferreds without overflowing the stack", () => {
  function chain(howMany: number): number {
    const depths: number[] = [];
    const top = new Deferred<unknown>();
    const inners = Array.from(
      { length: howMany },
      () => new Deferred<unknown>(),
    );
    const last = new Deferred<unknown>();
    top.addCallback(() => inners[0]);
    top.addCallback(() => {
      depths.push(new Error().stack!.split("\n").length);
    });
    for (let i = 0; i < howMany - 1; i++) {
      inners[i].addCallback(() => inners[i + 1]);
    }
    inners[howMany - 1].addCallback(() => last);
    top.callback(null);
    for (const d of inners) d.callback(null);
    deepEqual(depths, []);
    last.callback(null);
    return depths[0];
  }
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = Infinity;
  try {
    equal(chain(10_000), chain(1));
  } finally {
    Error.stackTraceLimit = limit;
  }
});

Deno.test("Deferred returning itself from a callback fails instead of hanging", () => {
  const d = new Deferred<unknown>();
  d.addCallback(() => d);
  d.callback(1);
  ok(
    failureResultOf(d, TypeError).getErrorMessage().includes(
      "Callback returned the Deferred",
    ),
  );
});

Deno.test("Deferred.cancel() without canceller fails with CancelledError and swallows one later fire", () => {
  const d = new Deferred<number>();
  d.cancel();
  d.callback(1);
  throws(() => d.callback(2), AlreadyCalledError);
  failureResultOf(d, CancelledError);
});

Deno.test("Deferred logs an unhandled failure when garbage-collected", async () => {
  using captured = captureLog();
  (() => {
    const d = new Deferred<number>();
    d.errback(new RangeError("lost"));
  })();
  const gc = (globalThis as { gc?: () => void }).gc;
  ok(gc, "run with --v8-flags=--expose-gc");
  for (let i = 0; i < 20 && captured.events.length === 0; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 0));
  }
  const failures = captured.flushLoggedErrors(RangeError);
  equal(failures.length, 1);
  equal(captured.events.length, 0);
  equal(failures[0].getErrorMessage(), "lost");
  ok(failures[0] instanceof Failure);
});
