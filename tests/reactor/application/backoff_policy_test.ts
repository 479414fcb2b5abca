// Copyright 2026 the Torsion authors. MIT license.
// backoffPolicy, ported from Twisted's BackoffPolicyTests
// (twisted/test/test_application.py).
import { equal, ok } from "node:assert/strict";
import { backoffPolicy } from "../../../reactor/application/mod.ts";

function close(actual: number, expected: number): void {
  ok(Math.abs(actual - expected) < 1e-7, `${actual} != ${expected}`);
}

Deno.test("backoffPolicy() computes initialDelay * factor ** attempt, capped, plus jitter", () => {
  const pol = backoffPolicy({
    initialDelay: 1.0,
    maxDelay: 60.0,
    factor: 1.5,
    jitter: () => 1,
  });
  close(pol(0), 2);
  close(pol(1), 2.5);
  close(pol(10), 58.6650390625);
  equal(pol(20), 61);
  equal(pol(100), 61);
});

Deno.test("backoffPolicy() has Twisted's defaults: 1.0 s, factor 1.5, at most 60 s", () => {
  const pol = backoffPolicy({ jitter: () => 0 });
  equal(pol(1), 1.5);
  equal(pol(2), 2.25);
  equal(pol(3), 3.375);
  equal(pol(1000), 60);
});

Deno.test("backoffPolicy() jitters with Math.random by default: within [0, 1)", () => {
  const pol = backoffPolicy();
  for (let i = 0; i < 100; i++) {
    const d = pol(1);
    ok(d >= 1.5 && d < 2.5, `${d}`);
  }
});

Deno.test("backoffPolicy() does not overflow on high attempts", () => {
  const pol = backoffPolicy({ jitter: () => 1 });
  equal(pol(1751), 61);
  equal(pol(1000000), 61);
});

Deno.test("backoffPolicy() gives maxDelay when the power overflows, even with an initial delay of 0", () => {
  equal(backoffPolicy({ factor: 1e10, jitter: () => 1 })(1751), 61);
  equal(
    backoffPolicy({ initialDelay: 0, factor: 1e10, jitter: () => 0 })(100),
    60,
  );
});
